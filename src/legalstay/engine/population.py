"""The population back-end: evaluates rules over whole populations with Polars and NumPy.

Input is a set of tables (see :data:`TABLE_SCHEMAS`): one row per person in ``persons`` and
episode tables (documents, titles, applications, stays abroad, family links) keyed by
``person_id``. Persons are put in ``person_id`` order and every episode table in the order of
its persons, so that one person's rows are one contiguous segment: aggregates are segmented
reductions attached by position (:mod:`legalstay.engine.aggregates`), never hash joins. Only
the columns the rules read are loaded.

Variables are computed level by level in dependency order, as columns of the persons frame,
and dropped after their last use. Scenarios are evaluated in the same pass: a variable whose
rules read no parameter (or derived episode column) that a scenario patches is computed once
and shared; identical aggregates asked for by several rules or scenarios are computed once.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from threading import Lock

import numpy as np
import numpy.typing as npt
import polars as pl

from legalstay.engine import aggregates
from legalstay.engine.aggregates import (
    ENGINE,
    Correlated,
    LevelHelpers,
    RowHelpers,
    attach_correlated,
    columns_read,
)
from legalstay.engine.checks import InputCheck, check_rows
from legalstay.engine.compiler import Compiler
from legalstay.engine.errors import NO_PERSON_ID, EvaluationError
from legalstay.engine.expressions import Aggregate, Cases, Field, Literal_, Node, Op, Outer
from legalstay.engine.kernels import Intervals
from legalstay.engine.numbers import is_codes, numbers_of
from legalstay.engine.parameters import Parameter, ParameterStore
from legalstay.engine.periods import PolishCalendar
from legalstay.engine.rules import RuleSet, dependencies, nodes, parameters
from legalstay.engine.segments import Segments, consecutive, positions_among, selected

__all__ = [
    "EMPTY_IS_UNKNOWN",
    "OPTIONAL_COLUMNS",
    "PERSON_FACTS",
    "PERSON_FACT_TYPES",
    "TABLE_SCHEMAS",
    "PopulationPlan",
    "PopulationRun",
    "absent_optional_columns",
    "empty_as_unknown",
    "empty_table",
    "evaluate_population",
]

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
    "family": {
        "person_id": pl.Int64,
        "relation": pl.String,
        "other_id": pl.Int64,
        # The relative's citizenships as the link records them: known of a relative outside
        # the population too (a registry's relative known only by who they are).
        "other_citizenships": pl.List(pl.String),
    },
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
        "channel": pl.String,
    },
    "stays_abroad": {"person_id": pl.Int64, "left": DATE, "returned": DATE, "reason": pl.String},
}
# Columns added to the format after files were written without them, the applications'
# columns the dossier's contract does not name (its extensions: a table built from the
# contract alone lacks them, as a dossier may), and the persons' columns no rule reads:
# absent = null (not recorded). Where present, their type is checked all the same.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": ("family_id", "sex"),
    "family": ("other_citizenships",),
    "applications": ("completed_on", "suspended_at_party_request", "appeal_filed", "channel"),
    "stays_abroad": ("reason",),
}


# Facts the law asks about that a registry may not record; optional columns of ``persons``
# (absent = unknown for everyone).
PERSON_FACTS = (
    "fact_karta_polaka",
    "fact_polish_origin",
    "fact_stable_income_3_years",
    "fact_health_insurance",
    "fact_housing_and_registration",
    "fact_polish_language",
    "fact_without_parental_care",
    "fact_trafficking_victim",
    "fact_stateless",
    "fact_cannot_obtain_passport",
    "fact_married_to_polish_citizen",
    "fact_married_to_polish_citizen_since",
    "fact_granted_asylum",
)
# Each fact's type: a yes/no answer, or a date (the day something began).
PERSON_FACT_TYPES: dict[str, pl.DataType | type[pl.DataType]] = {
    fact: DATE if fact.endswith("_since") else pl.Boolean for fact in PERSON_FACTS
}


def empty_table(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLE_SCHEMAS[name])


@dataclass
class Episodes:
    """An episode table (the columns the rules read) in the order of its persons."""

    frame: pl.DataFrame
    segments: Segments


@dataclass
class PopulationRun:
    """The evaluation's state: the persons frame growing level by level, the episode tables,
    and where each variable's column lives for each scenario."""

    rules: RuleSet
    scenarios: Mapping[str, ParameterStore]
    as_of: dt.date
    calendar: PolishCalendar
    persons: pl.DataFrame = field(default_factory=pl.DataFrame)
    episodes: dict[str, Episodes] = field(default_factory=dict)
    patched: set[str] = field(default_factory=set)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    # (row variable, scenario) -> column name in its episode table
    field_columns: dict[tuple[str, str], str] = field(default_factory=dict)
    # (table, scenario) -> rows whose derived columns differ from the first scenario's
    dirty_rows: dict[tuple[str, str], npt.NDArray[np.bool_]] = field(default_factory=dict)
    # Nested aggregates' columns by what they compute: a later level asking for the same one
    # (the stamp rule reads "filed on an earlier stamp" at several levels) reuses it.
    nested_cache: dict[Hashable, pl.Series] = field(default_factory=dict)
    # Kernel sources' intervals by what they read: the stamp's intervals serve the child's
    # route at the first level and the EU long-term count at a later one.
    intervals_cache: dict[Hashable, Intervals] = field(default_factory=dict)
    counter: int = 0
    _dependent: dict[str, bool] = field(default_factory=dict)

    def scenario_dependent(self, name: str) -> bool:
        """Whether the variable can differ between scenarios: it reads a patched parameter, a
        derived episode column that differs, or a variable that can differ."""
        if name not in self._dependent:
            expr = self.rules[name].expr
            self._dependent[name] = (
                bool(parameters(expr) & self.patched)
                or any(self._field_differs(node) for node in nodes(expr))
                or any(self.scenario_dependent(dep) for dep in dependencies(expr))
            )
        return self._dependent[name]

    def _field_differs(self, node: Node) -> bool:
        if not isinstance(node, Field | Outer):
            return False
        found = {self.field_columns.get((node.name, s), node.name) for s in self.scenarios}
        return len(found) > 1

    def column(self, name: str, scenario: str) -> str:
        return self.columns[(name, scenario)]

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"__{stem}{self.counter}"


