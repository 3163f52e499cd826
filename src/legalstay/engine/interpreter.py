"""The one-person back-end: evaluates rules for one person and records what it did.

It reads the same expression trees as the population back-end and must give the same answers
(the differential test checks it). While it evaluates, it records for each variable the
parameters it read (value, validity, reference, confidence), the first-hit case that decided,
and the dates it compared, so an explanation can say which condition decided, on which
article and parameter, and on which date the result would change.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from legalstay.engine.errors import EvaluationError
from legalstay.engine.expressions import (
    FAR_FUTURE,
    Aggregate,
    Asker,
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
from legalstay.engine.periods import (
    DateOutsideCalendarError,
    PolishCalendar,
    add_days,
    add_period,
    period_end,
)
from legalstay.engine.rules import RuleSet, nodes

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


@dataclass(slots=True, init=False)
class Record:
    """What evaluating one variable used: parameters, deciding cases, dates compared."""

    parameters: dict[str, ParameterValue]
    cases: list[tuple[str, str | None]]
    dates: set[dt.date]
    numbers: list[tuple[float, float]]
    # Days between two dates compared where one moves with the evaluation date ("five years
    # before the date" against a title's start): the date moving that far closes the gap.
    gaps: set[int]

    def __init__(self) -> None:
        # Written out: a recorded assessment makes some 250 records, and the generated
        # ``__init__`` calls a factory per field.
        self.parameters, self.cases, self.numbers = {}, [], []
        self.dates, self.gaps = set(), set()

    def absorb(self, other: Record, *, parameters: bool = True) -> None:
        """Takes in what ``other`` read; ``parameters=False``: all but its parameters (a row
        that did not give an aggregate's answer: its dates still say when it may)."""
        # Most records read only some of these: the checks are cheaper than empty updates.
        if parameters and other.parameters:
            self.parameters.update(other.parameters)
        if other.dates:
            self.dates |= other.dates
        if other.numbers:
            self.numbers.extend(other.numbers)
        if other.gaps:
            self.gaps |= other.gaps


class Evaluation:
    """Lazy, memoised evaluation of a rule set for one person on one date.

    Expression nodes are compiled once (per process) into Python closures, so evaluating
    walks no type dispatch tables. ``record``: keep, per variable, what it read (see
    :class:`Record`); an evaluation that does not record does none of that work.
    """

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
        self._kernels: dict[tuple[int, Any], tuple[dt.date | None, float, frozenset[dt.date]]] = {}
        self._rows: dict[str, list[Row]] = {}
        # Another date's rows, and the derived columns that must be worked out again on this
        # one (``at``): the others are copied.
        self._rows_of_another_day: dict[str, tuple[list[Row], frozenset[str]]] = {}
        self._family: dict[Any, Evaluation] = {}
        # The asking person's row while a family aggregate evaluates its value for this
        # person (``asker`` reads it).
        self._asker: Row | None = None
        self._dates: dict[dt.date, Evaluation] = {}
        self._recordings: dict[dt.date, Evaluation] = {}
        self._parameters: dict[tuple[str, dt.date], ParameterValue | None] = {}
        # What each derived column read on each row, by (id of the row, column); recording only.
        self._derived_records: dict[tuple[int, str], Record] = {}
        self._parameter_changes: dict[str, tuple[dt.date, ...]] = {}
        self._compiled_variables = _variables(rules)
        self._derived_columns = _derived_columns(rules)

    def value(self, name: str) -> Any:
        if name in self.values:
            if self._stack:
                self._stack[-1].absorb(self.records[name])
            return self.values[name]
        run = self._compiled_variables.get(name) or _variable(self.rules, name)
        if not self.record:
            result = self.values[name] = run(self, self.facts.person, None)
            return result
        self._stack.append(Record())
        try:
            self.values[name] = run(self, self.facts.person, None)
        finally:
            self.records[name] = self._stack.pop()
        if self._stack:
            self._stack[-1].absorb(self.records[name])
        return self.values[name]

    def at(self, as_of: dt.date) -> Evaluation:
        """The same person evaluated on another date (without recording); kept, so that
        several questions about one date share their work."""
        found = self._dates.get(as_of)
        if found is None:
            found = Evaluation(self.rules, self.parameters, self.calendar, self.facts, as_of)
            for table, rows in self._rows.items():
                changing = self._columns_changing_on(table, as_of)
                if changing:
                    found._rows_of_another_day[table] = (rows, changing)
                else:
                    found._rows[table] = rows
            self._dates[as_of] = found
        return found

    def without_recording(self) -> Evaluation:
        """The same person on the same date, not recording, starting from what this evaluation
        has worked out (values, rows, coverage counts: the same either way); answers no
        explanation is asked of cost a fifth of a recorded one's."""
        if not self.record:
            return self
        twin = Evaluation(self.rules, self.parameters, self.calendar, self.facts, self.as_of)
        twin.values.update(self.values)
        twin._rows.update(self._rows)
        twin._kernels.update(self._kernels)
        return twin

    def recording_at(self, as_of: dt.date) -> Evaluation:
        """The same person evaluated on another date, recording what the rules read; kept,
        so that the outputs asking what a rule in force from that date compares share it (a
        back-dated assessment asks it of every day a recorded step happens later)."""
        found = self._recordings.get(as_of)
        if found is None:
            found = self._recordings[as_of] = Evaluation(
                self.rules, self.parameters, self.calendar, self.facts, as_of, record=True
            )
        return found

    def _columns_changing_on(self, table: str, day: dt.date) -> frozenset[str]:
        """The derived columns of ``table`` that may differ on ``day``: those that read the date,
        or a parameter whose value differs between the two dates (or such a column)."""
        reading_the_date, by_parameter = _date_dependence(self.rules, table)
        if not _law_changes_between(self.parameters, self.as_of, day):
            return reading_the_date
        differing = [name for name in by_parameter if not self._same(name, day)]
        if not differing:  # the law alike on both days: the commonest case
            return reading_the_date
        return reading_the_date.union(*(by_parameter[name] for name in differing))

    def _same(self, parameter: str, day: dt.date) -> bool:
        return self._parameter(parameter, self.as_of) is self._parameter(parameter, day)

    def rows(self, table: str) -> list[Row]:
        """The person's rows of ``table`` with the rule set's derived columns added."""
        if table not in self._rows:
            # Column after column, as the population back-end adds them: a derived column that
            # looks up the person's other rows of this table reads their earlier columns.
            another_day = self._rows_of_another_day.get(table)
            source = self.facts.tables.get(table, ()) if another_day is None else another_day[0]
            rows: list[dict[str, Any]] = [dict(e) for e in source]
            self._rows[table] = list(rows)  # the same rows, seen while their columns are added
            for name, expr in self.rules.row_variables.get(table, {}).items():
                if another_day is not None and name not in another_day[1]:
                    continue  # the same on both days: copied
                run = _compiled(expr)
                for row in rows:
                    row[name] = (
                        self._derived(run, row, name) if self.record else run(self, row, None)
                    )
        return self._rows[table]

    def _derived(self, run: Compiled, row: Row, name: str) -> Any:
        """A derived column's value on ``row``. Recording, what it read is kept apart and
        given to every variable that reads the column (``_field``), not only to the first:
        a deadline resting on a derived expiry names the validity it was derived from."""
        if not self.record:
            return run(self, row, None)
        self._stack.append(Record())
        try:
            return run(self, row, None)
        finally:
            self._derived_records[(id(row), name)] = self._stack.pop()

    def evaluate_node(self, node: Node, outer_row: Row | None = None) -> Any:
        """Evaluates ``node`` for this person; ``outer`` reads ``outer_row`` (the person who
        asks, in a family aggregate)."""
        return _compiled(node)(self, self.facts.person, outer_row)

    # ------------------------------------------------------------ helpers of compiled nodes

    def _parameter(self, name: str, day: dt.date) -> ParameterValue | None:
        key = (name, day)
        if key not in self._parameters:
            self._parameters[key] = self.parameters.at(name, day)
        return self._parameters[key]

    def _change_dates(self, parameter: str) -> tuple[dt.date, ...]:
        if parameter not in self._parameter_changes:
            self._parameter_changes[parameter] = tuple(self.parameters[parameter].change_dates())
        return self._parameter_changes[parameter]

    def _member(self, member: FamilyMember) -> Evaluation:
        if member.person_id not in self._family:
            assert member.facts is not None
            self._family[member.person_id] = Evaluation(
                self.rules,
                self.parameters,
                self.calendar,
                member.facts,
                self.as_of,
                record=self.record,
            )
        return self._family[member.person_id]

    def _ask_member(self, member: FamilyMember, node: Node, row: Row) -> Any:
        """``node`` evaluated for a relative; recording, what it read (a parent's title
        ending) is given to the variable asking."""
        relative = self._member(member)
        asked_before, relative._asker = relative._asker, row
        try:
            if not self._stack:
                return relative.evaluate_node(node, row)
            relative._stack.append(Record())
            try:
                return relative.evaluate_node(node, row)
            finally:
                self._stack[-1].absorb(relative._stack.pop())
        finally:
            relative._asker = asked_before

    def _coverage(
        self, spec: CoverageSpec, window_start: dt.date | None, person: Row
    ) -> tuple[dt.date | None, float, frozenset[dt.date]]:
        """The coverage of the window (start of the run, weighted days), and the bounds of
        the intervals it was counted from."""
        intervals = []
        for source in spec.sources:
            where, start, end, weight = map(
                _compiled, (source.where, source.start, source.end, source.weight)
            )
            for episode in self.rows(source.table):
                if where(self, episode, person) is not True:
                    continue
                first, last = start(self, episode, person), end(self, episode, person)
                factor = weight(self, episode, person)
                if first is not None and factor is not None:
                    intervals.append((first, last or FAR_FUTURE, float(factor)))
        run_start, weighted_days = coverage_scalar(intervals, self.as_of, window_start)
        bounds = {day for first, last, _ in intervals for day in (first, last) if day < FAR_FUTURE}
        return run_start, weighted_days, frozenset(bounds)


# ---------------------------------------------------------------- per rule set


@dataclass
class _RuleSetCache:
    """What is worked out once per rule set: compiled variables, the date dependence of
    derived columns, and whether an expression (by node identity) moves with the date."""

    rules: RuleSet
    variables: dict[str, Compiled] = field(default_factory=dict)
    column_dependence: dict[str, dict[str, tuple[bool, frozenset[str]]]] = field(
        default_factory=dict
    )
    moves: dict[int, bool] = field(default_factory=dict)
    derived_columns: frozenset[str] | None = None
    date_dependence: dict[str, tuple[frozenset[str], dict[str, frozenset[str]]]] = field(
        default_factory=dict
    )


_BY_RULES: dict[int, _RuleSetCache] = {}


def _cache(rules: RuleSet) -> _RuleSetCache:
    found = _BY_RULES.get(id(rules))
    if found is None or found.rules is not rules:
        found = _BY_RULES[id(rules)] = _RuleSetCache(rules)
    return found


def _derived_columns(rules: RuleSet) -> frozenset[str]:
    """The names of the derived columns of every table (a field read by another name reads a
    recorded fact, with nothing recorded about it)."""
    cache = _cache(rules)
    if cache.derived_columns is None:
        cache.derived_columns = frozenset(
            name for columns in rules.row_variables.values() for name in columns
        )
    return cache.derived_columns


def _variables(rules: RuleSet) -> dict[str, Compiled]:
    return _cache(rules).variables


def _variable(rules: RuleSet, name: str) -> Compiled:
    compiled = _variables(rules)[name] = _compiled(rules[name].expr)
    return compiled


def _column_dependence(rules: RuleSet, table: str) -> dict[str, tuple[bool, frozenset[str]]]:
    """For each derived column of ``table``: whether it reads the date, and which parameters
    it reads on the date — itself or through the derived columns it reads (of its own row, or
    of the rows it looks up). A column read by name from any table it looks at counts (a
    column may be read when it need not be: it is then worked out again, never wrongly
    copied); a variable, a family question or a kernel counts as reading the date."""
    known = _cache(rules).column_dependence
    if table not in known:
        known[table] = _CIRCLE  # a circle of look-ups (which the population back-end refuses)
        columns: dict[str, tuple[bool, frozenset[str]]] = {}
        for name, expr in rules.row_variables.get(table, {}).items():
            columns[name] = _reads_the_date(rules, table, expr, columns)
        known[table] = columns
    return known[table]


def _reads_the_date(
    rules: RuleSet, table: str, expr: Node, earlier: dict[str, tuple[bool, frozenset[str]]]
) -> tuple[bool, frozenset[str]]:
    found = list(nodes(expr))
    reads_date = any(isinstance(node, (AsOf, Var, FamilyAggregate, Kernel)) for node in found)
    on_date = {node.name for node in found if isinstance(node, Param) and node.at is None}
    names = {node.name for node in found if isinstance(node, Field | Outer)}
    looked_up = {node.table for node in found if isinstance(node, Aggregate)} - {table}
    for other in sorted(looked_up):
        theirs = _column_dependence(rules, other)
        reads_date = reads_date or theirs is _CIRCLE
        for column in names & theirs.keys():
            reads_date, on_date = reads_date or theirs[column][0], on_date | theirs[column][1]
    for column in names & earlier.keys():
        reads_date, on_date = reads_date or earlier[column][0], on_date | earlier[column][1]
    return reads_date, frozenset(on_date)


_CIRCLE: dict[str, tuple[bool, frozenset[str]]] = {}


def _law_changes_between(store: ParameterStore, one: dt.date, other: dt.date) -> bool:
    """Some parameter's value changes on a day after the earlier of the two days, up to the
    later: otherwise every parameter has the same value on both (``Parameter.at`` changes
    only on its change dates)."""
    earlier, later = min(one, other), max(one, other)
    days = store.change_days
    position = bisect.bisect_right(days, earlier)
    return position < len(days) and days[position] <= later


def _date_dependence(
    rules: RuleSet, table: str
) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """``_column_dependence`` turned round: the columns of ``table`` that read the date, and
    for each parameter read on the date the columns that read it."""
    known = _cache(rules).date_dependence
    if table not in known:
        columns = _column_dependence(rules, table)
        by_parameter: dict[str, set[str]] = {}
        for column, (_, parameters_read) in columns.items():
            for parameter in parameters_read:
                by_parameter.setdefault(parameter, set()).add(column)
        known[table] = (
            frozenset(column for column, (reads_date, _) in columns.items() if reads_date),
            {parameter: frozenset(found) for parameter, found in by_parameter.items()},
        )
    return known[table]


# ---------------------------------------------------------------- compiling nodes

Compiled = Callable[[Evaluation, Row, Row | None], Any]
# Compiled closures by node identity (the node is kept with its closure, so the id stays its).
_COMPILED: dict[int, tuple[Node, Compiled]] = {}


def _compiled(node: Node) -> Compiled:
    found = _COMPILED.get(id(node))
    if found is None:
        compile_node = _COMPILERS.get(type(node))
        if compile_node is None:
            raise EvaluationError(f"the one-person back-end cannot evaluate {node!r}")
        found = (node, compile_node(node))
        _COMPILED[id(node)] = found
    return found[1]


def _literal(node: Literal_) -> Compiled:
    value = node.value
    return lambda e, row, outer: value


def _as_of(node: AsOf) -> Compiled:
    return lambda e, row, outer: e.as_of


def _field(node: Field) -> Compiled:
    name = node.name

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        if e._stack and name in e._derived_columns:
            derived = e._derived_records.get((id(row), name))
            if derived is not None:
                e._stack[-1].absorb(derived)
        return row.get(name)

    return run


def _asker(node: Asker) -> Compiled:
    name = node.name

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        if e._asker is None:
            raise EvaluationError(f"asker({name!r}) used outside a family aggregate")
        return e._asker.get(name)

    return run


def _outer(node: Outer) -> Compiled:
    name = node.name

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        if outer is None:
            raise EvaluationError(f"outer({name!r}) used outside an aggregate")
        return outer.get(name)

    return run


def _var(node: Var) -> Compiled:
    name = node.name
    return lambda e, row, outer: e.value(name)


def _param(node: Param) -> Compiled:
    name = node.name
    at = None if node.at is None else _compiled(node.at)

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        day = e.as_of if at is None else at(e, row, outer)
        if day is None:
            return None
        found = e._parameter(name, day)
        if e._stack:
            record = e._stack[-1]
            # A rule not in force yet (or a value replaced by the next) changes the answer on
            # the day it starts: every day the parameter changes is a candidate.
            record.dates.update(e._change_dates(name))
            # With none in force, the value that ended is what the explanation can cite (its
            # note says whether a later one is known).
            used = found or e.parameters[name].last_ended(day)
            if used is not None:
                record.parameters[name] = used
        return None if found is None else found.value

    return run


def _cases(node: Cases) -> Compiled:
    branches = [(_compiled(b.when), _compiled(b.then), b.label, b.reference) for b in node.branches]
    otherwise = _compiled(node.otherwise)
    label, reference = node.otherwise_label, node.otherwise_reference

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        for when, then, case_label, case_reference in branches:
            if when(e, row, outer) is True:
                if e._stack:
                    e._stack[-1].cases.append((case_label, case_reference))
                return then(e, row, outer)
        if e._stack:
            e._stack[-1].cases.append((label, reference))
        return otherwise(e, row, outer)

    return run


def _op(node: Op) -> Compiled:
    if node.op in _KLEENE_OPS:
        operands = _chained(node)
        return _KLEENE_OPS[node.op]([_compiled(arg) for arg in operands], operands)
    args = [_compiled(arg) for arg in node.args]
    if node.op in _LAZY_OPS:
        return _LAZY_OPS[node.op](args)
    if node.op in _COMPARISONS:
        left_moves, right_moves = (_reads_date(arg) for arg in node.args[:2])
        moving = (left_moves and not right_moves) - (right_moves and not left_moves)
        if moving and isinstance(node.args[0 if moving > 0 else 1], AsOf):
            # The date itself against a fixed day turns on that day or the next, both
            # recorded as days: no count of days to it is needed (nor probed).
            moving = 0
        dates = _dates_to_record(node)
        # Equal (or not) turns back the next day: a day count or a moving date reaching the
        # other side is a day compared, whose day after is looked at too, not a count's
        # reach (probed once, two days on, as a threshold crossed for good).
        back = node.op in ("eq", "ne")
        return _comparison(
            _COMPARISONS[node.op], args[0], args[1], moving=moving, dates=dates, turns_back=back
        )
    fast = _fast_op(node, args)
    if fast is not None:
        return fast
    apply = _STRICT_OPS[node.op]
    if len(args) == 1:
        (only,) = args
        return lambda e, row, outer: apply(e, node, [only(e, row, outer)])
    if len(args) == 2:
        first, second = args
        return lambda e, row, outer: apply(e, node, [first(e, row, outer), second(e, row, outer)])
    return lambda e, row, outer: apply(e, node, [arg(e, row, outer) for arg in args])


def _chained(node: Op) -> tuple[Node, ...]:
    """The operands of a chain of one Kleene operation (``a & b & c`` is built as
    ``(a & b) & c``), in their order: evaluated as one, with a call less for each link. The
    same answers and the same order of evaluation; recording, the days of the operands after
    the deciding one are looked at only where the deciding operand itself moves with the
    date, not where another operand of its link does (which would not turn the answer)."""
    operands: list[Node] = []
    for arg in node.args:
        if isinstance(arg, Op) and arg.op == node.op:
            operands.extend(_chained(arg))
        else:
            operands.append(arg)
    return tuple(operands)


def _fast_op(node: Op, args: list[Compiled]) -> Compiled | None:
    """The commonest operations (tests of a value) as closures of their own, without an
    argument list: the same answers as ``_STRICT_OPS``, a tenth of the work."""
    if len(args) == 1:
        (only,) = args
        if node.op == "is_null":
            return lambda e, row, outer: only(e, row, outer) is None
        if node.op == "is_not_null":
            return lambda e, row, outer: only(e, row, outer) is not None
        if node.op == "is_true":
            return lambda e, row, outer: only(e, row, outer) is True
        if node.op == "not":
            return _negation(only)
    codes = node.args[1] if len(node.args) == 2 else None
    if node.op == "is_in" and isinstance(codes, Literal_) and codes.value is not None:
        return _membership(args[0], codes.value)  # a null list stays with the strict rule
    return None


def _negation(only: Compiled) -> Compiled:
    def run(e: Evaluation, row: Row, outer: Row | None) -> bool | None:
        value = only(e, row, outer)
        return None if value is None else not value

    return run


def _membership(value_of: Compiled, codes: Any) -> Compiled:
    def run(e: Evaluation, row: Row, outer: Row | None) -> bool | None:
        value = value_of(e, row, outer)
        return None if value is None else value in codes

    return run


def _reads_date(node: Node) -> bool:
    """The expression reads the evaluation date (and so moves with it). A ``coalesce`` moves
    as its first value does: "returned, or the date if not yet" is a fixed day once the
    return is recorded (a comparison judged moving when it is not only adds a candidate)."""
    if isinstance(node, AsOf):
        return True
    if isinstance(node, Op):
        if node.op == "coalesce":
            return _reads_date(node.args[0])
        return any(_reads_date(arg) for arg in node.args)
    return any(isinstance(found, AsOf) for found in nodes(node))


def _dates_to_record(node: Op) -> Callable[[Any, Any], tuple[Any, ...]]:
    """The sides of a comparison whose dates are days the answer may change on: not the
    evaluation date itself (the other side's day, and the day after it, are where such a
    comparison turns; the day after the date would be probed for every answer in vain)."""
    left_is_date, right_is_date = (isinstance(arg, AsOf) for arg in node.args[:2])
    if left_is_date and right_is_date:
        return lambda a, b: ()
    if left_is_date:
        return lambda a, b: (b,)
    if right_is_date:
        return lambda a, b: (a,)
    return lambda a, b: (a, b)


def _comparison(
    compare: Callable[[Any, Any], Any],
    left: Compiled,
    right: Compiled,
    *,
    moving: int,
    dates: Callable[[Any, Any], tuple[Any, ...]],
    turns_back: bool = False,
) -> Compiled:
    """``moving``: 1 when only the left side moves with the evaluation date, -1 the right,
    0 neither or both. A side moving towards a later fixed date reaches it that many days on
    (a date behind it never is reached). ``dates``: the sides recorded as days of change."""

    def run(e: Evaluation, row: Row, outer: Row | None) -> bool | None:
        a, b = left(e, row, outer), right(e, row, outer)
        if a is None or b is None:
            return None
        if e._stack:
            if isinstance(a, dt.date):
                e._stack[-1].dates.update(dates(a, b))
                if moving and isinstance(b, dt.date):
                    ahead = ((b - a) if moving > 0 else (a - b)).days
                    if ahead >= 0 and turns_back:
                        e._stack[-1].dates.add(add_days(e.as_of, ahead))
                    elif ahead >= 0:  # reached today: it may turn tomorrow (``>``)
                        e._stack[-1].gaps.add(ahead)
            elif isinstance(a, int | float) and not isinstance(a, bool):
                if turns_back and math.isfinite(b - a):  # the day saturates, as all do
                    e._stack[-1].dates.add(add_days(e.as_of, int(abs(b - a))))
                else:
                    e._stack[-1].numbers.append((float(a), float(b)))
        return bool(compare(a, b))

    return run


def _aggregate(node: Aggregate) -> Compiled:
    table, where = node.table, _compiled(node.where)
    reduce = _AGGREGATORS[node.how](node)
    existence = node.how == "any"

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        if existence and not e._stack:
            # Nothing is recorded: the first matching row answers.
            return any(where(e, episode, row) is True for episode in e.rows(table))
        rows = [episode for episode in e.rows(table) if where(e, episode, row) is True]
        return reduce(e, rows, row)

    return run


def _family_aggregate(node: FamilyAggregate) -> Compiled:
    relation, value = node.relation, node.value

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        answers = [
            None if member.facts is None else e._ask_member(member, value, row)
            for member in e.facts.family
            if member.relation == relation
        ]
        return _kleene_any(answers)

    return run


def _kernel(node: Kernel) -> Compiled:
    spec, output = node.options
    window = _compiled(node.args[0])

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        window_start = window(e, row, outer)
        key = (id(spec), window_start)
        if key not in e._kernels:
            e._kernels[key] = e._coverage(spec, window_start, row)
        run_start, weighted_days, bounds = e._kernels[key]
        if e._stack and window_start is not None:
            # The result changes when the date reaches an interval's bound ahead, or when the
            # window's start passes one behind it (a break abroad leaving the five years).
            ahead = {b for b in bounds if b > e.as_of}
            e._stack[-1].dates.update(ahead)
            e._stack[-1].gaps.update(
                (b - window_start).days for b in bounds - ahead if b > window_start
            )
        if output == "run_start":
            return run_start
        return weighted_days if run_start is not None else None

    return run


# ---------------------------------------------------------------- operations


def _kleene(decisive: bool) -> Callable[[list[Compiled], tuple[Node, ...]], Compiled]:
    """Kleene ``and`` (false decides) or ``or`` (true decides), evaluating left to right and
    stopping at the deciding value; otherwise unknown if any operand is unknown."""

    def build(args: list[Compiled], operands: tuple[Node, ...]) -> Compiled:
        # Whether each operand moves with the date, for the rule set last asked about (a rule
        # book uses one; another is looked up again in ``_moves_with_date``'s own cache).
        last: list[tuple[RuleSet | None, tuple[bool, ...]]] = [(None, ())]

        def moving(rules: RuleSet) -> tuple[bool, ...]:
            if last[0][0] is not rules:
                last[0] = (rules, tuple(_moves_with_date(rules, arg) for arg in operands))
            return last[0][1]

        def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
            if e._stack:
                return recording(e, row, outer)
            unknown = False
            for arg in args:
                value = arg(e, row, outer)
                if value is decisive:
                    return decisive
                unknown = unknown or value is None
            return None if unknown else not decisive

        def pair(e: Evaluation, row: Row, outer: Row | None) -> Any:
            # ``run`` unrolled for the commonest two operands.
            if e._stack:
                return recording(e, row, outer)
            first = args[0](e, row, outer)
            if first is decisive:
                return decisive
            second = args[1](e, row, outer)
            if second is decisive:
                return decisive
            return None if first is None or second is None else not decisive

        def recording(e: Evaluation, row: Row, outer: Row | None) -> Any:
            unknown = False
            for position, arg in enumerate(args):
                value = arg(e, row, outer)
                if value is decisive:
                    moves = moving(e.rules)
                    if moves[position]:
                        _dates_of_the_rest(e, args, operands, moves, position + 1, row, outer)
                    return decisive
                unknown = unknown or value is None
            return None if unknown else not decisive

        return pair if len(args) == 2 else run

    return build


def _dates_of_the_rest(
    e: Evaluation,
    args: Sequence[Compiled],
    operands: Sequence[Node],
    moves: Sequence[bool],
    start: int,
    row: Row,
    outer: Row | None,
) -> None:
    """Recording: the dates compared by the operands after the deciding one, which moves with
    the date: once it no longer decides they may, so their dates are days the answer may
    change. Their parameters and cases did not decide, and are not recorded; operands that
    cannot move with the date compare no such day, and are not evaluated."""
    for position in range(start, len(args)):
        if not moves[position] or not _cheap(e, operands[position]):
            continue
        e._stack.append(Record())
        try:
            args[position](e, row, outer)
        finally:
            read = e._stack.pop()
        e._stack[-1].absorb(read, parameters=False)


def _cheap(e: Evaluation, node: Node) -> bool:
    """Evaluating the expression looks at this row only, or at variables already evaluated:
    the explanation's time goes on what decided, not on lookups that did not."""
    key = id(node)
    if key not in _VARIABLES_OF_ROW_EXPRESSIONS:
        _VARIABLES_OF_ROW_EXPRESSIONS[key] = _row_expression_variables(node)
    variables = _VARIABLES_OF_ROW_EXPRESSIONS[key]
    return variables is not None and all(name in e.values for name in variables)


# By node identity: the variables an expression reads, or None where it looks up other rows,
# relatives or a kernel (nodes are kept by the rule sets, so their ids are not reused).
_VARIABLES_OF_ROW_EXPRESSIONS: dict[int, tuple[str, ...] | None] = {}


def _row_expression_variables(node: Node) -> tuple[str, ...] | None:
    found = list(nodes(node))
    if any(isinstance(item, Aggregate | FamilyAggregate | Kernel) for item in found):
        return None
    return tuple({item.name for item in found if isinstance(item, Var)})


def _moves_with_date(rules: RuleSet, node: Node) -> bool:
    """The expression's value may change with the evaluation date alone: it reads the date, a
    parameter on the date, a kernel (counted to the date), or a variable or derived column
    that does. Facts fixed for good (a kind, a recorded day) do not."""
    known = _cache(rules).moves
    key = id(node)
    if key not in known:
        known[key] = any(_node_moves(rules, found) for found in nodes(node))
    return known[key]


def _node_moves(rules: RuleSet, node: Node) -> bool:
    if isinstance(node, AsOf | Kernel):
        return True
    if isinstance(node, Param):
        return node.at is None
    if isinstance(node, Var):
        return _moves_with_date(rules, rules[node.name].expr)
    if isinstance(node, Field):  # a derived column moves as its expression does
        return any(
            _moves_with_date(rules, columns[node.name])
            for columns in rules.row_variables.values()
            if node.name in columns
        )
    return False


def _if_else(args: list[Compiled]) -> Compiled:
    condition, then, otherwise = args

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        branch = then if condition(e, row, outer) is True else otherwise
        return branch(e, row, outer)

    return run


def _coalesce(args: list[Compiled]) -> Compiled:
    """The first known value, evaluating left to right and stopping there: a fallback (a
    derived expiry, the next link of a chain of stamps) is not computed where a value is
    recorded, nor are the parameters it would read recorded."""

    def run(e: Evaluation, row: Row, outer: Row | None) -> Any:
        for arg in args:
            value = arg(e, row, outer)
            if value is not None:
                return value
        return None

    return run


def _kleene_any(values: Sequence[Any]) -> bool | None:
    if any(value is True for value in values):
        return True
    return None if any(value is None for value in values) else False


_KLEENE_OPS: dict[str, Callable[[list[Compiled], tuple[Node, ...]], Compiled]] = {
    "and": _kleene(False),
    "or": _kleene(True),
}
_LAZY_OPS: dict[str, Callable[[list[Compiled]], Compiled]] = {
    "if_else": _if_else,
    "coalesce": _coalesce,
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
        if None in args:
            return None
        return function(*args)

    return apply


def _period(evaluation: Evaluation, node: Op, args: list[Any]) -> Any:
    start, amount = args
    if start is None or amount is None:
        return None
    if node.op == "add_period":
        return add_period(start, int(amount), node.extra)
    try:
        return period_end(start, int(amount), node.extra, evaluation.calendar)
    except DateOutsideCalendarError:  # days off not known: unknown, as the population's null
        return None


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
    "contains_only": _null_safe(lambda values, code: bool(values) and set(values) == {code}),
    "contains_any": _null_safe(lambda values, codes: any(code in values for code in codes)),
    "is_empty": _null_safe(lambda values: not values),
    "max": lambda e, n, a: max(_known(a), default=None),
    "min": lambda e, n, a: min(_known(a), default=None),
    "add": _null_safe(operator.add),
    "sub": _null_safe(operator.sub),
    "mul": _null_safe(operator.mul),
    "add_days": _null_safe(lambda day, days: add_days(day, int(days))),  # saturates, as periods
    "days_between": _null_safe(lambda start, end: (end - start).days),
    "add_period": _period,
    "period_end": _period,
    "in_windows": _null_safe(_in_windows),
}


# ---------------------------------------------------------------- aggregates

Reduce = Callable[[Evaluation, list[Row], Row], Any]


def _values_of(node: Aggregate) -> Callable[[Evaluation, list[Row], Row], list[Any]]:
    value = _compiled(node.value)
    return lambda e, rows, person: _known([value(e, episode, person) for episode in rows])


def _each_recorded(
    e: Evaluation, rows: list[Row], compute: Callable[[Row], Any]
) -> list[tuple[Any, Record]]:
    """``compute`` for each row, with what each read recorded apart."""
    found = []
    for episode in rows:
        e._stack.append(Record())
        try:
            answer = compute(episode)
        finally:
            record = e._stack.pop()
        found.append((answer, record))
    return found


def _absorb_deciding(
    e: Evaluation, found: list[tuple[Any, Record]], deciding: Callable[[Any], bool]
) -> None:
    """What the rows read, the parameters only of those that gave the answer: an explanation
    of "the earliest deadline" cites the values its own period rests on, not those of the
    other applications (their dates still count as days the answer may change)."""
    record = e._stack[-1]
    for answer, read in found:
        record.cases.extend(read.cases)
        record.absorb(read, parameters=deciding(answer))


def _extreme(node: Aggregate, pick: Callable[..., Any]) -> Reduce:
    value = _compiled(node.value)

    def reduce(e: Evaluation, rows: list[Row], person: Row) -> Any:
        if not e._stack or len(rows) < 2:  # one row gives the answer: all it read decided
            return pick(_known([value(e, episode, person) for episode in rows]), default=None)
        found = _each_recorded(e, rows, lambda episode: value(e, episode, person))
        result = pick(_known([answer for answer, _ in found]), default=None)
        _absorb_deciding(e, found, lambda answer: result is None or answer == result)
        return result

    return reduce


def _value_at_max(node: Aggregate) -> Reduce:
    assert node.key is not None
    key, value = _compiled(node.key), _compiled(node.value)

    def reduce(e: Evaluation, rows: list[Row], person: Row) -> Any:
        def pair(episode: Row) -> tuple[Any, Any]:
            return key(e, episode, person), value(e, episode, person)

        if not e._stack or len(rows) < 2:
            pairs = [pair(episode) for episode in rows]
            known = [(k, v) for k, v in pairs if k is not None and v is not None]
            return max(known)[1] if known else None
        found = _each_recorded(e, rows, pair)
        known = [(k, v) for (k, v), _ in found if k is not None and v is not None]
        best = max(known) if known else None
        _absorb_deciding(e, found, lambda answer: best is None or answer == best)
        return best[1] if best is not None else None

    return reduce


def _any(node: Aggregate) -> Reduce:
    return lambda e, rows, person: bool(rows)


def _count(node: Aggregate) -> Reduce:
    return lambda e, rows, person: len(rows)


def _max(node: Aggregate) -> Reduce:
    return _extreme(node, max)


def _min(node: Aggregate) -> Reduce:
    return _extreme(node, min)


def _sum(node: Aggregate) -> Reduce:
    values = _values_of(node)
    return lambda e, rows, person: sum(values(e, rows, person))


_AGGREGATORS: dict[str, Callable[[Aggregate], Reduce]] = {
    "any": _any,
    "count": _count,
    "max": _max,
    "min": _min,
    "sum": _sum,
    "value_at_max": _value_at_max,
}

_COMPILERS: dict[type, Callable[[Any], Compiled]] = {
    Literal_: _literal,
    AsOf: _as_of,
    Field: _field,
    Outer: _outer,
    Asker: _asker,
    Var: _var,
    Param: _param,
    Cases: _cases,
    Op: _op,
    Aggregate: _aggregate,
    FamilyAggregate: _family_aggregate,
    Kernel: _kernel,
}
