"""Legal stay: on which basis a person stays legally on a date, and until when.

The general rule and its exceptions, in order (first hit):

1. A title covers the date (temporary or permanent residence, EU long-term residence, refugee
   status, subsidiary protection, humanitarian or tolerated stay, a national visa).
2. Otherwise, the "stamp" rule (UoC art. 108 ust. 1 pkt 2; art. 206 for permanent residence):
   an application filed in time — on a day the person stayed legally (art. 105 ust. 1: by the
   last day of legal stay), on a title or on the stamp of an earlier application (followed four
   stamps deep) — formally complete, and not suspended at the applicant's request (art. 108
   ust. 2), makes stay legal from filing until the decision is final. Since 27 Apr 2026 the
   stamp is a MOS certificate; the rule is not reported to have changed.
3. Otherwise, a pending application for international protection (UOchr art. 55a).
4. Otherwise the stay is irregular. Before the UoC (1 May 2014) a pending residence
   application gives no stamp here — the research gives the rule from 2014 only — so the
   answer cites that and the flag ``stay_rule_not_researched`` asks for a check by hand
   (the answer keeps the two values of legalstay-assessment/1). So does one filed while the
   stay rested on a pending protection application: whether that stay makes a filing
   timely is not researched.

Everything is judged as of the date: a decision, delivery, appeal or cure recorded after it
does not exist on it.
"""

from __future__ import annotations

from legalstay.engine.expressions import (
    FAR_FUTURE,
    Node,
    any_of_rows,
    as_of,
    case,
    cases,
    coalesce,
    field,
    lit,
    max_of_rows,
    outer,
    param,
    value_at_max,
    var,
)
from legalstay.engine.rules import Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.episodes import (
    complete_on,
    covers,
    decided_after_the_date,
    decision_final_on,
    grants_kind,
    is_protection,
    pending_on,
    title_covered_filing,
    title_end_at_filing,
)

__all__ = [
    "RESIDENCE_APPLICATIONS",
    "STAMP_CHAIN_DEPTH",
    "TITLE_REFERENCES",
    "bears_stamp",
    "filing_row_variables",
    "legal_on",
    "not_examined",
    "stamp_application",
    "variables",
]

RESIDENCE_APPLICATIONS = ("temporary_residence", "permanent_residence", "eu_long_term_residence")

TITLE_REFERENCES = {
    "temporary_residence": ref.UOC_TEMPORARY_RESIDENCE,
    "permanent_residence": ref.UOC_PERMANENT_RESIDENCE,
    "eu_long_term_residence": ref.UOC_LONG_TERM_RESIDENCE,
    "refugee_status": ref.UOCHR_REFUGEE,
    "subsidiary_protection": ref.UOCHR_SUBSIDIARY,
    "humanitarian_stay": ref.UOC_HUMANITARIAN,
    "tolerated_stay": ref.UOC_TOLERATED,
    "visa": ref.UOC_VISA,
}


def _stamp_kind() -> Node:
    """An application of a kind the stamp rule covers (art. 108; art. 206; EU long-term
    residence not verified)."""
    return field("kind").is_in(param("pl.uoc.stamp.application_kinds")) | (
        (field("kind") == "eu_long_term_residence") & param("pl.uoc.stamp.eu_long_term_residence")
    )


def _not_suspended() -> Node:
    return ~field("suspended_at_party_request").is_true()


def a_stay_may_rest_on_it() -> Node:
    """An application a stay may rest on until its decision is final: one for a residence
    permit (the stamp, UoC art. 108) or for international protection (UOchr art. 55a)."""
    return field("kind").is_in(RESIDENCE_APPLICATIONS) | is_protection()


