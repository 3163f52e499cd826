"""The helper columns one level of variables needs: aggregates over episode tables, correlated
(nested) aggregates, family aggregates and interval kernels, computed by segmented reductions.

While the level's rules are compiled, every aggregate, family aggregate and kernel they contain
is registered here and named by a fresh column. Identical ones (equal signatures: the same
rows, the same parameters, possibly asked for by both scenarios) share one column. Then
:meth:`LevelHelpers.compute` evaluates the row expressions of each episode table in one Polars
``select`` (common subexpressions such as "the title covers the date" computed once) and
reduces them per person with :mod:`legalstay.engine.segments`; results are attached to the
persons by position, never by a join.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from legalstay.engine.compiler import Compiler
from legalstay.engine.errors import EvaluationError
from legalstay.engine.expressions import (
    FAR_FUTURE,
    Aggregate,
    FamilyAggregate,
    Kernel,
    Node,
    Outer,
    Var,
)
from legalstay.engine.kernels import CoverageSpec, coverage_arrays
from legalstay.engine.rules import nodes
from legalstay.engine.segments import Segments, pairs

if TYPE_CHECKING:
    from legalstay.engine.population import PopulationRun

__all__ = ["LevelHelpers", "NoHelpers"]

_EPOCH = dt.date(1970, 1, 1)
_OPEN_END = (FAR_FUTURE - _EPOCH).days


@dataclass
class RowAggregate:
    """An aggregate's row expressions over ``table``; its result goes to column ``name``."""

    name: str
    table: str
    how: str
    where: pl.Expr
    value: pl.Expr | None
    key: pl.Expr | None

    def expressions(self) -> list[pl.Expr]:
        parts = {"where": self.where, "value": self.value, "key": self.key}
        return [
            expr.alias(f"{self.name}_{part}") for part, expr in parts.items() if expr is not None
        ]


@dataclass
class NestedAggregate:
    """An aggregate inside another's row expression, correlated with the outer row."""

    inner: RowAggregate
    outer_table: str
    outer_fields: dict[str, str]  # name in the pairs (``__outer_x``) -> outer table column


@dataclass
class FamilyJob:
    name: str
    relation: str
    value: pl.Expr
    variables: list[str]  # the linked person's columns the value reads
    outer_fields: list[str]  # the asking person's fields it reads


@dataclass
class IntervalSourceJob:
    name: str
    table: str
    where: pl.Expr
    start: pl.Expr
    end: pl.Expr
    weight: pl.Expr

    def expressions(self) -> list[pl.Expr]:
        parts = {"where": self.where, "start": self.start, "end": self.end, "weight": self.weight}
        return [expr.alias(f"{self.name}_{part}") for part, expr in parts.items()]


@dataclass
class KernelJob:
    outputs: dict[str, str]  # kernel output -> column
    window: pl.Expr
    sources: list[IntervalSourceJob]


@dataclass
class Intervals:
    owner: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float64]


class NoHelpers:
    """For expressions that may hold no aggregate (row variables)."""

    def column(self, node: Aggregate | FamilyAggregate | Kernel, compiler: Compiler) -> str:
        raise EvaluationError(f"{node!r} is not allowed here")


