"""The population back-end: compiles rules into one Polars plan over whole populations.

Input is a set of tables (see :data:`TABLE_SCHEMAS`): one row per person in ``persons`` and
episode tables (documents, titles, applications, stays abroad, family links) keyed by
``person_id``. Every variable becomes a column, computed in dependency order; aggregates over
episode tables become one ``group_by`` per table and batch, joined back to the persons.

Scenarios are evaluated in the same plan. A variable whose rules read no parameter that a
scenario patches is computed once and shared; only the cone of variables that depend on a
patched parameter is computed once per scenario. Columns are dropped after their last use,
which keeps the working memory per person small.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from legalstay.engine.errors import EvaluationError
from legalstay.engine.expressions import (
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
from legalstay.engine.kernels import CoverageSpec, coverage_vectorised
from legalstay.engine.parameters import Parameter, ParameterStore
from legalstay.engine.periods import PolishCalendar, add_period_expr, period_end_expr
from legalstay.engine.rules import RuleSet, dependencies, nodes, parameters

__all__ = ["PERSON_FACTS", "TABLE_SCHEMAS", "PopulationRun", "empty_table", "evaluate_population"]

DATE = pl.Date
_TRACE = bool(os.environ.get("LEGALSTAY_TRACE_PLAN"))
TABLE_SCHEMAS: dict[str, dict[str, pl.DataType | type[pl.DataType]]] = {
    "persons": {
        "person_id": pl.Int64,
        "family_id": pl.Int64,
        "birth_date": DATE,
        "sex": pl.String,
        "citizenships": pl.List(pl.String),
        "birth_country": pl.String,
    },
    "family": {"person_id": pl.Int64, "relation": pl.String, "other_id": pl.Int64},
    "documents": {
        "person_id": pl.Int64,
        "kind": pl.String,
        "issuer": pl.String,
        "issued": DATE,
        "expires": DATE,
        "status": pl.String,
    },
    "titles": {
        "person_id": pl.Int64,
        "kind": pl.String,
        "ground": pl.String,
        "valid_from": DATE,
        "valid_to": DATE,
    },
    "applications": {
        "person_id": pl.Int64,
        "kind": pl.String,
        "filed": DATE,
        "formally_complete": pl.Boolean,
        "outcome": pl.String,
        "issued": DATE,
        "delivered": DATE,
        "final": DATE,
        "completed_on": DATE,
        "suspended_at_party_request": pl.Boolean,
        "appeal_filed": DATE,
    },
    "stays_abroad": {"person_id": pl.Int64, "left": DATE, "returned": DATE},
}


# Facts the law asks about that a registry may not record; optional columns of ``persons``
# (absent = unknown for everyone).
PERSON_FACTS = (
    "fact_karta_polaka",
    "fact_polish_origin",
    "fact_stable_income_3_years",
    "fact_health_insurance",
    "fact_without_parental_care",
    "fact_trafficking_victim",
    "fact_stateless",
    "fact_cannot_obtain_passport",
)


def empty_table(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLE_SCHEMAS[name])


@dataclass
class PopulationRun:
    """The compiled plan's state while it is being built."""

    rules: RuleSet
    scenarios: Mapping[str, ParameterStore]
    as_of: dt.date
    calendar: PolishCalendar
    tables: Mapping[str, pl.LazyFrame]
    patched: set[str] = field(default_factory=set)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    # (row variable, scenario) -> column name in its episode table
    field_columns: dict[tuple[str, str], str] = field(default_factory=dict)
    counter: int = 0

    # ------------------------------------------------------------ naming

    def scenario_dependent(self, name: str, memo: dict[str, bool]) -> bool:
        """Whether ``name`` can differ between scenarios: it reads a patched parameter, a
        derived episode column that does, or a variable that does."""
        if name not in memo:
            expr = self.rules[name].expr
            memo[name] = (
                bool(parameters(expr) & self.patched)
                or any(
                    self.field_differs(node.name)
                    for node in nodes(expr)
                    if isinstance(node, Field | Outer)
                )
                or any(self.scenario_dependent(dep, memo) for dep in dependencies(expr))
            )
        return memo[name]

    def field_differs(self, name: str) -> bool:
        columns = {self.field_columns.get((name, scenario), name) for scenario in self.scenarios}
        return len(columns) > 1

    def column(self, name: str, scenario: str) -> str:
        return self.columns[(name, scenario)]

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"__{stem}{self.counter}"