def not_examined() -> Node:
    """A residence application filed on paper or in person once MOS became the only way to
    file (27 Apr 2026): applications arriving otherwise are left unexamined (legal-rules.md,
    addendum; medium confidence), so it gives no stamp and no decision is due on it. A channel
    not recorded, or one the rule does not know, is taken as MOS. Never unknown."""
    not_through_mos = field("kind").is_in(RESIDENCE_APPLICATIONS) & field("channel").is_in(
        ("paper", "in_person")
    )
    return coalesce(not_through_mos & (field("filed") >= param("pl.uoc.mos.only_from")), lit(False))


# Stamps on stamps are followed this deep: an application filed on the stamp of one that was
# filed on the stamp of one … that was filed on a title. A deeper chain is not followed (the
# stay then reads irregular and `pending_application_without_stamp` is flagged).
STAMP_CHAIN_DEPTH = 4


def filing_row_variables() -> list[tuple[str, str, Node]]:
    """Derived columns of applications: whether each was filed in legal stay as the stamp rule
    reads it (UoC art. 105 ust. 1: by the last day of legal stay), on a day a title covered or
    a day an earlier application's stamp covered, followed STAMP_CHAIN_DEPTH stamps deep.

    ``filed_in_legal_stay`` presumes the unrecorded completeness of the stamps it rests on,
    as the stamp itself does; ``filed_in_legal_stay_strict`` does not (the difference is
    flagged as `formal_completeness_unknown`). Each step is true where the filing is found in
    legal stay, false where it cannot be (an application the stamp rule does not cover, or
    suspended at the applicant's request, is looked up no further), unknown where not yet
    found: a step computes only the applications still unknown, a few in a population.
    """
    found = [
        ("applications", "filed_title_end", title_end_at_filing()),
        ("applications", "filed_on_title", title_covered_filing()),
    ]
    first_steps = {
        "filed_in_legal_stay": cases(
            case("on_title", field("filed_on_title"), lit(True)),
            case(
                "no_stamp_to_follow",
                ~_stamp_kind() | ~_not_suspended() | not_examined(),
                lit(False),
            ),
            otherwise=lit(None),
        ),
        # Strictly in legal stay only where it is with completeness presumed.
        "filed_in_legal_stay_strict": cases(
            case("on_title", field("filed_on_title"), lit(True)),
            case("not_even_presumed", ~field("filed_in_legal_stay"), lit(False)),
            otherwise=lit(None),
        ),
    }
    for name, first in first_steps.items():
        strict = name.endswith("_strict")
        previous = f"{name}_step0"
        found.append(("applications", previous, first))
        for depth in range(1, STAMP_CHAIN_DEPTH + 1):
            step = f"{name}_step{depth}"
            found.append(
                ("applications", step, coalesce(field(previous), _on_stamp(previous, strict)))
            )
            previous = step
        found.append(("applications", name, coalesce(field(previous), lit(False))))
    found.extend(_protection_stay_chain())
    return found


def _protection_stay_chain() -> list[tuple[str, str, Node]]:
    """Derived columns of applications: ``filed_on_protection_stay``, whether an application
    not filed in legal stay (as the stamp rule is researched) was filed while the stay rested
    on a pending protection application, or on the stamp of one that was (followed
    STAMP_CHAIN_DEPTH stamps deep): a stamp hangs on whether that stay makes a filing timely,
    which the research does not say. Looked up for those applications only."""
    open_question = (
        _stamp_kind() & ~field("filed_in_legal_stay") & _not_suspended() & ~not_examined()
    )
    first = cases(
        case("not_in_legal_stay", open_question, _on_protection_stay_or_unknown()),
        otherwise=lit(False),
    )
    previous = "filed_on_protection_stay_step0"
    found: list[tuple[str, str, Node]] = [("applications", previous, first)]
    for depth in range(1, STAMP_CHAIN_DEPTH + 1):
        step = f"filed_on_protection_stay_step{depth}"
        found.append(
            ("applications", step, coalesce(field(previous), _on_stamp(previous, strict=False)))
        )
        previous = step
    found.append(
        ("applications", "filed_on_protection_stay", coalesce(field(previous), lit(False)))
    )
    return found


