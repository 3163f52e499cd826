"""Tables and dossiers say the same thing: conversion both ways loses nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from legalstay.dossier import Application, Decision, Dossier, FamilyLink, Person
from legalstay.synthetic import (
    SCHEMA,
    dossiers_to_population,
    empty_tables,
    generate_population,
    population_to_dossiers,
)


def assert_tables_equal(left: dict[str, pl.DataFrame], right: dict[str, pl.DataFrame]) -> None:
    assert set(left) == set(right) == set(SCHEMA)
    for name in SCHEMA:
        assert_frame_equal(left[name], right[name])


def test_tables_to_dossiers_and_back_are_the_same_tables(population):
    sample = population_ids(population, 3000)
    tables = {
        name: frame.filter(frame["person_id"].is_in(sample)) for name, frame in population.items()
    }
    assert_tables_equal(dossiers_to_population(population_to_dossiers(tables)), tables)


def population_ids(population: dict[str, pl.DataFrame], count: int) -> list[int]:
    return population["persons"]["person_id"].head(count).to_list()


def test_dossiers_to_tables_and_back_are_the_same_dossiers():
    dossiers = list(population_to_dossiers(generate_population(500, 2, as_of=dt.date(2026, 3, 1))))
    assert list(population_to_dossiers(dossiers_to_population(dossiers))) == dossiers


def test_a_subset_of_persons_comes_with_its_own_rows_only(population):
    wanted = [7, 3, 1000]
    dossiers = list(population_to_dossiers(population, wanted))
    assert [d.person.id for d in dossiers] == ["3", "7", "1000"]  # in table order
    back = dossiers_to_population(dossiers)
    for name in SCHEMA:
        expected = population[name].filter(population[name]["person_id"].is_in(wanted))
        assert_frame_equal(back[name], expected)


def test_family_links_are_ids_not_nested_dossiers(population):
    for dossier in population_to_dossiers(population, range(200)):
        assert all(link.dossier is None for link in dossier.family)


def test_a_relative_given_as_a_person_keeps_their_citizenships_on_the_link():
    # Zlata's father Piotr is a Pole known only by who he is: the link carries his citizenship.
    piotr = Dossier(Person("2", citizenships=("PL",)))
    zlata = Dossier(
        Person("1", citizenships=("BY",)), family=(FamilyLink("parent", "2", piotr, bare=True),)
    )
    family = dossiers_to_population([zlata])["family"]
    assert family["other_citizenships"].to_list() == [["PL"]]


def test_an_application_without_outcome_has_no_decision():
    tables = dossiers_to_population([_applicant(decision=None)])
    row = tables["applications"].row(0, named=True)
    assert row["outcome"] is None and row["issued"] is None
    [dossier] = population_to_dossiers(tables)
    assert dossier.applications[0].decision is None


def test_decision_extensions_travel_as_columns():
    decision = Decision(
        "refused", dt.date(2026, 1, 5), dt.date(2026, 1, 9), None, {"appeal_filed": "2026-01-20"}
    )
    applicant = _applicant(
        decision, extra={"completed_on": "2025-10-02", "suspended_at_party_request": False}
    )
    tables = dossiers_to_population([applicant])
    row = tables["applications"].row(0, named=True)
    assert row["appeal_filed"] == dt.date(2026, 1, 20)
    assert row["completed_on"] == dt.date(2025, 10, 2)
    assert row["suspended_at_party_request"] is False
    assert list(population_to_dossiers(tables)) == [applicant]


def _applicant(decision: Decision | None, extra: dict[str, Any] | None = None) -> Dossier:
    application = Application(
        "temporary_residence", dt.date(2025, 10, 1), True, decision, extra or {}
    )
    return Dossier(
        Person("4", ("BY",), dt.date(1990, 1, 1), "BY", "F"), applications=(application,)
    )


def test_the_family_id_is_the_smallest_id_the_family_links_reach():
    people = [
        Dossier(Person("9"), family=(FamilyLink("child", "12"),)),
        Dossier(Person("12"), family=(FamilyLink("parent", "9"), FamilyLink("spouse", "30"))),
        Dossier(Person("30"), family=(FamilyLink("spouse", "12"),)),
        Dossier(Person("5")),
    ]
    families = dossiers_to_population(people)["persons"]["family_id"].to_list()
    assert families == [9, 9, 9, 5]


def test_a_person_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError, match="'ales'"):
        dossiers_to_population([Dossier(Person("ales"))])


def test_no_dossiers_make_empty_tables_with_the_schema():
    assert_tables_equal(dossiers_to_population([]), empty_tables())


def test_recorded_facts_go_to_the_dossier_and_come_back():
    """A Karta Polaka holder in a population file is one in her dossier too."""
    tables = empty_tables()
    persons = pl.DataFrame(
        {"person_id": [30], "family_id": [30], "citizenships": [["BY"]]},
        schema_overrides={"citizenships": pl.List(pl.String)},
    )
    tables["persons"] = pl.concat([tables["persons"], persons], how="diagonal_relaxed")
    tables["persons"] = tables["persons"].with_columns(
        fact_karta_polaka=pl.lit(True),
        fact_married_to_polish_citizen_since=pl.lit(dt.date(2020, 5, 1)),
    )
    (dossier,) = population_to_dossiers(tables)
    assert dossier.person.extra["facts"] == {
        "karta_polaka": True,
        "married_to_polish_citizen_since": "2020-05-01",
    }
    back = dossiers_to_population([dossier])["persons"]
    assert back["fact_karta_polaka"].to_list() == [True]
    assert back["fact_married_to_polish_citizen_since"].to_list() == [dt.date(2020, 5, 1)]
    assert back["fact_polish_origin"].to_list() == [None]


def test_tables_written_before_a_column_was_added_or_without_a_table_still_convert(population):
    """A stays-abroad file from before the optional ``reason`` column, columns in another
    order, and no family table at all: the dossiers say the same, with nothing recorded."""
    wanted = population_ids(population, 200)
    tables = {
        name: frame.filter(frame["person_id"].is_in(wanted)) for name, frame in population.items()
    }
    older = dict(tables)
    older["stays_abroad"] = tables["stays_abroad"].select("returned", "left", "person_id")
    older.pop("family")
    for was, now in zip(population_to_dossiers(tables), population_to_dossiers(older), strict=True):
        assert now.stays_abroad == was.stays_abroad  # the generator records no reason
        assert now.family == ()
