"""The two back-ends must agree: the population plan and the one-person interpreter give the
same answer for every output, every person, every scenario — on random persons crowded around
the evaluation date, and on the rulebook's boundary persons."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings

from legalstay.engine.interpreter import Facts
from legalstay.engine.rows import facts_from_tables, tables_from_facts
from legalstay.rulebook import OUTPUTS, load_rulebook
from tests.core.engine.strategies import AS_OF, families

SCENARIOS = ("pl-baseline", "pl-amnesty-2025")


def disagreements(people: dict[int, Facts], as_of: dt.date) -> list[tuple[Any, ...]]:
    rulebook = load_rulebook()
    tables = tables_from_facts(people)
    result = rulebook.assess_population(tables, as_of, SCENARIOS).collect()
    by_person = {row["person_id"]: row for row in result.iter_rows(named=True)}
    found = []
    for person_id, facts in facts_from_tables(tables).items():
        for scenario in SCENARIOS:
            evaluation = rulebook.evaluation(facts, as_of, scenario, record=False)
            for output in OUTPUTS:
                one = evaluation.value(output)
                many = by_person[person_id][f"{scenario}.{output}"]
                if one != many or (one is None) != (many is None):
                    found.append((person_id, scenario, output, one, many))
    return found


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(families())
def test_both_back_ends_agree_on_random_families(people):
    assert disagreements(people, AS_OF) == []
