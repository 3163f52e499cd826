"""Expression trees to Polars expressions, for one scenario of the population back-end.

Three contexts: ``person`` (a row of the persons table), ``row`` (a row of an episode table,
with ``outer`` reading the enclosing row) and ``family`` (a linked person's variables, with
``outer`` and ``asker`` reading the person who asks; an aggregate there runs over the linked
person's rows, its ``asker`` read from the link). Aggregates, family aggregates and kernels are not
expressions over one row: the compiler asks its :class:`Helpers` for a column that will hold
their result, and the helpers compute those columns before the expressions run.

Every node also has a *signature*: equal signatures compile to the same expression under any
scenario. Helpers use it to compute an aggregate once when several rules (or both scenarios)
ask for the same one.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from legalstay.engine.errors import EvaluationError
from legalstay.engine.expressions import (
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
from legalstay.engine.parameters import ParameterStore
from legalstay.engine.periods import add_period_expr, period_end_expr
from legalstay.engine.rules import kernel_row_nodes

if TYPE_CHECKING:
    from legalstay.engine.population import PopulationRun

__all__ = ["Compiler", "Helpers", "asker_column", "literal"]


def asker_column(column: str) -> str:
    """Where a family aggregate's rows (links, and pairs of a link with the relative's
    episodes) hold the asking person's ``column``."""
    return f"__asker_{column}"


class Helpers(Protocol):
    """Where aggregates, family aggregates and kernels get the column holding their result."""

    def column(self, node: Aggregate | FamilyAggregate | Kernel, compiler: Compiler) -> str: ...


