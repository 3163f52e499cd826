"""Explanations from the one-person back-end: what decided, and when it would change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from legalstay.engine.interpreter import Evaluation, Record

__all__ = ["candidate_dates", "next_change"]

HORIZON_YEARS = 15
MAX_PROBES = 40


def candidate_dates(record: Record, as_of: dt.date, extra: Iterable[dt.date] = ()) -> list[dt.date]:
    """Dates on which a result may change: the dates its rules compared (and the day after),
    the days on which the parameters it read change, and — for day counts compared with a
    threshold — the day the count would reach it."""
    horizon = as_of.replace(year=min(as_of.year + HORIZON_YEARS, 9998))
    days: set[dt.date] = set(extra)
    for day in record.dates:
        days.update((day, _next_day(day)))
    for value in record.parameters.values():
        days.add(value.valid_from)
        if value.valid_to is not None:
            days.add(_next_day(value.valid_to))
    for left, right in record.numbers:
        gap = abs(right - left)
        if gap < 366 * HORIZON_YEARS:
            days.add(as_of + dt.timedelta(days=int(gap) + 1))
            days.add(as_of + dt.timedelta(days=int(gap)))
    return sorted(day for day in days if as_of < day <= horizon)


def _next_day(day: dt.date) -> dt.date:
    return day if day == dt.date.max else day + dt.timedelta(days=1)


def next_change(evaluation: Evaluation, name: str, extra: Iterable[dt.date] = ()) -> dt.date | None:
    """The first candidate date on which ``name`` has another value, if nothing else changes.

    Candidates come from :func:`candidate_dates`; each is checked by evaluating again, so a
    date returned is a real change. A change between candidates that no rule compared would be
    missed; None means no change was found within the horizon.
    """
    if not evaluation.record:  # the candidates come from what the rules read: record it
        evaluation = Evaluation(
            evaluation.rules,
            evaluation.parameters,
            evaluation.calendar,
            evaluation.facts,
            evaluation.as_of,
            record=True,
        )
    current = evaluation.value(name)
    record = evaluation.records[name]
    # Each probe evaluates only ``name`` (and what it reads) on that date; the evaluation of a
    # date is kept by ``evaluation.at``, so other outputs probing the same date share it.
    for probe, day in enumerate(candidate_dates(record, evaluation.as_of, extra)):
        if probe >= MAX_PROBES:
            return None
        if _differs(evaluation.at(day).value(name), current):
            return day
    return None


def _differs(left: Any, right: Any) -> bool:
    return bool(left != right) or type(left) is not type(right)