@dataclass
class CompiledLevel:
    """One level of variables compiled: the helper columns it registered (aggregates, family
    aggregates, kernels), the person expressions that read them, where each variable's column
    lives, and the columns no later level reads."""

    helpers: LevelHelpers
    expressions: list[pl.Expr]
    columns: dict[tuple[str, str], str]
    dead: list[str]


class PopulationPlan:
    """The compiled form of one evaluation (rules, scenarios, date, outputs), kept for the
    next batch of persons: the columns the rules read, the derived episode columns and the
    levels of variables. Compiling is pure (no data read: the expressions and helper jobs
    depend only on the rules), and at tens of thousands of persons a batch it cost as much as
    computing. Thread-safe: batches side by side wait for the one compiling."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._subject: PlanSubject | None = None
        self._fields: set[str] = set()
        self._rows: dict[tuple[str, str, str], CompiledRow] = {}
        self._levels: list[CompiledLevel] | None = None

    def start(self, run: PopulationRun, outputs: Sequence[str]) -> set[str]:
        """Checks the plan is for this evaluation (the rule set, calendar, scenarios and their
        parameters, date and outputs); the columns the rules read."""
        subject = PlanSubject(
            run.rules, run.calendar, tuple(run.scenarios.items()), run.as_of, tuple(outputs)
        )
        with self._lock:
            if self._subject is None:
                self._fields = _fields_read(run.rules)
                self._subject = subject
            elif not subject.same_as(self._subject):
                raise EvaluationError(
                    "a population plan is for one rule set, scenarios, date and outputs"
                )
        return self._fields

    def row(self, key: tuple[str, str, str], run: PopulationRun, expr: Node) -> CompiledRow:
        """The derived column ``key`` (table, name, scenario) compiled."""
        with self._lock:
            if key not in self._rows:
                self._rows[key] = _compile_row(run, key[2], expr, key[0])
            return self._rows[key]

    def levels(self, run: PopulationRun, outputs: Sequence[str]) -> list[CompiledLevel]:
        with self._lock:
            if self._levels is None:
                self._levels = _compile(run, outputs)
            return self._levels


@dataclass(frozen=True, eq=False)
class PlanSubject:
    """What a plan was compiled for. The objects themselves are kept (so their ids are never
    reused) and compared by identity: two rule sets or parameter stores are not compared
    value by value."""

    rules: RuleSet
    calendar: PolishCalendar
    scenarios: tuple[tuple[str, ParameterStore], ...]
    as_of: dt.date
    outputs: tuple[str, ...]

    def same_as(self, other: PlanSubject) -> bool:
        mine, theirs = self.scenarios, other.scenarios
        return (
            self.rules is other.rules
            and self.calendar is other.calendar
            and len(mine) == len(theirs)
            and all(a[0] == b[0] and a[1] is b[1] for a, b in zip(mine, theirs, strict=True))
            and (self.as_of, self.outputs) == (other.as_of, other.outputs)
        )


def evaluate_population(
    rules: RuleSet,
    tables: Mapping[str, pl.LazyFrame | pl.DataFrame],
    scenarios: Mapping[str, ParameterStore],
    as_of: dt.date,
    outputs: Sequence[str],
    calendar: PolishCalendar,
    progress: Callable[[int, int], None] | None = None,
    plan: PopulationPlan | None = None,
    *,
    check_input: bool = True,
) -> pl.LazyFrame:
    """A lazy frame with ``person_id`` and one column ``"{scenario}.{output}"`` per output, one
    row per person in the order of the persons table (``person_id`` must be unique).

    ``check_input``: refuse a row that breaks one of the rules' input checks
    (``RuleSet.input_checks``); a caller whose rows were checked on entry may leave them out.

    ``progress(done, total)`` is called after each level of variables is computed. ``plan``
    keeps the compiled levels for the next call with the same scenarios, date and outputs (a
    population evaluated batch by batch compiles its rules once).
    """
    lazy = {name: _lazy(tables.get(name), name) for name in TABLE_SCHEMAS}
    run = PopulationRun(rules, scenarios, as_of, calendar, patched=_patched(scenarios))
    plan = plan or PopulationPlan()
    checks = rules.input_checks if check_input else []
    # The columns the rules read, and those the input checks read.
    wanted = plan.start(run, outputs) | {c for check in checks for c in check.columns()}
    started = time.perf_counter()
    run.persons, restore = _load_persons(lazy["persons"], wanted, checks)
    ids = run.persons["person_id"].to_numpy()

    def load(name: str) -> None:
        run.episodes[name] = _load_episodes(lazy[name], name, ids, wanted, checks)
        _add_row_variables(run, plan, name, own_rows_only=True)

    # Side by side: one table's NumPy work overlaps another's Parquet decoding. Derived
    # columns that look up the person's other episodes wait until every table is loaded.
    episode_tables = [name for name in TABLE_SCHEMAS if name != "persons"]
    with ThreadPoolExecutor(max_workers=aggregates.WORKERS) as pool:
        list(pool.map(load, episode_tables))
    for name in _lookup_order(rules, episode_tables):
        _add_row_variables(run, plan, name, own_rows_only=False)
    _trace("load", started, list(run.episodes))
    _compute(run, plan.levels(run, outputs), progress)
    schema = run.persons.schema  # built on each call: once here, not once per output
    selected = [
        _as_text(schema, run.column(name, scenario)).alias(f"{scenario}.{name}")
        for scenario in scenarios
        for name in outputs
    ]
    result = run.persons.select("person_id", *selected)
    return (result if restore is None else result[restore]).lazy()


def _as_text(schema: pl.Schema, column: str) -> pl.Expr:
    """Answers are text: codes carried through the levels are given back as the text."""
    if is_codes(schema[column]):
        return pl.col(column).cast(pl.String)
    return pl.col(column)


def _held(run: PopulationRun) -> str:
    """What the run holds between levels (for the trace only: it sums every column)."""
    if not _TRACE:
        return ""
    frames = [run.persons, *(episodes.frame for episodes in run.episodes.values())]
    held = sum(frame.estimated_size() for frame in frames)
    return f"holding {held / 1e6:.0f} MB, {run.persons.width} person columns"


def _trace(what: str, started: float, detail: object) -> None:
    if _TRACE:
        print(f"{what} {time.perf_counter() - started:.2f}s", detail)


# ---------------------------------------------------------------- loading


def _lazy(table: pl.LazyFrame | pl.DataFrame | None, name: str) -> pl.LazyFrame:
    if table is None:
        return empty_table(name).lazy()
    frame = table.lazy() if isinstance(table, pl.DataFrame) else table
    present = set(frame.collect_schema().names())
    missing = set(TABLE_SCHEMAS[name]) - present - set(OPTIONAL_COLUMNS.get(name, ()))
    if missing:
        raise EvaluationError(f"table {name!r} lacks columns {sorted(missing)}")
    frame = frame.with_columns(absent_optional_columns(name, present))
    if name == "persons":
        absent = [fact for fact in PERSON_FACTS if fact not in present]
        frame = frame.with_columns(
            pl.lit(None, dtype=PERSON_FACT_TYPES[fact]).alias(fact) for fact in absent
        )
    return frame


def absent_optional_columns(name: str, present: Iterable[str]) -> list[pl.Expr]:
    """The optional columns of table ``name`` that a frame with columns ``present`` lacks,
    as unknown values."""
    have = set(present)
    return [
        pl.lit(None, dtype=TABLE_SCHEMAS[name][column]).alias(column)
        for column in OPTIONAL_COLUMNS.get(name, ())
        if column not in have
    ]


def _fields_read(rules: RuleSet) -> set[str]:
    """Every column name the rules read as a field of a row (a person's or an episode's)."""
    roots = [variable.expr for variable in rules.variables.values()]
    roots += [expr for columns in rules.row_variables.values() for expr in columns.values()]
    return {n.name for root in roots for n in nodes(root) if isinstance(n, Field | Outer)}


def _load_persons(
    frame: pl.LazyFrame, wanted: set[str], checks: Sequence[InputCheck]
) -> tuple[pl.DataFrame, npt.NDArray[np.int64] | None]:
    """The persons' columns the rules read, in ``person_id`` order; and, if that is not the
    input's order, the positions that restore it. Raises ``EvaluationError`` for a row that
    breaks one of the input ``checks``."""
    columns = sorted(wanted & (set(TABLE_SCHEMAS["persons"]) | set(PERSON_FACTS)) - {"person_id"})
    # One chunk per column: a frame whose columns are chunked differently is realigned (a
    # copy of every column) by the next operation that needs aligned chunks.
    schema = frame.collect_schema()
    read = [_person_column(c, schema[c]) for c in columns]
    persons = frame.select("person_id", *read).collect().rechunk()
    ids = persons["person_id"]
    if ids.null_count():
        raise EvaluationError(NO_PERSON_ID, table="persons")
    check_rows(persons, [check for check in checks if check.table == "persons"])
    restore = None
    if not ids.is_sorted():
        order = ids.arg_sort().to_numpy()
        persons = persons[order]
        restore = np.empty_like(order)
        restore[order] = np.arange(order.size)
    sorted_ids = persons["person_id"].to_numpy()
    if sorted_ids.size and bool(np.any(sorted_ids[1:] == sorted_ids[:-1])):
        raise EvaluationError("person_id is not unique in the persons table", table="persons")
    return persons, restore


def _person_column(column: str, dtype: pl.DataType) -> pl.Expr:
    """A person column as the rules read it: codes as text; citizenships as a list of text,
    none recorded an empty list (as a dossier without citizenships reads)."""
    if is_codes(dtype):
        return pl.col(column).cast(pl.String)
    if column == "citizenships":
        as_text = pl.List(pl.String)
        return pl.col(column).cast(as_text).fill_null(pl.lit([], dtype=as_text))
    return pl.col(column)


def _load_episodes(
    frame: pl.LazyFrame,
    name: str,
    ids: npt.NDArray[np.int64],
    wanted: set[str],
    checks: Sequence[InputCheck],
) -> Episodes:
    """The episode table's columns the rules read, rows of persons outside the population
    dropped (no rule of a person reads them), in the order of the persons (stable: a person's
    rows keep their order, as the one-person back-end sees them). Raises ``EvaluationError``
    for a row of the population's persons that breaks one of the input ``checks``."""
    keys = ["person_id", "other_id"] if name == "family" else ["person_id"]
    columns = sorted(wanted & set(TABLE_SCHEMAS[name]) - set(keys))
    if name == "family":
        columns = sorted({*columns, "relation"})
    # Kinds, statuses and relations are a handful of codes: as categories they take 4 bytes a
    # row instead of 16 or more, and compare as numbers. Answers stay text (see aggregates).
    schema = frame.collect_schema()
    read = [empty_as_unknown(name, c, _as_categories(c, schema[c])) for c in (*keys, *columns)]
    table = frame.select(read).collect().rechunk()
    owner = _positions(ids, table["person_id"])
    keep = owner >= 0
    if not keep.all():
        table, owner = table.filter(pl.Series(keep)), owner[keep]
    check_rows(table, [check for check in checks if check.table == name])
    if owner.size and bool(np.any(owner[1:] < owner[:-1])):
        order = np.argsort(owner, kind="stable")
        table, owner = table[order], owner[order]
    if name == "family":
        table = table.with_columns(__other=pl.Series(_positions(ids, table["other_id"])))
    return Episodes(table.drop(keys), Segments.of(owner, ids.size))


