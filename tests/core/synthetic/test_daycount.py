"""Vectorised calendar arithmetic agrees with the calendar, month ends and 29 Feb included."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from legalstay.synthetic.daycount import (
    add_months,
    add_years,
    civil_from_days,
    day_number,
    days_from_civil,
    from_day_number,
)


def one(date: dt.date, months: int) -> dt.date:
    return from_day_number(int(add_months(np.array([day_number(date)]), months)[0]))


def by_the_calendar(date: dt.date, months: int) -> dt.date:
    year, month = divmod(date.year * 12 + date.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(date.day, last))


@given(st.dates(dt.date(1850, 1, 1), dt.date(2350, 12, 31)), st.integers(-400, 400))
def test_adding_months_agrees_with_the_calendar(date, months):
    assert one(date, months) == by_the_calendar(date, months)


def test_a_month_after_31_january_is_the_last_day_of_february():
    assert one(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert one(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)


def test_a_year_after_29_february_is_28_february():
    days = add_years(np.array([day_number(dt.date(2024, 2, 29))]), 1)
    assert from_day_number(int(days[0])) == dt.date(2025, 2, 28)


def test_only_the_dates_asked_for_are_moved():
    days = np.array([day_number(dt.date(2024, 1, 1)), day_number(dt.date(2024, 6, 1))])
    moved = add_years(days, 1, np.array([True, False]))
    assert from_day_number(int(moved[0])) == dt.date(2025, 1, 1)
    assert moved[1] == np.iinfo(np.int32).min


@given(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
def test_civil_dates_and_day_numbers_convert_both_ways(date):
    year, month, day = civil_from_days(np.array([day_number(date)]))
    assert (year[0], month[0], day[0]) == (date.year, date.month, date.day)
    assert days_from_civil(year, month, day)[0] == day_number(date)
