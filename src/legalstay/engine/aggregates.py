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
from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from threading import Lock
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from legalstay.engine.compiler import Compiler, asker_column
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
from legalstay.engine.kernels import CoverageSpec, Intervals, IntervalSource, coverage_in_chunks
from legalstay.engine.numbers import (
    is_codes,
    is_number,
    known_of,
    numbers_of,
    physical_numbers,
    series_of,
)
from legalstay.engine.rules import nodes
from legalstay.engine.segments import (
    Key,
    Mask,
    any_of,
    best_of,
    count_of,
    extreme_of,
    pairs,
    selected,
    sum_of,
)

if TYPE_CHECKING:
    from legalstay.engine.population import Episodes, PopulationRun

__all__ = ["Correlated", "LevelHelpers", "RowHelpers", "attach_correlated", "columns_read"]

# Row and person expressions run on the in-memory engine: frames are already in memory, and
# its results come in one chunk (the streaming engine's in many), which NumPy reads as is.
ENGINE: Any = "in-memory"
WORKERS = 2  # threads loading or reducing tables side by side (see LevelHelpers.compute)
_EPOCH = dt.date(1970, 1, 1)
_OPEN_END = (FAR_FUTURE - _EPOCH).days


@dataclass
class RowJob:
    """Row expressions over one table: ``where`` picks the rows (evaluated on every row), the
    ``parts`` are then evaluated on those rows only; ``how`` says what becomes of them (an
    aggregate's kind, or ``intervals`` for a kernel's source)."""

    name: str
    how: str
    where: pl.Expr
    where_key: Hashable
    parts: dict[str, pl.Expr]
    table: str = ""
    scenario: str = ""
    delta_of: str | None = None  # see LevelHelpers._delta_of
    dirty_tables: tuple[str, ...] = ()  # whose changed rows make a person be evaluated again
    computes: Hashable = None  # what a kernel source computes (equal: the same intervals)

    def expressions(self) -> list[pl.Expr]:
        return [expr.alias(f"{self.name}_{part}") for part, expr in self.parts.items()]


@dataclass
class NestedAggregate:
    """An aggregate inside another's row expression, correlated with the outer row."""

    job: RowJob
    table: str  # the table it aggregates over
    outer_table: str
    outer_fields: dict[str, str]  # name in the pairs (``__outer_x``) -> outer table column
    # The part of the condition that reads only the outer row, over the outer table: rows
    # failing it get no pairs (a card's title is looked up only for cards, not every document).
    outer_filter: pl.Expr | None = None


@dataclass
class FamilyJob:
    name: str
    relation: str
    value: pl.Expr
    variables: list[str]  # the linked person's columns the value reads
    outer_fields: list[str]  # the asking person's fields it reads (``outer``)
    asker_fields: list[str] = field(default_factory=list)  # and through ``asker``
    # Aggregates over the linked person's rows, correlated with the link.
    correlated: list[Correlated] = field(default_factory=list)


@dataclass
class KernelJob:
    outputs: dict[str, str]  # kernel output -> column
    window: pl.Expr
    sources: list[RowJob]
    tables: set[str] = field(default_factory=set)  # the tables its sources read


class RowHelpers:
    """Aggregates inside a derived episode column (row variable), each correlated with the row
    being derived: registered while the column's expression is compiled, computed by
    :func:`attach_correlated` for the rows at hand (often a few: those whose value is
    missing)."""

    def __init__(self, run: PopulationRun) -> None:
        self.run = run
        self.correlated: list[Correlated] = []

    def column(self, node: Aggregate | FamilyAggregate | Kernel, compiler: Compiler) -> str:
        if not isinstance(node, Aggregate):
            raise EvaluationError(f"{node!r} is not allowed in a derived episode column")
        name = self.run.fresh("rowagg")
        job = _row_aggregate(name, node, compiler, nested=True)
        self.correlated.append(Correlated(job, node.table, _outer_fields(node, compiler)))
        return name


class FamilyRowHelpers:
    """Aggregates inside a family aggregate's value: each over the linked person's rows,
    correlated with the link, whose ``asker`` fields its rows may read ("a title of the
    parent that covers the child's birth day")."""

    def __init__(self, run: PopulationRun) -> None:
        self.run = run
        self.correlated: list[Correlated] = []

    def column(self, node: Aggregate | FamilyAggregate | Kernel, compiler: Compiler) -> str:
        if not isinstance(node, Aggregate) or compiler.table is not None:
            raise EvaluationError(f"{node!r} is not allowed in a family aggregate's value")
        name = self.run.fresh("famagg")
        job = _row_aggregate(name, node, compiler, nested=True)
        read = {
            asker_column(compiler.field_column(n.name))
            for row in node.row_nodes()
            for n in nodes(row)
            if isinstance(n, Asker)
        }
        self.correlated.append(Correlated(job, node.table, {column: column for column in read}))
        return name


