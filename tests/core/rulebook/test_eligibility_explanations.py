"""An eligibility's explanation cites the provision of what decided it."""

import datetime as dt

from legalstay.dossier import dossier_from_dict
from legalstay.rulebook import load_rulebook
from legalstay.rulebook import references as ref

# Andrei, a Belarusian on a work permit whose passport expired: art. 252a's case.
ANDREI = {
    "format": "legalstay-dossier/1",
    "person": {"id": "andrei", "citizenships": ["BY"], "birth_date": "1983-11-11"},
    "titles": [
        {
            "kind": "temporary_residence",
            "ground": "work",
            "valid_from": "2025-02-01",
            "valid_to": "2028-01-31",
        }
    ],
    "documents": [
        {
            "kind": "national_passport",
            "issuer": "BY",
            "issued": "2014-01-01",
            "expires": "2024-01-01",
        }
    ],
}


def _explained(dossier: dict, as_of: dt.date, name: str, scenario: str = "pl-baseline") -> dict:
    assessment = load_rulebook().assess(dossier_from_dict(dossier), as_of, scenario)
    return next(i for i in assessment["explanation"] if i["output"] == f"eligibility.{name}")


def test_a_travel_document_given_by_art_252a_cites_art_252a_not_the_general_route():
    item = _explained(ANDREI, dt.date(2026, 3, 1), "travel_document_for_foreigners")
    assert (item["value"], item["decided_by"]) == (True, "designated_citizenship")
    assert item["reference"] == ref.UOC_PDPDC_252A


def test_an_open_answer_is_decided_by_the_unknown_condition_of_the_route_still_open():
    """After the last known window, the general route is closed (a work permit does not
    qualify): what leaves the answer open is the art. 252a window."""
    item = _explained(ANDREI, dt.date(2026, 7, 1), "travel_document_for_foreigners")
    assert item["value"] is None
    assert item["decided_by"] == "designated_citizenship.within_application_window"
    assert item["reference"] == ref.UOC_PDPDC_252A


def test_a_no_is_decided_by_a_condition_not_met():
    item = _explained(ANDREI, dt.date(2026, 3, 1), "eu_long_term_residence")
    assert item["value"] is False
    assert item["decided_by"] == "five_years_legal_stay.five_years_counted"


def test_a_document_only_the_reform_gives_cites_the_proposal_not_the_statute():
    child = {
        "format": "legalstay-dossier/1",
        "person": {
            "id": "mila",
            "citizenships": ["BY"],
            "birth_date": "2024-05-01",
            "birth_country": "PL",
        },
        "family": [
            {
                "relation": "parent",
                "person": {
                    "person": {"id": "olga", "citizenships": ["BY"], "birth_date": "1990-01-01"},
                    "titles": [
                        {
                            "kind": "temporary_residence",
                            "ground": "work",
                            "valid_from": "2023-01-01",
                            "valid_to": "2027-12-31",
                        }
                    ],
                },
            }
        ],
    }
    item = _explained(
        child, dt.date(2026, 3, 1), "identity_document_for_foreigners", "pl-amnesty-2025"
    )
    assert (item["value"], item["decided_by"]) == (True, "child_born_in_poland")
    assert item["reference"] == ref.AMNESTY_CHILDREN
