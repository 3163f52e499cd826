"""Legal stay: on which basis a person stays legally on a date, and until when.

The general rule and its exceptions, in order (first hit):

1. A title covers the date (temporary or permanent residence, EU long-term residence, refugee
   status, subsidiary protection, humanitarian or tolerated stay, a national visa).
2. Otherwise, the "stamp" rule (UoC art. 108 ust. 1 pkt 2; art. 206 for permanent residence):
   an application filed on a day the person stayed legally on a title, formally complete, and
   not suspended at the applicant's request (art. 108 ust. 2), makes stay legal from filing
   until the decision is final. Since 27 Apr 2026 the stamp is a MOS certificate; the rule is
   not reported to have changed.
3. Otherwise, a pending application for international protection (UOchr art. 55a).
4. Otherwise the stay is irregular.
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
    param,
    value_at_max,
    var,
)
from legalstay.engine.rules import Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.episodes import covers, pending_on, title_covered_filing

__all__ = ["TITLE_REFERENCES", "stamp_application", "variables"]

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


def stamp_application(*, require_complete: bool = True) -> Node:
    """An application row that makes stay legal on the evaluation date under the stamp rule.

    Formal completeness that is not recorded is presumed (the authority has not reported a
    defect); the assessment flags it so a caseworker checks.
    """
    kind_covered = field("kind").is_in(param("pl.uoc.stamp.application_kinds")) | (
        (field("kind") == "eu_long_term_residence") & param("pl.uoc.stamp.eu_long_term_residence")
    )
    complete = coalesce(field("formally_complete"), lit(True))
    not_suspended = ~field("suspended_at_party_request").is_true()
    row = kind_covered & pending_on(as_of()) & title_covered_filing() & not_suspended
    return row & complete if require_complete else row


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
        Variable(
            "application.stamp_completeness_unknown",
            any_of_rows(
                "applications",
                stamp_application(require_complete=False) & field("formally_complete").is_null(),
            ),
        ),
        Variable(
            "application.protection_pending",
            any_of_rows(
                "applications",
                (field("kind") == "international_protection") & pending_on(as_of()),
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
        case("stamp", var("legal_stay.basis") == "pending_application", lit(ref.UOC_STAMP)),
        case(
            "protection",
            var("legal_stay.basis") == "pending_protection_application",
            lit(ref.UOCHR_PENDING),
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
    ]


def variables() -> list[Variable]:
    return [*_title_variables(), *_application_variables(), *_legal_stay_variables()]
