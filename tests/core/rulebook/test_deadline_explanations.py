"""A deadline's explanation names the values it rests on, and says which are not verified."""

import datetime as dt
from typing import Any

import pytest

from legalstay.dossier import dossier_from_dict
from legalstay.rulebook import load_rulebook


def _decision_deadline_explained(filed: str, as_of: dt.date) -> dict[str, Any]:
    """The explanation of the authority's deadline for a complete temporary-residence
    application filed on the last day of a permit."""
    dossier = dossier_from_dict(
        {
            "format": "legalstay-dossier/1",
            "person": {"id": "andrei", "citizenships": ["BY"]},
            "titles": [
                {
                    "kind": "temporary_residence",
                    "ground": "work",
                    "valid_from": "2019-01-01",
                    "valid_to": filed,
                }
            ],
            "applications": [
                {"kind": "temporary_residence", "filed": filed, "formally_complete": True}
            ],
        }
    )
    assessment = load_rulebook().assess(dossier, as_of)
    return next(
        item
        for item in assessment["explanation"]
        if item["output"] == "deadline.authority_decision"
    )


def _confidence(item: dict[str, Any], parameter: str) -> str:
    return next(p["confidence"] for p in item["parameters"] if p["name"] == parameter)


SUSPENSION_END = "pl.specact.art100d.suspended_until"
SIXTY_DAYS = "pl.uoc.trp.decision_deadline"


@pytest.mark.parametrize(
    ("filed", "as_of", "due", "parameter", "confidence"),
    [
        # Whether art. 100d continues after 4 Mar 2026 is not verified (legal-rules.md §8).
        ("2026-01-15", dt.date(2026, 5, 10), "2026-05-04", SUSPENSION_END, "not_verified"),
        ("2026-01-15", dt.date(2026, 3, 4), "2026-05-04", SUSPENSION_END, "high"),
        # Art. 100c suspended deadlines in 2022 from a date the research does not give.
        ("2022-06-01", dt.date(2022, 9, 15), "2022-08-01", SIXTY_DAYS, "not_verified"),
        # From 2023 art. 100d, with the end in force on the date (24 Aug 2023).
        ("2023-01-02", dt.date(2023, 3, 1), "2023-10-23", SIXTY_DAYS, "high"),
    ],
)
def test_a_decision_deadline_says_which_values_it_rests_on_are_not_verified(
    filed: str, as_of: dt.date, due: str, parameter: str, confidence: str
) -> None:
    item = _decision_deadline_explained(filed, as_of)
    assert item["value"] == due
    assert _confidence(item, parameter) == confidence
    assert (f"not verified: {parameter}" in item["text"]) is (confidence == "not_verified")


def test_a_parameter_the_research_doubts_carries_its_note_into_the_explanation() -> None:
    """Andrei's art. 252a window: the value in force says that a later window is not
    verified, where the caseworker reads the answer."""
    dossier = dossier_from_dict(
        {
            "format": "legalstay-dossier/1",
            "person": {"id": "andrei", "citizenships": ["BY"]},
            "titles": [
                {
                    "kind": "temporary_residence",
                    "ground": "work",
                    "valid_from": "2025-02-01",
                    "valid_to": "2028-01-31",
                }
            ],
        }
    )
    assessment = load_rulebook().assess(dossier, dt.date(2026, 3, 1))
    item = next(
        item
        for item in assessment["explanation"]
        if item["output"] == "eligibility.travel_document_for_foreigners"
    )
    window = next(p for p in item["parameters"] if p["name"] == "pl.uoc.art252a.filing_deadline")
    assert window["value"] == "2026-06-30"
    assert "NOT VERIFIED" in window["note"]
    assert all(
        "note" not in p for p in item["parameters"] if p["name"] == "pl.uoc.art252a.windowed"
    )