# Free text a dossier reads as not recorded when it is empty ("ground": ""), as null here.
EMPTY_IS_UNKNOWN = frozenset({("titles", "ground")})


def empty_as_unknown(table: str, column: str, expr: pl.Expr) -> pl.Expr:
    """``expr`` (the column as read), null where it is empty free text not recorded."""
    if (table, column) not in EMPTY_IS_UNKNOWN:
        return expr
    return pl.when(expr != "").then(expr).alias(column)


def _as_categories(column: str, dtype: pl.DataType) -> pl.Expr:
    """Text as Polars categories, whatever codes it came in: an Enum of the input's own
    (ordered by its declaration, not by the text, and not comparable with another table's)
    is read as text first."""
    if dtype == pl.String:
        return pl.col(column).cast(pl.Categorical)
    if isinstance(dtype, pl.Enum):
        return pl.col(column).cast(pl.String).cast(pl.Categorical)
    return pl.col(column)


def _positions(ids: npt.NDArray[np.int64], values: pl.Series) -> npt.NDArray[np.int64]:
    """Each value's position in the sorted, unique ``ids``; -1 where it is not there (or is
    unknown)."""
    raw, known = numbers_of(values)
    numbers: npt.NDArray[np.int64] = raw.astype(np.int64, copy=False)
    if consecutive(ids) or not numbers.size or not values.is_sorted():
        position = positions_among(ids, numbers)
    else:  # one search per distinct id, not per row
        starts = np.flatnonzero(np.concatenate(([True], numbers[1:] != numbers[:-1])))
        found = positions_among(ids, numbers[starts])
        position = np.repeat(found, np.diff(np.append(starts, numbers.size)))
    if not known.all():
        position[~known] = -1
    return position


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