@dataclass
class LevelHelpers:
    run: PopulationRun
    keys: dict[Hashable, str] = field(default_factory=dict)
    aggregates: dict[str, list[RowAggregate]] = field(default_factory=dict)
    nested: dict[str, list[NestedAggregate]] = field(default_factory=dict)
    gathers: dict[str, dict[str, pl.Expr]] = field(default_factory=dict)
    family: list[FamilyJob] = field(default_factory=list)
    kernels: dict[Hashable, KernelJob] = field(default_factory=dict)
    sources: dict[str, list[IntervalSourceJob]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)

    # ------------------------------------------------------------ registering

    def column(self, node: Aggregate | FamilyAggregate | Kernel, compiler: Compiler) -> str:
        if isinstance(node, Aggregate):
            if compiler.table is not None:
                return self._nested(node, compiler)
            return self._aggregate(node, compiler)
        if isinstance(node, FamilyAggregate):
            return self._family(node, compiler)
        return self._kernel(node, compiler)

    def _fresh(self, key: Hashable, stem: str, *, person: bool = True) -> tuple[str, bool]:
        """The column for ``key``, and whether it is new; ``person``: a column of the persons
        (not of an episode table's rows)."""
        if key in self.keys:
            return self.keys[key], False
        name = self.run.fresh(stem)
        self.keys[key] = name
        if person:
            self.names.append(name)
        return name, True

    def _aggregate(self, node: Aggregate, compiler: Compiler) -> str:
        name, new = self._fresh(("aggregate", compiler.signature(node)), "agg")
        if new:
            job = _row_aggregate(name, node, compiler, nested=False)
            self.aggregates.setdefault(node.table, []).append(job)
            self._gather(compiler, node.table, node.row_nodes())
        return name

    def _nested(self, node: Aggregate, compiler: Compiler) -> str:
        outer_table = compiler.table
        assert outer_table is not None
        if compiler.nested:
            raise EvaluationError(f"aggregates nest one level deep only: {node!r}")
        if any(isinstance(n, Var) for r in node.row_nodes() for n in nodes(r)):
            raise EvaluationError(f"a nested aggregate may not read variables: {node!r}")
        name, new = self._fresh(
            ("nested", outer_table, compiler.signature(node)), "nested", person=False
        )
        if new:
            inner = _row_aggregate(name, node, compiler, nested=True)
            outer = {
                f"__outer_{compiler.field_column(n.name)}": compiler.field_column(n.name)
                for r in node.row_nodes()
                for n in nodes(r)
                if isinstance(n, Outer)
            }
            job = NestedAggregate(inner, outer_table, outer)
            self.nested.setdefault(outer_table, []).append(job)
        return name

    def _family(self, node: FamilyAggregate, compiler: Compiler) -> str:
        name, new = self._fresh(("family", compiler.signature(node)), "family")
        if new:
            found = list(nodes(node.value))
            variables = {
                compiler.run.column(n.name, compiler.scenario) for n in found if isinstance(n, Var)
            }
            job = FamilyJob(
                name,
                node.relation,
                compiler.compile(node.value, "family"),
                sorted(variables),
                sorted({n.name for n in found if isinstance(n, Outer)}),
            )
            self.family.append(job)
        return name

    def _kernel(self, node: Kernel, compiler: Compiler) -> str:
        spec, output = node.options
        if not isinstance(spec, CoverageSpec):
            raise EvaluationError(f"the population back-end knows no kernel {node.name!r}")
        rows = tuple(compiler.signature(n) for n in spec.row_nodes())
        key = ("kernel", id(spec), rows, compiler.signature(node.args[0]))
        if key not in self.kernels:
            self.kernels[key] = self._kernel_job(spec, node, compiler)
        return self.kernels[key].outputs[output]

    def _kernel_job(self, spec: CoverageSpec, node: Kernel, compiler: Compiler) -> KernelJob:
        outputs = {output: self._fresh((id(node), output), "cov")[0] for output in _OUTPUTS}
        sources = []
        for source in spec.sources:
            table = source.table
            job = IntervalSourceJob(
                self.run.fresh("iv"),
                table,
                compiler.row(source.where, table).fill_null(False),
                compiler.row(source.start, table).cast(pl.Date),
                compiler.row(source.end, table).cast(pl.Date),
                compiler.row(source.weight, table).cast(pl.Float64),
            )
            self.sources.setdefault(table, []).append(job)
            self._gather(compiler, table, (source.where, source.start, source.end, source.weight))
            sources.append(job)
        return KernelJob(outputs, compiler.person(node.args[0]), sources)

    def _gather(self, compiler: Compiler, table: str, row_nodes: Iterable[Node]) -> None:
        """Person columns the rows read: variables, and ``outer`` fields (in a person-level
        aggregate the enclosing row is the person)."""
        wanted = self.gathers.setdefault(table, {})
        for root in row_nodes:
            for node in _outer_level(root):
                if isinstance(node, Var):
                    column = compiler.run.column(node.name, compiler.scenario)
                    wanted[column] = pl.col(column)
                elif isinstance(node, Outer):
                    wanted[f"__outer_{node.name}"] = pl.col(node.name)

    # ------------------------------------------------------------ computing

    def compute(self) -> list[pl.Series]:
        """Every registered column, one value per person (in the persons' order)."""
        results: dict[str, pl.Series] = {}
        intervals: dict[str, Intervals] = {}
        tables = {*self.aggregates, *self.sources}
        for table in sorted(tables):
            self._compute_table(table, results, intervals)
        for job in self.family:
            results[job.name] = self._family_column(job)
        for kernel in self.kernels.values():
            results.update(self._kernel_columns(kernel, intervals))
        return [results[name].alias(name) for name in self.names]

    def _compute_table(
        self, table: str, results: dict[str, pl.Series], intervals: dict[str, Intervals]
    ) -> None:
        episodes = self.run.episodes[table]
        frame = self._rows(table)
        aggregates = self.aggregates.get(table, [])
        sources = self.sources.get(table, [])
        exprs = [e for job in aggregates for e in job.expressions()]
        exprs += [e for job in sources for e in job.expressions()]
        values = _evaluate(frame, exprs)
        for job in aggregates:
            results[job.name] = reduce(job, values, episodes.segments)
        for source in sources:
            intervals[source.name] = _intervals(source, values, episodes.segments.owner)

    def _rows(self, table: str) -> pl.DataFrame:
        """The episode table with the person columns its rows read and its nested aggregates."""
        episodes = self.run.episodes[table]
        frame = episodes.frame
        gathers = self.gathers.get(table)
        if gathers:
            person = self.run.persons.lazy().select(
                expr.alias(name) for name, expr in gathers.items()
            )
            frame = frame.hstack(person.collect()[episodes.segments.owner].get_columns())
        for job in self.nested.get(table, []):
            frame = frame.with_columns(self._nested_column(job, frame))
        return frame

    def _nested_column(self, job: NestedAggregate, outer: pl.DataFrame) -> pl.Series:
        inner = self.run.episodes[job.inner.table]
        outer_owner = self.run.episodes[job.outer_table].segments.owner
        outer_rows, inner_rows = pairs(outer_owner, inner.segments)
        outer_part = outer.select(pl.col(c).alias(alias) for alias, c in job.outer_fields.items())
        frame = inner.frame[inner_rows].hstack(outer_part[outer_rows].get_columns())
        values = _evaluate(frame, job.inner.expressions())
        return reduce(job.inner, values, Segments.of(outer_rows, outer_owner.size))

    def _family_column(self, job: FamilyJob) -> pl.Series:
        links = self.run.episodes["family"]
        other = links.frame["__other"].to_numpy()
        present = other >= 0
        persons = self.run.persons
        frame = links.frame.hstack(
            persons.select(job.variables)[np.where(present, other, 0)].get_columns()
        )
        if job.outer_fields:
            mine = persons.select(pl.col(f).alias(f"__outer_{f}") for f in job.outer_fields)
            frame = frame.hstack(mine[links.segments.owner].get_columns())
        value = _evaluate(frame, [job.value.alias("__value")])["__value"]
        related = (links.frame["relation"] == job.relation).fill_null(False).to_numpy()
        true = value.fill_null(False).cast(pl.Boolean).to_numpy() & present
        unknown = value.is_null().to_numpy() | ~present
        any_true = links.segments.any(related & true)
        any_unknown = links.segments.any(related & unknown)
        # A linked person outside the population is unknown, not "no"; no link at all is "no".
        return pl.Series(job.name, np.ma.masked_array(any_true, ~any_true & any_unknown))

    def _kernel_columns(
        self, job: KernelJob, intervals: dict[str, Intervals]
    ) -> dict[str, pl.Series]:
        parts = [intervals[source.name] for source in job.sources]
        window = _evaluate(self.run.persons, [job.window.cast(pl.Date).alias("w")])["w"]
        result = coverage_arrays(
            np.concatenate([p.owner for p in parts]),
            np.concatenate([p.start for p in parts]),
            np.concatenate([p.end for p in parts]),
            np.concatenate([p.weight for p in parts]),
            self.run.persons.height,
            self.run.as_of,
            (_days(window), window.is_not_null().to_numpy()),
        )
        missing = ~result.known
        run_start = pl.Series(np.ma.masked_array(result.run_start, missing)).cast(pl.Int32)
        return {
            job.outputs["run_start"]: run_start.cast(pl.Date),
            job.outputs["weighted_days"]: pl.Series(
                np.ma.masked_array(result.weighted_days, missing)
            ),
        }


