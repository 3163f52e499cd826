"""Interval kernels: generic time arithmetic too large for the expression language.

``coverage`` answers, for one person and a date, "since when has this person been continuously
covered by these intervals, and how many days count towards a qualifying period, some days
counting in full and some by half?". It knows no law: which intervals count, and with what
weight, is given by the rulebook. Each kernel has a scalar implementation (for the recording
one-person back-end) and a vectorised one (for populations); the differential test holds them
equal.

Weights are 0 (covers, counts nothing), 0.5 (counts half) or 1 (counts in full); a day covered
by several intervals counts with the largest weight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from legalstay.engine.expressions import FAR_FUTURE, Kernel, Node

__all__ = [
    "CoverageSpec",
    "IntervalSource",
    "coverage",
    "coverage_scalar",
    "coverage_vectorised",
]

CoverageOutput = Literal["run_start", "weighted_days"]
WEIGHT_LEVELS = (0.5, 1.0)


@dataclass(frozen=True)
class IntervalSource:
    """Rows of ``table`` where ``where`` holds, each covering ``start``..``end`` (None: open)."""

    table: str
    where: Node
    start: Node
    end: Node
    weight: Node


@dataclass(frozen=True)
class CoverageSpec:
    name: str
    sources: tuple[IntervalSource, ...]

    def row_nodes(self) -> Iterator[Node]:
        for source in self.sources:
            yield from (source.where, source.start, source.end, source.weight)


def coverage(spec: CoverageSpec, output: CoverageOutput, window_start: Node) -> Kernel:
    """``run_start``: first day of the continuous covered run that includes the evaluation date
    (unknown if the date is not covered). ``weighted_days``: days from the later of run start and
    ``window_start`` to the evaluation date, both included, weighted as described above."""
    return Kernel("coverage", (window_start,), (spec, output))


# ---------------------------------------------------------------- one person


Interval = tuple[dt.date, dt.date, float]


def coverage_scalar(
    intervals: Sequence[Interval], as_of: dt.date, window_start: dt.date | None
) -> tuple[dt.date | None, float]:
    """(run_start, weighted_days) for one person's intervals (end already clipped at as_of)."""
    clipped = [(s, min(e, as_of), w) for s, e, w in intervals if s <= as_of and s <= min(e, as_of)]
    run = [interval for interval in _merge(clipped) if interval[1] == as_of]
    if not run:
        return None, 0.0
    run_start = run[0][0]
    start = max(run_start, window_start) if window_start else run_start
    return run_start, _weighted_days(clipped, start)


def _merge(intervals: Sequence[Interval]) -> list[Interval]:
    """Unions intervals that overlap or touch (a day after another's end is continuous)."""
    merged: list[Interval] = []
    for start, end, _ in sorted(intervals):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end), 0.0)
        else:
            merged.append((start, end, 0.0))
    return merged


def _weighted_days(intervals: Sequence[Interval], from_day: dt.date) -> float:
    days_at_level = []
    for level in WEIGHT_LEVELS:
        selected = [
            (max(s, from_day), e, w) for s, e, w in intervals if w >= level and e >= from_day
        ]
        days_at_level.append(sum((e - s).days + 1 for s, e, _ in _merge(selected)))
    half_or_more, full = days_at_level
    return full + 0.5 * (half_or_more - full)


# ---------------------------------------------------------------- populations


def coverage_vectorised(
    intervals: pl.LazyFrame, as_of: dt.date, window_start: pl.LazyFrame
) -> pl.LazyFrame:
    """Per person_id: ``run_start`` and ``weighted_days``.

    ``intervals`` has person_id, start, end (null = open), weight; ``window_start`` has
    person_id, window_start. Persons without a run are absent (the caller fills nulls).
    """
    clipped = intervals.with_columns(
        pl.col("end").fill_null(FAR_FUTURE).clip(upper_bound=as_of)
    ).filter((pl.col("start") <= as_of) & (pl.col("start") <= pl.col("end")))
    runs = (
        _merge_lazy(clipped)
        .filter(pl.col("end") == as_of)
        .select("person_id", run_start=pl.col("start"))
    )
    starts = runs.join(window_start, on="person_id", how="left").with_columns(
        from_day=pl.max_horizontal("run_start", "window_start")
    )
    levels = [_level_days(clipped, starts, level) for level in WEIGHT_LEVELS]
    result = starts.select("person_id", "run_start")
    for level_frame in levels:
        result = result.join(level_frame, on="person_id", how="left")
    return result.select(
        "person_id",
        "run_start",
        weighted_days=(
            pl.col("days_1.0").fill_null(0)
            + 0.5 * (pl.col("days_0.5").fill_null(0) - pl.col("days_1.0").fill_null(0))
        ).cast(pl.Float64),
    )


def _merge_lazy(intervals: pl.LazyFrame) -> pl.LazyFrame:
    """Unions each person's overlapping or touching intervals (same rule as :func:`_merge`).

    Rows sorted by person and start; a row opens a new run when it starts more than a day
    after the furthest end reached so far by the same person. "So far by the same person" is
    a global running maximum of ``person_id * 2**22 + end``: person ids are sorted, so the
    maximum never leaks from one person into the next (dates fit in 22 bits of days), and no
    per-person window (``over``), which is slow with millions of small groups, is needed.
    """
    day = pl.col("end").cast(pl.Int32).cast(pl.Int64)
    keyed = pl.col("person_id") * _PERSON_STRIDE + day
    ordered = intervals.sort("person_id", "start").with_columns(
        reach=(keyed.cum_max() - pl.col("person_id") * _PERSON_STRIDE).shift(1),
        same_person=pl.col("person_id") == pl.col("person_id").shift(1),
    )
    start_day = pl.col("start").cast(pl.Int32).cast(pl.Int64)
    new_run = ~pl.col("same_person").fill_null(False) | (start_day > pl.col("reach") + 1)
    return (
        ordered.with_columns(run=new_run.cast(pl.Int64).cum_sum())
        .group_by("person_id", "run")
        .agg(pl.col("start").min(), pl.col("end").max())
    )


# Days since 1970 fit in 22 bits for every date up to 9999-12-31 (2,932,896 < 4,194,304).
_PERSON_STRIDE = 1 << 22


def _level_days(clipped: pl.LazyFrame, starts: pl.LazyFrame, level: float) -> pl.LazyFrame:
    selected = (
        clipped.filter(pl.col("weight") >= level)
        .join(starts.select("person_id", "from_day"), on="person_id", how="inner")
        .filter(pl.col("end") >= pl.col("from_day"))
        .with_columns(start=pl.max_horizontal("start", "from_day"))
        .select("person_id", "start", "end")
    )
    days = (pl.col("end") - pl.col("start")).dt.total_days() + 1
    return _merge_lazy(selected).group_by("person_id").agg(days.sum().alias(f"days_{level}"))


KernelScalar = Callable[..., object]