class Compiler:
    """Compiles expression trees of one scenario into Polars expressions."""

    def __init__(
        self,
        run: PopulationRun,
        scenario: str,
        helpers: Helpers,
        *,
        fields_of: str | None = None,
    ) -> None:
        self.run = run
        self.scenario = scenario
        # Derived episode columns are read as in ``fields_of`` (default: this scenario); a
        # signature under another scenario's fields tells whether two scenarios' versions of
        # an aggregate differ only through those columns.
        self.fields_of = fields_of or scenario
        self.parameters: ParameterStore = run.scenarios[scenario]
        self.helpers = helpers
        # The episode table whose rows a row expression reads (None in the person context),
        # and whether that row expression sits inside another aggregate's row expression.
        self.table: str | None = None
        self.nested = False
        self._signatures: dict[int, Hashable] = {}
        self._constant: dict[int, bool] = {}

    # ------------------------------------------------------------ entry points

    def person(self, node: Node) -> pl.Expr:
        return self.compile(node, "person")

    def row(self, node: Node, table: str, *, nested: bool = False) -> pl.Expr:
        """``node`` over the rows of ``table`` (``nested``: inside an aggregate's rows)."""
        saved = self.table, self.nested
        self.table, self.nested = table, nested
        try:
            return self.compile(node, "row")
        finally:
            self.table, self.nested = saved

    def field_column(self, name: str) -> str:
        return self.run.field_columns.get((name, self.fields_of), name)

    # ------------------------------------------------------------ compiling

    def compile(self, node: Node, context: str) -> pl.Expr:
        if isinstance(node, Literal_):
            return literal(node.value)
        if not isinstance(node, AsOf | Param) and self._is_constant(node):
            # Folded with the one-person interpreter: the same semantics by construction, and a
            # true scalar for Polars to broadcast (a one-row lookup result is not one).
            return literal(self._fold(node))
        if isinstance(node, AsOf):
            return pl.lit(self.run.as_of, dtype=pl.Date)
        if isinstance(node, Field):
            return pl.col(self.field_column(node.name))
        if isinstance(node, Asker):
            return pl.col(asker_column(self.field_column(node.name)))
        if isinstance(node, Outer):
            return pl.col(f"__outer_{self.field_column(node.name)}")
        if isinstance(node, Var):
            return pl.col(self.run.column(node.name, self.scenario))
        if isinstance(node, Param):
            return self._param(node, context)
        if isinstance(node, Cases):
            return self._cases(node, context)
        if isinstance(node, Op):
            return self._op(node, context)
        if isinstance(node, Aggregate | FamilyAggregate | Kernel):
            return pl.col(self.helpers.column(node, self))
        raise EvaluationError(f"the population back-end cannot compile {node!r}")

    def _is_constant(self, node: Node) -> bool:
        """True when ``node`` reads no row: only literals, parameters and the evaluation date."""
        key = id(node)
        if key not in self._constant:
            self._constant[key] = not isinstance(node, _VARIABLE_NODES) and all(
                self._is_constant(child) for child in node.children()
            )
        return self._constant[key]

    def _fold(self, node: Node) -> Any:
        from legalstay.engine.interpreter import Evaluation, Facts

        facts = Facts(person={}, tables={})
        evaluation = Evaluation(
            self.run.rules, self.parameters, self.run.calendar, facts, self.run.as_of
        )
        return evaluation.evaluate_node(node)

    def _param(self, node: Param, context: str) -> pl.Expr:
        parameter = self.parameters[node.name]
        if node.at is None:
            found = parameter.at(self.run.as_of)
            if found is None:  # not in force on the date: none, of the type its values have
                return typed_none(parameter.values[0].value if parameter.values else None)
            return literal(found.value)
        return self._dated_param(node, context, literal, pl.lit(None))

    def _dated_param(
        self, node: Param, context: str, then: Callable[[Any], pl.Expr], none: pl.Expr
    ) -> pl.Expr:
        """The parameter on a day each row gives: ``then(value)`` of the value in force on
        it, ``none`` where none is."""
        parameter = self.parameters[node.name]
        assert node.at is not None
        at = self.compile(node.at, context)
        # As Parameter.at reads it: the last value started by the day, unless it has ended.
        chain: Any = None
        for value in reversed(parameter.values):
            started = at >= value.valid_from
            answer = then(value.value)
            if value.valid_to is not None:
                answer = pl.when(at <= value.valid_to).then(answer).otherwise(none)
            chain = (pl.when(started) if chain is None else chain.when(started)).then(answer)
        return chain.otherwise(none) if chain is not None else none

    def _param_is_null(self, node: Param, context: str) -> pl.Expr:
        """Whether no value is in force on the row's day, asked without building the value
        on every row (a list-valued parameter built a list per row: a quarter of a second
        over a million applications)."""
        return self._dated_param(node, context, lambda value: pl.lit(value is None), pl.lit(True))

    def _cases(self, node: Cases, context: str) -> pl.Expr:
        chain: Any = None
        for branch in node.branches:
            when = self.compile(branch.when, context)
            then = self.compile(branch.then, context)
            chain = (pl.when(when) if chain is None else chain.when(when)).then(then)
        otherwise = self.compile(node.otherwise, context)
        return otherwise if chain is None else chain.otherwise(otherwise)

    def _op(self, node: Op, context: str) -> pl.Expr:
        if node.op in ("is_in", "in_windows", "contains_any"):
            return self._with_static(node, context)
        if node.op == "is_null" and isinstance(node.args[0], Param) and node.args[0].at is not None:
            return self._param_is_null(node.args[0], context)
        args = [self.compile(arg, context) for arg in node.args]
        result: pl.Expr = _OPS[node.op](self, node, args)
        return result

    def _with_static(self, node: Op, context: str) -> pl.Expr:
        value = self.compile(node.args[0], context)
        static = self.static(node.args[1])
        if static is None:
            return pl.lit(None, dtype=pl.Boolean)
        if node.op == "is_in":
            return value.is_in(list(static))
        if node.op == "contains_any":
            codes = list(static)
            if not codes:
                return pl.when(value.is_null()).then(None).otherwise(False)
            return pl.any_horizontal([value.list.contains(code) for code in codes])
        return _in_windows(value, static)

    def static(self, node: Node) -> Any:
        """A parameter or literal known when the plan is built (codes lists, windows)."""
        if isinstance(node, Literal_):
            return node.value
        if isinstance(node, Param) and node.at is None:
            found = self.parameters[node.name].at(self.run.as_of)
            return None if found is None else found.value
        raise EvaluationError(f"{node!r} must be a literal or a parameter on the evaluation date")

    # ------------------------------------------------------------ signatures

    def signature(self, node: Node) -> Hashable:
        """A key equal for two nodes exactly when they compile to the same expression here:
        their structure, with fields, variables and parameters resolved for this scenario."""
        key = id(node)
        found = self._signatures.get(key)
        if found is None:
            found = self._signature(node)
            self._signatures[key] = found
        return found

    def _signature(self, node: Node) -> Hashable:
        sign = self.signature
        if isinstance(node, Literal_):
            return ("lit", type(node.value).__name__, _hashable(node.value))
        if isinstance(node, AsOf):
            return ("as_of",)
        if isinstance(node, Field | Outer):
            return (type(node).__name__, self.field_column(node.name))
        if isinstance(node, Var):
            return ("var", self.run.column(node.name, self.scenario))
        if isinstance(node, Param):
            parameter = self.parameters.parameters.get(node.name)
            return ("param", node.name, id(parameter), None if node.at is None else sign(node.at))
        if isinstance(node, Op):
            return ("op", node.op, _hashable(node.extra), tuple(map(sign, node.args)))
        if isinstance(node, Cases):
            branches = tuple((sign(b.when), sign(b.then)) for b in node.branches)
            return ("cases", branches, sign(node.otherwise))
        if isinstance(node, Aggregate):
            parts = (node.value, node.where) + (() if node.key is None else (node.key,))
            return ("aggregate", node.table, node.how, tuple(map(sign, parts)))
        if isinstance(node, FamilyAggregate):
            where = None if node.where is None else sign(node.where)
            return ("family", node.relation, sign(node.value), where)
        if isinstance(node, Kernel):
            rows = tuple(map(sign, kernel_row_nodes(node)))
            return ("kernel", node.name, _hashable(node.options), rows, tuple(map(sign, node.args)))
        return ("node", id(node))


