"""Deadlines: what a person must file, or an authority must decide, by when.

Each deadline is a date (unknown when it does not apply), with the provision it rests on for
this person (``deadline.<kind>.reference``: the protection appeal cites the Refugee Board rule,
a permanent-residence decision the six months, …). Periods follow KPA art. 57 (a period
ending on a Saturday or a statutory day off ends on the next working day, Saturdays from
1 Jun 2017). Dates that the law fixes directly — "by the last day of legal stay", "30 days
before the card expires" — are not periods and are never moved: moving them could only make
a person late.

Everything is judged as of the date: a decision issued, delivered or final after it, an appeal
filed or defects cured after it, do not exist on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from legalstay.dossier import TITLE_KINDS
from legalstay.engine.expressions import (
    FAR_FUTURE,
    Case,
    Node,
    PeriodUnit,
    add_days,
    add_period,
    any_of_rows,
    as_of,
    case,
    cases,
    coalesce,
    days_between,
    field,
    lit,
    max_of,
    max_of_rows,
    min_of_rows,
    param,
    period_end,
    value_at_max,
    var,
)
from legalstay.engine.rules import Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.eligibility import qualifying_252a_title_held
from legalstay.rulebook.episodes import (
    abroad_on_the_date,
    appeal_days,
    complete_on,
    covers,
    decided_by_the_date,
    decision_final_on,
    decision_made_by,
    document_expires,
    document_held,
    document_valid_on,
    finality_unrecorded,
    granted_by_this_application,
    is_protection,
    issued_in_poland,
    manifestly_unfounded_appeal_due,
    not_yet,
    waiting_for_decision,
)
from legalstay.rulebook.stay import (
    RESIDENCE_APPLICATIONS,
    legal_on,
    not_examined,
    stamp_application,
    title_granted_after_the_date,
)

__all__ = ["DEADLINE_REFERENCES", "RESIDENCE_APPLICATIONS", "row_variables", "variables"]

# The general provision of each kind (the variable's reference); what an assessment cites for
# a person is ``deadline.<kind>.reference``, the rule that gave the date.
DEADLINE_REFERENCES = {
    "file_temporary_residence": ref.UOC_FILE_TRP,
    "residence_card_exchange": ref.UOC_CARD_EXCHANGE,
    "appeal": ref.KPA_APPEAL,
    "appeal_if_manifestly_unfounded": ref.UOCHR_APPEAL_MANIFESTLY_UNFOUNDED,
    "renew_travel_document": ref.UOC_PDPDC_RENEWAL,
    "apply_for_travel_document": ref.UOC_PDPDC_252A_WINDOW,
    "authority_decision": ref.UOC_TRP_DECISION,
    "leave_poland": ref.UOC_LEAVE_RESIDENCE,
}

# The deadline and the citation of the rule that gave it.
_Deadline = tuple[Node, Node]


def _file_temporary_residence() -> _Deadline:
    """UoC art. 105 ust. 1: a new application by the last day of legal stay on a temporary
    title, unless one is pending that bears the stamp (art. 108; art. 206) or a title already
    granted covers the next day (not one a decision issued after the date may have granted).

    Only a stamp the research verifies hides the deadline: not an EU long-term-residence
    application (its stamp is not verified), nor one that gives no stamp (left unexamined,
    suspended at the applicant's request, recorded incomplete). A title starting after a gap
    leaves the gap to be covered, so the deadline stands."""
    # Before the UoC (1 May 2014) the time to file is not researched (the Act of 2003 is not).
    researched = param("pl.uoc.in_force", on=var("legal_stay.until")).is_true()
    applies = var("application.file_unless_pending") & ~var("application.next_pending") & researched
    return cases(case("applies", applies, var("legal_stay.until")), otherwise=lit(None)), lit(
        ref.UOC_FILE_TRP
    )


def _next_application_pending(*, known_complete: bool = False) -> Node:
    """An application bearing a stamp the research verifies is pending (``known_complete``:
    recorded complete by the date) and will carry the stay past the title's last day.

    Not one granted by the date that was filed before the title held: it gave that title,
    and the next application is due by its last day (on the first day of a title granted
    ahead, its application is still pending until final). One filed on the title held and
    granted is its successor: the stamp lasts until the grant is final, and the new title
    follows. Not one refused or discontinued by a decision final by the date: pending through
    its last day, it carries the stay no further."""
    verified_stamp = field("kind").is_in(param("pl.uoc.stamp.application_kinds"))
    granted = (field("outcome") == "granted") & decided_by_the_date()
    successor = coalesce(field("filed_title_end") >= var("legal_stay.until"), lit(False))
    gave_the_title = granted & ~successor
    closed = (field("outcome") != "granted") & (decision_final_on() <= as_of())
    pending = (
        verified_stamp
        & stamp_application()
        & ~coalesce(gave_the_title, lit(False))
        & ~coalesce(closed, lit(False))
        & ~finality_unrecorded()  # a refusal whose finality is not known: file in time
    )
    if known_complete:
        pending = pending & complete_on().is_true()
    return any_of_rows("applications", pending)


def _file_unless_pending() -> Node:
    """The stay rests on a temporary title (or visa) and no title already granted covers the
    day after it: a new application is due by its last day, unless one is pending."""
    next_day = add_days(var("legal_stay.until"), 1)
    later_title = any_of_rows("titles", covers(next_day) & ~title_granted_after_the_date())
    return var("legal_stay.basis").is_in(("temporary_residence", "visa")) & ~later_title


def _filed_on_presumed_completeness() -> Node:
    """The deadline to file is not shown only because a pending application is presumed
    formally complete (not recorded so by the date): were it not, the stay would end with the
    title, and the caseworker must know (flag formal_completeness_unknown)."""
    return (
        var("application.file_unless_pending")
        & var("application.next_pending")
        & ~_next_application_pending(known_complete=True)
    )


def _residence_card_exchange() -> _Deadline:
    """UoC art. 230 ust. 2: for an indefinite title, the next card ≥ 30 days before expiry —
    of a card issued under that title: one issued under an earlier permit ended with it, and
    says nothing of when the title's own card runs out."""
    # A card issued after the date does not exist on it; one whose issue date is not recorded
    # is taken as the title's.
    issued = field("issued")
    under_title = issued >= var("title.indefinite_since")
    issued_by_date = issued.is_null() | ((issued <= as_of()) & under_title)
    card = (
        (field("kind") == "residence_card")
        & document_held()
        & issued_by_date
        & issued_in_poland()  # another state's card is exchanged under its own law
    )
    latest = max_of_rows("documents", document_expires(), card)
    # A date the law fixes (not moved off days off); add_period with days is plain day
    # arithmetic, and gives unknown where the lead is not in force (before the UoC).
    due = add_period(latest, lit(0) - param("pl.uoc.card_exchange_lead"), "day")
    deadline = cases(
        case("indefinite_title", var("title.indefinite_today"), due), otherwise=lit(None)
    )
    return deadline, lit(ref.UOC_CARD_EXCHANGE)


def _of_row_giving(
    table: str, value: Node, due: Node, deadline: str, key: Node, where: Node
) -> Node:
    """``value`` of the row (among ``where``) whose ``due`` is the date ``deadline`` shows (of
    several, the one with the largest ``key``): what to cite for it. ``due`` goes into the
    key, not the condition: keys are worked out for the rows ``where`` picks only."""
    giving = cases(case("gives", due == var(deadline), key), otherwise=lit(None))
    return value_at_max(table, value, giving, where)


def _appeal() -> _Deadline:
    """KPA art. 129 § 2 (the Refugee Board rule for protection): 14 days from delivery of a
    refusal or discontinuance, while no appeal was filed and the decision was not final by the
    date. Of several open refusals, the earliest appeal day still ahead (a later one must not
    hide it); when all have passed, the latest of those that ended the stay, unless the stay
    rests on a title or, after the refusal's final day, on another application's stamp: a
    missed appeal may still be restored (KPA art. 58, 7 days from the cause ceasing). A
    person staying on a title is not shown a lapsed appeal day for years, nor when that title
    ends long after the refusal; one whose stay ends with the refused application (legal
    through the day it becomes final) sees it that day too."""
    refugee_status_refused = coalesce(field("refugee_status_refused"), lit(False))
    open_refusal = _open_for_appeal(_refused() | refugee_status_refused)
    due = _appeal_due()
    citation = cases(
        case("refugee_status_refused", refugee_status_refused, lit(ref.UOCHR_APPEAL_PARTIAL)),
        case(
            "protection_discontinued",
            is_protection() & (field("outcome") == "discontinued"),
            lit(ref.UOCHR_APPEAL_DISCONTINUED),
        ),
        case("protection", is_protection(), lit(ref.UOCHR_APPEAL)),
        otherwise=lit(ref.KPA_APPEAL),
    )
    # While the days run, the decision is not final (it becomes so after them): said, so
    # that the day after it becomes final, when another stamp may carry the stay and the
    # lapsed day is no longer shown (below), is a day the answer is probed on (``changes_on``).
    not_final = coalesce(decision_final_on() > as_of(), lit(True))
    ahead = cases(case("ahead", (due >= as_of()) & not_final, due), otherwise=lit(None))
    # A lapsed day is for one whose stay ended with the refusal: no title held after the day
    # it became final, through the date. A renewal filed early and refused leaves the permit
    # running; when the permit ends months later, that appeal day is long gone.
    ended_the_stay = coalesce(
        decision_final_on() >= var("appeal.title_held_until"),
        lit(True),  # no title: it did
    )
    # Nor is it for one whose stay goes on under another application's stamp: once this
    # refusal is final, the stamp carrying the stay is the other's (a permanent-residence
    # case may be pending for years). On its final day its own stamp may still carry it.
    carried_on = coalesce(
        var("legal_stay.basis").is_in(("pending_application", "pending_protection_application"))
        & (decision_final_on() < as_of()),
        lit(False),
    )
    missed = value_at_max(
        "applications", due, field("delivered"), open_refusal & ended_the_stay & ~carried_on
    )
    deadline = coalesce(
        min_of_rows("applications", ahead, open_refusal),
        cases(case("missed", ~_stay_on_a_title(), missed), otherwise=lit(None)),
    )
    key = field("delivered")
    return deadline, _of_row_giving(
        "applications", citation, due, "deadline.appeal", key, open_refusal
    )


def _appeal_if_manifestly_unfounded() -> _Deadline:
    """The Refugee Board's 5 days from delivery where the refusal of protection was for a
    manifestly unfounded application (legal-rules.md §1.4, medium), which the registry does
    not record: shown beside the 14 days while they run, so that the caseworker checks the
    decision, since a stay on the application may end with that shorter appeal. The earliest
    of the open refusals' days (one already past is shown too: the 14 days may still be the
    ones that apply). Not for a grant of subsidiary protection, which refuses refugee status
    but not as manifestly unfounded, nor for a discontinuance, which is no refusal on the
    merits: the research gives the 5 days for a refusal only."""
    open_refusal = _open_for_appeal(is_protection() & (field("outcome") == "refused"))
    deadline = min_of_rows(
        "applications",
        manifestly_unfounded_appeal_due(),
        open_refusal & (_appeal_due() >= as_of()),
    )
    return deadline, lit(ref.UOCHR_APPEAL_MANIFESTLY_UNFOUNDED)


def _refused() -> Node:
    return field("outcome").is_in(("refused", "discontinued"))


def _open_for_appeal(decision: Node) -> Node:
    """An application's ``decision`` delivered by the date, neither appealed nor final by it."""
    return decision & (field("delivered") <= as_of()) & not_yet("final") & not_yet("appeal_filed")


def _appeal_due() -> Node:
    """The last day to appeal, from delivery (the Refugee Board's or the KPA's days)."""
    return period_end(field("delivered"), appeal_days(), "day")


def _stay_on_a_title() -> Node:
    return var("legal_stay.basis").is_in(TITLE_KINDS)


def _renew_travel_document() -> _Deadline:
    """The day the travel document in hand lapses (UoC art. 253 ust. 2; UOchr art. 89i
    ust. 3): a document valid on the date. One that has lapsed is no deadline but the
    ``no_valid_travel_document`` flag; one issued after the date does not exist on it. A
    PDPdC outlasted by a valid national passport needs no renewal: the passport is the
    travel document then, and a PDPdC is not given to one who holds it (art. 252)."""
    held = field("kind").is_in(
        ("travel_document_for_foreigners", "refugee_travel_document")
    ) & document_valid_on(as_of())
    in_hand = max_of_rows("documents", document_expires(), held)
    passport = (field("kind") == "national_passport") & document_valid_on(as_of())
    # Outlasted: the passport runs on after the PDPdC lapses. One lapsing the same day leaves
    # the person with no travel document from the day after, so the PDPdC's day is shown.
    outlasted = (max_of_rows("documents", document_expires(), passport) > in_hand) & ~any_of_rows(
        "documents", held & (field("kind") == "refugee_travel_document")
    )
    deadline = cases(case("outlasted_by_a_passport", outlasted, lit(None)), otherwise=in_hand)
    citation = cases(
        case("issued_abroad", ~issued_in_poland(), lit(ref.FOREIGN_DOCUMENT_EXPIRY)),
        case(
            "refugee_travel_document",
            field("kind") == "refugee_travel_document",
            lit(ref.UOCHR_REFUGEE_TD_EXPIRY),
        ),
        # An expiry derived from the validity in force on issue: the rule that gave it (under
        # the reform, the proposal's three years).
        case(
            "derived_expiry",
            field("expires_standing").is_null(),
            param("pl.uoc.pdpdc.validity_citation", on=field("issued")),
        ),
        otherwise=lit(ref.UOC_PDPDC_EXPIRY),
    )
    expires = document_expires()
    return deadline, _of_row_giving(
        "documents", citation, expires, "deadline.renew_travel_document", expires, held
    )


def _apply_for_travel_document() -> _Deadline:
    """For a person holding no valid travel document whom only the art. 252a route (not the
    general one, which has no windows) gives a PDPdC on the date: the last day of the window
    in force (legal-rules.md §1.1, §2.2). A reform without windows (pl-amnesty-2025) lifts
    the window, not the qualifying title the route asks for on the day of filing; one lifting
    them from the day after the window in force closes leaves nothing due on its last day."""
    windowed = "pl.uoc.art252a.windowed"
    after_the_window = add_days(param("pl.uoc.art252a.filing_deadline"), 1)
    no_window = coalesce(
        (param(windowed) == False) | (param(windowed, on=after_the_window) == False),  # noqa: E712
        lit(False),
    )
    in_the_window, window_citation = _apply_in_the_window()
    by_the_title, title_citation = _apply_without_windows()
    return (
        cases(case("no_window", no_window, by_the_title), otherwise=in_the_window),
        cases(case("no_window", no_window, title_citation), otherwise=window_citation),
    )


def _apply_in_the_window() -> _Deadline:
    """The window's last day; a permit ending before the window closes is the last day (one
    on the stamp of its renewal holds none). None once a PDPdC was applied for in it."""
    windowed = param("pl.uoc.art252a.windowed").is_true()
    window_end = param("pl.uoc.art252a.filing_deadline")
    title_end = var("art252a.qualifying_title_until")
    title_first = coalesce(title_end < window_end, lit(False))
    due = cases(case("title_ends_first", title_first, title_end), otherwise=window_end)
    applies = _only_252a_gives_one() & windowed & ~_applied_in_the_window()
    citation = cases(
        case("title_ends_first", title_first, lit(ref.UOC_PDPDC_252A_TITLE_END)),
        otherwise=lit(ref.UOC_PDPDC_252A_WINDOW),
    )
    return cases(case("in_the_window", applies, due), otherwise=lit(None)), citation


def _apply_without_windows() -> _Deadline:
    """Under a reform without windows: the qualifying title's last day (none for one without
    an end), unless a PDPdC application is open (see ``_applied_since_the_last_pdpdc``)."""
    applies = _only_252a_gives_one() & ~_applied_since_the_last_pdpdc()
    due = cases(
        case("by_the_title", applies, var("art252a.qualifying_title_until")), otherwise=lit(None)
    )
    return due, lit(ref.UOC_PDPDC_252A_TITLE_END_PROPOSED)


def _only_252a_gives_one() -> Node:
    """No valid travel document held but a temporary PDPdC, and only the art. 252a route
    gives a PDPdC. A temporary PDPdC (art. 267, days) is for leaving or coming back: it
    replaces no PDPdC, and hid the window's last days from one who held it then."""
    route = "travel_document_for_foreigners.designated_citizenship"
    only_252a = var(route).is_true() & ~coalesce(
        var("travel_document_for_foreigners.general"), lit(False)
    )
    none_held = (var("travel_document.valid") == False) | (  # noqa: E712 (not unknown)
        var("travel_document.kind") == "temporary_travel_document_for_foreigners"
    )
    return only_252a & none_held


def _qualifying_title_held_until() -> Node:
    """The last day of the art. 252a qualifying titles held on the date: none for an
    indefinite one (permanent or EU long-term residence)."""
    held = qualifying_252a_title_held()
    indefinite = any_of_rows("titles", held & field("valid_to").is_null())
    return cases(
        case("indefinite", indefinite, lit(None)),
        otherwise=max_of_rows("titles", field("valid_to"), held),
    )


def _qualifying_title_followed_on(held_until: Node) -> Node:
    """The last day of holding an art. 252a qualifying title without a day between, from
    ``held_until``: a title recorded to follow on from it by the next day (a permit granted
    ahead) is held on every day up to its end. None for an indefinite one."""
    follows = (
        field("kind").is_in(param("pl.uoc.art252a.qualifying_titles"))
        & (field("valid_from") > as_of())
        & (field("valid_from") <= add_days(held_until, 1))
    )
    following_end = max_of_rows("titles", field("valid_to"), follows)
    return cases(
        case(
            "followed_by_an_indefinite_one",
            any_of_rows("titles", follows & field("valid_to").is_null()),
            lit(None),
        ),
        case("followed_on", coalesce(following_end > held_until, lit(False)), following_end),
        otherwise=held_until,
    )


def _applied_in_the_window() -> Node:
    """A PDPdC application filed by the date inside the window in force (the same last day),
    or in an earlier one and waiting for its decision, and not refused or discontinued by
    then: nothing is left to file (one refused may be filed again before the window closes;
    one granted in an earlier window gave a PDPdC, and a new one is applied for in the
    window in force once it lapses)."""
    deadline = "pl.uoc.art252a.filing_deadline"
    in_this_window = param(deadline, on=field("filed")) == param(deadline)
    return _pdpdc_applied_for(in_this_window | _waiting_since_an_earlier_window())


def _waiting_since_an_earlier_window() -> Node:
    """No decision recorded by the date, on an application filed less than a PDPdC's validity
    before it: one filed longer ago has most likely been granted, its document not recorded
    and lapsed since (a caseworker shown no day to apply by would miss the window)."""
    filed = field("filed")
    validity = param("pl.uoc.pdpdc.validity", on=filed)
    recent = add_period(filed, validity, "year") > as_of()
    return ~decided_by_the_date() & coalesce(recent, lit(False))


def _applied_since_the_last_pdpdc() -> Node:
    """Without windows: a PDPdC application not refused or discontinued, filed after the last
    PDPdC recorded by the date (or with none recorded; one filed the day a PDPdC was issued
    is taken as answered by it), and, if granted, granted recently enough that the document
    it gave would still be valid: one granted whose document is not recorded yet leaves
    nothing to file; one granted long ago, its document lapsed since (recorded or not),
    leaves a new one to apply for."""
    last = var("art252a.last_pdpdc_issued")
    decided = decision_made_by()
    validity = param("pl.uoc.pdpdc.validity", on=decided)
    its_document_lapsed = add_period(decided, validity, "year") <= as_of()
    lapsed_grant = (field("outcome") == "granted") & coalesce(its_document_lapsed, lit(False))
    return _pdpdc_applied_for(coalesce(field("filed") > last, lit(True)) & ~lapsed_grant)


def _last_pdpdc_issued() -> Node:
    """The last PDPdC recorded issued by the date; one recorded without its issue day is
    taken by its expiry (it was issued by then)."""
    issued = coalesce(field("issued"), field("expires"))
    pdpdc = field("kind") == "travel_document_for_foreigners"
    return max_of_rows("documents", issued, pdpdc & (issued <= as_of()))


def _pdpdc_applied_for(counted: Node) -> Node:
    """A PDPdC application filed by the date, ``counted``, and not refused or discontinued by
    then."""
    closed = field("outcome").is_in(("refused", "discontinued")) & decided_by_the_date()
    return any_of_rows(
        "applications",
        (field("kind") == "travel_document_for_foreigners")
        & (field("filed") <= as_of())
        & coalesce(counted, lit(False))
        & ~coalesce(closed, lit(False)),
    )


def _suspended(
    start: Node, amount: Node, unit: PeriodUnit, suspension: tuple[Node, Node] | None = None
) -> Node:
    """A statutory decision period for a voivode's residence case, with the time the period did
    not run (art. 100d of the Act of 12 Mar 2022) added: a period starting in the suspension
    runs from its end; one running into it resumes after it with the days it had left.

    A period whose last day falls on a day off runs on to the next working day (KPA art. 57
    § 4): it is still running when a suspension starts in between. ``suspension``: another
    (first day, last day) than art. 100d's."""
    suspended_from, suspended_until = suspension or (
        param("pl.specact.art100d.suspended_from"),
        param("pl.specact.art100d.suspended_until"),
    )
    end = period_end(start, amount, unit)
    # The days left when the suspension began; at least one: a period whose last day was a
    # day off running into it ends on the first working day after it.
    unmoved_end = add_period(start, amount, unit)
    left = days_between(start, unmoved_end) - days_between(start, suspended_from)
    remaining = max_of(left + 1, lit(1))
    return cases(
        case(
            "started_during",
            (start >= suspended_from) & (start <= suspended_until),
            period_end(suspended_until, amount, unit),
        ),
        case(
            "ran_into",
            (start < suspended_from) & (end >= suspended_from),
            period_end(suspended_until, remaining, "day"),
        ),
        otherwise=end,
    )


def _may_run_in_art_100da(start: Node) -> Node:
    """A protection decision period that may have run while art. 100da (Act of 12 Mar 2022,
    added in 2025) suspended it: it ends on or after the earliest day the suspension may have
    begun and starts before its last day."""
    raw_end = period_end(start, param("pl.uochr.decision_time", on=start), "month")
    # As for art. 100d: the period counts from the day after lodging (KPA art. 57 § 1), so
    # one lodged on the suspension's last day did not run in it.
    return (raw_end >= param("pl.specact.art100da.earliest_from")) & (
        start < param("pl.specact.art100da.suspended_until")
    )


def _decision_start() -> Node:
    """The day the authority's decision period starts, as of the date: for a residence case the
    later of filing and formal completeness (UoC art. 112a ust. 2) — none while the application
    is recorded incomplete or its defects were cured only after the date; the filing day when
    completeness is not recorded (presumed, as for the stamp; the flags say so). A protection
    case counts from lodging the application (UOchr art. 34 ust. 1)."""
    return cases(
        case("protection", is_protection(), field("filed")),
        case("incomplete", field("formally_complete") == False, lit(None)),  # noqa: E712
        case("cured_later", field("completed_on") > as_of(), lit(None)),
        case("completed", field("completed_on").is_not_null(), field("completed_on")),
        otherwise=field("filed"),
    )


def row_variables() -> list[tuple[str, str, Node]]:
    """Derived columns of applications, each worked out once per row: the day the decision
    period starts; for an application the authority must decide (``_waiting``), the day its
    decision is due, for a protection case the latest day its 15 months may end, and whether
    it is overdue with nothing unrecorded to excuse it. The long
    arithmetic is done for the waiting rows only, and read by the deadline, its citation and
    the flags alike."""
    return [
        ("applications", "decision_start", _decision_start()),
        ("applications", "decision_due", _for_waiting(_decision_due())),
        ("applications", "protection_latest_end", _for_waiting_protection()),
        ("applications", "decision_overdue", _for_waiting(_overdue_row())),
        ("applications", "refugee_status_refused", _refugee_status_refused()),
    ]


def _refugee_status_refused() -> Node:
    """A protection application granted subsidiary protection (the title it gave, as
    recorded): the same decision refuses refugee status, which the applicant may appeal to
    the Refugee Board as any protection decision. None where no title of its shows which."""
    grant = is_protection() & (field("outcome") == "granted")
    subsidiary = granted_by_this_application() & (field("kind") == "subsidiary_protection")
    return cases(
        case("protection_grant", grant, any_of_rows("titles", subsidiary)), otherwise=lit(None)
    )


def _for_waiting_protection() -> Node:
    waiting = _waiting() & is_protection()
    return cases(case("waiting", waiting, _protection_latest_end()), otherwise=lit(None))


def _for_waiting(value: Node) -> Node:
    return cases(case("waiting", _waiting(), value), otherwise=lit(None))


@dataclass(frozen=True)
class _DecisionCase:
    """Which statutory decision time applies to an application, as conditions on its row."""

    start: Node
    trp_days: Node
    pr_months: Node
    trp_after_2022: Node
    pr_ltr_after_2022: Node
    # Before 29 Jan 2022 the UoC set no time of its own: the KPA's applied to every residence
    # case (legal-rules.md §1.2, "Before 29 Jan 2022").
    kpa: Node


def _decision_case() -> _DecisionCase:
    start = field("decision_start")
    trp_days = param("pl.uoc.trp.decision_deadline", on=start)
    pr_months = param("pl.uoc.pr.decision_deadline", on=start)
    trp = field("kind") == "temporary_residence"
    pr_ltr = field("kind").is_in(("permanent_residence", "eu_long_term_residence"))
    trp_after_2022 = trp & trp_days.is_not_null()
    pr_ltr_after_2022 = pr_ltr & pr_months.is_not_null()
    kpa = (trp | pr_ltr) & ~trp_after_2022 & ~pr_ltr_after_2022
    return _DecisionCase(start, trp_days, pr_months, trp_after_2022, pr_ltr_after_2022, kpa)


def _decision_due_row() -> _Deadline:
    """The waiting application's decision due day (a derived column) and the rule giving it:
    a residence case's cites art. 100d where its period ran in the suspension, or runs past
    4 Mar 2026, when whether the suspension continued is not verified."""
    c = _decision_case()
    due = field("decision_due")
    trp_ran_in = _ran_in_art_100d(c.start, c.trp_days, "day")
    pr_ran_in = _ran_in_art_100d(c.start, c.pr_months, "month")
    # Read on the due day: assessed before 5 Mar 2026, a period due after it is in doubt too.
    after = due >= param("pl.specact.art100d.continuation_unknown_from", on=due)
    in_100c = _may_have_run_in_art_100c(due, c.start)
    citation = cases(
        # Sixty days running in 2022 (and not into art. 100d) may have been suspended by
        # art. 100c, as a KPA month may: said, as the 2022 values' notes say it.
        _in_art_100c("trp", c.trp_after_2022, trp_ran_in, in_100c, ref.UOC_TRP_DECISION_TIME),
        *_cited_with_suspension(
            "trp", c.trp_after_2022, ref.UOC_TRP_DECISION_TIME, trp_ran_in, after, in_100c
        ),
        # A KPA month (or two) running into 2022 may have been suspended by art. 100c, from
        # a day the research does not give: said, as the 2022 UoC periods' values say it.
        case(
            "kpa_in_art_100c",
            c.kpa & _may_have_run_in_art_100c(_complex_case_end(c.start), c.start),
            lit(f"{ref.KPA_DECISION_TIME}; {ref.MAY_BE_SUSPENDED_BY_100C}"),
        ),
        case("kpa_before_2022", c.kpa, lit(ref.KPA_DECISION_TIME)),
        # Six months running in 2022 (and not into art. 100d): as sixty days may, above.
        _in_art_100c("pr_ltr", c.pr_ltr_after_2022, pr_ran_in, in_100c, ref.UOC_PR_DECISION_TIME),
        *_cited_with_suspension(
            "pr_ltr", c.pr_ltr_after_2022, ref.UOC_PR_DECISION_TIME, pr_ran_in, after, in_100c
        ),
        # Due after 4 Mar 2026, as a residence case's: whether art. 100da still runs is not known.
        case(
            "protection_after",
            is_protection()
            & (due >= param("pl.specact.art100da.continuation_unknown_from", on=due)),
            lit(f"{ref.UOCHR_DECISION}; {ref.MAY_BE_SUSPENDED_BY_100DA}"),
        ),
        case("protection", is_protection(), lit(ref.UOCHR_DECISION)),
        otherwise=lit(None),
    )
    return due, citation


def _in_art_100c(label: str, applies: Node, ran_in: Node, in_100c: Node, time: str) -> Case:
    """A UoC decision time that ran in 2022 and not into art. 100d: art. 100c may have
    suspended it."""
    only_in_100c = applies & ~coalesce(ran_in, lit(False)) & in_100c
    return case(
        f"{label}_in_art_100c", only_in_100c, lit(f"{time}; {ref.MAY_BE_SUSPENDED_BY_100C}")
    )


def _cited_with_suspension(
    label: str, applies: Node, time: str, ran_in: Node, after: Node, in_100c: Node
) -> list[Case]:
    """A residence decision time's citation: with art. 100d where the period ran in the
    suspension, and with its doubt where the period is due after 4 Mar 2026; one begun in
    2022 says that art. 100c may have suspended its first part too."""
    ran = applies & ran_in
    begun_in_2022 = f"{time}; {ref.MAY_BE_SUSPENDED_BY_100C}"
    return [
        *_suspended_by_100d(f"{label}_in_art_100c", ran & in_100c, begun_in_2022, after),
        *_suspended_by_100d(label, ran, time, after),
        case(f"{label}_after", applies & after, lit(f"{time}; {ref.MAY_BE_SUSPENDED_BY_100D}")),
        case(label, applies, lit(time)),
    ]


def _suspended_by_100d(name: str, ran: Node, cited: str, after: Node) -> list[Case]:
    """A period that ran in art. 100d: cited with it, and with its doubt past 4 Mar 2026."""
    suspended = f"{cited}; {ref.SUSPENDED_BY_100D}"
    return [
        case(
            f"{name}_suspended_and_after",
            ran & after,
            lit(f"{suspended}, {ref.STILL_SUSPENDED_BY_100D}"),
        ),
        case(f"{name}_suspended", ran, lit(suspended)),
    ]


def _ran_in_art_100d(start: Node, amount: Node, unit: PeriodUnit) -> Node:
    """The period started in the art. 100d suspension or was running when it began."""
    # The period counts from the day after its start (KPA art. 57 § 1): one started on the
    # suspension's last day did not run in it.
    return (start < param("pl.specact.art100d.suspended_until")) & (
        period_end(start, amount, unit) >= param("pl.specact.art100d.suspended_from")
    )


def _decision_due() -> Node:
    c = _decision_case()
    start = c.start
    return cases(
        case("trp", c.trp_after_2022, _suspended(start, c.trp_days, "day")),
        case(
            "kpa_before_2022",
            c.kpa,
            _suspended(start, param("pl.kpa.decision_time", on=start), "month"),
        ),
        case("pr_ltr", c.pr_ltr_after_2022, _suspended(start, c.pr_months, "month")),
        # Art. 100da suspended the protection deadlines too, from a day in 2025 the research
        # does not give: a period running in that year (to 4 Mar 2026) has no known end.
        case("protection_in_art_100da", is_protection() & _may_run_in_art_100da(start), lit(None)),
        case(
            "protection",
            is_protection(),
            period_end(start, param("pl.uochr.decision_time", on=start), "month"),
        ),
        otherwise=lit(None),
    )


def _waiting() -> Node:
    """An application the authority must decide: waiting for its decision, and examined."""
    return waiting_for_decision() & ~not_examined()


def _of_deciding(value: Node, due: Node) -> Node:
    """``value`` of the waiting application whose due date is the deadline shown (of several
    due that day, the latest filed); the arithmetic is long, so only waiting rows do it."""
    deadline = "deadline.authority_decision"
    return _of_row_giving("applications", value, due, deadline, field("filed"), _waiting())


def _authority_decision() -> _Deadline:
    due, citation = _decision_due_row()
    # With several applications waiting, the earliest deadline is the one to watch: a later
    # application must not hide that the authority is late on an earlier one.
    deadline = min_of_rows("applications", due, _waiting())
    return deadline, _of_deciding(citation, due)


def _completeness_presumed() -> Node:
    """The deadline shown counts from a filing whose formal completeness is not recorded: the
    authority may not be late at all (art. 112a ust. 2), so "late" is not asserted."""
    due, _ = _decision_due_row()
    unknown = field("kind").is_in(RESIDENCE_APPLICATIONS) & complete_on().is_null()
    return _of_deciding(unknown, due)


def _refusal_final() -> Node:
    """The day the latest refusal of a residence permit became final (by the date)."""
    refused = (
        field("kind").is_in(RESIDENCE_APPLICATIONS)
        & (field("outcome") == "refused")
        & (decision_final_on() <= as_of())
    )
    return max_of_rows("applications", decision_final_on(), refused)


def _leave_poland() -> _Deadline:
    """30 days after the latest refusal of a residence permit became final, "unless another
    legal basis for stay exists" (legal-rules.md §1.2; UoC, article not verified): shown from
    the day it became final; none while the stay is legal on a later date, nor when another
    basis covered the day after the refusal became final (the refusal then ended no stay; a
    basis ending later has no such deadline),
    nor when one covered the last of the 30 days, nor while the person is abroad (out of
    Poland, they have nothing to leave; back by the date, the date holds).

    Refusals of other applications (a travel document, a visa) end no stay. A refused
    protection application is left out: the 30 days are given for residence permits under the
    UoC, and what follows a protection refusal is not in the research.
    """
    final = var("application.refusal_final")
    covered_after = legal_on(add_days(final, 1))
    due = add_period(final, param("pl.uoc.leave_after_refusal", on=final), "day")
    # A basis gained within the 30 days and holding on the last of them (a protection
    # application filed in time) overtook the obligation: a later end of that basis does not
    # bring the lapsed date back.
    overtaken = legal_on(due) | _a_later_basis(final, due)
    # Gone: abroad on the date, whether they left before the refusal became final or after
    # it (one back by the date is in Poland again, and the date holds).
    gone = any_of_rows("stays_abroad", abroad_on_the_date())
    # From the day the refusal became final, the last day of the stay on its application:
    # the 30 days run from it.
    ended = (var("legal_stay.status") == "irregular") | (final == as_of())
    # "Unless another legal basis for stay exists": where the stay is not settled (a later
    # application's stamp the research cannot tell), neither is the obligation to leave.
    unsettled = (var("legal_stay.basis") == "none") & (
        var("application.stamp_rule_unknown")
        | var("application.finality_unknown")
        | var("application.stamp_on_protection_stay_unknown")
    )
    applies = ended & ~covered_after & ~overtaken & ~gone & ~coalesce(unsettled, lit(False))
    deadline = cases(case("irregular", applies, due), otherwise=lit(None))
    return deadline, lit(ref.UOC_LEAVE_RESIDENCE)


def _a_later_basis(final: Node, due: Node) -> Node:
    """A basis of stay gained after the refusal became final and known by the date: a title
    begun after the 30 days, or begun within them and still held on the last of them, or a
    protection application filed since and still waiting on that day. It ended the obligation
    as one holding on that day does: a stay irregular on the date after it ended is another's
    doing, and the refusal's old date is not brought back. One begun and ended within the 30
    days left the obligation as it was (the days to leave still run, or have run)."""
    outlasting = (field("valid_from") > due) | coalesce(field("valid_to") >= due, lit(True))
    since = (field("valid_from") > final) & outlasting
    title = since & (field("valid_from") <= as_of()) & ~title_granted_after_the_date()
    filed_since = (field("filed") > final) & (field("filed") <= as_of())
    waiting = coalesce(decision_final_on(), FAR_FUTURE) > due
    return any_of_rows("titles", title) | any_of_rows(
        "applications", is_protection() & filed_since & waiting
    )


def _late() -> Node:
    """The authority is late on some waiting application: its own decision deadline has
    passed, and nothing that would excuse the delay is left unrecorded, nor may the law still
    have suspended it."""
    return _late_on_some(suspension_ended_assumed=False)


def _late_if_suspension_ended() -> Node:
    """Late only if the art. 100d suspension ended on 4 Mar 2026, which is not verified: said
    apart, so a caseworker sees the delay without the tool asserting it."""
    return _late_on_some(suspension_ended_assumed=True)


def _late_on_some(*, suspension_ended_assumed: bool) -> Node:
    may_still = _may_still_be_suspended(field("decision_due"))
    late = field("decision_overdue") & (may_still if suspension_ended_assumed else ~may_still)
    return max_of_rows(
        "applications", cases(case("late", late, lit(True)), otherwise=lit(False)), _waiting()
    )


def _overdue_row() -> Node:
    """This waiting application's own deadline has passed, and nothing unrecorded could make
    that delay lawful."""
    due = field("decision_due")
    overdue = (due < as_of()) & ~_delay_may_be_lawful(due)
    # A protection case whose months may have run in art. 100da shows no due day; past the
    # latest day its 15 months may end (the suspension counted from its earliest start), it
    # is late, if the suspension ended then (``_may_still_be_suspended`` says so).
    past_latest_end = is_protection() & due.is_null() & (field("protection_latest_end") < as_of())
    return cases(
        case("overdue", overdue, lit(True)),
        case("past_the_latest_end", past_latest_end, lit(True)),
        otherwise=lit(False),
    )


def _delay_may_be_lawful(due: Node) -> Node:
    """What the registry does not record could make the delay lawful, so "late" is not
    asserted: each reason true, or false when unknown. (Whether the law still suspended the
    period is asked apart: ``_may_still_be_suspended``.)"""
    start = field("decision_start")
    reasons = (
        # Completeness not recorded: the time may not have started (UoC art. 112a ust. 2).
        field("kind").is_in(RESIDENCE_APPLICATIONS) & complete_on().is_null(),
        # Suspended at the applicant's request, for how long is not recorded.
        field("suspended_at_party_request"),
        _protection_extendable(),
        _complex_case_time_left(start),
        # A KPA case is late only after its two months: those may have run in 2022.
        _may_have_run_in_art_100c(max_of(due, _complex_case_end(start)), start),
    )
    found: Node = lit(False)
    for reason in reasons:
        found = found | reason.is_true()
    return found


def _protection_extendable() -> Node:
    """A protection case past its six months but within the 15 the Head of the Office may
    extend it to (UOchr art. 34 ust. 2): an extension is not recorded."""
    return is_protection() & (field("protection_latest_end") >= as_of())


def _protection_latest_end() -> Node:
    """The latest day the 15 months may end: with the time art. 100da may have suspended them
    (from the earliest day it may have begun, 1 Jan 2025, to its end) added."""
    suspension = (
        param("pl.specact.art100da.earliest_from"),
        param("pl.specact.art100da.suspended_until"),
    )
    months = param("pl.uochr.decision_time_max", on=field("filed"))
    return _suspended(field("filed"), months, "month", suspension)


def _complex_case_time_left(start: Node) -> Node:
    """A residence case decided under the KPA (before 29 Jan 2022) past its month but within
    the two months of a particularly complex case (KPA art. 35 § 3): whether the case is
    complex is not recorded."""
    return _complex_case_end(start) >= as_of()


def _complex_case_end(start: Node) -> Node:
    """The end of a KPA residence case's two months (none for other cases, nor from 29 Jan
    2022, when the KPA times no longer applied)."""
    months = param("pl.kpa.decision_time_complex", on=start)
    return cases(
        case(
            "kpa_residence",
            field("kind").is_in(RESIDENCE_APPLICATIONS),
            _suspended(start, months, "month"),
        ),
        otherwise=lit(None),
    )


def _may_have_run_in_art_100c(due: Node, start: Node) -> Node:
    """A residence case whose period may have run while art. 100c suspended the voivodes'
    deadlines in 2022, from a day the research does not give (its due date rests on values
    marked not verified)."""
    return (
        field("kind").is_in(RESIDENCE_APPLICATIONS)
        & (due >= param("pl.specact.art100c.earliest_from"))
        & (start <= param("pl.specact.art100c.suspended_until"))
    )


def _may_still_be_suspended(due: Node) -> Node:
    """A case whose period runs past 4 Mar 2026, when whether the suspension still runs is not
    verified (art. 100d for the voivodes' residence cases, art. 100da for protection, whose
    15 months are looked at): if it does, the due date shown is too early."""
    residence = field("kind").is_in(RESIDENCE_APPLICATIONS) & (
        due >= param("pl.specact.art100d.continuation_unknown_from")
    )
    protection = is_protection() & (
        field("protection_latest_end") >= param("pl.specact.art100da.continuation_unknown_from")
    )
    return (residence | protection).is_true()


def variables() -> list[Variable]:
    helpers = [
        Variable("application.authority_late", _late(), reference=ref.UOC_TRP_DECISION),
        Variable(
            "application.authority_late_if_suspension_ended",
            _late_if_suspension_ended(),
            reference=ref.UOC_TRP_DECISION,
        ),
        Variable(
            "application.decision_completeness_presumed",
            _completeness_presumed(),
            reference=ref.UOC_TRP_DECISION,
        ),
        Variable("application.refusal_final", _refusal_final(), reference=ref.UOC_LEAVE),
        # The last day of the titles begun by the date (FAR_FUTURE: one without an end).
        Variable(
            "appeal.title_held_until",
            max_of_rows(
                "titles", coalesce(field("valid_to"), FAR_FUTURE), field("valid_from") <= as_of()
            ),
        ),
        Variable("application.file_unless_pending", _file_unless_pending()),
        Variable("application.next_pending", _next_application_pending()),
        # Which application the decision deadline shown is about (the casework page names
        # its authority): its filing day and kind.
        *(
            Variable(f"deadline.authority_decision.{name}", _of_deciding(field(name), due))
            for name in ("filed", "kind")
            for due in [field("decision_due")]
        ),
        Variable(
            "art252a.last_pdpdc_issued",
            _last_pdpdc_issued(),
            reference=ref.UOC_PDPDC_252A,
        ),
        Variable(
            "art252a.qualifying_title_held_until",
            _qualifying_title_held_until(),
            reference=ref.UOC_PDPDC_252A,
        ),
        # Two titles followed on: the window is six months, and a chain of three permits
        # inside it is not seen in practice.
        Variable(
            "art252a.qualifying_title_followed_once",
            _qualifying_title_followed_on(var("art252a.qualifying_title_held_until")),
            reference=ref.UOC_PDPDC_252A,
        ),
        Variable(
            "art252a.qualifying_title_until",
            _qualifying_title_followed_on(var("art252a.qualifying_title_followed_once")),
            reference=ref.UOC_PDPDC_252A,
        ),
        Variable(
            "application.filed_on_presumed_completeness",
            _filed_on_presumed_completeness(),
            reference=ref.UOC_STAMP,
        ),
    ]
    builders = {
        "file_temporary_residence": _file_temporary_residence,
        "residence_card_exchange": _residence_card_exchange,
        "appeal": _appeal,
        "appeal_if_manifestly_unfounded": _appeal_if_manifestly_unfounded,
        "renew_travel_document": _renew_travel_document,
        "apply_for_travel_document": _apply_for_travel_document,
        "authority_decision": _authority_decision,
        "leave_poland": _leave_poland,
    }
    found: list[Variable] = []
    for kind, build in builders.items():
        deadline, citation = build()
        name = f"deadline.{kind}"
        found.append(Variable(name, deadline, reference=DEADLINE_REFERENCES[kind]))
        found.append(
            Variable(
                f"{name}.reference",
                cases(case("due", var(name).is_not_null(), citation), otherwise=lit(None)),
            )
        )
    return helpers + found