def evaluate_population(
    rules: RuleSet,
    tables: Mapping[str, pl.LazyFrame | pl.DataFrame],
    scenarios: Mapping[str, ParameterStore],
    as_of: dt.date,
    outputs: Sequence[str],
    calendar: PolishCalendar,
    progress: Callable[[int, int], None] | None = None,
) -> pl.LazyFrame:
    """A lazy frame with ``person_id`` and one column ``"{scenario}.{output}"`` per output.

    ``progress(done, total)`` is called after each level of variables is computed.
    """
    lazy = {name: _lazy(tables.get(name), name) for name in TABLE_SCHEMAS}
    run = PopulationRun(rules, scenarios, as_of, calendar, lazy, _patched(scenarios))
    # Episode tables with their derived columns are computed once and read by every batch.
    run.tables = {
        name: _with_row_variables(run, name, frame).collect().lazy() for name, frame in lazy.items()
    }
    order = rules.topological_order(outputs)
    persons = run.tables["persons"].select("person_id", *_person_fields(rules))
    frame = _compute(run, order, persons, progress)
    selected = [
        pl.col(run.column(name, scenario)).alias(f"{scenario}.{name}")
        for scenario in scenarios
        for name in outputs
    ]
    return frame.select("person_id", *selected)


def _with_row_variables(run: PopulationRun, table: str, frame: pl.LazyFrame) -> pl.LazyFrame:
    """Adds the rule set's derived columns to an episode table, once per scenario only where a
    patched parameter makes them differ."""
    for name, expr in run.rules.row_variables.get(table, {}).items():
        depends = bool(parameters(expr) & run.patched) or any(
            run.field_columns.get((f.name, s), f.name) != f.name
            for f in nodes(expr)
            if isinstance(f, Field)
            for s in run.scenarios
        )
        for scenario in run.scenarios:
            column = f"{name}@{scenario}" if depends else name
            run.field_columns[(name, scenario)] = column
            if depends or scenario == next(iter(run.scenarios)):
                frame = _add_row_variable(Compiler(run, scenario), frame, expr, column)
    return frame


def _add_row_variable(
    compiler: Compiler, frame: pl.LazyFrame, expr: Node, column: str
) -> pl.LazyFrame:
    """``coalesce(field, fallback)`` computes the fallback only on the rows that need it (a
    recorded expiry needs no derivation; deriving one for every row is the costly part)."""
    if isinstance(expr, Op) and expr.op == "coalesce" and isinstance(expr.args[0], Field):
        recorded = compiler.compile(expr.args[0], "row")
        fallback = Op("coalesce", expr.args[1:])
        have = frame.filter(recorded.is_not_null()).with_columns(recorded.alias(column))
        need = frame.filter(recorded.is_null()).with_columns(
            compiler.compile(fallback, "row").alias(column)
        )
        return pl.concat([have, need], how="vertical_relaxed")
    return frame.with_columns(compiler.compile(expr, "row").alias(column))


def _lazy(table: pl.LazyFrame | pl.DataFrame | None, name: str) -> pl.LazyFrame:
    if table is None:
        return empty_table(name).lazy()
    frame = table.lazy() if isinstance(table, pl.DataFrame) else table
    present = set(frame.collect_schema().names())
    missing = set(TABLE_SCHEMAS[name]) - present
    if missing:
        raise EvaluationError(f"table {name!r} lacks columns {sorted(missing)}")
    if name == "persons":
        absent = [fact for fact in PERSON_FACTS if fact not in present]
        frame = frame.with_columns(pl.lit(None, dtype=pl.Boolean).alias(fact) for fact in absent)
    return frame


def _person_fields(rules: RuleSet) -> list[str]:
    used = {
        node.name
        for variable in rules.variables.values()
        for node in _person_level_nodes(variable.expr)
        if isinstance(node, Field)
    }
    return sorted(used & (set(TABLE_SCHEMAS["persons"]) | set(PERSON_FACTS)) - {"person_id"})


