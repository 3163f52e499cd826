"""Right to work: whether a person may work without a separate work permit, or may ask for
a certificate that allows it (UOchr art. 35), on a date.

The answer is "yes" on the first ground that holds, "on_request" for a protection applicant
waiting more than six months for a first-instance decision, otherwise "no" — meaning that no
recorded title or certificate gives access to work (a work permit may still exist). For a
protection applicant still waiting on a date before art. 35 is researched (the version from
1 Jan 2021) the "no" cites that and the flag ``work_rule_not_researched`` asks for a check by
hand: the research does not say the right did not exist then. So is a "no" for a person who
holds a title that no free-access rule of the research names (tolerated stay, a permit for
studies or family, a tourist visa) or who stays on a timely application (the stamp): the
research is silent on work there, so the "no" is cited as such, not as the law's. So is a
"no" after a protection decision that came once the six months had passed and is not final:
a certificate asked for in between stays valid until the decision is final (art. 35), and
whether one was issued is not recorded.

Judged as of the date: a decision issued after it has not been made on it.
"""

from __future__ import annotations

from legalstay.engine.expressions import (
    Node,
    any_of,
    any_of_rows,
    as_of,
    case,
    cases,
    coalesce,
    field,
    lit,
    param,
    period_end,
    var,
)
from legalstay.engine.rules import Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.episodes import (
    covers,
    decided_by_the_date,
    decision_made_by,
    is_protection,
    not_yet_decided,
    pending_on,
    waiting_for_decision,
)

__all__ = ["variables"]


def _title_today(kind: str | None = None, *, kinds: Node | None = None) -> Node:
    today = covers(as_of())
    if kinds is not None:
        return today & field("kind").is_in(kinds)
    return today & (field("kind") == kind)


def _grounds() -> list[tuple[str, Node, str]]:
    """(label, condition, reference) for each ground that gives access to work, in order."""
    trp = _title_today("temporary_residence")
    return [
        (
            "free_access_title",
            any_of_rows("titles", _title_today(kinds=param("pl.work.free_access_titles"))),
            ref.WORK_FREE_ACCESS,
        ),
        (
            "humanitarian_stay",
            any_of_rows(
                "titles", _title_today("humanitarian_stay") & param("pl.work.humanitarian_stay")
            ),
            ref.WORK_HUMANITARIAN_STAY,
        ),
        (
            "humanitarian_visa_trp",
            any_of_rows(
                "titles", trp & field("ground").is_in(param("pl.work.trp_free_access_grounds"))
            ),
            ref.WORK_HUMANITARIAN_VISA_TRP,
        ),
        (
            "spouse_of_polish_citizen_trp",
            any_of_rows(
                "titles",
                trp
                & (field("ground") == "spouse_of_polish_citizen")
                & param("pl.work.trp_spouse_of_polish_citizen"),
            ),
            ref.WORK_TRP_SPOUSE,
        ),
        (
            "employment_trp",
            any_of_rows(
                "titles", trp & field("ground").is_in(param("pl.work.trp_employment_grounds"))
            ),
            ref.WORK_TRP_EMPLOYMENT,
        ),
        (
            "humanitarian_visa",
            any_of_rows(
                "titles",
                _title_today("visa")
                & (field("ground") == "humanitarian")
                & param("pl.work.humanitarian_visa"),
            ),
            ref.WORK_HUMANITARIAN_VISA,
        ),
    ]


def _six_months_end() -> Node:
    """An application's row: the last day of the six months art. 35 gives the authority.
    "Not decided within six months": the right arises once they have passed, their last day
    moved off a day off as the decision deadline's is (KPA art. 57 § 4), so the certificate
    is not due on a day the decision is still in time."""
    return period_end(field("filed"), param("pl.uochr.work_after"), "month")


def _waited_six_months(waiting: Node | None = None) -> Node:
    """A protection application's row: pending past six months without a first-instance
    decision (UOchr art. 35); ``waiting`` says how the waiting is judged (by default, no
    decision issued by the date)."""
    waited = _six_months_end() < as_of()
    return is_protection() & (waiting_for_decision() if waiting is None else waiting) & waited


def _certificate_may_outlast_the_decision() -> Node:
    """A protection decision issued by the date, not final, that came after the six months:
    "no decision within six months" gives the certificate on request from the day after
    them, and a decision issued that day or later may have found one asked for already. It
    is valid until the decision is final (UOchr art. 35), and whether one was issued is not
    recorded. The decision's issue day, or where that is not recorded the first later day
    that is (it was issued by then), counts: a decision perhaps issued late leaves the
    certificate as open as one surely late."""
    a_day_to_ask = _six_months_end() < decision_made_by()
    late = is_protection() & pending_on(as_of()) & decided_by_the_date() & a_day_to_ask
    return any_of_rows("applications", coalesce(late, lit(False)))


def _decision_day_not_recorded() -> Node:
    """Past six months on a protection application whose decision is recorded without the
    day it was issued: whether it came within the six months is not known."""
    undated = pending_on(as_of()) & not_yet_decided().is_null()
    return any_of_rows("applications", _waited_six_months(undated))


