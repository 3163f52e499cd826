"""Documents: which valid document a person holds to travel and to prove identity.

UoC art. 253: a PDPdC allows multiple border crossings while valid, but gives no legal stay.
A PDTC confirms identity in Poland only (UoC arts. 226, 263). The "new Belarusian passport" is
recognised by no state found (legal-rules.md §4), so it is neither.
"""

from __future__ import annotations

from legalstay.engine.expressions import (
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
from legalstay.rulebook.episodes import (
    document_expires,
    document_held,
    document_status,
    document_valid_on,
    expired_undated,
    issued_by,
)

__all__ = ["variables"]


def _held(kinds_parameter: str) -> Node:
    return document_valid_on(as_of()) & field("kind").is_in(param(kinds_parameter))


def any_document(held: Node) -> Node:
    """Whether the person holds such a document: yes if one is valid on the date; unknown if
    none is but one may be (recorded without an expiry, and none can be derived from the law
    in force when it was issued); no otherwise. An unknown is never taken for "no document":
    that would open routes (a PDPdC) and raise flags the facts do not support."""
    return cases(
        case("valid", any_of_rows("documents", held), lit(True)),
        case("validity_unknown", any_of_rows("documents", held.is_null()), lit(None)),
        otherwise=lit(False),
    )


def _document_variables(output: str, kinds_parameter: str, reference: str) -> list[Variable]:
    held = _held(kinds_parameter)
    return [
        Variable(f"{output}.valid", any_document(held), reference=reference),
        Variable(
            f"{output}.kind",
            value_at_max("documents", field("kind"), document_expires(), held),
            reference=reference,
        ),
        Variable(
            f"{output}.until",
            max_of_rows("documents", document_expires(), held),
            reference=reference,
        ),
    ]


def variables() -> list[Variable]:
    national_passport = field("kind") == "national_passport"
    # A passport issued after the date did not exist on it: with no other, none is recorded.
    passport_by_then = national_passport & issued_by()
    # Art. 252 asks about the passport the person holds now: one replaced by a passport issued
    # later (by the date) is not it, nor one that expired before another was issued. One
    # recorded without its issue day that cannot be so placed is taken as current.
    latest = var("national_passport.latest_issued")
    replaced = coalesce(field("issued") < latest, lit(False)) | coalesce(
        document_expires() < latest, lit(False)
    )
    current = passport_by_then & ~replaced
    lost_or_expired = current & (
        document_status().is_in(("lost", "stolen"))
        | (document_expires() < as_of())
        | expired_undated()
    )
    return [
        *_document_variables(
            "travel_document", "pl.recognised_travel_documents", ref.UOC_TRAVEL_DOCUMENTS
        ),
        *_document_variables(
            "identity_document", "pl.identity_documents", ref.UOC_IDENTITY_DOCUMENTS
        ),
        # The Amnesty children's route gives a PDTC to a child with no other identity
        # document: one holding a PDTC may get the next before it lapses.
        Variable(
            "identity_document.valid_other_than_pdtc",
            any_document(
                _held("pl.identity_documents")
                & (field("kind") != "identity_document_for_foreigners")
            ),
            reference=ref.UOC_IDENTITY_DOCUMENTS,
        ),
        Variable(
            "national_passport.latest_issued",
            max_of_rows("documents", field("issued"), passport_by_then),
        ),
        Variable(
            "national_passport.valid",
            any_document(national_passport & document_valid_on(as_of())),
        ),
        # UoC art. 252: the passport was lost, destroyed or has expired. With none recorded the
        # dossier cannot tell "never had one" (art. 252a only) from "not recorded".
        Variable(
            "national_passport.lost_or_expired",
            cases(
                case("lost_or_expired", any_of_rows("documents", lost_or_expired), lit(True)),
                case(
                    "expiry_unknown", any_of_rows("documents", lost_or_expired.is_null()), lit(None)
                ),
                case("none_recorded", ~any_of_rows("documents", passport_by_then), lit(None)),
                # Withdrawn or surrendered: no longer valid, but whether that is "lost, destroyed
                # or expired" in the sense of art. 252 is not in the research.
                case(
                    "withdrawn_or_surrendered",
                    any_of_rows(
                        "documents",
                        current & document_status().is_in(("withdrawn", "surrendered")),
                    ),
                    lit(None),
                ),
                otherwise=lit(False),
            ),
            reference=ref.UOC_PDPDC_GENERAL,
        ),
        Variable(
            "national_passport.expired",
            # Issued by the date: a passport recorded expired with no expiry did not lapse
            # before it existed.
            any_of_rows(
                "documents",
                current & document_held() & ((document_expires() < as_of()) | expired_undated()),
            ),
        ),
        Variable(
            "holds_new_belarus_passport",
            # Held on the date: issued by then (or its issue not recorded), and not recorded
            # lost, stolen, withdrawn or surrendered.
            any_of_rows(
                "documents",
                (field("kind") == "new_belarus_passport") & issued_by() & document_held(),
            ),
        ),
    ]
