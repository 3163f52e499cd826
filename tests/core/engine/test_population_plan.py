"""A compiled population plan is reused batch after batch: the answers are those of a fresh
compilation, and a plan is never used for another date or set of scenarios."""

import datetime as dt

import pytest

from legalstay.engine.errors import EvaluationError
from legalstay.engine.population import PopulationPlan, evaluate_population
from legalstay.rulebook import OUTPUTS, load_rulebook
from legalstay.synthetic import generate_population

AS_OF = dt.date(2026, 11, 26)
SCENARIOS = ("pl-baseline", "pl-amnesty-2025")


def _evaluate(tables, plan=None, as_of=AS_OF):
    rulebook = load_rulebook()
    stores = {name: rulebook.parameters(name) for name in SCENARIOS}
    frame = evaluate_population(
        rulebook.rules, tables, stores, as_of, OUTPUTS, rulebook.calendar, plan=plan
    )
    return frame.collect()


def test_a_plan_compiled_on_one_population_answers_another_as_a_fresh_one_would():
    first = generate_population(600, 11, as_of=AS_OF)
    second = generate_population(900, 12, as_of=AS_OF)
    plan = PopulationPlan()
    _evaluate(first, plan)
    assert _evaluate(second, plan).equals(_evaluate(second))


def test_a_plan_refuses_to_answer_for_another_date():
    tables = generate_population(50, 3, as_of=AS_OF)
    plan = PopulationPlan()
    _evaluate(tables, plan)
    with pytest.raises(EvaluationError, match="one rule set, scenarios, date and outputs"):
        _evaluate(tables, plan, as_of=AS_OF + dt.timedelta(days=1))


def test_the_rulebook_compiles_once_for_repeated_calls_on_the_same_date():
    rulebook = load_rulebook()
    tables = generate_population(50, 4, as_of=AS_OF)
    key = (SCENARIOS, AS_OF, OUTPUTS)
    rulebook.assess_population(tables, AS_OF, SCENARIOS).collect()
    plan = rulebook._plans[key]
    rulebook.assess_population(tables, AS_OF, SCENARIOS).collect()
    assert rulebook._plans[key] is plan
    rulebook.assess_population(tables, AS_OF + dt.timedelta(days=1), SCENARIOS).collect()
    assert rulebook._plans[(SCENARIOS, AS_OF + dt.timedelta(days=1), OUTPUTS)] is not plan
