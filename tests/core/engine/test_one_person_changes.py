"""How the one-person back-end finds the day an answer changes: the days it compared, in the
variables and derived columns it read, and after the operand that decided an and/or.

The rule sets here are tiny and synthetic: each test isolates one source of candidate days,
so that a change found only through that source is missed if the source is lost (the
rulebook's worked cases rarely do: a later candidate usually shows the difference, and the
search by halving then finds the day anyway).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from legalstay.engine.explain import next_change
from legalstay.engine.expressions import (
    Op,
    add_period,
    as_of,
    coalesce,
    days_between,
    field,
    lit,
    max_of_rows,
    var,
)
from legalstay.engine.interpreter import Evaluation, Facts, _law_changes_between
from legalstay.engine.parameters import ParameterStore, parse_parameters
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


def test_a_card_valid_for_one_day_is_a_change_on_that_day() -> None:
    # On, then off the next day: the day itself is probed, not only the day after it.
    rules = RuleSet()
    rules.add(Variable("valid", (as_of() >= lit(MARCH_FIRST)) & (as_of() <= lit(MARCH_FIRST))))
    evaluation = _evaluation(rules)
    assert evaluation.value("valid") is False
    assert next_change(evaluation, "valid") == MARCH_FIRST


def _first_differing_day(rules: RuleSet, name: str, horizon_days: int) -> dt.date | None:
    today = _evaluation(rules, record=False).value(name)
    for ahead in range(1, horizon_days + 1):
        day = TODAY + dt.timedelta(days=ahead)
        later = Evaluation(rules, ParameterStore({}), default_calendar(), Facts({}, {}), day)
        if later.value(name) != today:
            return day
    return None


_COUNT_TESTS = st.sampled_from(["ge", "gt", "le", "lt", "eq", "ne"])


@settings(max_examples=150, deadline=None)
@given(st.integers(-400, 900), st.integers(0, 1200), _COUNT_TESTS, st.booleans())
@example(offset=-133, threshold=0, test="gt", by_years=True)  # five years from 29 Feb 2028
@example(offset=326, threshold=0, test="gt", by_years=True)  # reached today, turns tomorrow
def test_the_day_a_count_reaches_its_threshold_is_found_exactly(
    offset: int, threshold: int, test: str, by_years: bool
) -> None:
    # A count of days (or "five years before the date" against a fixed day) is probed on the
    # day after the one it reaches: the answer may turn on either, and the day found must be
    # the first that differs, as a day-by-day search finds it.
    start = TODAY - dt.timedelta(days=offset)
    if by_years:
        moving, fixed = add_period(as_of(), -5, "year"), lit(start - dt.timedelta(days=1500))
    else:
        moving, fixed = days_between(lit(start), as_of()), lit(threshold)
    rules = RuleSet()
    rules.add(Variable("reached", Op(test, (moving, fixed))))
    expected = _first_differing_day(rules, "reached", 1700)
    assert next_change(_evaluation(rules), "reached") == expected


@settings(max_examples=150, deadline=None)
@given(st.integers(-3, 900), st.sampled_from(["lt", "le", "gt", "ge", "eq", "ne"]), st.booleans())
def test_the_date_against_a_day_changes_where_a_day_by_day_search_finds_it(
    ahead: int, test: str, date_first: bool
) -> None:
    # The date against a fixed day is probed only on the day it turns on, by the operator:
    # the day itself or the next (both for eq and ne, which turn back).
    day = lit(TODAY + dt.timedelta(days=ahead))
    rules = RuleSet()
    rules.add(Variable("turned", Op(test, (as_of(), day) if date_first else (day, as_of()))))
    expected = _first_differing_day(rules, "turned", 1000)
    assert next_change(_evaluation(rules), "turned") == expected


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


# ---------------------------------------------------------------- the law alike on two days

_DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))


@st.composite
def _parameter_values(draw: st.DrawFn) -> list[dict[str, object]]:
    """One parameter's values: in order, each perhaps ending before the next starts."""
    starts = sorted(draw(st.sets(_DAYS, min_size=1, max_size=4)))
    values: list[dict[str, object]] = []
    for start, following in zip(starts, [*starts[1:], None], strict=True):
        value: dict[str, object] = {"valid_from": start, "value": len(values) + 1}
        latest = (following or dt.date(2031, 12, 31)) - dt.timedelta(days=1)
        if latest >= start and draw(st.booleans()):
            value["valid_to"] = draw(st.dates(start, latest))
        values.append(value)
    return values


@settings(max_examples=300, deadline=None)
@given(st.lists(_parameter_values(), min_size=1, max_size=3), _DAYS, _DAYS)
def test_the_law_is_alike_on_two_days_with_no_change_day_between_them(
    parameters: list[list[dict[str, object]]], one: dt.date, other: dt.date
) -> None:
    # Another day's rows are copied whole when no change day lies between the two days: that
    # holds only if every parameter then has the very same value on both.
    reference = {"reference": {"act": "Test act", "article": "1"}, "confidence": "high"}
    spec = {
        f"p{index}": {
            "description": "test",
            "unit": "count",
            "values": [value | reference for value in values],
        }
        for index, values in enumerate(parameters)
    }
    store = parse_parameters(spec, source="test")
    if not _law_changes_between(store, one, other):
        assert all(store.at(name, one) is store.at(name, other) for name in spec)


def test_membership_in_a_list_that_is_not_known_is_unknown_in_both_recording_modes() -> None:
    # The fast path for a literal list must not turn "no list" into an answer (or a crash).
    rules = RuleSet()
    rules.add(Variable("among", lit("pdpdc").is_in(lit(None))))
    for record in (True, False):
        assert _evaluation(rules, record=record).value("among") is None