# ---------------------------------------------------------------- derived episode columns


def _add_row_variables(
    run: PopulationRun, plan: PopulationPlan, table: str, *, own_rows_only: bool
) -> None:
    """Adds the rule set's derived columns to an episode table, once per scenario only where a
    patched parameter (or a derived column it reads) makes them differ.

    ``own_rows_only``: add those that read the row alone, in order, leaving out those that
    read other episodes (an aggregate) and those reading a column left out (they are added
    while the table is loaded, beside the other tables); otherwise add those not added yet,
    in order."""
    episodes = run.episodes[table]
    first = next(iter(run.scenarios))
    left_out: set[str] = set()
    for name, expr in run.rules.row_variables.get(table, {}).items():
        if {name, f"{name}@{first}"} & set(episodes.frame.columns):
            continue  # added while loading
        if own_rows_only and _reads_other_rows(expr, left_out):
            left_out.add(name)
            continue
        depends = bool(parameters(expr) & run.patched) or any(
            run._field_differs(node) for node in nodes(expr)
        )
        for scenario in run.scenarios:
            column = f"{name}@{scenario}" if depends else name
            run.field_columns[(name, scenario)] = column
            if depends or scenario == first:
                compiled = plan.row((table, name, scenario), run, expr)
                added = _row_variable(run, scenario, episodes, compiled)
                episodes.frame = episodes.frame.with_columns(added.alias(column))
            if depends and scenario != first:
                _note_dirty(run, table, scenario, name)


