"""The dossier format: what the registry, the CLI and the engine exchange."""

import pytest

from legalstay.dossier import DossierError, dossier_from_dict, dossier_to_dict

ALES = {
    "person": {"id": "ales", "citizenships": ["BY"], "birth_date": "1988-03-14", "sex": "M"},
    "family": [{"relation": "child", "person": {"id": "maryia", "birth_date": "2024-02-01"}}],
    "documents": [
        {
            "kind": "national_passport",
            "issuer": "BY",
            "number": "MP1234567",
            "issued": "2015-05-05",
            "expires": "2025-05-04",
            "status": "valid",
        },
    ],
    "titles": [
        {
            "kind": "temporary_residence",
            "ground": "186_1_9",
            "valid_from": "2023-01-10",
            "valid_to": "2026-01-09",
        }
    ],
    "applications": [
        {
            "kind": "temporary_residence",
            "filed": "2026-01-09",
            "formally_complete": True,
            "decision": None,
        }
    ],
    "stays_abroad": [{"left": "2024-07-01", "returned": "2024-07-20"}],
    "notes_from_caseworker": {"kept": True},
}


def test_a_round_trip_loses_nothing():
    dossier = dossier_from_dict(ALES)
    assert dossier_from_dict(dossier_to_dict(dossier)) == dossier
    assert dossier_to_dict(dossier)["notes_from_caseworker"] == {"kept": True}


def test_it_names_the_field_of_an_unknown_document_kind():
    bad = {**ALES, "documents": [{"kind": "driving_licence"}]}
    with pytest.raises(DossierError) as error:
        dossier_from_dict(bad)
    assert error.value.field == "documents[0].kind"


def test_it_refuses_an_expiry_before_the_issue_date():
    bad = {
        **ALES,
        "documents": [
            {"kind": "national_passport", "issued": "2020-01-02", "expires": "2020-01-01"}
        ],
    }
    with pytest.raises(DossierError, match=r"documents\[0\]\.expires"):
        dossier_from_dict(bad)


def test_it_refuses_an_unknown_citizenship():
    with pytest.raises(DossierError, match=r"person\.citizenships\[0\]"):
        dossier_from_dict({"person": {"id": "x", "citizenships": ["XQ"]}})


def test_it_accepts_an_alpha3_citizenship_as_alpha2():
    dossier = dossier_from_dict({"person": {"id": "x", "citizenships": ["BLR"]}})
    assert dossier.person.citizenships == ("BY",)


def test_it_names_a_marriage_date_that_is_not_a_date():
    person = {"id": "alena", "facts": {"married_to_polish_citizen_since": "March 2023"}}
    with pytest.raises(DossierError, match=r"person\.facts\.married_to_polish_citizen_since"):
        dossier_from_dict({"person": person})


def test_it_refuses_facts_that_are_not_an_object():
    with pytest.raises(DossierError, match=r"person\.facts: must be a JSON object"):
        dossier_from_dict({"person": {"id": "alena", "facts": ["karta_polaka"]}})


def test_a_dated_fact_survives_the_round_trip():
    person = {"id": "alena", "facts": {"married_to_polish_citizen_since": "2023-03-01"}}
    assert dossier_to_dict(dossier_from_dict({"person": person}))["person"]["facts"] == {
        "married_to_polish_citizen_since": "2023-03-01"
    }


def test_it_refuses_a_marriage_date_for_a_person_recorded_as_not_married():
    facts = {"married_to_polish_citizen": False, "married_to_polish_citizen_since": "2023-03-01"}
    with pytest.raises(DossierError, match=r"married_to_polish_citizen_since: is given, but"):
        dossier_from_dict({"person": {"id": "alena", "facts": facts}})
