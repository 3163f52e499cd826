"""The population's outputs keep their types on every date: a deadline whose parameter is not
in force (no art. 252a window known) is a Date column of nulls, not a column of type null,
which a reader of the Parquet output could not treat as dates."""

from __future__ import annotations

import datetime as dt

import polars as pl

from legalstay.rulebook import load_rulebook
from legalstay.synthetic import generate_population

SCENARIOS = ("pl-baseline", "pl-amnesty-2025")


def schema_on(day: dt.date) -> pl.Schema:
    tables = generate_population(30, 2, as_of=day)
    return load_rulebook().assess_population(tables, day, SCENARIOS).collect().schema


def test_no_output_is_typed_null_when_no_art_252a_window_is_in_force():
    inside, after, before = (
        schema_on(day) for day in (dt.date(2026, 6, 30), dt.date(2026, 7, 1), dt.date(2013, 1, 1))
    )
    assert after == inside == before
    assert pl.Null() not in set(after.values())
    assert after["pl-baseline.deadline.apply_for_travel_document"] == pl.Date


def test_the_one_person_facts_of_a_population_read_an_empty_ground_as_not_recorded():
    """Both back-ends are fed the same persons: a title's ``ground`` written ``""`` is not
    recorded in the facts built from the tables, as the population reader and a dossier read
    it (a known ground decides "not staying for studies")."""
    from legalstay.engine.rows import facts_from_tables

    day = dt.date(2026, 7, 1)
    tables = generate_population(30, 2, as_of=day)
    tables["titles"] = tables["titles"].with_columns(ground=pl.lit(""))
    facts = facts_from_tables(tables)
    grounds = {row["ground"] for one in facts.values() for row in one.tables["titles"]}
    assert grounds == {None}
    rulebook = load_rulebook()
    result = rulebook.assess_population(tables, day, ["pl-baseline"]).collect()
    for row in result.head(10).iter_rows(named=True):
        one = rulebook.evaluation(facts[row["person_id"]], day, record=False)
        mask = "eu_long_term_residence.unknown_mask"
        assert one.value(mask) == row[f"pl-baseline.{mask}"]
