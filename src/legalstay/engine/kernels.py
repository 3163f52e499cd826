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

import numpy as np
import numpy.typing as npt

from legalstay.engine.expressions import Kernel, Node

__all__ = [
    "CoverageResult",
    "CoverageSpec",
    "IntervalSource",
    "Intervals",
    "coverage",
    "coverage_arrays",
    "coverage_in_chunks",
    "coverage_scalar",
]

CoverageOutput = Literal["run_start", "weighted_days"]
WEIGHT_LEVELS = (0.5, 1.0)  # the vectorised form relies on exactly these two levels


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
        if merged and (start - merged[-1][1]).days <= 1:  # no day after 9999-12-31 needed
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

# Epoch days (days since 1970-01-01, as Polars stores a Date) of the first and last dates.
_FIRST_DAY = (dt.date.min - dt.date(1970, 1, 1)).days
# Days from 0001-01-01 to 9999-12-31 fit in 22 bits (3,652,058 < 4,194,304), so an owner and a
# day pack into one int64 that sorts by owner, then day.
_OWNER_STRIDE = 1 << 22

Days = npt.NDArray[np.int64]
# Owners per chunk in coverage_in_chunks: the working arrays of a chunk (a few hundred thousand
# intervals) stay in the processor's cache and take megabytes, not hundreds of them.
CHUNK_OWNERS = 1 << 15


@dataclass(frozen=True)
class Intervals:
    """Intervals as arrays: ``owner`` in ascending order, ``start`` and ``end`` in epoch days
    (any integer type; an open end as FAR_FUTURE) and ``weight``."""

    owner: npt.NDArray[np.int64]
    start: npt.NDArray[np.generic]
    end: npt.NDArray[np.generic]
    weight: npt.NDArray[np.generic]


@dataclass(frozen=True)
class CoverageResult:
    """Per owner: first day of the run covering the date (epoch days; valid where ``known``)
    and the weighted days counted (NaN where there is no run)."""

    run_start: Days
    known: npt.NDArray[np.bool_]
    weighted_days: npt.NDArray[np.float64]


def coverage_arrays(
    owner: Days,
    start: Days,
    end: Days,
    weight: npt.NDArray[np.float64],
    owners: int,
    as_of: dt.date,
    window_start: tuple[Days, npt.NDArray[np.bool_]] | None,
) -> CoverageResult:
    """:func:`coverage_scalar` for every owner at once.

    ``owner`` (0 … owners - 1), ``start``, ``end`` (epoch days; an open end as FAR_FUTURE) and
    ``weight`` describe the intervals, in any order. ``window_start`` holds epoch days and
    whether each is known (an unknown window start counts from the run start); None when only
    the run start is wanted (the weighted days are then not counted: NaN).

    Days are *keyed*: ``owner * stride + (day - first day)``. Sorted by key, a running maximum
    of keyed ends never leaks from one owner into the next, and an owner's first interval
    always starts past the previous owner's reach, so no per-owner loop or check is needed.
    """
    day = (as_of - dt.date(1970, 1, 1)).days
    end = np.minimum(end, day)
    keep = start <= end  # so also start <= day
    if not keep.all():
        owner, start, end, weight = owner[keep], start[keep], end[keep], weight[keep]
    base = owner * _OWNER_STRIDE - _FIRST_DAY
    keyed_start, keyed_end = start + base, end + base
    if keyed_start.size and not bool(np.all(keyed_start[1:] >= keyed_start[:-1])):
        order = np.argsort(keyed_start, kind="stable")
        owner, keyed_start, keyed_end = owner[order], keyed_start[order], keyed_end[order]
        weight = weight[order]
    run_start, known = _runs_reaching(owner, keyed_start, keyed_end, owners, day)
    if window_start is None:
        return CoverageResult(run_start + _FIRST_DAY, known, np.full(owners, np.nan))
    window, window_known = window_start
    from_day = np.where(window_known, np.maximum(run_start, window - _FIRST_DAY), run_start)
    # Intervals of owners with a run, reaching the day counting starts from; their starts,
    # moved up to that day, stay in order.
    from_key = owner * _OWNER_STRIDE + from_day[owner]
    counted = known[owner] & (keyed_end >= from_key)
    keyed_start = np.maximum(keyed_start, from_key)
    full = _covered_days(owner, keyed_start, keyed_end, counted & (weight >= 1.0), owners)
    half_or_more = full
    if np.any((weight >= 0.5) & (weight < 1.0)):  # else both levels count the same days
        selected = counted & (weight >= 0.5)
        half_or_more = _covered_days(owner, keyed_start, keyed_end, selected, owners)
    weighted = np.where(known, full + 0.5 * (half_or_more - full), np.nan)
    return CoverageResult(run_start + _FIRST_DAY, known, weighted)