def _reads_other_rows(expr: Node, left_out: set[str]) -> bool:
    """The expression looks up other episodes, or reads a derived column that does."""
    return any(
        isinstance(node, Aggregate) or (isinstance(node, Field) and node.name in left_out)
        for node in nodes(expr)
    )


def _lookup_order(rules: RuleSet, tables: list[str]) -> list[str]:
    """The tables in an order where a derived column that looks up another table (an
    aggregate) comes after that table's own derived columns."""
    reads = {
        table: {
            node.table
            for expr in rules.row_variables.get(table, {}).values()
            for node in nodes(expr)
            if isinstance(node, Aggregate) and node.table != table
        }
        for table in tables
    }
    ordered: list[str] = []

    def visit(table: str, path: tuple[str, ...]) -> None:
        if table in ordered:
            return
        if table in path:
            raise EvaluationError(f"derived columns look each other up in a circle: {path}")
        for other in sorted(reads.get(table, ())):
            visit(other, (*path, table))
        ordered.append(table)

    for table in tables:
        visit(table, ())
    return ordered


def _note_dirty(run: PopulationRun, table: str, scenario: str, name: str) -> None:
    """Marks the rows where a derived column differs from the first scenario's."""
    frame = run.episodes[table].frame
    first = next(iter(run.scenarios))
    mine, base = (frame[run.field_columns[(name, s)]] for s in (scenario, first))
    differs = mine.ne_missing(base).to_numpy()
    previous = run.dirty_rows.get((table, scenario))
    run.dirty_rows[(table, scenario)] = differs if previous is None else previous | differs