def _on_protection_stay_or_unknown() -> Node:
    """True where filed on a protection stay; unknown otherwise, for the stamp chain to look
    further."""
    return cases(
        case("on_protection_stay", _filed_on_a_protection_stay(), lit(True)), otherwise=lit(None)
    )


def _on_stamp(filed_in_stay: str, strict: bool) -> Node:
    """True where another application, itself filed in legal stay (as the column
    ``filed_in_stay`` knows so far), bore the stamp on this application's filing day: filed by
    then, not final before it, complete (``strict``: recorded complete; else not recorded
    incomplete), not suspended at the applicant's request and examined (one left unexamined
    gives no stamp, `not_examined`). Stay on that stamp was legal
    (art. 108 ust. 1 pkt 2), so this filing was in time. Unknown otherwise: a longer chain
    may still find one."""
    filed = outer("filed")
    complete = complete_on() if strict else coalesce(complete_on(), lit(True))
    earlier_stamp = any_of_rows(
        "applications",
        _stamp_kind()
        & field(filed_in_stay).is_true()
        & complete
        & _not_suspended()
        & ~not_examined()
        & (field("filed") <= filed)
        & (coalesce(decision_final_on(), FAR_FUTURE) >= filed),
    )
    return cases(case("on_a_stamp", earlier_stamp, lit(True)), otherwise=lit(None))


def _filed_on_a_protection_stay() -> Node:
    """An application row filed on a day a protection application of the person was pending
    (filed by then, not final before it): the stay then rested on UOchr art. 55a."""
    filed = outer("filed")
    return any_of_rows(
        "applications",
        is_protection()
        & (field("filed") <= filed)
        & (coalesce(decision_final_on(), FAR_FUTURE) >= filed),
    )


def _stamp_on_a_protection_stay() -> Node:
    """A residence application pending on the date that gave no stamp here only because it was
    filed while the stay rested on a pending protection application, or on the stamp of one
    that was: the research does not say whether that stay makes a filing timely (art. 105
    ust. 1 asks for legal stay; the TZC "entitles the holder to stay", UOchr art. 55a), so
    the "irregular" is not the law's."""
    complete = coalesce(complete_on(), lit(True))
    rows = field("filed_on_protection_stay") & complete & pending_on(as_of())
    return coalesce(any_of_rows("applications", rows), lit(False))


def _stamp_filing() -> Node:
    """Of a kind the rule covers, filed in legal stay, not suspended at the applicant's
    request: all the stamp asks but formal completeness."""
    return _stamp_kind() & field("filed_in_legal_stay") & _not_suspended() & ~not_examined()


def bears_stamp() -> Node:
    """An application row whose filing gave the stamp, so that stay was legal from filing until
    the decision became final (UoC art. 108 ust. 1 pkt 2; art. 206). Formal completeness that
    is not recorded is presumed (the authority has not reported a defect); the assessment flags
    it so a caseworker checks."""
    return _stamp_filing() & coalesce(complete_on(), lit(True))


def stamp_application(*, require_complete: bool = True, day: Node | None = None) -> Node:
    """An application row that makes stay legal on ``day`` (the evaluation date) under the
    stamp rule: it bears the stamp and is pending on that day."""
    on = as_of() if day is None else day
    return (bears_stamp() if require_complete else _stamp_filing()) & pending_on(on)


def legal_on(day: Node) -> Node:
    """Whether some basis of legal stay covers ``day`` (a title, a stamp, a pending protection
    application), as the facts known on the evaluation date show: true or false. An
    application filed after the date, or a title that a decision issued after it may have
    granted, is not known on it."""
    filed_by_date = field("filed") <= as_of()
    return (
        any_of_rows("titles", covers(day) & ~title_granted_after_the_date())
        | any_of_rows("applications", filed_by_date & stamp_application(day=day))
        | any_of_rows("applications", filed_by_date & is_protection() & pending_on(day))
    )