def _waiting_for_protection_decision() -> Node:
    """Waited past six months on a procedure not suspended at the applicant's request (the
    delay must not be the applicant's fault; other faults are not recorded)."""
    suspended = field("suspended_at_party_request").is_true()
    return any_of_rows("applications", _waited_six_months() & ~suspended)


def _suspended_at_own_request() -> Node:
    """Waited past six months on a procedure suspended at the applicant's request: the delay
    may be the applicant's (art. 35 asks that it is not), for how long is not recorded, so
    the certificate is not asserted and the answer is for a check by hand."""
    suspended = field("suspended_at_party_request").is_true()
    return any_of_rows("applications", _waited_six_months() & suspended)


def _protection_rule_not_researched() -> Node:
    """A protection application pending on a date art. 35 is not researched for: waiting for
    its decision, or decided and not final (a certificate asked for before the decision
    would be valid until then)."""
    return param("pl.uochr.work_after").is_null() & any_of_rows(
        "applications", is_protection() & pending_on(as_of())
    )


def _title_today_from_2014() -> Node:
    """Holding a title on a date the free-access rules are researched for."""
    return param("pl.work.free_access_titles").is_not_null() & any_of_rows(
        "titles", covers(as_of())
    )


def _title_rule_not_researched() -> Node:
    """Holding a title on a date before the free-access rules are researched (1 May 2014)."""
    return param("pl.work.free_access_titles").is_null() & any_of_rows("titles", covers(as_of()))


def _unsupported_no() -> list[tuple[str, Node, str]]:
    """(label, condition, reference) for each reason a "no" is not one the research supports,
    in order: each a variable, read by the citation and by the flag."""
    return [
        (
            "protection_rule_not_researched",
            _protection_rule_not_researched(),
            ref.UOCHR_WORK_NOT_RESEARCHED,
        ),
        (
            "title_rule_not_researched",
            _title_rule_not_researched(),
            ref.WORK_BEFORE_UOC_NOT_RESEARCHED,
        ),
        (
            "suspended_at_own_request",
            _suspended_at_own_request(),
            ref.UOCHR_WORK_SUSPENDED_AT_OWN_REQUEST,
        ),
        (
            "decision_day_not_recorded",
            _decision_day_not_recorded(),
            ref.UOCHR_WORK_DECISION_UNDATED,
        ),
        (
            "certificate_may_outlast_the_decision",
            _certificate_may_outlast_the_decision(),
            ref.UOCHR_WORK_CERTIFICATE_MAY_OUTLAST,
        ),
        # A title held that no ground above names: the research is silent on it (tolerated
        # stay, a permit for studies or family, a tourist visa …), so "no" is not its answer.
        ("title_silent", _title_today_from_2014(), ref.WORK_TITLE_SILENT),
        # Asylum is recorded as a fact, not a title: the research gives it as a ground for
        # permanent residence only, so a "no" for one granted it is not the law's answer.
        ("asylum_silent", field("fact_granted_asylum").is_true(), ref.WORK_ASYLUM_SILENT),
        (
            "stamp_silent",
            var("legal_stay.basis") == "pending_application",
            ref.WORK_STAMP_SILENT,
        ),
        # Irregular only because a filing on a protection stay is not researched: were it
        # timely, the stay would rest on the stamp, where the research is silent on work.
        (
            "stamp_on_protection_stay_unknown",
            (var("legal_stay.basis") == "none")
            & var("application.stamp_on_protection_stay_unknown"),
            ref.WORK_STAMP_SILENT,
        ),
    ]


def variables() -> list[Variable]:
    unsupported = [
        Variable(f"right_to_work.unsupported.{label}", condition, reference=citation)
        for label, condition, citation in _unsupported_no()
    ]
    ground_variables = [
        Variable(f"right_to_work.ground.{label}", condition, reference=citation)
        for label, condition, citation in _grounds()
    ]
    grounds = [(v.name.rsplit(".", 1)[1], var(v.name), v.reference or "") for v in ground_variables]
    status = cases(
        *(
            case(label, condition, lit("yes"), reference=citation)
            for label, condition, citation in grounds
        ),
        case(
            "protection_certificate",
            _waiting_for_protection_decision(),
            lit("on_request"),
            reference=ref.UOCHR_WORK_CERTIFICATE,
        ),
        otherwise=lit("no"),
        label="no_ground",
        reference=ref.WORK_NONE,
    )
    reference = cases(
        *(case(label, condition, lit(citation)) for label, condition, citation in grounds),
        case(
            "protection_certificate",
            var("right_to_work.status") == "on_request",
            lit(ref.UOCHR_WORK_CERTIFICATE),
        ),
        *(case(v.name.rsplit(".", 1)[1], var(v.name), lit(v.reference)) for v in unsupported),
        otherwise=lit(ref.WORK_NONE),
    )
    any_unsupported = any_of(*(var(v.name) for v in unsupported))
    return [
        *ground_variables,
        *unsupported,
        # The answer keeps its three values (legalstay-assessment/1); a "no" the research
        # cannot support is cited as such and flagged for a check by hand.
        Variable(
            "right_to_work.rule_not_researched",
            (var("right_to_work.status") == "no") & any_unsupported,
        ),
        Variable("right_to_work.status", status, "Right to work"),
        Variable("right_to_work.reference", reference),
    ]
