"""Persons the random comparisons seldom reach, each written out: both back-ends must give
them the same answers (every output, and the references the assessment cites), and the answer
the law gives. A mutation audit of the population back-end found each of these to be where a
change to it went unnoticed by the random populations.

Only synthetic persons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from legalstay.engine.errors import EvaluationError
from legalstay.engine.population import PERSON_FACT_TYPES, TABLE_SCHEMAS
from legalstay.engine.rows import EPISODE_TABLES, facts_from_tables
from legalstay.rulebook import load_rulebook
from legalstay.rulebook.inputs import check_population
from tests.core.engine.test_differential import compared

D = dt.date
SCENARIOS = ("pl-baseline", "pl-amnesty-2025")
Row = dict[str, Any]
BORN = D(1990, 3, 14)


def person(person_id: int, born: dt.date | None = BORN, **episodes: list[Row]) -> Row:
    """A Belarusian born in Belarus, with the episodes given (each table by its name)."""
    return {
        "person_id": person_id,
        "family_id": person_id,
        "birth_date": born,
        "citizenships": ["BY"],
        "birth_country": "BY",
        "episodes": episodes,
    }


def tables_of(*people: Row) -> dict[str, pl.DataFrame]:
    schema = {**TABLE_SCHEMAS["persons"], **PERSON_FACT_TYPES}
    rows = [{k: v for k, v in p.items() if k != "episodes"} for p in people]
    tables = {"persons": pl.DataFrame(rows, schema=schema)}
    for name in EPISODE_TABLES:
        episodes = [
            {"person_id": p["person_id"], **row}
            for p in people
            for row in p["episodes"].get(name, ())
        ]
        tables[name] = pl.DataFrame(episodes, schema=TABLE_SCHEMAS[name])
    return tables


def answers(tables: dict[str, pl.DataFrame], as_of: dt.date) -> dict[tuple[Any, str], Any]:
    """Every person's answers (outputs and the references cited) under both scenarios, after
    checking that the two back-ends give each one alike."""
    rulebook = load_rulebook()
    names = compared(rulebook.rules)
    result = rulebook.assess_population(tables, as_of, SCENARIOS, outputs=names).collect()
    people = facts_from_tables(tables)
    found: dict[tuple[Any, str], Any] = {}
    for row in result.iter_rows(named=True):
        for scenario in SCENARIOS:
            one = rulebook.evaluation(people[row["person_id"]], as_of, scenario, record=False)
            for name in names:
                mine, theirs = one.value(name), row[f"{scenario}.{name}"]
                where = (row["person_id"], scenario, name)
                assert (mine, mine is None) == (theirs, theirs is None), where
                found[(row["person_id"], f"{scenario}.{name}")] = mine
    return found


def refugee(since: dt.date) -> Row:
    return {"kind": "refugee_status", "ground": None, "valid_from": since, "valid_to": None}


def refused(kind: str, issued: dt.date, delivered: dt.date) -> Row:
    return {
        "kind": kind,
        "filed": D(2025, 6, 2),
        "formally_complete": True,
        "outcome": "refused",
        "issued": issued,
        "delivered": delivered,
    }


# ---------------------------------------------------------------- family, days, ties


def test_a_child_of_a_permanent_resident_qualifies_though_the_other_parent_is_not_in_the_files():
    """Art. 195: one parent holding permanent residence is enough; a second parent known
    only by id (their titles unknown) leaves nothing undecided."""
    nadia = person(
        1,
        D(2020, 5, 1),
        family=[{"relation": "parent", "other_id": 2}, {"relation": "parent", "other_id": 3}],
    )
    nadia["birth_country"] = "PL"
    olga = person(
        2,
        D(1990, 1, 1),
        titles=[
            {"kind": "temporary_residence", "ground": "work", "valid_from": D(2016, 1, 1),
             "valid_to": D(2020, 12, 31)},
            {"kind": "permanent_residence", "ground": "other", "valid_from": D(2021, 1, 1),
             "valid_to": None},
        ],
        family=[{"relation": "child", "other_id": 1}],
    )  # fmt: skip
    found = answers(tables_of(nadia, olga), D(2026, 3, 1))
    assert found[(1, "pl-baseline.permanent_residence")] is True
    assert found[(1, "pl-baseline.permanent_residence.unknown_mask")] == 0


def test_refugees_assessed_on_the_last_day_of_the_calendar_keep_their_five_years():
    """On 31 Dec 9999 each of two refugees (the second's days packed after the first's) has
    more than five years of protection: permanent residence on that ground (art. 195)."""
    ales, maryna = (
        person(1, titles=[refugee(D(2015, 1, 1))]),
        person(2, titles=[refugee(D(2020, 1, 1))]),
    )
    found = answers(tables_of(ales, maryna), D.max)
    for person_id in (1, 2):
        assert found[(person_id, "pl-baseline.permanent_residence")] is True
        assert found[(person_id, "pl-baseline.eu_long_term_residence")] is None


def test_a_title_recorded_from_the_first_day_of_the_calendar_counts_from_that_day():
    """A refugee status whose start was written as 0001-01-01 (a placeholder some registries
    use) still gives the five years of protection."""
    found = answers(tables_of(person(1, titles=[refugee(D.min)])), D(2026, 3, 1))
    assert found[(1, "pl-baseline.permanent_residence")] is True


def test_two_appeals_due_on_the_same_day_cite_the_same_rule_in_both_back_ends():
    """A refused residence permit and a refused protection application, delivered together:
    one appeal date, and one citation chosen the same way by both back-ends."""
    stepan = person(
        1,
        applications=[
            refused("temporary_residence", D(2026, 2, 20), D(2026, 2, 25)),
            refused("international_protection", D(2026, 2, 20), D(2026, 2, 25)),
        ],
    )
    found = answers(tables_of(stepan), D(2026, 3, 1))
    assert found[(1, "pl-baseline.deadline.appeal")] == D(2026, 3, 11)
    assert str(found[(1, "pl-baseline.deadline.appeal.reference")]).startswith(
        "UOchr (Refugee Board appeal"
    )


def test_a_refugee_travel_document_outlasting_a_pdpdc_before_1970_is_the_one_to_renew():
    """Dates before 1970 are negative days: the later of the two documents, the refugee
    travel document (UOchr art. 89i ust. 3), still sets the renewal."""
    documents = [
        {"kind": "travel_document_for_foreigners", "issuer": "PL", "issued": D(1965, 1, 1),
         "expires": D(1965, 12, 31), "status": "valid"},
        {"kind": "refugee_travel_document", "issuer": "PL", "issued": D(1965, 2, 1),
         "expires": D(1967, 1, 1), "status": "valid"},
    ]  # fmt: skip
    ivan = person(1, D(1930, 1, 1), titles=[refugee(D(1960, 1, 1))], documents=documents)
    found = answers(tables_of(ivan), D(1965, 6, 1))
    assert found[(1, "pl-baseline.deadline.renew_travel_document")] == D(1967, 1, 1)
    assert str(found[(1, "pl-baseline.deadline.renew_travel_document.reference")]).startswith(
        "UOchr art. 89i ust. 3"
    )


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize("relation", ["parent", "child"])
def test_a_parent_born_on_the_childs_birthday_is_refused_with_the_link_written_one_way(relation):
    """Both readers refuse a parent not born before their child; a population whose link is
    recorded from one side only must be refused too, naming the row."""
    twins = (
        person(1, D(2000, 5, 1), family=[{"relation": relation, "other_id": 2}]),
        person(2, D(2000, 5, 1)),
    )
    with pytest.raises(EvaluationError, match="a parent must be born before their child"):
        check_population(tables_of(*twins))