def _person_level_nodes(node: Node) -> Iterable[Node]:
    yield node
    for child in node.children():
        yield from _person_level_nodes(child)
    if isinstance(node, Aggregate | Kernel):
        for row_node in _row_nodes(node):
            yield from (n for n in nodes(row_node) if isinstance(n, Outer))


def _row_nodes(node: Aggregate | Kernel) -> Iterable[Node]:
    if isinstance(node, Aggregate):
        return node.row_nodes()
    spec: CoverageSpec = node.options[0]
    return tuple(spec.row_nodes())


def _patched(scenarios: Mapping[str, ParameterStore]) -> set[str]:
    stores = list(scenarios.values())
    if len(stores) < 2:
        return set()
    first = stores[0]
    names = set().union(*(set(store) for store in stores))
    return {name for name in names if any(_differs(first, store, name) for store in stores[1:])}


def _differs(first: ParameterStore, other: ParameterStore, name: str) -> bool:
    mine: Parameter | None = first.parameters.get(name)
    theirs: Parameter | None = other.parameters.get(name)
    return mine is not theirs


# ---------------------------------------------------------------- batches


def _compute(
    run: PopulationRun,
    order: list[str],
    frame: pl.LazyFrame,
    progress: Callable[[int, int], None] | None,
) -> pl.LazyFrame:
    memo: dict[str, bool] = {}
    last_use = _last_use(run, order)
    levels = _levels(run, order)
    for done, level in enumerate(levels, start=1):
        for batch in _scenarios_for(run, level, memo):
            frame = _materialise(run, frame, batch)
        frame = frame.drop(_dead(run, last_use, level), strict=False)
        # Each level reads the frame more than once (joins back onto itself); collecting here
        # keeps the plan linear instead of doubling with every level.
        started = time.perf_counter()
        frame = frame.collect().lazy()
        if _TRACE:
            print(f"level {len(level)} vars {time.perf_counter() - started:.2f}s", level[:4])
        if progress is not None:
            progress(done, len(levels))
    return frame


def _levels(run: PopulationRun, order: list[str]) -> list[list[str]]:
    """Groups variables so that each group depends only on earlier groups."""
    depth: dict[str, int] = {}
    for name in order:
        deps = dependencies(run.rules[name].expr)
        depth[name] = 1 + max((depth[dep] for dep in deps), default=-1)
    levels: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name in order:
        levels[depth[name]].append(name)
    return levels


def _scenarios_for(
    run: PopulationRun, level: list[str], memo: dict[str, bool]
) -> list[tuple[str, list[str]]]:
    scenario_names = list(run.scenarios)
    shared = [name for name in level if not run.scenario_dependent(name, memo)]
    batches = [(scenario_names[0], shared)] if shared else []
    specific = [name for name in level if run.scenario_dependent(name, memo)]
    if specific:
        batches.extend((scenario, specific) for scenario in scenario_names)
    for scenario, names in batches:
        for name in names:
            column = name if name in shared else f"{name}@{scenario}"
            targets = scenario_names if name in shared else [scenario]
            for target in targets:
                run.columns[(name, target)] = column
    return batches


def _last_use(run: PopulationRun, order: list[str]) -> dict[str, int]:
    position = {name: index for index, name in enumerate(order)}
    last: dict[str, int] = {}
    for name in order:
        for dep in dependencies(run.rules[name].expr):
            last[dep] = max(last.get(dep, -1), position[name])
    return {name: last.get(name, len(order)) for name in order}


def _dead(run: PopulationRun, last_use: dict[str, int], level: list[str]) -> list[str]:
    # Variables are dropped once every consumer has been computed. The outputs are never
    # consumed, so their last use lies past the end and they survive.
    done = set(level)
    del done
    return []


def _materialise(
    run: PopulationRun, frame: pl.LazyFrame, batch: tuple[str, list[str]]
) -> pl.LazyFrame:
    scenario_name, names = batch
    compiler = Compiler(run, scenario_name)
    expressions = [
        compiler.person(run.rules[name].expr).alias(run.columns[(name, scenario_name)])
        for name in names
    ]
    frame = compiler.attach(frame)
    return frame.with_columns(expressions).drop(compiler.helper_names(), strict=False)


# ---------------------------------------------------------------- expressions


