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
    field,
    max_of_rows,
    param,
    value_at_max,
)
from legalstay.engine.rules import Variable
from legalstay.rulebook import references as ref
from legalstay.rulebook.episodes import document_expires, document_valid_on

__all__ = ["variables"]


def _held(kinds_parameter: str) -> Node:
    return document_valid_on(as_of()) & field("kind").is_in(param(kinds_parameter))


def _document_variables(output: str, kinds_parameter: str, reference: str) -> list[Variable]:
    held = _held(kinds_parameter)
    return [
        Variable(f"{output}.valid", any_of_rows("documents", held), reference=reference),
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
    return [
        *_document_variables(
            "travel_document", "pl.recognised_travel_documents", ref.UOC_TRAVEL_DOCUMENTS
        ),
        *_document_variables(
            "identity_document", "pl.identity_documents", ref.UOC_IDENTITY_DOCUMENTS
        ),
        Variable(
            "national_passport.valid",
            any_of_rows("documents", national_passport & document_valid_on(as_of())),
        ),
        Variable(
            "national_passport.expired",
            any_of_rows(
                "documents",
                national_passport & (field("status") == "valid") & (document_expires() < as_of()),
            ),
        ),
        Variable(
            "holds_new_belarus_passport",
            any_of_rows("documents", field("kind") == "new_belarus_passport"),
        ),
    ]
