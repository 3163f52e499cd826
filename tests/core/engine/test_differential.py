"""The two back-ends must agree: the population plan and the one-person interpreter give the
same answer for every output, every person, every scenario — on random persons crowded around
the evaluation date, and on the rulebook's boundary persons."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legalstay.engine import expressions as ex
from legalstay.engine.interpreter import Evaluation, Facts
from legalstay.engine.parameters import parse_parameters
from legalstay.engine.periods import add_days, default_calendar
from legalstay.engine.population import PERSON_FACTS, evaluate_population
from legalstay.engine.rows import EPISODE_TABLES, facts_from_tables, tables_from_facts
from legalstay.engine.rules import RuleSet, Variable
from legalstay.rulebook import OUTPUTS, load_rulebook
from tests.core.engine.strategies import AS_OF, families

SCENARIOS = ("pl-baseline", "pl-amnesty-2025")


def disagreements(
    people: dict[int, Facts], as_of: dt.date, *, move_by: int = 0
) -> list[tuple[Any, ...]]:
    """Where the back-ends disagree; with ``move_by``, on every date (the evaluation date too)
    moved by that many days, saturating at 0001-01-01 and 9999-12-31 as the engine does."""
    rulebook = load_rulebook()
    tables = moved(tables_from_facts(people), move_by)
    as_of = add_days(as_of, move_by)
    # Random facts include what a reader refuses (a permit without its end): the back-ends
    # must agree on those too, so the population's input checks are left out here.
    rules = dataclasses.replace(rulebook.rules, input_checks=[])
    stores = {name: rulebook.parameters(name) for name in SCENARIOS}
    names = compared(rules)
    result = evaluate_population(rules, tables, stores, as_of, names, rulebook.calendar).collect()
    by_person = {row["person_id"]: row for row in result.iter_rows(named=True)}
    found = []
    for person_id, facts in facts_from_tables(tables).items():
        for scenario in SCENARIOS:
            evaluation = rulebook.evaluation(facts, as_of, scenario, record=False)
            for output in names:
                one = evaluation.value(output)
                many = by_person[person_id][f"{scenario}.{output}"]
                if one != many or (one is None) != (many is None):
                    found.append((person_id, scenario, output, one, many))
    return found


def compared(rules: RuleSet) -> list[str]:
    """The outputs, and the references an assessment cites for them."""
    return [*OUTPUTS, *sorted(name for name in rules.variables if name.endswith(".reference"))]


def moved(tables: dict[str, pl.DataFrame], days: int) -> dict[str, pl.DataFrame]:
    if not days:
        return tables
    return {
        name: frame.with_columns(
            (pl.col(column) + pl.duration(days=days)).clip(dt.date.min, dt.date.max)
            for column, dtype in frame.schema.items()
            if dtype == pl.Date
        )
        for name, frame in tables.items()
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(families())
def test_both_back_ends_agree_on_random_families(people):
    assert disagreements(people, AS_OF) == []


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(families(), st.sampled_from((dt.date.max, dt.date(9999, 12, 20), dt.date(1, 1, 10))))
def test_both_back_ends_agree_at_either_end_of_the_calendar(people, as_of):
    """Every date moved so that the evaluation date falls on or near 31 Dec 9999 or 1 Jan 0001,
    where periods, day counts and "never" saturate: the same answers, and no error."""
    assert disagreements(people, AS_OF, move_by=(as_of - AS_OF).days) == []


def test_day_arithmetic_saturates_alike_in_both_back_ends_at_either_end_of_the_calendar():
    """On a person's date (computed row by row) and on the evaluation date (computed once)."""
    rules = RuleSet()
    for name, day in (("born", ex.field("birth_date")), ("today", ex.as_of())):
        rules.add(
            Variable(f"{name}.next_day", ex.add_days(day, 1)),
            Variable(f"{name}.day_before", ex.add_days(day, -1)),
            Variable(f"{name}.next_day_is_later", ex.add_days(day, 1) > day),
            Variable(f"{name}.a_year_later", ex.add_period(day, 1, "year")),
            Variable(f"{name}.a_year_earlier", ex.add_period(day, -1, "year")),
            Variable(f"{name}.fourteen_days_later", ex.period_end(day, 14, "day")),
            # A day count that is not known (a parameter with no value on the date): unknown.
            Variable(f"{name}.unknown_days_later", ex.add_days(day, ex.lit(None))),
            # Counts past the calendar's span saturate too, and do not wrap round.
            Variable(f"{name}.a_billion_days_later", ex.add_days(day, 10**9)),
            Variable(f"{name}.a_billion_days_earlier", ex.add_days(day, -(10**9))),
        )
    outputs = list(rules.variables)
    store = parse_parameters({}, source="test")
    for day in (dt.date.max, dt.date.min, dt.date(2020, 1, 1)):
        person = {"person_id": 1, "family_id": 1, "birth_date": day} | dict.fromkeys(PERSON_FACTS)
        facts = Facts(person, {name: [] for name in EPISODE_TABLES})
        one = Evaluation(rules, store, default_calendar(), facts, day)
        many = evaluate_population(
            rules, tables_from_facts({1: facts}), {"s": store}, day, outputs, default_calendar()
        ).collect()
        answers = {name: one.value(name) for name in outputs}
        assert answers == {name: many[f"s.{name}"].item() for name in outputs}
        assert answers["born.next_day_is_later"] is (day != dt.date.max)
