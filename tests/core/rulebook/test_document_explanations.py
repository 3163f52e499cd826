"""A document's validity derived from the law says which values it rests on are not verified."""

import datetime as dt
from typing import Any

import pytest

from legalstay.dossier import dossier_from_dict
from legalstay.rulebook import load_rulebook


def _card_assessed(title: str, issued: str, as_of: dt.date) -> dict[str, Any]:
    """Nadzeya holds protection (``title``) and a residence card issued on ``issued`` with its
    expiry not recorded."""
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": "nadzeya", "citizenships": ["BY"]},
        "documents": [{"kind": "residence_card", "issuer": "PL", "issued": issued}],
        "titles": [{"kind": title, "valid_from": "2022-08-01", "valid_to": None}],
    }
    return load_rulebook().assess(dossier_from_dict(raw), as_of)


@pytest.mark.parametrize(
    ("title", "parameter", "issued", "until", "confidence"),
    [
        # UOchr art. 89i as verified for its version from 1 Jul 2022 (legal-rules.md §1.4).
        ("refugee_status", "pl.uochr.card.refugee_validity", "2026-06-11", "2029-06-11", "high"),
        # From 12 Jun 2026 Regulation (EU) 2024/1347 art. 24 applies: NOT VERIFIED.
        (
            "refugee_status",
            "pl.uochr.card.refugee_validity",
            "2026-06-12",
            "2029-06-12",
            "not_verified",
        ),
        (
            "subsidiary_protection",
            "pl.uochr.card.subsidiary_validity",
            "2026-06-11",
            "2028-06-11",
            "high",
        ),
        (
            "subsidiary_protection",
            "pl.uochr.card.subsidiary_validity",
            "2026-07-01",
            "2028-07-01",
            "not_verified",
        ),
    ],
)
def test_a_protection_card_issued_under_the_eu_pact_says_its_validity_is_not_verified(
    title: str, parameter: str, issued: str, until: str, confidence: str
) -> None:
    assessment = _card_assessed(title, issued, dt.date(2026, 8, 1))
    assert assessment["identity_document"]["until"] == until
    item = next(i for i in assessment["explanation"] if i["output"] == "identity_document")
    used = next(p for p in item["parameters"] if p["name"] == parameter)
    assert used["confidence"] == confidence
    assert (confidence == "not_verified") is ("2024/1347" in used["reference"])


@pytest.mark.parametrize(("as_of", "not_verified"), [("2021-06-01", True), ("2022-02-01", False)])
def test_a_pdpdc_taken_as_identity_before_2022_says_the_research_does_not_settle_it(
    as_of: str, not_verified: bool
) -> None:
    # Mikhas, a child on humanitarian stay, holds a PDPdC: that it serves as an identity
    # document rests on an MSWiA interpretation reported from Jan 2022 (legal-rules.md §2.1).
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": "mikhas", "citizenships": ["BY"], "birth_date": "2012-04-04"},
        "titles": [{"kind": "humanitarian_stay", "valid_from": "2020-01-01"}],
        "documents": [
            {"kind": "travel_document_for_foreigners", "issuer": "PL", "issued": "2021-03-01"}
        ],
    }
    assessment = load_rulebook().assess(dossier_from_dict(raw), dt.date.fromisoformat(as_of))
    assert assessment["identity_document"]["kind"] == "travel_document_for_foreigners"
    item = next(i for i in assessment["explanation"] if i["output"] == "identity_document")
    used = next(p for p in item["parameters"] if p["name"] == "pl.identity_documents")
    assert ("NOT VERIFIED for the PDPdC" in (used.get("note") or "")) is not_verified
