"""A population file may leave out what a dossier defaults: both back-ends read it alike."""

from __future__ import annotations

import datetime as dt

import polars as pl

from legalstay.dossier import dossier_from_dict
from legalstay.rulebook import BASELINE, load_rulebook
from legalstay.rulebook.assessment import build_assessment
from legalstay.rulebook.facts import dossier_facts
from legalstay.synthetic import dossiers_to_population

AS_OF = dt.date(2026, 3, 1)
VOLHA = {
    "person": {"id": "7", "citizenships": ["BY"], "birth_date": "1985-05-05", "sex": "F"},
    "titles": [{"kind": "subsidiary_protection", "valid_from": "2022-03-01"}],
    "documents": [
        {"kind": "travel_document_for_foreigners", "issuer": "PL", "issued": "2025-06-01"}
    ],
}


def _population_answers(tables: dict[str, pl.DataFrame]) -> dict[str, object]:
    rulebook = load_rulebook()
    result = rulebook.assess_population(tables, AS_OF, [BASELINE]).collect()
    return result.row(0, named=True)


def _one_person(dossier_json: dict[str, object]) -> dict[str, object]:
    rulebook = load_rulebook()
    dossier = dossier_from_dict(dossier_json)
    evaluation = rulebook.evaluation(dossier_facts(dossier), AS_OF)
    return build_assessment(rulebook, evaluation, "7", BASELINE)


def test_a_document_without_a_status_is_held_in_a_population_as_in_a_dossier():
    tables = dossiers_to_population([dossier_from_dict(VOLHA)])
    tables["documents"] = tables["documents"].with_columns(pl.lit(None, pl.String).alias("status"))
    answers = _population_answers(tables)
    assert answers[f"{BASELINE}.travel_document.valid"] is True
    assert _one_person(VOLHA)["travel_document"]["valid"] is True


def test_a_person_without_citizenships_reads_as_in_a_dossier_without_them():
    # On a work permit in the art. 252a window, only the citizenship decides the PDPdC: not
    # recorded (and not recorded stateless), it is unknown, in both back-ends.
    no_citizenship = {
        "person": {"id": "7", "citizenships": [], "birth_date": "1985-05-05", "sex": "F"},
        "titles": [
            {
                "kind": "temporary_residence",
                "ground": "work",
                "valid_from": "2025-01-01",
                "valid_to": "2027-12-31",
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
    tables = dossiers_to_population([dossier_from_dict(no_citizenship)])
    tables["persons"] = tables["persons"].with_columns(
        pl.lit(None, pl.List(pl.String)).alias("citizenships")
    )
    answers = _population_answers(tables)
    expected = _one_person(no_citizenship)["eligibility"]["travel_document_for_foreigners"]
    assert expected["eligible"] is None
    assert "designated_citizenship" in expected["unknown"]
    assert answers[f"{BASELINE}.travel_document_for_foreigners"] is None