@dataclass(frozen=True)
class CompiledRow:
    """A derived episode column compiled: ``expr`` over the rows, the correlated aggregates it
    reads, and the rows it is computed on: ``fills``, the column is ``coalesce(field, …)``
    and ``expr`` the fallback, computed only where the field is missing; ``only_where``, the
    column is a single case with no value otherwise, and ``expr`` is computed only on the
    rows where the case holds (null elsewhere, as the case itself gives)."""

    expr: pl.Expr
    correlated: tuple[Correlated, ...]
    fills: str | None
    only_where: pl.Expr | None = None


def _compile_row(run: PopulationRun, scenario: str, expr: Node, table: str) -> CompiledRow:
    helpers = RowHelpers(run)
    compiler = Compiler(run, scenario, helpers)
    fills = None
    if isinstance(expr, Op) and expr.op == "coalesce" and isinstance(expr.args[0], Field):
        fills = run.field_columns.get((expr.args[0].name, scenario), expr.args[0].name)
        expr = Op("coalesce", expr.args[1:])
    single = _single_case(expr) if fills is None else None
    only_where = None
    if single is not None:
        only_where = Compiler(run, scenario, RowHelpers(run)).row(single[0], table)
        expr = single[1]
    compiled = compiler.row(expr, table)
    return CompiledRow(compiled, tuple(helpers.correlated), fills, only_where)