_OUTPUTS = ("run_start", "weighted_days")


def _row_aggregate(name: str, node: Aggregate, compiler: Compiler, *, nested: bool) -> RowAggregate:
    table = node.table

    def row(expr: Node) -> pl.Expr:
        return compiler.row(expr, table, nested=nested)

    return RowAggregate(
        name,
        table,
        node.how,
        row(node.where).fill_null(False),
        None if node.how in ("any", "count") else row(node.value),
        None if node.key is None else row(node.key),
    )


def _outer_level(root: Node) -> Iterable[Node]:
    """Nodes of a row expression, not descending into nested aggregates' own rows."""
    yield root
    if isinstance(root, Aggregate):
        return
    for child in root.children():
        yield from _outer_level(child)


def _evaluate(frame: pl.DataFrame, exprs: Sequence[pl.Expr]) -> pl.DataFrame:
    """The expressions over ``frame``'s rows in one pass (shared subexpressions computed once);
    a literal is broadcast to every row."""
    names = [expr.meta.output_name() for expr in exprs]
    return frame.lazy().with_columns(exprs).select(names).collect()


# ---------------------------------------------------------------- reductions


def reduce(job: RowAggregate, values: pl.DataFrame, segments: Segments) -> pl.Series:
    """The aggregate's value per owner from its evaluated row columns."""
    where = values[f"{job.name}_where"].cast(pl.Boolean).to_numpy()
    if job.how == "any":
        return pl.Series(job.name, segments.any(where))
    if job.how == "count":
        return pl.Series(job.name, segments.count(where))
    value = values[f"{job.name}_value"]
    mask = where & value.is_not_null().to_numpy()
    if job.how == "sum":
        return _sum(job.name, value, mask, segments)
    keys = [_ordinal(value)]
    if job.how == "value_at_max":
        key = values[f"{job.name}_key"]
        mask &= key.is_not_null().to_numpy()
        keys.insert(0, _ordinal(key))
    positions = segments.best(mask, keys, largest=job.how != "min")
    return value.gather(pl.Series(np.ma.masked_array(positions, positions < 0)))