def title_granted_after_the_date() -> Node:
    """A title row that may not have been granted by the date. A title records no grant date,
    so a title recorded is taken as granted by the date unless the person's applications of its
    kind, filed by its first day, say otherwise (a grant of another kind, a protection status
    granted later, says nothing of a permit):

    * one was granted by a decision made after the date (or filed after it): that may be
      what gave it;
    * one was filed after the date and none was granted by it: the title was applied for
      after the date (a title in force on the date began by then, so this reaches only a
      title beginning later)."""
    of_its_kind = grants_kind(field("kind"), outer("kind")) & (
        field("filed") <= outer("valid_from")
    )
    granted = coalesce(field("outcome") == "granted", lit(False))
    filed_later = field("filed") > as_of()
    # The strongest evidence among them: odd numbers say "not granted by the date".
    evidence = cases(
        case("granted_later", granted & (decided_after_the_date() | filed_later), lit(3)),
        case("granted_by_the_date", granted, lit(2)),
        case("applied_for_later", filed_later, lit(1)),
        otherwise=lit(0),
    )
    strongest = max_of_rows("applications", evidence, of_its_kind)
    return coalesce((strongest == 1) | (strongest == 3), lit(False))


def _title_variables() -> list[Variable]:
    today = covers(as_of())
    return [
        Variable("title.covers_today", any_of_rows("titles", today)),
        Variable(
            "title.kind",
            value_at_max("titles", field("kind"), coalesce(field("valid_to"), FAR_FUTURE), today),
        ),
        Variable(
            "title.indefinite_today", any_of_rows("titles", today & field("valid_to").is_null())
        ),
        Variable(
            "title.indefinite_since",
            max_of_rows("titles", field("valid_from"), today & field("valid_to").is_null()),
        ),
        Variable(
            "title.until",
            cases(
                case("indefinite", var("title.indefinite_today"), lit(None)),
                otherwise=max_of_rows("titles", field("valid_to"), today),
            ),
        ),
    ]


def _application_variables() -> list[Variable]:
    return [
        Variable(
            "application.stamp",
            any_of_rows("applications", stamp_application()),
            reference=ref.UOC_STAMP,
        ),
        # Only an EU long-term residence application gives the stamp: art. 108 applied to it is
        # not verified, and the answer cites that.
        Variable(
            "application.stamp_only_long_term",
            any_of_rows(
                "applications",
                stamp_application() & (field("kind") == "eu_long_term_residence"),
            )
            & ~any_of_rows(
                "applications",
                stamp_application() & (field("kind") != "eu_long_term_residence"),
            ),
        ),
        Variable(
            "application.stamp_completeness_unknown",
            # Its own completeness unknown, or the stamp it was filed on rests on an unknown one.
            any_of_rows(
                "applications",
                stamp_application(require_complete=False) & complete_on().is_null(),
            )
            | any_of_rows(
                "applications", stamp_application() & ~field("filed_in_legal_stay_strict")
            ),
        ),
        Variable(
            "application.stamp_rule_unknown",
            # Before 1 May 2014 the research gives no stamp rule (it dates from the UoC).
            param("pl.uoc.stamp.application_kinds").is_null()
            & any_of_rows(
                "applications",
                field("kind").is_in(RESIDENCE_APPLICATIONS) & pending_on(as_of()),
            ),
            reference=ref.STAMP_NOT_RESEARCHED,
        ),
        Variable(
            "application.finality_unknown",
            # Delivered, not appealed, not recorded final, and the appeal period's end not
            # known (episodes.pending_on): neither pending nor final, so the stay is unknown.
            any_of_rows(
                "applications",
                a_stay_may_rest_on_it() & pending_on(as_of()).is_null(),
            ),
            reference=ref.FINALITY_NOT_RESEARCHED,
        ),
        Variable(
            "application.stamp_on_protection_stay_unknown",
            _stamp_on_a_protection_stay(),
            reference=ref.STAMP_ON_PROTECTION_STAY_NOT_RESEARCHED,
        ),
        Variable(
            "application.protection_pending",
            any_of_rows(
                "applications",
                is_protection() & pending_on(as_of()),
            ),
            reference=ref.UOCHR_PENDING,
        ),
    ]