def _single_case(expr: Node) -> tuple[Node, Node] | None:
    """(when, then) of ``cases(case(…, when, then), otherwise=lit(None))`` whose condition
    looks up no other episodes (so it is read on every row without lookups)."""
    if not isinstance(expr, Cases) or len(expr.branches) != 1:
        return None
    if not isinstance(expr.otherwise, Literal_) or expr.otherwise.value is not None:
        return None
    when = expr.branches[0].when
    if any(isinstance(node, Aggregate) for node in nodes(when)):
        return None
    return when, expr.branches[0].then


def _row_variable(
    run: PopulationRun, scenario: str, episodes: Episodes, compiled: CompiledRow
) -> pl.Series:
    """``coalesce(field, fallback)`` computes the fallback only on the rows that need it (a
    recorded expiry needs no derivation; deriving one for every row is the costly part).
    Aggregates in the expression (correlated with the row, such as "the title in force on
    this card's issue date") are computed for those rows only."""
    frame, owner = episodes.frame, episodes.segments.owner
    if compiled.only_where is not None:
        holds = _column(frame, compiled.only_where).fill_null(value=False)
        derived = _on_rows(run, frame, owner, compiled, holds, keep=None)
        blank = pl.repeat(None, frame.height, dtype=derived.dtype, eager=True)
        return blank.alias(derived.name).scatter(holds.arg_true(), derived)
    if compiled.fills is None:
        rows = attach_correlated(run, frame, owner, compiled.correlated)
        return _column(rows, compiled.expr)
    recorded = frame[compiled.fills]
    missing = recorded.is_null()
    if not missing.any():
        return recorded
    derived = _on_rows(run, frame, owner, compiled, missing, keep=compiled.fills)
    empty = [part.head(0).to_frame("v") for part in (recorded, derived)]
    dtype = pl.concat(empty, how="vertical_relaxed")["v"].dtype
    return recorded.cast(dtype).scatter(missing.arg_true(), derived.cast(dtype))


def _on_rows(
    run: PopulationRun,
    frame: pl.DataFrame,
    owner: npt.NDArray[np.int64],
    compiled: CompiledRow,
    picked: pl.Series,
    *,
    keep: str | None,
) -> pl.Series:
    """``compiled.expr`` over the rows ``picked`` (a Boolean series) only, with the lookups
    it makes for those rows; only the columns it and its lookups read are copied."""
    read = set(columns_read(frame, [compiled.expr]))
    read |= {column for found in compiled.correlated for column in found.outer_fields.values()}
    read |= {keep} if keep else set()
    columns = [column for column in frame.columns if column in read]
    needed = frame.select(columns) if columns else pl.DataFrame({"row": range(frame.height)})
    rows = attach_correlated(
        run, needed.filter(picked), selected(owner, picked.to_numpy()), compiled.correlated
    )
    return _column(rows, compiled.expr)


def _column(frame: pl.DataFrame, expr: pl.Expr) -> pl.Series:
    """``expr`` over every row of ``frame`` (a literal broadcast to each)."""
    return frame.lazy().with_columns(expr.alias("__value")).collect(engine=ENGINE)["__value"]


# ---------------------------------------------------------------- levels