def _sum(name: str, value: pl.Series, mask: npt.NDArray[np.bool_], segments: Segments) -> pl.Series:
    dtype = pl.DataFrame(schema={"v": value.dtype}).select(pl.col("v").sum()).schema["v"]
    if not _is_number(value.dtype):
        return pl.Series(name, np.zeros(segments.owners, dtype=np.int64)).cast(dtype)
    numbers = value.to_physical().fill_null(0).to_numpy()
    return pl.Series(name, segments.sum(mask, numbers)).cast(dtype)


def _is_number(dtype: pl.DataType) -> bool:
    return dtype.is_integer() or dtype.is_float() or dtype == pl.Boolean or dtype.is_temporal()


def _ordinal(series: pl.Series) -> Callable[[npt.NDArray[np.int64]], npt.NDArray[np.generic]]:
    """Order-preserving numbers for the values at given rows: the physical value of numbers,
    dates and booleans; for other types (text) a dense rank among those rows only."""
    if _is_number(series.dtype):
        numbers = series.to_physical().fill_null(0).to_numpy()
        return lambda rows: numbers[rows]

    def rank(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.generic]:
        return series.gather(rows).rank("dense").fill_null(0).to_numpy()

    return rank


def _intervals(
    source: IntervalSourceJob, values: pl.DataFrame, owner: npt.NDArray[np.int64]
) -> Intervals:
    name = source.name
    start, end = values[f"{name}_start"], values[f"{name}_end"]
    weight = values[f"{name}_weight"]
    keep = values[f"{name}_where"].cast(pl.Boolean).to_numpy()
    keep &= start.is_not_null().to_numpy() & weight.is_not_null().to_numpy()
    return Intervals(
        owner[keep],
        _days(start)[keep],
        _days(end, missing=_OPEN_END)[keep],
        weight.fill_null(0.0).to_numpy()[keep],
    )


def _days(dates: pl.Series, missing: int = 0) -> npt.NDArray[np.int64]:
    """Epoch days of a Date series, ``missing`` where unknown."""
    return dates.to_physical().cast(pl.Int64).fill_null(missing).to_numpy()