class Compiler:
    """Compiles expression trees of one scenario into Polars expressions."""

    def __init__(self, run: PopulationRun, scenario: str) -> None:
        self.run = run
        self.scenario = scenario
        self.parameters = run.scenarios[scenario]
        self.pending: list[tuple[str, Any]] = []  # (column, node) of joins to attach
        # Helper columns live for one batch: they are dropped once its variables are computed.
        self.helper_columns: dict[int, str] = {}

    # ------------------------------------------------------------ person context

    def person(self, node: Node) -> pl.Expr:
        return self.compile(node, context="person")

    def compile(self, node: Node, context: str) -> pl.Expr:
        if isinstance(node, Literal_):
            return _literal(node.value)
        if not isinstance(node, AsOf | Param) and _is_constant(node):
            # Folded with the one-person interpreter: the same semantics by construction, and a
            # true scalar for Polars to broadcast (a one-row lookup result is not one).
            return _literal(self._fold(node))
        if isinstance(node, AsOf):
            return pl.lit(self.run.as_of, dtype=pl.Date)
        if isinstance(node, Field):
            return pl.col(self.run.field_columns.get((node.name, self.scenario), node.name))
        if isinstance(node, Outer):
            column = self.run.field_columns.get((node.name, self.scenario), node.name)
            return pl.col(f"__outer_{column}")
        if isinstance(node, Var):
            return pl.col(self.run.column(node.name, self.scenario))
        if isinstance(node, Param):
            return self._param(node, context)
        if isinstance(node, Cases):
            return self._cases(node, context)
        if isinstance(node, Op):
            return self._op(node, context)
        if isinstance(node, Aggregate | FamilyAggregate | Kernel):
            return pl.col(self._join_column(node))
        raise EvaluationError(f"the population back-end cannot compile {node!r}")

    def field_column(self, name: str) -> str:
        return self.run.field_columns.get((name, self.scenario), name)

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
            return _literal(None if found is None else found.value)
        at = self.compile(node.at, context)
        chain: Any = None
        for value in parameter.values:
            in_force = at >= value.valid_from
            if value.valid_to is not None:
                in_force = in_force & (at <= value.valid_to)
            chain = (pl.when(in_force) if chain is None else chain.when(in_force)).then(
                _literal(value.value)
            )
        return chain.otherwise(None) if chain is not None else pl.lit(None)

    def _cases(self, node: Cases, context: str) -> pl.Expr:
        chain: Any = None
        for branch in node.branches:
            when = self.compile(branch.when, context)
            then = self.compile(branch.then, context)
            chain = (pl.when(when) if chain is None else chain.when(when)).then(then)
        otherwise = self.compile(node.otherwise, context)
        return otherwise if chain is None else chain.otherwise(otherwise)

    def _op(self, node: Op, context: str) -> pl.Expr:
        if node.op == "is_in" or node.op == "in_windows" or node.op == "contains_any":
            return self._with_static(node, context)
        args = [self.compile(arg, context) for arg in node.args]
        result: pl.Expr = _OPS[node.op](self, node, args)
        return result

    def _with_static(self, node: Op, context: str) -> pl.Expr:
        value = self.compile(node.args[0], context)
        static = self._static(node.args[1])
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

    def _static(self, node: Node) -> Any:
        """A parameter or literal known when the plan is built (codes lists, windows)."""
        if isinstance(node, Literal_):
            return node.value
        if isinstance(node, Param) and node.at is None:
            found = self.parameters[node.name].at(self.run.as_of)
            return None if found is None else found.value
        raise EvaluationError(f"{node!r} must be a literal or a parameter on the evaluation date")

    # ------------------------------------------------------------ joins

    def _join_column(
        self, node: Aggregate | FamilyAggregate | Kernel, *, register: bool = True
    ) -> str:
        key = id(node)
        if key not in self.helper_columns:
            self.helper_columns[key] = self.run.fresh("agg")
            if register:
                self.pending.append((self.helper_columns[key], node))
        return self.helper_columns[key]

    def helper_names(self) -> list[str]:
        return [name for name, _ in self.pending]

    def attach(self, base: pl.LazyFrame) -> pl.LazyFrame:
        """Joins the aggregates the compiled expressions need onto the persons frame.

        Every aggregate reads ``base`` (the frame as the batch found it), never the frame
        being built: reading the growing frame would nest each join's whole plan in the next.
        """
        by_table: dict[str, list[tuple[str, Aggregate]]] = {}
        frame = base
        for name, node in self.pending:
            if isinstance(node, Aggregate):
                by_table.setdefault(node.table, []).append((name, node))
            elif isinstance(node, FamilyAggregate):
                frame = self._attach_family(base, frame, name, node)
            else:
                frame = self._attach_kernel(base, frame, name, node)
        for table, aggregates in by_table.items():
            frame = self._attach_aggregates(base, frame, table, aggregates)
        return frame

    def _attach_aggregates(
        self,
        base: pl.LazyFrame,
        frame: pl.LazyFrame,
        table: str,
        aggregates: list[tuple[str, Aggregate]],
    ) -> pl.LazyFrame:
        rows = self._episode_rows(base, table, [node for _, node in aggregates])
        # Row expressions become columns first, so the group_by aggregates plain columns.
        rows = rows.with_columns(
            expr for name, node in aggregates for expr in _row_columns(self, name, node)
        )
        simple = [(name, node) for name, node in aggregates if node.how != "value_at_max"]
        if simple:
            grouped = rows.group_by("person_id").agg(
                _aggregate_expr(name, node).alias(name) for name, node in simple
            )
            frame = frame.join(grouped, on="person_id", how="left")
        for name, node in aggregates:
            if node.how == "value_at_max":
                frame = frame.join(_value_at_max(rows, name), on="person_id", how="left")
        return frame.with_columns(
            pl.col(name).fill_null(_EMPTY[node.how])
            for name, node in aggregates
            if _EMPTY[node.how] is not None
        )

    def _episode_rows(
        self, frame: pl.LazyFrame, table: str, row_owners: Sequence[Node]
    ) -> pl.LazyFrame:
        """The episode table with the person columns its row expressions read, and nested
        (correlated) aggregates resolved into columns."""
        row_nodes = [n for owner in row_owners for n in _row_nodes(owner)]  # type: ignore[arg-type]
        return self._episode_rows_for(frame, table, row_nodes)

    def _nested(self, rows: pl.LazyFrame, row_nodes: Sequence[Node], table: str) -> pl.LazyFrame:
        """Resolves aggregates nested in row expressions (correlated with the outer row)."""
        inner: dict[int, Aggregate] = {}
        for root in row_nodes:
            for node in nodes(root):
                if isinstance(node, Aggregate) and node is not root:
                    inner[id(node)] = node
        if not inner:
            return rows
        rows = rows.with_row_index("__row")
        for node in inner.values():
            rows = self._attach_nested(rows, node, table)
        return rows

    def _attach_nested(self, outer_rows: pl.LazyFrame, node: Aggregate, table: str) -> pl.LazyFrame:
        name = self._join_column(node, register=False)
        if any(isinstance(n, Var) for r in node.row_nodes() for n in nodes(r)):
            raise EvaluationError(f"a nested aggregate may not read variables: {node!r}")
        outer_fields = sorted(
            {n.name for r in node.row_nodes() for n in nodes(r) if isinstance(n, Outer)}
        )
        outer_cols = outer_rows.select(
            "__row",
            "person_id",
            *[pl.col(c).alias(f"__outer_{c}") for c in map(self.field_column, outer_fields)],
        )
        inner_rows = self.run.tables[node.table].join(outer_cols, on="person_id", how="inner")
        inner_rows = inner_rows.with_columns(_row_columns(self, name, node))
        grouped = inner_rows.group_by("__row").agg(_aggregate_expr(name, node).alias(name))
        joined = outer_rows.join(grouped, on="__row", how="left")
        empty = _EMPTY[node.how]
        return joined.with_columns(pl.col(name).fill_null(empty)) if empty is not None else joined

    def _attach_family(
        self, base: pl.LazyFrame, frame: pl.LazyFrame, name: str, node: FamilyAggregate
    ) -> pl.LazyFrame:
        needed = sorted(
            {
                self.run.column(v.name, self.scenario)
                for v in nodes(node.value)
                if isinstance(v, Var)
            }
        )
        outer_fields = sorted({n.name for n in nodes(node.value) if isinstance(n, Outer)})
        others = base.select(pl.col("person_id").alias("other_id"), *needed)
        links = self.run.tables["family"].filter(pl.col("relation") == node.relation)
        if outer_fields:
            mine = base.select(
                "person_id", *[pl.col(f).alias(f"__outer_{f}") for f in outer_fields]
            )
            links = links.join(mine, on="person_id", how="left")
        present = others.select("other_id", __present=pl.lit(True))
        values = (
            links.join(others, on="other_id", how="left")
            .join(present, on="other_id", how="left")
            .with_columns(__value=self.compile(node.value, "family"))
        )
        # A linked person outside the population is unknown, not "no".
        value = pl.when(pl.col("__present").fill_null(False)).then(pl.col("__value"))
        grouped = values.group_by("person_id").agg(
            pl.when(value.fill_null(False).any())
            .then(True)
            .when(value.is_null().any())
            .then(None)
            .otherwise(False)
            .alias(name),
            pl.len().alias(f"{name}_links"),
        )
        joined = frame.join(grouped, on="person_id", how="left")
        # No link of this relation at all: the answer is "no".
        return joined.with_columns(
            pl.when(pl.col(f"{name}_links").is_null())
            .then(False)
            .otherwise(pl.col(name))
            .alias(name)
        ).drop(f"{name}_links")

    def _attach_kernel(
        self, base: pl.LazyFrame, frame: pl.LazyFrame, name: str, node: Kernel
    ) -> pl.LazyFrame:
        spec, output = node.options
        window = base.select("person_id", window_start=self.compile(node.args[0], "person"))
        intervals = pl.concat(
            [self._intervals(base, source) for source in spec.sources], how="vertical"
        )
        result = coverage_vectorised(intervals, self.run.as_of, window)
        column = result.select("person_id", pl.col(output).alias(name))
        return frame.join(column, on="person_id", how="left")

    def _intervals(self, frame: pl.LazyFrame, source: Any) -> pl.LazyFrame:
        row_nodes = [source.where, source.start, source.end, source.weight]
        rows = self._episode_rows_for(frame, source.table, row_nodes)
        return (
            rows.filter(self.compile(source.where, "row").fill_null(False))
            .select(
                "person_id",
                start=self.compile(source.start, "row").cast(pl.Date),
                end=self.compile(source.end, "row").cast(pl.Date),
                weight=self.compile(source.weight, "row").cast(pl.Float64),
            )
            .filter(pl.col("start").is_not_null() & pl.col("weight").is_not_null())
        )

    def _episode_rows_for(
        self, frame: pl.LazyFrame, table: str, row_nodes: Sequence[Node]
    ) -> pl.LazyFrame:
        needed = _person_columns(self, row_nodes)
        rows = self.run.tables[table]
        if needed:
            rows = rows.join(frame.select("person_id", *needed), on="person_id", how="inner")
        return self._nested(rows, row_nodes, table)