def _compile(run: PopulationRun, outputs: Sequence[str]) -> list[CompiledLevel]:
    """Every level compiled, in order (a level's expressions read earlier levels' columns).
    Helper columns are named from the run's counter with stems of their own (``agg``, ``cov``
    …), so a later run's derived episode columns (``rowagg``) never take one of their names."""
    levels = _levels(run, run.rules.topological_order(outputs))
    dead = _dead_after(run, levels, set(outputs))
    compiled = []
    for level, dead_here in zip(levels, dead, strict=True):
        helpers = LevelHelpers(run)
        expressions = [
            compiler.person(run.rules[name].expr).alias(run.columns[(name, compiler.scenario)])
            for compiler, names in _batches(run, level, helpers)
            for name in names
        ]
        columns = {(name, s): run.columns[(name, s)] for name in level for s in run.scenarios}
        # Kept without the run's data: the next run lends its own (see _compute).
        helpers = replace(helpers, run=_without_data(run))
        compiled.append(CompiledLevel(helpers, expressions, columns, dead_here))
    return compiled


def _without_data(run: PopulationRun) -> PopulationRun:
    return replace(
        run,
        persons=pl.DataFrame(),
        episodes={},
        dirty_rows={},
        nested_cache={},
        intervals_cache={},
    )


def _compute(
    run: PopulationRun,
    levels: list[CompiledLevel],
    progress: Callable[[int, int], None] | None,
) -> None:
    for level in levels:
        run.columns.update(level.columns)
    sources = [level.helpers.kernel_source_keys() for level in levels]
    tables = [level.helpers.tables_read() for level in levels]
    for done, level in enumerate(levels, start=1):
        started = time.perf_counter()
        helpers = replace(level.helpers, run=run, _frames={}, _locks={})
        frame = run.persons.hstack(helpers.compute())
        _trace(f"level {done} helpers", started, len(helpers.names))
        frame = frame.lazy().with_columns(level.expressions).collect(engine=ENGINE)
        drop = helpers.names + [c for c in level.dead if c in frame.columns]
        run.persons = frame.drop(drop)
        # Intervals no later level reads are let go (about 65 MB at a million persons).
        later = set().union(*sources[done:])
        for key in [key for key in run.intervals_cache if key not in later]:
            del run.intervals_cache[key]
        # So are the episode tables no later level reads: the answers are built without them.
        still_read = set().union(*tables[done:])
        for table in [table for table in run.episodes if table not in still_read]:
            del run.episodes[table]
        _trace(f"level {done} ({len(level.expressions)} expressions)", started, _held(run))
        if progress is not None:
            progress(done, len(levels))


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


def _batches(
    run: PopulationRun, level: list[str], helpers: LevelHelpers
) -> list[tuple[Compiler, list[str]]]:
    """(compiler, variables) per scenario: shared variables once, under the first scenario;
    scenario-dependent ones once per scenario, in columns named ``name@scenario``."""
    scenario_names = list(run.scenarios)
    shared = [name for name in level if not run.scenario_dependent(name)]
    specific = [name for name in level if run.scenario_dependent(name)]
    for name in shared:
        for scenario in scenario_names:
            run.columns[(name, scenario)] = name
    for name in specific:
        for scenario in scenario_names:
            run.columns[(name, scenario)] = f"{name}@{scenario}"
    batches = [(scenario_names[0], shared)] if shared else []
    if specific:
        batches.extend((scenario, specific) for scenario in scenario_names)
    return [(Compiler(run, scenario, helpers), names) for scenario, names in batches]


def _dead_after(run: PopulationRun, levels: list[list[str]], outputs: set[str]) -> list[list[str]]:
    """Per level, the columns no later level reads (variables not asked for, person fields)."""
    last: dict[str, int] = {}
    person_fields = set(run.persons.columns) - {"person_id"}
    for index, level in enumerate(levels):
        for name in level:
            expr = run.rules[name].expr
            read = dependencies(expr) | (
                {n.name for n in nodes(expr) if isinstance(n, Field | Outer)} & person_fields
            )
            for column in read:
                last[column] = index
    dead: list[list[str]] = [[] for _ in levels]
    scenarios = list(run.scenarios)
    for column, index in last.items():
        if column in outputs:
            continue
        names = (
            {column} if column in person_fields else {column} | {f"{column}@{s}" for s in scenarios}
        )
        dead[index].extend(sorted(names))
    return dead
