"""How the one-person back-end finds the day an answer changes: the days it compared, in the
variables and derived columns it read, and after the operand that decided an and/or.

The rule sets here are tiny and synthetic: each test isolates one source of candidate days,
so that a change found only through that source is missed if the source is lost (the
rulebook's worked cases rarely do: a later candidate usually shows the difference, and the
search by halving then finds the day anyway).
"""

from __future__ import annotations

import datetime as dt

from legalstay.engine.explain import next_change
from legalstay.engine.expressions import Op, as_of, coalesce, field, lit, max_of_rows, var
from legalstay.engine.interpreter import Evaluation, Facts
from legalstay.engine.parameters import ParameterStore
from legalstay.engine.periods import default_calendar
from legalstay.engine.rules import RuleSet, Variable

TODAY = dt.date(2026, 11, 26)
MARCH_FIRST, MARCH_LAST = dt.date(2027, 3, 1), dt.date(2027, 3, 31)


def _evaluation(rules: RuleSet, facts: Facts | None = None, *, record: bool = True) -> Evaluation:
    facts = facts or Facts({"person_id": 1}, {})
    return Evaluation(rules, ParameterStore({}), default_calendar(), facts, TODAY, record=record)


def _in_march() -> Op:
    # The date read through a variable: the comparison itself does not read it, so it gives
    # no count of days to the change (as ``as_of() >= …`` would), only the days compared.
    return (var("today") >= lit(MARCH_FIRST)) & (var("today") <= lit(MARCH_LAST))


def _rules() -> RuleSet:
    rules = RuleSet()
    rules.add(Variable("today", as_of()))
    return rules


def test_a_change_is_found_on_a_day_only_a_variable_it_reads_compares() -> None:
    # "answer" compares no day itself; the variable it reads turns true for March only, so
    # no day after March shows a difference to search back from.
    rules = _rules()
    rules.add(Variable("in_march", _in_march()))
    rules.add(Variable("answer", var("in_march")))
    evaluation = _evaluation(rules)
    assert evaluation.value("answer") is False
    assert next_change(evaluation, "answer") == MARCH_FIRST


def test_a_change_is_found_on_a_day_only_a_derived_column_it_reads_compares() -> None:
    # A row variable may not read a variable: "checked, or the date if not yet" moves as its
    # first value does (not at all, for the comparison), and the row has no such day.
    day = coalesce(field("checked_on"), as_of())
    rules = RuleSet()
    rules.add_row_variable("documents", "in_march", (day >= MARCH_FIRST) & (day <= MARCH_LAST))
    rules.add(Variable("answer", max_of_rows("documents", field("in_march"), lit(True))))
    document = {"person_id": 1, "kind": "x", "status": "valid"}
    evaluation = _evaluation(rules, Facts({"person_id": 1}, {"documents": [document]}))
    assert evaluation.value("answer") is False
    assert next_change(evaluation, "answer") == MARCH_FIRST


def test_a_day_compared_after_the_deciding_operand_is_a_day_the_answer_may_change() -> None:
    # Held until the end of March by the second operand once the first no longer decides:
    # the second's day, not evaluated to answer today, is where the answer turns.
    end_of_january = dt.date(2027, 1, 31)
    rules = RuleSet()
    rules.add(Variable("held", (as_of() <= lit(end_of_january)) | (as_of() <= lit(MARCH_LAST))))
    evaluation = _evaluation(rules)
    assert evaluation.value("held") is True
    assert next_change(evaluation, "held") == MARCH_LAST + dt.timedelta(days=1)


def test_an_answer_read_without_recording_is_the_recorded_one() -> None:
    rules = _rules()
    rules.add(Variable("in_march", _in_march()))
    rules.add(Variable("answer", var("in_march")))
    recorded = _evaluation(rules)
    recorded.value("in_march")
    unrecorded = recorded.without_recording()
    assert unrecorded.record is False
    assert unrecorded.value("answer") is recorded.value("answer") is False
    assert "answer" not in unrecorded.records  # nothing recorded there
    assert unrecorded.without_recording() is unrecorded
