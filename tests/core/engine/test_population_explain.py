"""The one-person back-end's shortcuts for explanations: an evaluation on another date (which
may reuse derived episode rows) answers as a fresh one, and ``next_change`` works whether or
not the evaluation records."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legalstay.engine.explain import next_change
from legalstay.engine.expressions import add_period, field, lit, max_of_rows, param
from legalstay.engine.interpreter import Evaluation, Facts
from legalstay.engine.parameters import parse_parameters
from legalstay.engine.periods import default_calendar
from legalstay.engine.population import PERSON_FACTS
from legalstay.engine.rows import EPISODE_TABLES
from legalstay.engine.rules import RuleSet, Variable
from legalstay.rulebook import OUTPUTS, load_rulebook
from tests.core.engine.strategies import AS_OF, families

# Dates around the evaluation date, and across changes of parameters read on the date.
OTHER_DATES = (
    AS_OF + dt.timedelta(days=1),
    AS_OF + dt.timedelta(days=400),
    dt.date(2017, 5, 31),
    dt.date(2026, 1, 1),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(families(), st.sampled_from(("pl-baseline", "pl-amnesty-2025")))
def test_an_evaluation_moved_to_another_date_answers_as_a_fresh_one(people, scenario):
    rulebook = load_rulebook()
    for facts in people.values():
        evaluation = rulebook.evaluation(facts, AS_OF, scenario, record=False)
        for output in OUTPUTS:
            evaluation.value(output)  # derived rows computed on AS_OF, then reused where they hold
        for day in OTHER_DATES:
            fresh = rulebook.evaluation(facts, day, scenario, record=False)
            moved = evaluation.at(day)
            for output in OUTPUTS:
                assert moved.value(output) == fresh.value(output), (day, output)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(families())
def test_next_change_is_the_same_whether_or_not_the_evaluation_records(people):
    rulebook = load_rulebook()
    for facts in people.values():
        quiet = rulebook.evaluation(facts, AS_OF, record=False)
        recording = rulebook.evaluation(facts, AS_OF, record=True)
        for output in ("legal_stay.basis", "travel_document.valid", "permanent_residence"):
            assert next_change(quiet, output) == next_change(recording, output)


def test_a_recording_evaluation_keeps_what_each_variable_read():
    rulebook = load_rulebook()
    facts = next(iter(_one_family().values()))
    evaluation = Evaluation(
        rulebook.rules, rulebook.parameters(), rulebook.calendar, facts, AS_OF, record=True
    )
    evaluation.value("legal_stay.status")
    assert {"legal_stay.status", "legal_stay.basis"} <= set(evaluation.records)
    quiet = Evaluation(rulebook.rules, rulebook.parameters(), rulebook.calendar, facts, AS_OF)
    quiet.value("legal_stay.status")
    assert quiet.records == {}


def _one_family() -> dict[int, Facts]:
    person = {"person_id": 1, "family_id": 1, "birth_date": dt.date(1990, 1, 1)}
    person |= {"sex": "F", "citizenships": ("BY",), "birth_country": "BY"}
    person |= dict.fromkeys(PERSON_FACTS)
    title = {"person_id": 1, "kind": "temporary_residence", "ground": "work"}
    title |= {"valid_from": dt.date(2025, 1, 1), "valid_to": dt.date(2027, 1, 1)}
    tables = {name: [] for name in EPISODE_TABLES} | {"titles": [title]}
    return {1: Facts(person, tables)}


def test_derived_rows_reading_a_parameter_on_the_date_are_not_reused_across_its_change():
    rules = RuleSet()
    rules.add_row_variable(
        "documents", "until", add_period(field("issued"), param("validity"), "year")
    )
    rules.add(Variable("until", max_of_rows("documents", field("until"), lit(True))))
    values = [
        {"valid_from": dt.date(2000, 1, 1), "value": 1},
        {"valid_from": dt.date(2026, 6, 1), "value": 3},
    ]
    reference = {"reference": {"act": "Test act", "article": "1"}, "confidence": "high"}
    spec = {
        "validity": {
            "description": "validity",
            "unit": "year",
            "values": [v | reference for v in values],
        }
    }
    store = parse_parameters(spec, source="test")
    document = {"person_id": 1, "kind": "x", "issued": dt.date(2025, 1, 1), "status": "valid"}
    facts = Facts({"person_id": 1}, {"documents": [document]})
    before = Evaluation(rules, store, default_calendar(), facts, dt.date(2026, 5, 1))
    assert before.value("until") == dt.date(2026, 1, 1)
    assert before.at(dt.date(2026, 5, 2)).value("until") == dt.date(2026, 1, 1)
    assert before.at(dt.date(2026, 7, 1)).value("until") == dt.date(2028, 1, 1)
    # The change's own day, from before it and from after it (the days either side too).
    assert before.at(dt.date(2026, 5, 31)).value("until") == dt.date(2026, 1, 1)
    assert before.at(dt.date(2026, 6, 1)).value("until") == dt.date(2028, 1, 1)
    after = Evaluation(rules, store, default_calendar(), facts, dt.date(2026, 6, 1))
    assert after.value("until") == dt.date(2028, 1, 1)
    assert after.at(dt.date(2026, 5, 31)).value("until") == dt.date(2026, 1, 1)
    assert after.at(dt.date(2026, 6, 2)).value("until") == dt.date(2028, 1, 1)
