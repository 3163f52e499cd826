"""A deadline's explanation names the values it rests on, and says which are not verified."""

import datetime as dt
from typing import Any

import pytest

from legalstay.dossier import dossier_from_dict
from legalstay.rulebook import load_rulebook


def _assessed(as_of: dt.date, person: str, **tables: list) -> dict[str, Any]:
    """The assessment of a Belarusian with these episodes."""
    raw = {"format": "legalstay-dossier/1", "person": {"id": person, "citizenships": ["BY"]}}
    return load_rulebook().assess(dossier_from_dict(raw | tables), as_of)


def _explained(output: str, as_of: dt.date, person: str, **tables: list) -> dict[str, Any]:
    """The explanation item of ``output`` for a Belarusian with these episodes."""
    assessment = _assessed(as_of, person, **tables)
    return next(item for item in assessment["explanation"] if item["output"] == output)


def _work_permit(valid_from: str, valid_to: str) -> dict[str, str]:
    return {
        "kind": "temporary_residence",
        "ground": "work",
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


def _decision_deadline_explained(filed: str, as_of: dt.date) -> dict[str, Any]:
    """The explanation of the authority's deadline for a complete temporary-residence
    application Andrei filed on the last day of his permit."""
    application = {"kind": "temporary_residence", "filed": filed, "formally_complete": True}
    return _explained(
        "deadline.authority_decision",
        as_of,
        "andrei",
        titles=[_work_permit("2019-01-01", filed)],
        applications=[application],
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
        # The end of 4 Mar 2026 is reported; the day its act came into force is not (medium).
        ("2026-01-15", dt.date(2026, 3, 4), "2026-05-04", SUSPENSION_END, "medium"),
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
    item = _explained(
        "eligibility.travel_document_for_foreigners",
        dt.date(2026, 3, 1),
        "andrei",
        titles=[_work_permit("2025-02-01", "2028-01-31")],
    )
    window = next(p for p in item["parameters"] if p["name"] == "pl.uoc.art252a.filing_deadline")
    assert window["value"] == "2026-06-30"
    assert "NOT VERIFIED" in window["note"]
    assert all(
        "note" not in p for p in item["parameters"] if p["name"] == "pl.uoc.art252a.windowed"
    )


def _appeal_explained(delivered: str, as_of: dt.date) -> dict[str, Any]:
    """Siarhei's protection refusal, delivered on ``delivered``: the appeal's explanation."""
    decision = {"outcome": "refused", "issued": delivered, "delivered": delivered}
    application = {"kind": "international_protection", "filed": "2024-06-01", "decision": decision}
    return _explained("deadline.appeal", as_of, "siarhei", applications=[application])


def test_an_appeal_moved_past_christmas_eve_says_that_day_off_is_not_verified() -> None:
    item = _appeal_explained("2025-12-10", dt.date(2025, 12, 12))
    assert item["value"] == "2025-12-29"
    assert "it rests on 2025-12-24 being a day off" in item["text"]
    assert "were it a working day, the deadline would be 2025-12-24" in item["text"]


def test_a_stay_resting_on_christmas_eve_as_a_day_off_says_so_and_what_it_would_be():
    """Ales's refusal, delivered on 10 Dec 2026 and not appealed: the 14 days end on 24 Dec,
    move to Monday 28 Dec, and the stamp lasts until the decision is final. On 27 Dec his stay
    is legal only because 24 Dec is a day off (not verified in the research)."""
    item = _stay_on_a_refused_application(
        dt.date(2026, 12, 27), ("2023-07-01", "2026-06-30"), "2026-06-30", "2026-12-08"
    )
    assert item["value"] == "pending_application"
    assert "it rests on 2026-12-24 being a day off" in item["text"]
    assert item["text"].endswith("were it a working day, the stay would be irregular.")


def test_an_appeal_ending_on_christmas_day_does_not_hang_on_christmas_eve() -> None:
    """Delivered on Friday 12 Dec 2025, the 14 days end on 26 Dec, a holiday either way: they
    move to Monday 29 Dec whether or not 24 Dec is a day off, so it is not mentioned."""
    item = _appeal_explained("2025-12-12", dt.date(2025, 12, 15))
    assert item["value"] == "2025-12-29"
    assert "rests on 2025-12-24" not in item["text"]


def test_an_appeal_that_no_unverified_day_off_moved_says_nothing_of_it() -> None:
    item = _appeal_explained("2025-12-02", dt.date(2025, 12, 3))
    assert item["value"] == "2025-12-16"
    assert "rests on 2025-12-24" not in item["text"]


def test_a_renewal_under_the_reform_names_the_proposed_validity_its_date_rests_on() -> None:
    """Daria's PDPdC, issued on the reform's first day without a recorded expiry: the renewal
    date comes from the proposed three years, which the deadline's explanation must name (the
    travel document's own explanation read the derived expiry first)."""
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": "daria", "citizenships": ["BY"]},
        "titles": [{"kind": "subsidiary_protection", "valid_from": "2022-03-01"}],
        "documents": [
            {"kind": "travel_document_for_foreigners", "issuer": "PL", "issued": "2026-01-01"}
        ],
    }
    assessment = load_rulebook().assess(
        dossier_from_dict(raw), dt.date(2027, 6, 1), scenario="pl-amnesty-2025"
    )
    item = next(
        i for i in assessment["explanation"] if i["output"] == "deadline.renew_travel_document"
    )
    assert item["value"] == "2029-01-01"
    assert _confidence(item, "pl.uoc.pdpdc.validity") == "not_verified"
    assert "a reform's proposal (not law): " in item["text"]
    assert "pl.uoc.pdpdc.validity." in item["text"]
    assert "not verified: pl.uoc.pdpdc.validity" not in item["text"]


def test_the_earliest_decision_deadline_cites_only_the_values_of_its_own_application() -> None:
    """Olga waits on two decisions: a temporary permit filed in 2025 (due 4 May 2026, after
    the art. 100d suspension) and permanent residence filed in Sep 2026. The deadline shown is
    the permit's: its explanation names the 60 days, not the six months of the other case."""
    applications = [
        {"kind": "temporary_residence", "filed": "2025-06-01", "formally_complete": True},
        {"kind": "permanent_residence", "filed": "2026-09-01", "formally_complete": True},
    ]
    item = _explained(
        "deadline.authority_decision",
        dt.date(2026, 11, 26),
        "olga",
        titles=[_work_permit("2023-01-01", "2025-12-31")],
        applications=applications,
    )
    named = {p["name"] for p in item["parameters"]}
    assert item["value"] == "2026-05-04"
    assert SIXTY_DAYS in named
    assert "pl.uoc.pr.decision_deadline" not in named


def test_the_day_a_stay_ends_resting_on_christmas_eve_as_a_day_off_says_so():
    """Ales's refusal of 8 Dec 2025, delivered on 10 Dec: on 15 Dec his stay on the stamp is
    legal either way, but it ends on 31 Dec only because the 14 days, ending on 24 Dec, move to
    29 Dec; were 24 Dec a working day it would end on 26 Dec."""
    item = _stay_on_a_refused_application(
        dt.date(2025, 12, 15), ("2023-01-01", "2025-11-30"), "2025-11-20", "2025-12-08"
    )
    assert item["changes_on"] == "2025-12-31"
    assert "it rests on 2025-12-24 being a day off" in item["text"]
    assert item["text"].endswith("were it a working day, the answer would change on 2025-12-26.")


def _stay_on_a_refused_application(
    as_of: dt.date, permit: tuple[str, str], filed: str, issued: str
) -> dict[str, Any]:
    """Ales on a work permit, then on the stamp of an application refused on ``issued`` and
    delivered two days later: the legal stay's explanation."""
    delivered = (dt.date.fromisoformat(issued) + dt.timedelta(days=2)).isoformat()
    decision = {"outcome": "refused", "issued": issued, "delivered": delivered}
    application = {
        "kind": "temporary_residence",
        "filed": filed,
        "formally_complete": True,
        "decision": decision,
    }
    return _explained(
        "legal_stay", as_of, "ales", titles=[_work_permit(*permit)], applications=[application]
    )


def test_an_eligibility_closed_on_every_route_says_what_closes_each():
    """Andrei holds a valid passport and a work permit: neither PDPdC route is open, and the
    text says, route by route, the first condition that closes it."""
    item = _explained(
        "eligibility.travel_document_for_foreigners",
        dt.date(2026, 3, 1),
        "andrei",
        titles=[_work_permit("2025-02-01", "2028-01-31")],
        documents=[
            {
                "kind": "national_passport",
                "issuer": "BY",
                "issued": "2020-01-01",
                "expires": "2030-01-01",
            }
        ],
    )
    assert item["value"] is False
    assert "route general, no_valid_national_passport not met" in item["text"]
    assert "route designated_citizenship, no_valid_national_passport_252a not met" in item["text"]


def test_a_protection_decision_final_by_lapse_cites_the_refugee_boards_appeal():
    """Siarhei's protection refusal, delivered on 13 Dec 2024 and not appealed: on 29 Dec it
    is final by the lapse of the Refugee Board appeal's 14 days, which the flag cites."""
    assessment = _assessed(
        dt.date(2024, 12, 29),
        "siarhei",
        applications=[
            {
                "kind": "international_protection",
                "filed": "2024-06-01",
                "decision": {
                    "outcome": "refused",
                    "issued": "2024-12-11",
                    "delivered": "2024-12-13",
                },
            }
        ],
    )
    assert "decision_finality_inferred" in assessment["flags"]
    item = next(
        i for i in assessment["explanation"] if i["output"] == "flag.decision_finality_inferred"
    )
    assert item["reference"].startswith("UOchr (Refugee Board appeal")


def test_a_flag_resting_on_a_reforms_value_says_so():
    """Daniil lost the PDPdC issued on 1 Feb 2026: under the reform it would still be valid in
    June 2027 (three years), so he is to ask for a new one; the flag names the proposal."""
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": "daniil", "citizenships": ["BY"], "birth_date": "1985-01-01"},
        "titles": [{"kind": "subsidiary_protection", "valid_from": "2024-01-01"}],
        "documents": [
            {
                "kind": "travel_document_for_foreigners",
                "issuer": "PL",
                "issued": "2026-02-01",
                "status": "lost",
            }
        ],
    }
    assessment = load_rulebook().assess(
        dossier_from_dict(raw), dt.date(2027, 6, 1), "pl-amnesty-2025"
    )
    item = next(
        i for i in assessment["explanation"] if i["output"] == "flag.lost_document_to_replace"
    )
    assert [p["name"] for p in item["parameters"]] == [
        "pl.uoc.pdpdc.reissued_with_scenario_validity",
        "pl.uoc.pdpdc.validity",
    ]
    assert item["text"].endswith(
        "among the values it reads, a reform's proposal (not law): "
        "pl.uoc.pdpdc.reissued_with_scenario_validity, pl.uoc.pdpdc.validity."
    )
    baseline = load_rulebook().assess(dossier_from_dict(raw), dt.date(2027, 6, 1))
    assert "lost_document_to_replace" not in baseline["flags"]