_VARIABLE_NODES = (Field, Outer, Var, Aggregate, FamilyAggregate, Kernel)


def _is_constant(node: Node) -> bool:
    """True when ``node`` reads no row: only literals, parameters and the evaluation date."""
    if isinstance(node, _VARIABLE_NODES):
        return False
    return all(_is_constant(child) for child in node.children())


def _person_columns(compiler: Compiler, row_nodes: Sequence[Node]) -> list[pl.Expr]:
    """The person-level columns that row expressions read: variables, and ``outer`` fields
    (in a person-level aggregate the enclosing row is the person)."""
    variables: set[str] = set()
    fields: set[str] = set()
    for root in row_nodes:
        for node in _outer_level(root):
            if isinstance(node, Var):
                variables.add(compiler.run.column(node.name, compiler.scenario))
            elif isinstance(node, Outer):
                fields.add(node.name)
    return [pl.col(name) for name in sorted(variables)] + [
        pl.col(name).alias(f"__outer_{name}") for name in sorted(fields)
    ]


def _outer_level(root: Node) -> Iterable[Node]:
    """Nodes of a row expression, not descending into nested aggregates' own rows."""
    yield root
    if isinstance(root, Aggregate):
        return
    for child in root.children():
        yield from _outer_level(child)


def _row_columns(compiler: Compiler, name: str, node: Aggregate) -> list[pl.Expr]:
    """The aggregate's row expressions as columns ``{name}_where``, ``_value``, ``_key``."""
    columns = [compiler.compile(node.where, "row").fill_null(False).alias(f"{name}_where")]
    if node.how not in ("any", "count"):
        columns.append(compiler.compile(node.value, "row").alias(f"{name}_value"))
    if node.key is not None:
        columns.append(compiler.compile(node.key, "row").alias(f"{name}_key"))
    return columns


