"""Populations evaluated in batches of whole families.

The population back-end holds a batch's inputs and working columns in memory; cutting a large
population into batches of persons bounds that memory (two may run side by side, though one
already keeps two cores busy).
A batch is a contiguous range of person ids that no family link crosses, so every family
aggregate sees the same relatives as in one pass, and the answers are the same person for
person (a test holds them equal). Ranges of ids read only the Parquet row groups they need
when the files are sorted by person, as ``write_population`` writes them.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import polars as pl

from legalstay.engine.errors import NO_PERSON_ID, EvaluationError
from legalstay.engine.parameters import ParameterStore
from legalstay.engine.periods import PolishCalendar
from legalstay.engine.population import PopulationPlan, evaluate_population
from legalstay.engine.rules import RuleSet
from legalstay.engine.segments import positions_among

__all__ = ["DEFAULT_BATCH", "evaluate_in_batches", "family_ranges"]

DEFAULT_BATCH = 100_000  # about 50 MB of working memory a batch beyond the inputs
Tables = Mapping[str, pl.LazyFrame | pl.DataFrame]


def family_ranges(tables: Tables, size: int) -> list[tuple[int, int]]:
    """Inclusive ranges of person ids, about ``size`` persons each, that no family link crosses
    (a family wider than ``size`` makes a larger range); none for no persons.

    Raises ``ValueError`` for a ``size`` below 1, and ``EvaluationError`` for a person without
    a ``person_id`` or an id given twice (naming it)."""
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
        raise ValueError(
            f"batch size must be a whole number of persons of at least 1, not {size!r}"
        )
    ids = _person_ids(tables["persons"])
    if ids.size == 0:
        return []
    blocked = _crossed_cuts(tables.get("family"), ids)
    starts = [0]
    while starts[-1] + size < ids.size:
        cut = starts[-1] + size
        while cut < ids.size and blocked[cut]:
            cut += 1  # move forward to the first place no family link crosses
        if cut >= ids.size:
            break
        starts.append(cut)
    ends = [*starts[1:], ids.size]
    return [(int(ids[start]), int(ids[end - 1])) for start, end in zip(starts, ends, strict=True)]


def _person_ids(frame: pl.LazyFrame | pl.DataFrame) -> npt.NDArray[np.int64]:
    """The persons' ids in increasing order, each once: the population back-end's own checks,
    made here first (ranges cannot be cut around a missing id), with the duplicated id named."""
    lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    column = lazy.select("person_id").collect()["person_id"]
    if column.null_count():
        raise EvaluationError(NO_PERSON_ID, table="persons")
    ids = column.to_numpy()
    if ids.size and not bool(np.all(ids[1:] > ids[:-1])):
        ids = np.sort(ids)
        same = np.flatnonzero(ids[1:] == ids[:-1])
        if same.size:
            raise EvaluationError(
                f"person_id is not unique in the persons table: {int(ids[same[0]])} is given "
                "more than once",
                table="persons",
            )
    return ids


def _crossed_cuts(
    family: pl.LazyFrame | pl.DataFrame | None, ids: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """``blocked[k]``: a cut before the k-th person (in id order) would split a family."""
    if family is None:
        return np.zeros(ids.size, dtype=np.bool_)
    lazy = family.lazy() if isinstance(family, pl.DataFrame) else family
    links = lazy.select("person_id", "other_id").drop_nulls().collect()
    a = positions_among(ids, links["person_id"].to_numpy())
    b = positions_among(ids, links["other_id"].to_numpy())
    del links
    known = (a >= 0) & (b >= 0)  # a relative outside the population is unknown either way
    if not known.all():
        a, b = a[known], b[known]
    low = np.minimum(a, b)
    high = np.maximum(a, b, out=b)
    del a, known
    # +1 where a family's range of positions opens, -1 past where it closes: a running sum
    # above zero is inside some family's range (counted, not added in place: np.add.at is slow).
    crossing = np.bincount(low + 1, minlength=ids.size + 1)[: ids.size + 1]
    crossing -= np.bincount(high + 1, minlength=ids.size + 1)[: ids.size + 1]
    return np.cumsum(crossing)[: ids.size] > 0


def evaluate_in_batches(
    rules: RuleSet,
    tables: Tables,
    scenarios: Mapping[str, ParameterStore],
    as_of: dt.date,
    outputs: Sequence[str],
    calendar: PolishCalendar,
    *,
    batch_size: int = DEFAULT_BATCH,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """The population's results batch by batch, ``workers`` batches at a time (Polars and
    NumPy release the interpreter lock, so threads use more cores; one batch already keeps two
    busy, see ``aggregates.WORKERS``).

    Batches come in the order of their ranges of person ids, and a batch's rows in the order
    of the persons table: the concatenation is in the persons table's order when that is sorted
    by ``person_id`` or there is one batch, and otherwise must be put back in it by the caller
    (``legalstay assess-population`` does). A population without persons gives one empty batch,
    with every column. ``batch_size`` below 1 is a ``ValueError``."""
    ranges: list[tuple[int, int] | None] = list(family_ranges(tables, batch_size))
    if not ranges:
        ranges = [None]  # no persons: one empty result, with the columns
    plan = PopulationPlan()  # the rules are compiled for the first batch, then reused

    def evaluate(bounds: tuple[int, int] | None) -> pl.DataFrame:
        everyone_else = pl.lit(value=False)  # no persons: no episode rows either
        inside = everyone_else if bounds is None else pl.col("person_id").is_between(*bounds)
        part = {name: _lazy(frame).filter(inside) for name, frame in tables.items()}
        result = evaluate_population(rules, part, scenarios, as_of, outputs, calendar, plan=plan)
        return result.collect()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        # At most ``workers`` batches in flight: a finished batch waits for its consumer
        # instead of piling up in memory.
        pending: deque[Future[pl.DataFrame]] = deque()
        for index in range(len(ranges) + workers):
            if index < len(ranges):
                pending.append(pool.submit(evaluate, ranges[index]))
            done = index + 1 - workers
            if done >= 1 and pending:
                result = pending.popleft().result()
                if progress is not None:
                    progress(done, len(ranges))
                yield result


def _lazy(frame: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    return frame.lazy() if isinstance(frame, pl.DataFrame) else frame