def coverage_in_chunks(
    parts: Sequence[Intervals],
    owners: int,
    as_of: dt.date,
    window_start: tuple[Days, npt.NDArray[np.bool_]] | None,
    chunk: int = CHUNK_OWNERS,
) -> CoverageResult:
    """:func:`coverage_arrays` over the intervals of several sources, ``chunk`` owners at a
    time: the same answers (each owner's are its own), with about 80 bytes of working memory
    an interval of one chunk instead of one of everyone (340 MB at a million persons)."""
    parts = [_by_owner(part) for part in parts]
    run_start = np.zeros(owners, dtype=np.int64)
    known = np.zeros(owners, dtype=np.bool_)
    weighted = np.full(owners, np.nan)
    for low in range(0, owners, chunk):
        high = min(low + chunk, owners)
        pieces = [_owned_by(part, low, high) for part in parts]
        window = None
        if window_start is not None:
            window = (window_start[0][low:high], window_start[1][low:high])
        found = coverage_arrays(
            np.concatenate([piece.owner for piece in pieces]) - low,
            np.concatenate([piece.start for piece in pieces]).astype(np.int64),
            np.concatenate([piece.end for piece in pieces]).astype(np.int64),
            np.concatenate([piece.weight for piece in pieces]).astype(np.float64),
            high - low,
            as_of,
            window,
        )
        run_start[low:high], known[low:high] = found.run_start, found.known
        weighted[low:high] = found.weighted_days
    return CoverageResult(run_start, known, weighted)


def _by_owner(part: Intervals) -> Intervals:
    owner = part.owner
    if not owner.size or bool(np.all(owner[1:] >= owner[:-1])):
        return part
    order = np.argsort(owner, kind="stable")
    return Intervals(owner[order], part.start[order], part.end[order], part.weight[order])


def _owned_by(part: Intervals, low: int, high: int) -> Intervals:
    """The intervals of owners ``low`` … ``high - 1`` (views, not copies)."""
    first, last = np.searchsorted(part.owner, (low, high))
    window = slice(int(first), int(last))
    return Intervals(part.owner[window], part.start[window], part.end[window], part.weight[window])


def _previous_reach(keyed_end: Days) -> Days:
    """For each interval, the furthest keyed end before it (a very small number for the
    first); below an owner's own keys when it is the owner's first interval."""
    reach = np.empty_like(keyed_end)
    if keyed_end.size:
        reach[0] = -2
        np.maximum.accumulate(keyed_end[:-1], out=reach[1:])
    return reach


def _runs_reaching(
    owner: Days, keyed_start: Days, keyed_end: Days, owners: int, day: int
) -> tuple[Days, npt.NDArray[np.bool_]]:
    """Per owner, the start (days since the first day) of the merged run of intervals
    (overlapping or touching) that reaches ``day``; intervals already end by ``day``."""
    reach = _previous_reach(keyed_end)
    begins = np.flatnonzero(keyed_start > reach + 1)
    run_start = np.zeros(owners, dtype=np.int64)
    known = np.zeros(owners, dtype=np.bool_)
    if begins.size:
        # A run's furthest end is the running maximum at its last interval (every earlier
        # run ends before it starts, and no interval ends before its start): read off the
        # maximum already taken, not reduced again run by run.
        furthest = np.append(reach[1:], keyed_end[-1:].max(initial=reach[-1]))
        last = np.append(begins[1:], keyed_end.size) - 1
        run_end = furthest[last] - owner[begins] * _OWNER_STRIDE
        reaching = begins[run_end == day - _FIRST_DAY]
        who = owner[reaching]
        run_start[who] = keyed_start[reaching] - who * _OWNER_STRIDE
        known[who] = True
    return run_start, known


def _covered_days(
    owner: Days,
    keyed_start: Days,
    keyed_end: Days,
    selected: npt.NDArray[np.bool_],
    owners: int,
) -> npt.NDArray[np.float64]:
    """Per owner, the number of distinct days covered by the selected intervals: each adds
    the days past the furthest end reached before it (starts are in order). An interval not
    selected keeps its place with an end before every key, so it reaches nothing and adds
    no day (cheaper than taking the selected ones out of four arrays)."""
    ends = np.where(selected, keyed_end, -1)
    first_new = _previous_reach(ends)  # in place below: four passes over millions, no copies
    first_new += 1
    np.maximum(first_new, keyed_start, out=first_new)
    days = ends
    days += 1
    days -= first_new
    np.maximum(days, 0, out=days)
    covered = np.bincount(owner, weights=days, minlength=owners)
    return covered.astype(np.float64, copy=False)


KernelScalar = Callable[..., object]
