"""The one-person back-end: evaluates rules for one person and records what it did.

It reads the same expression trees as the population back-end and must give the same answers
(the differential test checks it). While it evaluates, it records for each variable the
parameters it read (value, validity, reference, confidence), the first-hit case that decided,
and the dates it compared, so an explanation can say which condition decided, on which
article and parameter, and on which date the result would change.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from legalstay.engine.errors import EvaluationError
from legalstay.engine.expressions import (
    FAR_FUTURE,
    Aggregate,
    AsOf,
    Cases,
    FamilyAggregate,
    Field,
    Kernel,
    Literal_,
    Node,
    Op,
    Outer,
    Param,
    Var,
)
from legalstay.engine.kernels import CoverageSpec, coverage_scalar
from legalstay.engine.parameters import ParameterStore, ParameterValue
from legalstay.engine.periods import PolishCalendar, add_period, period_end
from legalstay.engine.rules import RuleSet

__all__ = ["Evaluation", "Facts", "FamilyMember", "Record"]

Row = Mapping[str, Any]


@dataclass(frozen=True)
class FamilyMember:
    relation: str  # what the linked person is to this person: parent, child, spouse
    person_id: Any
    facts: Facts | None  # None: the linked person's facts are not known here


@dataclass(frozen=True)
class Facts:
    """One person's facts in the engine's row form (the population tables, for one person)."""

    person: Row
    tables: Mapping[str, Sequence[Row]]
    family: Sequence[FamilyMember] = ()


@dataclass
class Record:
    """What evaluating one variable used: parameters, deciding cases, dates compared."""

    parameters: dict[str, ParameterValue] = field(default_factory=dict)
    cases: list[tuple[str, str | None]] = field(default_factory=list)
    dates: set[dt.date] = field(default_factory=set)
    numbers: list[tuple[float, float]] = field(default_factory=list)

    def absorb(self, other: Record) -> None:
        self.parameters.update(other.parameters)
        self.dates |= other.dates
        self.numbers.extend(other.numbers)


class Evaluation:
    """Lazy, memoised evaluation of a rule set for one person on one date."""

    def __init__(
        self,
        rules: RuleSet,
        parameters: ParameterStore,
        calendar: PolishCalendar,
        facts: Facts,
        as_of: dt.date,
        *,
        record: bool = False,
    ) -> None:
        self.rules = rules
        self.parameters = parameters
        self.calendar = calendar
        self.facts = facts
        self.as_of = as_of
        self.record = record
        self.values: dict[str, Any] = {}
        self.records: dict[str, Record] = {}
        self._stack: list[Record] = []
        self._kernels: dict[tuple[int, Any], tuple[dt.date | None, float]] = {}
        self._rows: dict[str, list[Row]] = {}
        self._family: dict[Any, Evaluation] = {}

    def value(self, name: str) -> Any:
        if name not in self.values:
            self._stack.append(Record())
            try:
                self.values[name] = self._eval(self.rules[name].expr, self.facts.person, None)
            finally:
                self.records[name] = self._stack.pop()
        if self._stack:
            self._stack[-1].absorb(self.records[name])
        return self.values[name]

    def at(self, as_of: dt.date) -> Evaluation:
        """The same person evaluated on another date (without recording)."""
        return Evaluation(self.rules, self.parameters, self.calendar, self.facts, as_of)

    def rows(self, table: str) -> list[Row]:
        """The person's rows of ``table`` with the rule set's derived columns added."""
        if table not in self._rows:
            derived = self.rules.row_variables.get(table, {})
            rows: list[Row] = []
            for episode in self.facts.tables.get(table, ()):
                row: dict[str, Any] = dict(episode)
                for name, expr in derived.items():
                    row[name] = self._eval(expr, row, None)
                rows.append(row)
            self._rows[table] = rows
        return self._rows[table]

    # ------------------------------------------------------------ nodes

    def _eval(self, node: Node, row: Row, outer_row: Row | None) -> Any:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            raise EvaluationError(f"the one-person back-end cannot evaluate {node!r}")
        return handler(self, node, row, outer_row)

    def _literal(self, node: Literal_, row: Row, outer_row: Row | None) -> Any:
        return node.value

    def _as_of(self, node: AsOf, row: Row, outer_row: Row | None) -> Any:
        return self.as_of

    def _field(self, node: Field, row: Row, outer_row: Row | None) -> Any:
        return row.get(node.name)

    def _outer(self, node: Outer, row: Row, outer_row: Row | None) -> Any:
        if outer_row is None:
            raise EvaluationError(f"outer({node.name!r}) used outside an aggregate")
        return outer_row.get(node.name)

    def _var(self, node: Var, row: Row, outer_row: Row | None) -> Any:
        return self.value(node.name)

    def _param(self, node: Param, row: Row, outer_row: Row | None) -> Any:
        day = self.as_of if node.at is None else self._eval(node.at, row, outer_row)
        if day is None:
            return None
        found = self.parameters.at(node.name, day)
        if self._stack and found is not None:
            self._stack[-1].parameters[node.name] = found
        return None if found is None else found.value

    def _cases(self, node: Cases, row: Row, outer_row: Row | None) -> Any:
        for branch in node.branches:
            if self._eval(branch.when, row, outer_row) is True:
                self._note_case(branch.label, branch.reference)
                return self._eval(branch.then, row, outer_row)
        self._note_case(node.otherwise_label, node.otherwise_reference)
        return self._eval(node.otherwise, row, outer_row)

    def _note_case(self, label: str, reference: str | None) -> None:
        if self._stack:
            self._stack[-1].cases.append((label, reference))

    def _op(self, node: Op, row: Row, outer_row: Row | None) -> Any:
        if node.op in _LAZY_OPS:
            return _LAZY_OPS[node.op](self, node, row, outer_row)
        args = [self._eval(arg, row, outer_row) for arg in node.args]
        if node.op in _COMPARISONS:
            return self._compare(node.op, args[0], args[1])
        return _STRICT_OPS[node.op](self, node, args)

    def _compare(self, op: str, left: Any, right: Any) -> bool | None:
        if left is None or right is None:
            return None
        if self._stack:
            if isinstance(left, dt.date):
                self._stack[-1].dates.update((left, right))
            elif isinstance(left, int | float) and not isinstance(left, bool):
                self._stack[-1].numbers.append((float(left), float(right)))
        return bool(_COMPARISONS[op](left, right))

    def _aggregate(self, node: Aggregate, row: Row, outer_row: Row | None) -> Any:
        rows = [
            episode
            for episode in self.rows(node.table)
            if self._eval(node.where, episode, row) is True
        ]
        return _AGGREGATORS[node.how](self, node, rows, row)

    def _family_aggregate(self, node: FamilyAggregate, row: Row, outer_row: Row | None) -> Any:
        answers = [
            None if member.facts is None else self._member(member).evaluate_node(node.value, row)
            for member in self.facts.family
            if member.relation == node.relation
        ]
        return _kleene_any(answers)

    def _member(self, member: FamilyMember) -> Evaluation:
        if member.person_id not in self._family:
            assert member.facts is not None
            self._family[member.person_id] = Evaluation(
                self.rules, self.parameters, self.calendar, member.facts, self.as_of
            )
        return self._family[member.person_id]

    def evaluate_node(self, node: Node, outer_row: Row | None = None) -> Any:
        """Evaluates ``node`` for this person; ``outer`` reads ``outer_row`` (the person who
        asks, in a family aggregate)."""
        return self._eval(node, self.facts.person, outer_row)

    def _kernel(self, node: Kernel, row: Row, outer_row: Row | None) -> Any:
        spec, output = node.options
        window_start = self._eval(node.args[0], row, outer_row)
        key = (id(spec), window_start)
        if key not in self._kernels:
            self._kernels[key] = self._coverage(spec, window_start, row)
        run_start, weighted_days = self._kernels[key]
        if output == "run_start":
            return run_start
        return weighted_days if run_start is not None else None

    def _coverage(
        self, spec: CoverageSpec, window_start: dt.date | None, person: Row
    ) -> tuple[dt.date | None, float]:
        intervals = []
        for source in spec.sources:
            for episode in self.rows(source.table):
                if self._eval(source.where, episode, person) is not True:
                    continue
                start = self._eval(source.start, episode, person)
                end = self._eval(source.end, episode, person)
                weight = self._eval(source.weight, episode, person)
                if start is not None and weight is not None:
                    intervals.append((start, end or FAR_FUTURE, float(weight)))
        return coverage_scalar(intervals, self.as_of, window_start)


# ---------------------------------------------------------------- operations


def _kleene_and(evaluation: Evaluation, node: Op, row: Row, outer_row: Row | None) -> Any:
    unknown = False
    for arg in node.args:
        value = evaluation._eval(arg, row, outer_row)
        if value is False:
            return False
        unknown = unknown or value is None
    return None if unknown else True


def _kleene_or(evaluation: Evaluation, node: Op, row: Row, outer_row: Row | None) -> Any:
    unknown = False
    for arg in node.args:
        value = evaluation._eval(arg, row, outer_row)
        if value is True:
            return True
        unknown = unknown or value is None
    return None if unknown else False


def _if_else(evaluation: Evaluation, node: Op, row: Row, outer_row: Row | None) -> Any:
    condition = evaluation._eval(node.args[0], row, outer_row)
    branch = node.args[1] if condition is True else node.args[2]
    return evaluation._eval(branch, row, outer_row)


def _kleene_any(values: Sequence[Any]) -> bool | None:
    if any(value is True for value in values):
        return True
    return None if any(value is None for value in values) else False


_LAZY_OPS: dict[str, Callable[[Evaluation, Op, Row, Row | None], Any]] = {
    "and": _kleene_and,
    "or": _kleene_or,
    "if_else": _if_else,
}

_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _null_safe(function: Callable[..., Any]) -> Callable[[Evaluation, Op, list[Any]], Any]:
    def apply(evaluation: Evaluation, node: Op, args: list[Any]) -> Any:
        if any(arg is None for arg in args):
            return None
        return function(*args)

    return apply


def _period(evaluation: Evaluation, node: Op, args: list[Any]) -> Any:
    start, amount = args
    if start is None or amount is None:
        return None
    if node.op == "add_period":
        return add_period(start, int(amount), node.extra)
    return period_end(start, int(amount), node.extra, evaluation.calendar)


def _in_windows(day: dt.date, windows: Sequence[tuple[dt.date, dt.date]]) -> bool:
    return any(start <= day <= end for start, end in windows)


def _known(values: list[Any]) -> list[Any]:
    return [value for value in values if value is not None]


_STRICT_OPS: dict[str, Callable[[Evaluation, Op, list[Any]], Any]] = {
    "not": _null_safe(operator.not_),
    "is_null": lambda e, n, a: a[0] is None,
    "is_not_null": lambda e, n, a: a[0] is not None,
    "is_true": lambda e, n, a: a[0] is True,
    "is_in": _null_safe(lambda value, codes: value in codes),
    "contains": _null_safe(lambda values, code: code in values),
    "contains_any": _null_safe(lambda values, codes: any(code in values for code in codes)),
    "coalesce": lambda e, n, a: next((value for value in a if value is not None), None),
    "max": lambda e, n, a: max(_known(a), default=None),
    "min": lambda e, n, a: min(_known(a), default=None),
    "add": _null_safe(operator.add),
    "sub": _null_safe(operator.sub),
    "mul": _null_safe(operator.mul),
    "add_days": _null_safe(lambda day, days: day + dt.timedelta(days=int(days))),
    "days_between": _null_safe(lambda start, end: (end - start).days),
    "add_period": _period,
    "period_end": _period,
    "in_windows": _null_safe(_in_windows),
}


# ---------------------------------------------------------------- aggregates


def _values(evaluation: Evaluation, node: Aggregate, rows: list[Row], person: Row) -> list[Any]:
    return _known([evaluation._eval(node.value, episode, person) for episode in rows])


def _value_at_max(evaluation: Evaluation, node: Aggregate, rows: list[Row], person: Row) -> Any:
    assert node.key is not None
    pairs = [
        (evaluation._eval(node.key, episode, person), evaluation._eval(node.value, episode, person))
        for episode in rows
    ]
    known = [(key, value) for key, value in pairs if key is not None and value is not None]
    return max(known)[1] if known else None


_AGGREGATORS: dict[str, Callable[[Evaluation, Aggregate, list[Row], Row], Any]] = {
    "any": lambda e, n, rows, person: bool(rows),
    "count": lambda e, n, rows, person: len(rows),
    "max": lambda e, n, rows, person: max(_values(e, n, rows, person), default=None),
    "min": lambda e, n, rows, person: min(_values(e, n, rows, person), default=None),
    "sum": lambda e, n, rows, person: sum(_values(e, n, rows, person)),
    "value_at_max": _value_at_max,
}

_HANDLERS: dict[type, Callable[[Evaluation, Any, Row, Row | None], Any]] = {
    Literal_: Evaluation._literal,
    AsOf: Evaluation._as_of,
    Field: Evaluation._field,
    Outer: Evaluation._outer,
    Var: Evaluation._var,
    Param: Evaluation._param,
    Cases: Evaluation._cases,
    Op: Evaluation._op,
    Aggregate: Evaluation._aggregate,
    FamilyAggregate: Evaluation._family_aggregate,
    Kernel: Evaluation._kernel,
}