@dataclass(frozen=True)
class Correlated:
    """A registered correlated aggregate of a derived episode column: over ``table``'s rows
    of the same person, reading the outer row's ``outer_fields``."""

    job: RowJob
    table: str
    outer_fields: dict[str, str]


def attach_correlated(
    run: PopulationRun,
    frame: pl.DataFrame,
    owner: npt.NDArray[np.int64],
    correlated: Sequence[Correlated],
) -> pl.DataFrame:
    """``frame`` (rows of an episode table owned by ``owner``) with a column per correlated
    aggregate, in order (a later one may read an earlier one's column)."""
    for found in correlated:
        inner = run.episodes[found.table]
        frame = frame.with_columns(
            _correlated([found.job], inner, frame, owner, found.outer_fields)[0]
        )
    return frame


@dataclass
class LevelHelpers:
    run: PopulationRun
    keys: dict[Hashable, str] = field(default_factory=dict)
    jobs: dict[str, list[RowJob]] = field(default_factory=dict)  # by table
    nested: dict[str, list[NestedAggregate]] = field(default_factory=dict)  # by outer table
    gathers: dict[str, dict[str, pl.Expr]] = field(default_factory=dict)
    family: list[FamilyJob] = field(default_factory=list)
    kernels: dict[Hashable, KernelJob] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    _frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    _locks: dict[str, Lock] = field(default_factory=dict)

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
            job.scenario = compiler.scenario
            job.delta_of = self._delta_of(node, compiler)
            job.dirty_tables = self._dirty_tables(node, compiler.scenario)
            self.jobs.setdefault(node.table, []).append(job)
            self._gather(compiler, node.table, node.row_nodes())
        return name

    def _delta_of(self, node: Aggregate, compiler: Compiler) -> str | None:
        """The first scenario's column for the same aggregate, when this scenario's version
        differs from it only through derived episode columns: then only persons with a row
        where those columns differ can have another answer (see ``dirty_rows``)."""
        first = next(iter(self.run.scenarios))
        if compiler.scenario == first or not self._dirty_tables(node, compiler.scenario):
            return None
        base = Compiler(self.run, first, self)
        fields_as_base = Compiler(self.run, compiler.scenario, self, fields_of=first)
        if fields_as_base.signature(node) != base.signature(node):
            return None  # it reads a patched parameter or a scenario's variable
        return self._aggregate(node, base)

    def _dirty_tables(self, node: Aggregate, scenario: str) -> tuple[str, ...]:
        """The tables this aggregate reads (its own and those of nested aggregates, always
        the same person's rows) that have rows changed under ``scenario``."""
        tables = {n.table for n in nodes(node) if isinstance(n, Aggregate)}
        return tuple(sorted(t for t in tables if (t, scenario) in self.run.dirty_rows))

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
            outer = _outer_fields(node, compiler)
            outer_only = outer_conjuncts(node.where)
            outer_filter = (
                compiler.row(outer_only, outer_table, nested=True).fill_null(False)
                if outer_only is not None
                else None
            )
            job = NestedAggregate(inner, node.table, outer_table, outer, outer_filter)
            self.nested.setdefault(outer_table, []).append(job)
        return name

    def _family(self, node: FamilyAggregate, compiler: Compiler) -> str:
        name, new = self._fresh(("family", compiler.signature(node)), "family")
        if new:
            found = list(nodes(node.value))
            variables = {
                compiler.run.column(n.name, compiler.scenario) for n in found if isinstance(n, Var)
            }
            across = FamilyRowHelpers(self.run)
            compiler.helpers, saved = across, compiler.helpers
            try:
                value = compiler.compile(node.value, "family")
            finally:
                compiler.helpers = saved
            job = FamilyJob(
                name,
                node.relation,
                value,
                sorted(variables),
                sorted({n.name for n in found if type(n) is Outer}),
                sorted({compiler.field_column(n.name) for n in found if isinstance(n, Asker)}),
                across.correlated,
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
        outputs = self.kernels[key].outputs
        if output not in outputs:  # only the outputs asked for are computed
            outputs[output] = self._fresh((key, output), "cov")[0]
        return outputs[output]

    def _kernel_job(self, spec: CoverageSpec, node: Kernel, compiler: Compiler) -> KernelJob:
        sources = []
        for source in spec.sources:
            table = source.table

            def row(expr: Node, table: str = table) -> pl.Expr:
                return compiler.row(expr, table)

            job = RowJob(
                self.run.fresh("iv"),
                "intervals",
                row(source.where).fill_null(False),
                compiler.signature(source.where),
                {
                    "start": row(source.start).cast(pl.Date),
                    "end": row(source.end).cast(pl.Date),
                    "weight": row(source.weight).cast(pl.Float64),
                },
                table=table,
                computes=(table, *(compiler.signature(n) for n in _source_nodes(source))),
            )
            self._gather(compiler, table, _source_nodes(source))
            self._locks.setdefault(table, Lock())
            sources.append(job)
        tables = {source.table for source in spec.sources}
        return KernelJob({}, compiler.person(node.args[0]), sources, tables)

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
        """Every registered column, one value per person (in the persons' order).

        The work runs in two threads: much of it is NumPy, which uses one core and releases
        the interpreter lock, so another task's Polars or NumPy work fills the other core.
        Tasks are the kernels' sources (each table's intervals), then each table's aggregates,
        largest first, then the family aggregates; a kernel's coverage follows as soon as its
        sources are read, so a level with one large kernel still uses both cores.
        """
        tables = sorted(self.jobs, key=lambda table: -self.run.episodes[table].frame.height)
        results: dict[str, pl.Series | Intervals] = {}
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            sources = {
                key: [pool.submit(self._kernel_sources, job, table) for table in sorted(job.tables)]
                for key, job in self.kernels.items()
            }
            others = [pool.submit(self._compute_table, table) for table in tables]
            others += [pool.submit(self._family_column, job) for job in self.family]
            coverage = [
                pool.submit(self._kernel_columns, job, [part.result() for part in sources[key]])
                for key, job in self.kernels.items()
            ]
            for done in [*others, *coverage]:
                results.update(done.result())
        return [_as_series(results[name]).alias(name) for name in self.names]

    def _compute_table(self, table: str) -> dict[str, pl.Series | Intervals]:
        owner, owners = self.run.episodes[table].segments.owner, self.run.persons.height
        frame = self._rows(table)
        jobs = self.jobs[table]
        results = _reduce_jobs(frame, owner, owners, [job for job in jobs if not job.delta_of])
        deltas: dict[tuple[str, tuple[str, ...]], list[RowJob]] = {}
        for job in jobs:
            if job.delta_of:
                deltas.setdefault((job.scenario, job.dirty_tables), []).append(job)
        for (scenario, tables), delta_jobs in deltas.items():
            # Only the persons owning a row whose derived columns differ are evaluated again.
            dirty = np.zeros(owners, dtype=np.bool_)
            for changed_table in tables:
                changed_owner = self.run.episodes[changed_table].segments.owner
                dirty |= any_of(
                    changed_owner[self.run.dirty_rows[(changed_table, scenario)]], owners
                )
            rows = dirty[owner]
            changed = _reduce_jobs(frame.filter(pl.Series(rows)), owner[rows], owners, delta_jobs)
            persons = np.flatnonzero(dirty)
            for job in delta_jobs:
                base = _as_series(results[job.delta_of or ""])
                mine = _as_series(changed[job.name]).gather(persons).cast(base.dtype)
                results[job.name] = base.clone().scatter(persons, mine)
        return results

    def _rows(self, table: str) -> pl.DataFrame:
        """The episode table with the person columns its rows read and its nested aggregates
        (built once per level, by whichever task needs it first)."""
        with self._locks.setdefault(table, Lock()):
            if table not in self._frames:
                self._frames[table] = self._build_rows(table)
            return self._frames[table]

    def _build_rows(self, table: str) -> pl.DataFrame:
        episodes = self.run.episodes[table]
        frame = episodes.frame
        gathers = self.gathers.get(table)
        if gathers:
            person = self.run.persons.lazy().select(
                expr.alias(name) for name, expr in gathers.items()
            )
            gathered = person.collect(engine=ENGINE)[episodes.segments.owner]
            frame = frame.hstack(gathered.get_columns())
        pending = list(self.nested.get(table, []))
        while pending:
            together = _sharing_pairs(pending, frame)
            frame = frame.hstack(self._nested_columns_once(together, frame))
            pending = [job for job in pending if job not in together]
        return frame

    def _nested_columns_once(
        self, nested: list[NestedAggregate], outer: pl.DataFrame
    ) -> list[pl.Series]:
        """The nested aggregates' columns, each computed once in the run: an earlier level's
        column that computes the same thing over the same rows is reused."""
        cache = self.run.nested_cache
        keys = [_nested_key(job) for job in nested]
        missing = [job for job, key in zip(nested, keys, strict=True) if key not in cache]
        if missing:
            for job, column in zip(missing, self._nested_columns(missing, outer), strict=True):
                cache[_nested_key(job)] = column
        return [cache[key].alias(job.job.name) for job, key in zip(nested, keys, strict=True)]

    def _nested_columns(
        self, nested: list[NestedAggregate], outer: pl.DataFrame
    ) -> list[pl.Series]:
        first = nested[0]
        inner = self.run.episodes[first.table]
        outer_owner = self.run.episodes[first.outer_table].segments.owner
        keep = None
        if first.outer_filter is not None:
            keep = outer.select(first.outer_filter.alias("keep"))["keep"].to_numpy()
        fields = {alias: column for job in nested for alias, column in job.outer_fields.items()}
        jobs = [job.job for job in nested]
        return _correlated(jobs, inner, outer, outer_owner, fields, keep)

    def _family_column(self, job: FamilyJob) -> dict[str, pl.Series | Intervals]:
        links = self.run.episodes["family"]
        other = links.frame["__other"].to_numpy()
        present = other >= 0
        related = physical_numbers(links.frame["relation"] == job.relation).astype(
            np.bool_, copy=False
        )
        frame = self._family_frame(job, np.where(present, other, 0), related & present)
        value = _evaluate(frame, [job.value.alias("__value")])["__value"]
        truth, known = numbers_of(value.cast(pl.Boolean))
        true = truth.astype(np.bool_, copy=False) & present
        unknown = ~known | ~present
        owner, owners = links.segments.owner, self.run.persons.height
        any_true = any_of(owner[related & true], owners)
        any_unknown = any_of(owner[related & unknown], owners)
        # A linked person outside the population is unknown, not "no"; no link at all is "no".
        return {
            job.name: pl.Series(job.name, np.ma.masked_array(any_true, ~any_true & any_unknown))
        }

    def _family_frame(
        self, job: FamilyJob, relative: npt.NDArray[np.int64], asking: npt.NDArray[np.bool_]
    ) -> pl.DataFrame:
        """The links with what the value reads: the relative's variables, the asking person's
        fields, and the aggregates over the relative's rows (only for ``asking`` links, those
        of the relation asked about whose relative is in the population)."""
        links, persons = self.run.episodes["family"], self.run.persons
        frame = links.frame
        if job.variables:  # a value reading no variable of the relative ("a parent is linked")
            frame = frame.hstack(persons.select(job.variables)[relative].get_columns())
        fields = [pl.col(f).alias(f"__outer_{f}") for f in job.outer_fields]
        fields += [pl.col(f).alias(asker_column(f)) for f in job.asker_fields]
        if fields:
            frame = frame.hstack(persons.select(fields)[links.segments.owner].get_columns())
        for found in job.correlated:
            inner = self.run.episodes[found.table]
            pairs = _correlated([found.job], inner, frame, relative, found.outer_fields, asking)
            frame = frame.with_columns(pairs[0])
        return frame

    def tables_read(self) -> set[str]:
        """The episode tables the level's helpers may read: those it aggregates over (and the
        outer tables of nested aggregates), its kernels' sources, the family links, and the
        tables whose changed rows a scenario's jobs look for."""
        read = set(self.jobs) | set(self.nested) | set(self.gathers)
        read |= {nested.table for found in self.nested.values() for nested in found}
        read |= {table for job in self.kernels.values() for table in job.tables}
        read |= {table for jobs in self.jobs.values() for job in jobs for table in job.dirty_tables}
        read |= {found.table for job in self.family for found in job.correlated}
        return read | ({"family"} if self.family else set())

    def kernel_source_keys(self) -> set[Hashable]:
        """What the level's kernel sources compute (keys of the run's intervals cache)."""
        return {source.computes for job in self.kernels.values() for source in job.sources}

    def _kernel_sources(self, job: KernelJob, table: str) -> dict[str, Intervals]:
        """The intervals of the kernel's sources over ``table``, each read once in the run."""
        cache = self.run.intervals_cache
        sources = [source for source in job.sources if source.table == table]
        missing = [source for source in sources if source.computes not in cache]
        if missing:
            owner = self.run.episodes[table].segments.owner
            read = _reduce_jobs(self._rows(table), owner, self.run.persons.height, missing)
            for source in missing:
                cache[source.computes] = _as_intervals(read[source.name])
        return {source.name: cache[source.computes] for source in sources}

    def _kernel_columns(
        self, job: KernelJob, read: list[dict[str, Intervals]]
    ) -> dict[str, pl.Series | Intervals]:
        results = {name: part for parts in read for name, part in parts.items()}
        parts = [_as_intervals(results[source.name]) for source in job.sources]
        window = None
        if "weighted_days" in job.outputs:
            start = _evaluate(self.run.persons, [job.window.cast(pl.Date).alias("w")])["w"]
            days, known = numbers_of(start)
            window = (days.astype(np.int64), known)
        result = coverage_in_chunks(parts, self.run.persons.height, self.run.as_of, window)
        missing = ~result.known
        columns = {
            "run_start": pl.Series(np.ma.masked_array(result.run_start, missing))
            .cast(pl.Int32)
            .cast(pl.Date),
            # Whole and half days up to 2**24 are exact in 32 bits: half the memory.
            "weighted_days": pl.Series(
                np.ma.masked_array(result.weighted_days.astype(np.float32), missing)
            ),
        }
        return {name: columns[output] for output, name in job.outputs.items()}


def _source_nodes(source: IntervalSource) -> tuple[Node, Node, Node, Node]:
    return (source.where, source.start, source.end, source.weight)


def _nested_key(nested: NestedAggregate) -> Hashable:
    """What a nested aggregate computes: its tables, kind, expressions (by their text, which
    names every column they read) and the outer columns it pairs on."""
    job = nested.job
    return (
        nested.table,
        nested.outer_table,
        job.how,
        str(job.where),
        tuple((part, str(expr)) for part, expr in job.parts.items()),
        tuple(sorted(nested.outer_fields.items())),
        str(nested.outer_filter),
    )


def _sharing_pairs(pending: list[NestedAggregate], outer: pl.DataFrame) -> list[NestedAggregate]:
    """The first pending nested aggregate and those that can be reduced over the same pairs
    with it: the same inner table and no outer filter, reading only columns ``outer`` already
    has (not one another's results)."""
    first = pending[0]
    if first.outer_filter is not None:
        return [first]
    return [
        job
        for job in pending
        if job.table == first.table
        and job.outer_filter is None
        and set(job.outer_fields.values()) <= set(outer.columns)
    ] or [first]


def _correlated(
    jobs: Sequence[RowJob],
    inner: Episodes,
    outer: pl.DataFrame,
    outer_owner: npt.NDArray[np.int64],
    outer_fields: dict[str, str],
    keep: npt.NDArray[np.bool_] | None = None,
) -> list[pl.Series]:
    """Correlated aggregates for each row of ``outer``, reduced over the pairs (outer row,
    inner row) of the same person, built once for all of them; ``keep``: the outer rows that
    get pairs at all."""
    outer_rows, inner_rows = pairs(outer_owner, inner.segments, keep)
    outer_part = outer.select(pl.col(column).alias(alias) for alias, column in outer_fields.items())
    read = columns_read(
        inner.frame, [expr for job in jobs for expr in (job.where, *job.parts.values())]
    )
    frame = inner.frame.select(read)[inner_rows].hstack(outer_part[outer_rows].get_columns())
    results = _reduce_jobs(frame, outer_rows, outer.height, jobs)
    # Reductions name their series after a part (value_at_max: "…_value"); the outer rows
    # read each column by the aggregate's own name.
    return [_as_series(results[job.name]).alias(job.name) for job in jobs]


def _outer_fields(node: Aggregate, compiler: Compiler) -> dict[str, str]:
    """The outer row's columns a correlated aggregate reads: name in the pairs -> column."""
    return {
        f"__outer_{compiler.field_column(n.name)}": compiler.field_column(n.name)
        for r in node.row_nodes()
        for n in nodes(r)
        if isinstance(n, Outer)
    }


def outer_conjuncts(where: Node) -> Node | None:
    """The conjuncts of a nested aggregate's condition that read only the outer row, rewritten
    to read it as the row itself (``outer(x)`` becomes ``field(x)``); None if there are none."""
    found = [_as_own_row(part) for part in _conjuncts(where) if _reads_only_outer(part)]
    result: Node | None = None
    for part in found:
        result = part if result is None else Op("and", (result, part))
    return result


def _conjuncts(node: Node) -> list[Node]:
    if isinstance(node, Op) and node.op == "and":
        return [part for arg in node.args for part in _conjuncts(arg)]
    return [node]


def _reads_only_outer(node: Node) -> bool:
    if isinstance(node, Field | Var | Aggregate | FamilyAggregate | Kernel | Cases):
        return False
    if isinstance(node, Outer):
        return True
    if not isinstance(node, Op | Literal_ | Param | AsOf):
        return False
    if isinstance(node, Param) and node.at is not None:
        return False
    return all(_reads_only_outer(child) for child in node.children())


def _as_own_row(node: Node) -> Node:
    if isinstance(node, Outer):
        return Field(node.name)
    if isinstance(node, Op):
        return Op(node.op, tuple(_as_own_row(arg) for arg in node.args), node.extra)
    return node


def _as_series(result: pl.Series | Intervals) -> pl.Series:
    assert isinstance(result, pl.Series)
    return result


def _as_intervals(result: pl.Series | Intervals) -> Intervals:
    assert isinstance(result, Intervals)
    return result


def _row_aggregate(name: str, node: Aggregate, compiler: Compiler, *, nested: bool) -> RowJob:
    table = node.table

    def row(expr: Node) -> pl.Expr:
        return compiler.row(expr, table, nested=nested)

    parts = {}
    if node.how not in ("any", "count"):
        parts["value"] = row(node.value)
    if node.key is not None:
        parts["key"] = row(node.key)
    where = row(node.where).fill_null(False)
    return RowJob(name, node.how, where, (nested, compiler.signature(node.where)), parts)


def _outer_level(root: Node) -> Iterable[Node]:
    """Nodes of a row expression, not descending into nested aggregates' own rows."""
    yield root
    if isinstance(root, Aggregate):
        return
    for child in root.children():
        yield from _outer_level(child)


# ---------------------------------------------------------------- reductions


def _reduce_jobs(
    frame: pl.DataFrame, owner: npt.NDArray[np.int64], owners: int, jobs: Sequence[RowJob]
) -> dict[str, pl.Series | Intervals]:
    """Each job's result per owner. Every distinct ``where`` is evaluated once over all rows;
    the other parts only over the rows it picks (a deadline's arithmetic is done for the
    pending applications, not for every application)."""
    wheres = {job.where_key: job.where for job in jobs}
    names = {key: f"__where{index}" for index, key in enumerate(wheres)}
    # As bytes, not Booleans: Polars packs Booleans in bits, which NumPy must unpack one
    # column at a time; the cast runs inside the query, beside the other conditions.
    as_bytes = [expr.cast(pl.UInt8).alias(names[key]) for key, expr in wheres.items()]
    evaluated = _evaluate(frame, as_bytes)
    results: dict[str, pl.Series | Intervals] = {}
    for key in wheres:
        mask = evaluated[names[key]].to_numpy().view(np.bool_)
        picked = [job for job in jobs if job.where_key == key]
        rows = _parts_over(frame, mask, [job for job in picked if job.parts], owner, owners)
        for job in picked:
            results[job.name] = _reduce(job, rows)
    return results


@dataclass(frozen=True)
class Picked:
    """The rows a condition picked: their positions in ``values`` (the parts, evaluated on
    every row or on the picked rows only) and their owners."""

    values: pl.DataFrame
    rows: npt.NDArray[np.int64]
    owner: npt.NDArray[np.int64]
    owners: int
    # A part's numbers and whether each is known, read from Polars once (a part is read as
    # numbers and as "known" by most reductions).
    _read: dict[str, tuple[npt.NDArray[np.generic], Mask]] = field(
        default_factory=dict, compare=False
    )

    def known(self, column: str) -> Mask:
        series = self.values[column]
        if not series.null_count():
            return np.ones(self.rows.size, dtype=np.bool_)
        if not is_number(series.dtype):
            return known_of(series)[self.rows]
        return self._numbers_of(column)[1][self.rows]

    def numbers(self, column: str) -> npt.NDArray[np.generic]:
        """Physical numbers (dates: epoch days) of every row of ``values``, 0 where unknown."""
        if not is_number(self.values[column].dtype):
            return _numbers(self.values[column])
        return self._numbers_of(column)[0]

    def _numbers_of(self, column: str) -> tuple[npt.NDArray[np.generic], Mask]:
        if column not in self._read:
            self._read[column] = numbers_of(self.values[column])
        return self._read[column]


def _parts_over(
    frame: pl.DataFrame,
    mask: Mask,
    jobs: Sequence[RowJob],
    owner: npt.NDArray[np.int64],
    owners: int,
) -> Picked:
    """The jobs' parts over the rows ``mask`` picks. Few rows: those rows are taken first
    (with only the columns the parts read); many: the parts are computed on every row and
    read at the picked positions, which saves copying inputs and results."""
    exprs = [expr for job in jobs for expr in job.expressions()]
    if not exprs:  # existence or counts: the owners of the picked rows are all it takes
        return Picked(pl.DataFrame(), np.empty(0, dtype=np.int64), selected(owner, mask), owners)
    rows = np.flatnonzero(mask)
    picked = Picked(pl.DataFrame(), rows, owner[rows], owners)
    if rows.size * 3 > mask.size:
        return replace(picked, values=_evaluate(frame, exprs))
    columns = columns_read(frame, exprs)
    subset = frame.select(columns).filter(pl.Series(mask)) if columns else pl.DataFrame({"r": rows})
    return replace(picked, values=_evaluate(subset, exprs), rows=np.arange(rows.size))


def columns_read(frame: pl.DataFrame, exprs: Sequence[pl.Expr]) -> list[str]:
    """The columns of ``frame`` the expressions read."""
    read = {name for expr in exprs for name in expr.meta.root_names()}
    return [name for name in frame.columns if name in read]


def _evaluate(frame: pl.DataFrame, exprs: Sequence[pl.Expr]) -> pl.DataFrame:
    """The expressions over ``frame``'s rows in one pass (shared subexpressions computed once);
    a literal is broadcast to every row."""
    names = [expr.meta.output_name() for expr in exprs]
    return frame.lazy().with_columns(exprs).select(names).collect(engine=ENGINE)


def _reduce(job: RowJob, picked: Picked) -> pl.Series | Intervals:
    """The job's result per owner from its parts at the picked rows."""
    owner, owners = picked.owner, picked.owners
    if job.how == "any":
        return pl.Series(job.name, any_of(owner, owners))
    if job.how == "count":
        return pl.Series(job.name, count_of(owner, owners))
    if job.how == "intervals":
        return _intervals(job.name, picked)
    value = f"{job.name}_value"
    known = picked.known(value)
    if job.how == "value_at_max":
        key = f"{job.name}_key"
        return _value_at_max(picked, value, key, known & picked.known(key))
    rows, owner = selected(picked.rows, known), selected(owner, known)
    series = picked.values[value]
    if job.how == "sum":
        return _sum(series, picked.numbers(value)[rows], owner, owners)
    largest = job.how == "max"
    if is_number(series.dtype):
        numbers, found = extreme_of(owner, picked.numbers(value)[rows], owners, largest=largest)
        return series_of(numbers, found, series.dtype)
    best = best_of(owner, [_ordinal(series, rows)], owners, largest=largest)
    return _pick(series, rows, best)


def _value_at_max(picked: Picked, value: str, key: str, known: Mask) -> pl.Series:
    """Per owner, ``value`` of the row with the largest ``key``, ties to the largest value.

    Integer-like keys and values (dates, counts) pack into one number that orders as the pair
    does, so one segmented maximum answers; so do codes of text (a document's kind), by the
    rank of their text. Anything else takes the general path."""
    rows, owner, owners = selected(picked.rows, known), selected(picked.owner, known), picked.owners
    values, keys = picked.values[value], picked.values[key]
    if _is_integral(keys.dtype) and rows.size:
        key_numbers = picked.numbers(key)[rows].astype(np.int64)
        if _is_integral(values.dtype):
            best = _packed_max(owner, key_numbers, picked.numbers(value)[rows], owners)
            if best is not None:
                return series_of(best[0], best[1], values.dtype)
        elif is_codes(values.dtype) and (ranked := _text_ranks(values, rows)) is not None:
            ranks, row_of_rank = ranked
            best = _packed_max(owner, key_numbers, ranks, owners)
            if best is not None:
                return _pick(values, row_of_rank, np.where(best[1], best[0], -1))
    best_row = best_of(owner, [_ordinal(keys, rows), _ordinal(values, rows)], owners)
    return _pick(values, rows, best_row)


def _packed_max(
    owner: npt.NDArray[np.int64],
    keys: npt.NDArray[np.int64],
    values: npt.NDArray[np.generic],
    owners: int,
) -> tuple[npt.NDArray[np.int64], Mask] | None:
    """Per owner, the value of the largest (key, value) pair, and where one was found; None
    when the pairs do not fit one 63-bit number."""
    numbers = values.astype(np.int64)
    low_key, low, high = keys.min(), numbers.min(), numbers.max()
    span = int(high) - int(low) + 1
    if (int(keys.max()) - int(low_key) + 1) * span >= 1 << 62:
        return None
    packed = (keys - low_key) * span + (numbers - low)
    best, found = extreme_of(owner, packed, owners, largest=True)
    return best % span + low, found


def _text_ranks(
    values: pl.Series, rows: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """For text held as codes, at ``rows`` (all known): each row's rank among the distinct
    texts there, in text order, and for each rank a row that holds that text. A handful of
    kinds or statuses: the texts are read once each, not once a row. None when the codes run
    too high to count them in an array (more texts than rows)."""
    codes = physical_numbers(values.to_physical())[rows].astype(np.int64)
    if int(codes.max()) > max(4 * rows.size, 1 << 16):
        return None
    counts = np.bincount(codes)
    present = np.flatnonzero(counts)
    a_row = np.zeros(counts.size, dtype=np.int64)
    a_row[codes] = rows
    texts = values.gather(a_row[present]).cast(pl.String).to_list()
    in_order = present[sorted(range(present.size), key=texts.__getitem__)]
    rank = np.zeros(counts.size, dtype=np.int64)
    rank[in_order] = np.arange(in_order.size)
    return rank[codes], a_row[in_order]


def _is_integral(dtype: pl.DataType) -> bool:
    """Physically an integer that fits int64 (dates, counts, booleans)."""
    integer = dtype.is_integer() and dtype != pl.UInt64
    return integer or dtype == pl.Boolean or dtype.is_temporal()


def _pick(values: pl.Series, rows: npt.NDArray[np.int64], best: npt.NDArray[np.int64]) -> pl.Series:
    """``values`` at ``rows[best]`` per owner; unknown where ``best`` is -1 (no row)."""
    missing = best < 0
    positions = rows[np.where(missing, 0, best)] if rows.size else np.zeros_like(best)
    # Codes stay codes (4 bytes a person instead of 16 or more) until the result is selected.
    return values.gather(pl.Series(np.ma.masked_array(positions, missing)))


def _sum(
    series: pl.Series, numbers: npt.NDArray[np.generic], owner: npt.NDArray[np.int64], owners: int
) -> pl.Series:
    dtype = pl.DataFrame(schema={"v": series.dtype}).select(pl.col("v").sum()).schema["v"]
    if not is_number(series.dtype):
        return pl.Series(np.zeros(owners, dtype=np.int64)).cast(dtype)
    return pl.Series(sum_of(owner, numbers, owners)).cast(dtype)


def _numbers(series: pl.Series) -> npt.NDArray[np.generic]:
    """The physical numbers of a series (dates: epoch days), 0 where unknown."""
    if not is_number(series.dtype):
        return np.zeros(series.len(), dtype=np.int64)
    return physical_numbers(series)


def _ordinal(series: pl.Series, rows: npt.NDArray[np.int64]) -> Key:
    """Order-preserving numbers for the values at ``rows[i]`` for given i: the physical value
    of numbers, dates and booleans; for text its rank among the distinct values asked about
    (a binary search in a handful of sorted codes)."""
    if is_number(series.dtype):
        numbers = _numbers(series)
        return lambda asked: numbers[rows[asked]]

    def codes(asked: npt.NDArray[np.int64]) -> npt.NDArray[np.generic]:
        texts = series.gather(rows[asked])
        if texts.dtype == pl.Categorical:
            texts = texts.cast(pl.String)
        return texts.unique().sort().search_sorted(texts).to_numpy()

    return codes


def _intervals(name: str, picked: Picked) -> Intervals:
    start, end, weight = (f"{name}_{part}" for part in ("start", "end", "weight"))
    keep = picked.known(start) & picked.known(weight)
    rows = selected(picked.rows, keep)
    open_end = ~known_of(picked.values[end])[rows]
    # Days stay in their 32 bits until the kernel takes a chunk of them.
    return Intervals(
        selected(picked.owner, keep),
        picked.numbers(start)[rows],
        np.where(open_end, _OPEN_END, picked.numbers(end)[rows]),
        picked.numbers(weight)[rows],
    )