def _value_at_max(rows: pl.LazyFrame, name: str) -> pl.LazyFrame:
    """Per person, the value of the row with the largest key (ties: the largest value).

    One sort of the qualifying rows and the last row per person: sorting inside a group_by
    is several times slower with many small groups.
    """
    where, value, key = (pl.col(f"{name}_{part}") for part in ("where", "value", "key"))
    return (
        rows.filter(where & key.is_not_null() & value.is_not_null())
        .select("person_id", key, value)
        .sort("person_id", f"{name}_key", f"{name}_value")
        .unique(subset="person_id", keep="last")
        .select("person_id", pl.col(f"{name}_value").alias(name))
    )


def _aggregate_expr(name: str, node: Aggregate) -> pl.Expr:
    where = pl.col(f"{name}_where")
    if node.how == "any":
        return where.any()
    if node.how == "count":
        return where.cast(pl.Int64).sum()
    value = pl.col(f"{name}_value")
    if node.how == "value_at_max":
        key = pl.col(f"{name}_key")
        keep = where & key.is_not_null() & value.is_not_null()
        return value.filter(keep).sort_by([key.filter(keep), value.filter(keep)]).last()
    selected = value.filter(where)
    return {"max": selected.max(), "min": selected.min(), "sum": selected.sum()}[node.how]