def _legal_stay_variables() -> list[Variable]:
    basis = cases(
        case("title", var("title.covers_today"), var("title.kind")),
        case(
            "stamp", var("application.stamp"), lit("pending_application"), reference=ref.UOC_STAMP
        ),
        case(
            "protection_pending",
            var("application.protection_pending"),
            lit("pending_protection_application"),
            reference=ref.UOCHR_PENDING,
        ),
        otherwise=lit("none"),
        label="no_basis",
        reference=ref.NO_BASIS,
    )
    reference = cases(
        *(
            case(kind, var("legal_stay.basis") == kind, lit(citation))
            for kind, citation in TITLE_REFERENCES.items()
        ),
        case(
            "stamp_long_term",
            (var("legal_stay.basis") == "pending_application")
            & var("application.stamp_only_long_term"),
            lit(ref.UOC_STAMP_LTR),
        ),
        case(
            "stamp_since_mos",
            (var("legal_stay.basis") == "pending_application")
            & coalesce(as_of() >= param("pl.uoc.mos.only_from"), lit(False)),
            lit(ref.UOC_STAMP_MOS),
        ),
        case("stamp", var("legal_stay.basis") == "pending_application", lit(ref.UOC_STAMP)),
        case(
            "stamp_not_researched",
            (var("legal_stay.basis") == "none") & var("application.stamp_rule_unknown"),
            lit(ref.STAMP_NOT_RESEARCHED),
        ),
        case(
            "finality_not_researched",
            (var("legal_stay.basis") == "none") & var("application.finality_unknown"),
            lit(ref.FINALITY_NOT_RESEARCHED),
        ),
        case(
            "stamp_on_protection_stay_not_researched",
            (var("legal_stay.basis") == "none")
            & var("application.stamp_on_protection_stay_unknown"),
            lit(ref.STAMP_ON_PROTECTION_STAY_NOT_RESEARCHED),
        ),
        case(
            "protection_not_researched",
            var("legal_stay.protection_rule_not_researched"),
            lit(ref.UOCHR_PENDING_NOT_RESEARCHED),
        ),
        case(
            "protection",
            var("legal_stay.basis") == "pending_protection_application",
            lit(ref.UOCHR_PENDING),
        ),
        # No rule of the research gives a child born here a stay, nor takes it away: the flag
        # sends the caseworker to check by hand, and the citation says why ("no basis" did).
        case(
            "child_born_here_not_researched",
            var("flag.child_born_here_stay_not_researched"),
            lit(ref.CHILD_BORN_HERE_STAY),
        ),
        otherwise=lit(ref.NO_BASIS),
    )
    return [
        Variable("legal_stay.basis", basis, "Basis of legal stay"),
        Variable(
            "legal_stay.status",
            cases(
                case("none", var("legal_stay.basis") == "none", lit("irregular")),
                otherwise=lit("legal"),
            ),
            "Legal stay",
        ),
        Variable(
            "legal_stay.until",
            cases(
                case("title", var("title.covers_today"), var("title.until")),
                otherwise=lit(None),
            ),
            "Legal stay until",
        ),
        Variable("legal_stay.reference", reference),
        Variable(
            "legal_stay.protection_rule_not_researched",
            # UOchr art. 55a is researched from 1 Jul 2022: on an earlier date the stay on a
            # pending protection application is applied as then, but cited as not researched.
            (var("legal_stay.basis") == "pending_protection_application")
            & param("pl.uochr.applicant_stays_until_final").is_null(),
            reference=ref.UOCHR_PENDING_NOT_RESEARCHED,
        ),
    ]


def variables() -> list[Variable]:
    return [*_title_variables(), *_application_variables(), *_legal_stay_variables()]
