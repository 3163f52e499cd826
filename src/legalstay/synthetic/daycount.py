"""Days as integers: the vectorised generator's calendar.

A date is the number of days since 1 Jan 1970 (``int32``), so that millions of them add and
compare as plain NumPy arrays. ``NO_DATE`` marks an absent date. Months and years are added
the way KPA art. 57 §3 counts them: the same day of the month, or the last day of a shorter
month (31 Jan + 1 month = 28/29 Feb).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "NO_DATE",
    "Days",
    "add_months",
    "add_years",
    "civil_from_days",
    "day_number",
    "days_between",
    "days_from_civil",
    "from_day_number",
]

Days = NDArray[np.int32]
NO_DATE: Final = np.int32(np.iinfo(np.int32).min)
_EPOCH: Final = dt.date(1970, 1, 1)


def day_number(date: dt.date) -> int:
    """The day number of a date."""
    return (date - _EPOCH).days


def from_day_number(day: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(day))


def add_months(
    days: NDArray[Any], months: NDArray[Any] | int, where: NDArray[np.bool_] | None = None
) -> Days:
    """``days`` plus whole months, clipped to the end of a shorter month.

    Only the days ``where`` says are moved (the rest become ``NO_DATE``): lookups are the
    generator's costliest step, so it moves only the dates that exist. The calendar covers
    1800–2399; days outside it are clipped to its ends.
    """
    if where is None:
        return _moved(days, np.asarray(months, np.int32))
    out = np.full(len(days), NO_DATE, np.int32)
    rows = np.flatnonzero(where)
    months = np.asarray(months, np.int32)
    out[rows] = _moved(days[rows], months[rows] if months.ndim else months)
    return out


def _moved(days: NDArray[Any], months: NDArray[np.int32]) -> Days:
    calendar = _calendar()
    index = days - calendar.first_day
    month = np.take(calendar.month_of_day, index, mode="clip") + months
    day = np.take(calendar.day_of_month, index, mode="clip")
    length = np.take(calendar.month_length, month, mode="clip")
    return np.take(calendar.month_start, month, mode="clip") + np.minimum(day, length) - 1


@dataclass(frozen=True)
class _Calendar:
    first_day: int
    month_of_day: NDArray[np.int16]  # months since January of the first year
    day_of_month: NDArray[np.int8]
    month_start: NDArray[np.int32]
    month_length: NDArray[np.int8]


@cache
def _calendar(first_year: int = 1800, last_year: int = 2399) -> _Calendar:
    first_day = day_number(dt.date(first_year, 1, 1))
    days = np.arange(first_day, day_number(dt.date(last_year, 12, 31)) + 1)
    year, month, day = civil_from_days(days)
    month_index = np.arange((last_year - first_year + 1) * 12)
    start_year, start_month = month_index // 12 + first_year, month_index % 12 + 1
    return _Calendar(
        first_day,
        ((year - first_year) * 12 + month - 1).astype(np.int16),
        day.astype(np.int8),
        days_from_civil(start_year, start_month, np.ones_like(start_year)),
        _days_in_month(start_year, start_month).astype(np.int8),
    )


def civil_from_days(days: NDArray[Any]) -> tuple[NDArray[np.int64], ...]:
    """Year, month and day of day numbers (H. Hinnant's algorithm, proleptic Gregorian)."""
    shifted = days.astype(np.int64) + 719_468
    era = shifted // 146_097
    day_of_era = shifted - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    march_based = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * march_based + 2) // 5 + 1
    month = np.where(march_based < 10, march_based + 3, march_based - 9)
    return year_of_era + era * 400 + (month <= 2), month, day


def days_from_civil(
    year: NDArray[np.int64], month: NDArray[np.int64], day: NDArray[np.int64]
) -> Days:
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days: NDArray[np.int64] = era * 146_097 + day_of_era - 719_468
    return np.clip(days, NO_DATE, np.iinfo(np.int32).max).astype(np.int32)


def _days_in_month(year: NDArray[np.int64], month: NDArray[np.int64]) -> NDArray[np.int64]:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    lengths: NDArray[np.int64] = _MONTH_LENGTHS[month - 1] + ((month == 2) & leap)
    return lengths


_MONTH_LENGTHS: Final = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def add_years(
    days: NDArray[Any], years: NDArray[Any] | int, where: NDArray[np.bool_] | None = None
) -> Days:
    """``days`` plus whole years (29 Feb + 1 year = 28 Feb)."""
    return add_months(days, np.asarray(years) * 12, where)


def days_between(years: float) -> int:
    """An approximate length of ``years`` in days, for drawing random spans."""
    return round(years * 365.25)