_EMPTY: dict[str, Any] = {
    "any": False,
    "count": 0,
    "sum": 0,
    "max": None,
    "min": None,
    "value_at_max": None,
}


def _literal(value: Any) -> pl.Expr:
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
        known = compiler._static(static)
        if known is None:
            return pl.lit(None, dtype=pl.Date)
        amount_value: int | pl.Expr = int(known)
    else:
        amount_value = amount
    if node.op == "add_period":
        return add_period_expr(start, amount_value, node.extra)
    return period_end_expr(start, amount_value, node.extra, compiler.run.calendar)


_OPS: dict[str, Any] = {
    "eq": lambda c, n, a: a[0] == a[1],
    "ne": lambda c, n, a: a[0] != a[1],
    "lt": lambda c, n, a: a[0] < a[1],
    "le": lambda c, n, a: a[0] <= a[1],
    "gt": lambda c, n, a: a[0] > a[1],
    "ge": lambda c, n, a: a[0] >= a[1],
    "and": lambda c, n, a: _bool(a[0]) & _bool(a[1]),
    "or": lambda c, n, a: _bool(a[0]) | _bool(a[1]),
    "not": lambda c, n, a: ~_bool(a[0]),
    "is_null": lambda c, n, a: a[0].is_null(),
    "is_not_null": lambda c, n, a: a[0].is_not_null(),
    "is_true": lambda c, n, a: _bool(a[0]).fill_null(False),
    "contains": lambda c, n, a: a[0].list.contains(a[1]),
    "coalesce": lambda c, n, a: pl.coalesce(a),
    "max": lambda c, n, a: pl.max_horizontal(a),
    "min": lambda c, n, a: pl.min_horizontal(a),
    "add": lambda c, n, a: a[0] + a[1],
    "sub": lambda c, n, a: a[0] - a[1],
    "mul": lambda c, n, a: a[0] * a[1],
    # Date operations cast their operands: an unknown (null) literal has no type of its own.
    "add_days": lambda c, n, a: a[0].cast(pl.Date) + pl.duration(days=a[1]),
    "days_between": lambda c, n, a: (a[1].cast(pl.Date) - a[0].cast(pl.Date)).dt.total_days(),
    "add_period": _period,
    "period_end": _period,
    "if_else": lambda c, n, a: pl.when(a[0]).then(a[1]).otherwise(a[2]),
}
