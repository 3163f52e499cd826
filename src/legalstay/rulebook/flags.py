"""Flags: conditions a caseworker must see, each true or false for a person on a date."""

from __future__ import annotations

from legalstay.dossier import TITLE_KINDS
from legalstay.engine.expressions import (
    Node,
    any_of_rows,
    as_of,
    field,
    lit,
    outer,
    param,
    var,
)
from legalstay.engine.rules import Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.episodes import decision_final_on

__all__ = ["FLAGS", "variables"]


def _flag_expressions() -> dict[str, tuple[Node, str | None]]:
    return {
        "irregular_stay": (var("legal_stay.status") == "irregular", ref.NO_BASIS),
        "passport_expired": (
            var("national_passport.expired") & ~var("national_passport.valid"),
            None,
        ),
        "passport_cannot_be_renewed_abroad": (
            var("person.belarusian")
            & param("by.decree278.no_passport_renewal_abroad").is_true()
            & ~var("national_passport.valid"),
            ref.DECREE_278,
        ),
        "no_valid_travel_document": (~var("travel_document.valid"), ref.UOC_TRAVEL_DOCUMENTS),
        "child_without_identity_document": (
            var("person.minor").is_true() & ~var("identity_document.valid"),
            ref.UOC_IDENTITY_DOCUMENTS,
        ),
        "continuity_broken": (~var("continuity.ok"), ref.UOC_CONTINUITY),
        "authority_late": (
            (var("deadline.authority_decision") < as_of())
            & ~var("application.protection_extendable"),
            ref.UOC_TRP_DECISION,
        ),
        "formal_completeness_unknown": (
            (var("legal_stay.basis") == "pending_application")
            & var("application.stamp_completeness_unknown"),
            ref.UOC_STAMP,
        ),
        "decision_finality_inferred": (
            any_of_rows(
                "applications",
                field("final").is_null()
                & field("delivered").is_not_null()
                & field("appeal_filed").is_null()
                & (decision_final_on() <= as_of()),
            ),
            ref.KPA_APPEAL,
        ),
        "new_belarus_passport_not_recognised": (
            var("holds_new_belarus_passport")
            & ~lit("new_belarus_passport").is_in(param("pl.recognised_travel_documents")),
            ref.UOC_TRAVEL_DOCUMENTS,
        ),
        "currently_abroad": (
            any_of_rows(
                "stays_abroad",
                (field("left") <= as_of())
                & (field("returned").is_null() | (field("returned") > as_of())),
            ),
            None,
        ),
        "right_to_work_on_request": (
            var("right_to_work.status") == "on_request",
            ref.UOCHR_WORK_CERTIFICATE,
        ),
        "granted_title_not_recorded": (_granted_without_title(), None),
        # Asylum is read by the permanent-residence route only; what it means for the stay is
        # not in the research, so a stay shown as irregular for a person granted asylum must be
        # checked by hand rather than believed.
        "asylum_stay_not_modelled": (
            (var("legal_stay.status") == "irregular") & field("fact_granted_asylum").is_true(),
            None,
        ),
    }


def _granted_without_title() -> Node:
    """A final decision granted a title that the registry does not hold: the status is worked
    out without it (and may show irregular stay), so the caseworker must record the title."""
    recorded = any_of_rows(
        "titles", (field("kind") == outer("kind")) & (field("valid_from") >= outer("filed"))
    )
    granted = field("kind").is_in(TITLE_KINDS) & (field("outcome") == "granted")
    return any_of_rows("applications", granted & (decision_final_on() <= as_of()) & ~recorded)


FLAGS = tuple(_flag_expressions())


def variables() -> list[Variable]:
    return [
        Variable(f"flag.{name}", expr.is_true(), reference=citation)
        for name, (expr, citation) in _flag_expressions().items()
    ]