_VARIABLE_NODES = (Field, Outer, Var, Aggregate, FamilyAggregate, Kernel)


def _hashable(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    try:
        hash(value)
    except TypeError:
        return ("unhashable", id(value))
    return value  # type: ignore[no-any-return]


def typed_none(like: Any) -> pl.Expr:
    """An unknown value of the type ``like`` compiles to: a deadline whose parameter is not in
    force on the date is still a Date column (an untyped null would be written as type null)."""
    if like is None:
        return pl.lit(None)
    return pl.lit(None, dtype=pl.select(literal(like)).dtypes[0])


def literal(value: Any) -> pl.Expr:
    if value is None:
        return pl.lit(None)
    if isinstance(value, dt.date):
        return pl.lit(value, dtype=pl.Date)
    if isinstance(value, tuple | list):
        return pl.lit(pl.Series(list(value), dtype=pl.String)).implode()
    return pl.lit(value)


def _in_windows(day: pl.Expr, windows: Sequence[tuple[dt.date, dt.date]]) -> pl.Expr:
    if not windows:
        return pl.when(day.is_null()).then(None).otherwise(False)
    inside = [(day >= start) & (day <= end) for start, end in windows]
    return pl.any_horizontal(inside)


def _bool(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Boolean)


def _period(compiler: Compiler, node: Op, args: list[pl.Expr]) -> pl.Expr:
    start, amount = args
    start = start.cast(pl.Date)
    static = node.args[1]
    if isinstance(static, Literal_ | Param) and not (isinstance(static, Param) and static.at):
        known = compiler.static(static)
        if known is None:
            return pl.lit(None, dtype=pl.Date)
        amount_value: int | pl.Expr = int(known)
    else:
        amount_value = amount
    if node.op == "add_period":
        return add_period_expr(start, amount_value, node.extra)
    return period_end_expr(start, amount_value, node.extra, compiler.run.calendar)


# Days from the calendar's first day to its last: no day count added to a date goes further.
_SPAN = (dt.date.max - dt.date.min).days
_OPS: dict[str, Any] = {
    "eq": lambda c, n, a: a[0] == a[1],
    "ne": lambda c, n, a: a[0] != a[1],
    "lt": lambda c, n, a: a[0] < a[1],
    "le": lambda c, n, a: a[0] <= a[1],
    "gt": lambda c, n, a: a[0] > a[1],
    "ge": lambda c, n, a: a[0] >= a[1],
    # Kleene and/or over every operand (``&`` and ``|`` of nulls are Kleene in Polars), as
    # the one-person back-end reads them: ``all_of`` nests pairs, an ``Op`` may hold more.
    "and": lambda c, n, a: functools.reduce(operator.and_, map(_bool, a)),
    "or": lambda c, n, a: functools.reduce(operator.or_, map(_bool, a)),
    "not": lambda c, n, a: ~_bool(a[0]),
    "is_null": lambda c, n, a: a[0].is_null(),
    "is_not_null": lambda c, n, a: a[0].is_not_null(),
    "is_true": lambda c, n, a: _bool(a[0]).fill_null(False),
    "contains": lambda c, n, a: a[0].list.contains(a[1]),
    "contains_only": lambda c, n, a: (
        (a[0].list.len() > 0) & (a[0].list.count_matches(a[1]) == a[0].list.len())
    ),
    "is_empty": lambda c, n, a: a[0].list.len() == 0,
    "coalesce": lambda c, n, a: pl.coalesce(a),
    "max": lambda c, n, a: pl.max_horizontal(a),
    "min": lambda c, n, a: pl.min_horizontal(a),
    "add": lambda c, n, a: a[0] + a[1],
    "sub": lambda c, n, a: a[0] - a[1],
    "mul": lambda c, n, a: a[0] * a[1],
    # Date operations cast their operands: an unknown (null) literal has no type of its own.
    # Saturating at years 1 and 9999 as the one-person back-end does (engine.periods).
    # An unknown day count (a parameter with no value on the date) is a null of no type: cast.
    # The count is clipped to the calendar's span first: a larger one wraps Polars' day
    # numbers round (10⁹ days on gave year 1, where the one-person back-end gives 9999).
    "add_days": lambda c, n, a: (
        a[0].cast(pl.Date) + pl.duration(days=a[1].cast(pl.Int64).clip(-_SPAN, _SPAN))
    ).clip(dt.date.min, dt.date.max),
    "days_between": lambda c, n, a: (a[1].cast(pl.Date) - a[0].cast(pl.Date)).dt.total_days(),
    "add_period": _period,
    "period_end": _period,
    "if_else": lambda c, n, a: pl.when(a[0]).then(a[1]).otherwise(a[2]),
}
