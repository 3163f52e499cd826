"""The Polish calendar of days off, for the date arithmetic of KPA art. 57 §4.

Statutory days off ("dni ustawowo wolne od pracy") are fixed by the Act of 18 January 1951 on
days free from work (ustawa o dniach wolnych od pracy), art. 1: Sundays and the listed public
holidays. The list changes over time: 3 May from 1990, Epiphany (6 Jan) from 2011, the one-off
12 Nov 2018, Christmas Eve (24 Dec) from 2025 (Dz.U. 2024 poz. 1965; NOT VERIFIED by the research,
legal-rules.md §1.5: answers resting on it say so). We do not hand-write it:
the `holidays` package (``holidays.Poland``, public category) keeps it, with the year in which
each day was added or removed. Saturdays are not statutory days off; whether a Saturday counts
is the caller's decision (for KPA art. 57 §4, from 1 Jun 2017: see `legalstay.engine.periods`).

Two forms, the same answers:

* scalar (`PolishCalendar.is_day_off`, `.next_working_day`) for one person, the interpreter and
  the explain back-end: a set of holidays per year, built on first use and cached;
* vectorised (`PolishCalendar.next_working_days` over NumPy day numbers, and the Polars
  expressions `.next_working_day_expr`, `.next_working_day_switching_expr`) for the population
  back-end: a lookup table over every day the calendar covers, mapping it to the first day on
  or after it that is not a day off.

Only the years given to the constructor are covered. A calendar never guesses the holidays of a
year it was not built for: scalar methods raise `DateOutsideCalendarError`, vectorised ones give
null (see `PolishCalendar.next_working_day_expr`); the one-person back-end reads the error as an
unknown date, as the population back-end reads the null.

By default a calendar covers `FIRST_YEAR`–`LAST_YEAR`, every year whose KPA art. 57 §4 days
off can be known: from 1961, when the KPA (Act of 14 Jun 1960) came into force, the days off of
the 1951 Act as `holidays.Poland` records them (22 Jul until 1989, 3 May from 1990 …), to 2100,
the last year `holidays.Poland` knows. An old decision delivered in 1989 then has a known
appeal period; one outside these years has an unknown one, never a guessed one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

# The class itself: ``holidays.Poland`` is a lazy loader that type checkers cannot see through.
from holidays.countries.poland import Poland as PolandHolidays

from legalstay.engine.numbers import numbers_of, series_of

__all__ = ["FIRST_YEAR", "LAST_YEAR", "DateOutsideCalendarError", "PolishCalendar"]

#: The KPA (Act of 14 Jun 1960) came into force on 1 Jan 1961: its art. 57 periods start then.
FIRST_YEAR: Final = 1961
#: The last year ``holidays.Poland`` knows the days off of.
LAST_YEAR: Final = 2100

_EPOCH: Final = dt.date(1970, 1, 1)  # Polars stores a Date as days since this day
_EPOCH_WEEKDAY: Final = _EPOCH.weekday()  # Thursday
_SATURDAY: Final = 5
_SUNDAY: Final = 6
_ONE_DAY: Final = dt.timedelta(days=1)
# Marks "next working day unknown" in a table of epoch days; no calendar reaches this day.
_UNKNOWN: Final = np.iinfo(np.int32).min

# Day-off tables are NumPy arrays over the covered days; index i is first_day + i days.
_DayMask = npt.NDArray[np.bool_]
_EpochDays = npt.NDArray[np.int64]
_Days32 = npt.NDArray[np.int32]


class DateOutsideCalendarError(ValueError):
    """A date outside the years a `PolishCalendar` covers: its days off are not known to it."""

    def __init__(self, day: dt.date, calendar: PolishCalendar) -> None:
        super().__init__(
            f"{day.isoformat()} is outside the years this calendar covers "
            f"({calendar.first_year}–{calendar.last_year}); build a PolishCalendar whose years "
            "include it (and, for a next working day, the days after it)"
        )
        self.day = day


def _epoch_day(day: dt.date) -> int:
    return (day - _EPOCH).days


def _supported_years() -> tuple[int, int]:
    """The years ``holidays.Poland`` knows; outside them it returns no holidays, silently."""
    return int(PolandHolidays.start_year), int(PolandHolidays.end_year)


class PolishCalendar:
    """Statutory days off in Poland, for the years `first_year` to `last_year` inclusive."""

    def __init__(self, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> None:
        supported_first, supported_last = _supported_years()
        if not supported_first <= first_year <= last_year <= supported_last:
            raise ValueError(
                f"PolishCalendar({first_year}, {last_year}): years must be ascending and within "
                f"{supported_first}–{supported_last}, the years holidays.Poland knows"
            )
        self.first_year: Final = first_year
        self.last_year: Final = last_year
        self.first_day: Final = dt.date(first_year, 1, 1)
        self.last_day: Final = dt.date(last_year, 12, 31)
        self._holidays_by_year: dict[int, frozenset[dt.date]] = {}
        self._tables: dict[object, pl.Series] = {}
        self._arrays: dict[object, _Days32] = {}
        self._working: frozenset[dt.date] = frozenset()
        self._variants: dict[frozenset[dt.date], PolishCalendar] = {}

    def __repr__(self) -> str:
        return f"PolishCalendar({self.first_year}, {self.last_year})"

    def with_working_days(self, days: Iterable[dt.date]) -> PolishCalendar:
        """The same calendar with ``days`` taken as working days (a holiday whose law is in
        doubt: what a deadline would be if it were not one). Kept: one per set of days."""
        working = frozenset(days)
        found = self._variants.get(working)
        if found is None:
            found = PolishCalendar(self.first_year, self.last_year)
            found._working = working
            self._variants[working] = found
        return found

    # --- scalar ---------------------------------------------------------------------------

    def covers(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day

    def is_public_holiday(self, day: dt.date) -> bool:
        """A public holiday of the Act of 18 Jan 1951 art. 1 (some fall on a Sunday)."""
        return day in self._holidays_in(self._checked(day).year)

    def is_day_off(self, day: dt.date, *, saturday_is_day_off: bool) -> bool:
        """A Sunday or a public holiday; a Saturday too when `saturday_is_day_off`."""
        weekday = self._checked(day).weekday()
        if weekday == _SUNDAY or (saturday_is_day_off and weekday == _SATURDAY):
            return True
        return self.is_public_holiday(day)

    def next_working_day(self, day: dt.date, *, saturday_is_day_off: bool) -> dt.date:
        """`day` itself if it is not a day off, else the first day after it that is not.

        Raises `DateOutsideCalendarError` if the search leaves the covered years.
        """
        while self.is_day_off(day, saturday_is_day_off=saturday_is_day_off):
            day += _ONE_DAY
        return day

    def _checked(self, day: dt.date) -> dt.date:
        if isinstance(day, dt.datetime):
            # A datetime never equals a date, so every holiday lookup would silently miss.
            raise TypeError(f"expected a date, got the datetime {day.isoformat()}")
        if not self.covers(day):
            raise DateOutsideCalendarError(day, self)
        return day

    def _prefetch_holidays(self) -> None:
        """Every covered year's holidays in one ``holidays`` call (a third of the time of a
        call per year), for the vectorised tables that need them all."""
        missing = [
            y for y in range(self.first_year, self.last_year + 1) if y not in self._holidays_by_year
        ]
        if not missing:
            return
        by_year: dict[int, set[dt.date]] = {year: set() for year in missing}
        for day in PolandHolidays(years=missing):  # type: ignore[no-untyped-call]
            by_year[day.year].add(day)
        for year, days in by_year.items():
            self._holidays_by_year[year] = frozenset(days) - self._working

    def _holidays_in(self, year: int) -> frozenset[dt.date]:
        # Built once per year on first use: a dict lookup and a set membership per scalar call.
        found = self._holidays_by_year.get(year)
        if found is None:
            # Public category, the default: the days off of the 1951 Act.
            holidays_of_year = PolandHolidays(years=year)  # type: ignore[no-untyped-call]
            found = frozenset(holidays_of_year) - self._working
            self._holidays_by_year[year] = found
        return found

    # --- vectorised -----------------------------------------------------------------------

    def next_working_day_expr(
        self, expr: pl.Expr, *, saturday_is_day_off: bool | pl.Expr
    ) -> pl.Expr:
        """Vectorised `next_working_day` for a Date expression.

        `saturday_is_day_off` is one flag for all rows or a Boolean expression per row.
        Null in (date or flag) gives null out. So does a date outside the covered years, or one
        whose next working day lies after `last_day`, where the scalar form raises: the
        population back-end reads null as "unknown", never as a date. Alias the result.
        """
        if isinstance(saturday_is_day_off, bool):
            return self._lookup(self._next_working_days(saturday_is_day_off), expr)
        return self._lookup(self._next_working_days_by_flag(), expr, saturday_is_day_off)

    def next_working_day_switching_expr(
        self, expr: pl.Expr, *, saturdays_off_from: dt.date
    ) -> pl.Expr:
        """As `next_working_day_expr`, with Saturdays days off for dates on or after
        `saturdays_off_from` (decided by the date looked up): `next_working_days` on each
        batch of rows."""

        def shift(columns: Sequence[pl.Series]) -> pl.Series:
            days, known = epoch_days(columns[0])
            found, found_known = self.next_working_days(days, saturdays_off_from=saturdays_off_from)
            return dates(found, known & found_known)

        return pl.map_batches([expr.cast(pl.Date)], shift, return_dtype=pl.Date)

    def next_working_days(
        self, days: _Days32, *, saturdays_off_from: dt.date
    ) -> tuple[_Days32, _DayMask]:
        """`next_working_day` over an array of day numbers (days since 1 Jan 1970), with
        Saturdays days off for days on or after `saturdays_off_from` (decided by the day looked
        up), and whether each answer is known: not for a day outside the covered years, nor
        one whose next working day lies after `last_day` (where the scalar form raises).

        KPA art. 57 §4 needs exactly this. One precomputed table makes it one ``take``; NumPy
        rather than a Polars expression, because a Polars plan pays for every node it holds
        on every evaluation, which a batch of a few thousand persons feels.
        """
        table = self._switching_targets(saturdays_off_from)
        offset = days - np.int32(_epoch_day(self.first_day))
        inside = (offset >= 0) & (offset < table.size)
        found = table[np.where(inside, offset, 0)]
        return found, inside & (found != _UNKNOWN)

    def _switching_targets(self, saturdays_off_from: dt.date) -> _Days32:
        key = ("switching", saturdays_off_from)
        if key not in self._arrays:
            switch = max(_epoch_day(saturdays_off_from) - _epoch_day(self.first_day), 0)
            without, with_saturdays = self._targets(False), self._targets(True)
            switched = np.concatenate([without[:switch], with_saturdays[switch:]])
            self._arrays[key] = switched.astype(np.int32)  # _UNKNOWN is int32's minimum
        return self._arrays[key]

    def _next_working_days(self, saturday_is_day_off: bool) -> pl.Series:
        if saturday_is_day_off not in self._tables:
            targets = self._targets(saturday_is_day_off)
            self._tables[saturday_is_day_off] = _padded_date_table(targets, pad=1)
        return self._tables[saturday_is_day_off]

    def _next_working_days_by_flag(self) -> pl.Series:
        # Interleaved: row 2i is day i without Saturdays off, row 2i + 1 with them, so that a
        # per-row flag is one gather at 2i + flag rather than two gathers and a when/then.
        if "by_flag" not in self._tables:
            interleaved = np.stack([self._targets(False), self._targets(True)], axis=1).ravel()
            self._tables["by_flag"] = _padded_date_table(interleaved, pad=2)
        return self._tables["by_flag"]

    def _lookup(self, table: pl.Series, expr: pl.Expr, flag: pl.Expr | None = None) -> pl.Expr:
        """Read `table` (padded with nulls, see `_padded_date_table`) at the row of each date.

        Chosen by measurement on 1M random dates (2 cores, Polars 2.1, median of 5):
        ``pl.lit(table).gather(index)`` 5.8 ms; the same through ``map_batches`` and
        ``np.take`` 5.0 ms but opaque to the query planner; ``replace_strict`` 25 ms; a left
        join on a lookup frame 23 ms and not an expression. Out-of-range indices are clipped
        into the null padding rather than masked with when/then, which would evaluate `expr`
        twice; a negative index must never reach ``gather``, which reads it from the end.
        """
        offset = expr.cast(pl.Date).cast(pl.Int64) - _epoch_day(self.first_day)
        days = self._day_count()
        if flag is None:
            return pl.lit(table).gather(offset.clip(-1, days) + 1)
        row = offset.clip(-1, days) * 2 + flag.cast(pl.Int64)
        return pl.lit(table).gather(row + 2)

    def _day_count(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def _targets(self, saturday_is_day_off: bool) -> _EpochDays:
        """For each covered day, the epoch day of the first day on or after it that is not a day
        off; `_UNKNOWN` where that day lies after `last_day`."""
        day_off = self._day_off_mask(saturday_is_day_off)
        working = np.flatnonzero(~day_off)
        first_working_at_or_after = np.searchsorted(working, np.arange(day_off.size))
        known = first_working_at_or_after < working.size
        found = working[np.minimum(first_working_at_or_after, working.size - 1)]
        return np.where(known, found + _epoch_day(self.first_day), _UNKNOWN).astype(np.int64)

    def _day_off_mask(self, saturday_is_day_off: bool) -> _DayMask:
        first = _epoch_day(self.first_day)
        weekday = (np.arange(first, first + self._day_count()) + _EPOCH_WEEKDAY) % 7
        day_off: _DayMask = weekday == _SUNDAY
        if saturday_is_day_off:
            day_off |= weekday == _SATURDAY
        self._prefetch_holidays()
        holiday_offsets = [
            _epoch_day(day) - first
            for year in range(self.first_year, self.last_year + 1)
            for day in self._holidays_in(year)
        ]
        day_off[np.asarray(holiday_offsets, dtype=np.int64)] = True
        return day_off


def epoch_days(dates_: pl.Series) -> tuple[_Days32, _DayMask]:
    """A Date series as 32-bit day numbers (0 where null) and whether each is known."""
    numbers, known = numbers_of(dates_)
    return numbers.astype(np.int32, copy=False), known


def dates(days: _Days32, known: _DayMask) -> pl.Series:
    """A Date series from day numbers, null where not ``known``."""
    return series_of(days, known, pl.Date())


def _padded_date_table(epoch_days: _EpochDays, *, pad: int) -> pl.Series:
    """A Date series of `epoch_days` (`_UNKNOWN` made null) with `pad` nulls at each end, so
    that lookups clipped one step outside the table read null."""
    padding = np.full(pad, _UNKNOWN, dtype=np.int64)
    values = np.concatenate([padding, epoch_days, padding])
    table = pl.Series("next_working_day", values.astype(np.int32)).cast(pl.Date)
    return table.scatter(np.flatnonzero(values == _UNKNOWN), None)
