"""The Polish calendar of statutory days off (Act of 18 Jan 1951 art. 1), scalar and vectorised."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

from legalstay.engine.calendars import DateOutsideCalendarError, PolishCalendar
from legalstay.engine.periods import (
    SATURDAY_RULE_FROM,
    default_calendar,
    period_end,
    period_end_expr,
)

FIXTURES = Path(__file__).parent / "fixtures"
CALENDAR = default_calendar()
ONE_DAY = dt.timedelta(days=1)


def covered_days(calendar: PolishCalendar) -> list[dt.date]:
    count = (calendar.last_day - calendar.first_day).days + 1
    return [calendar.first_day + dt.timedelta(days=i) for i in range(count)]


def holidays_fixture() -> list[dict[str, str]]:
    with (FIXTURES / "poland_public_holidays_2020_2027.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


# --- the statutory list ---------------------------------------------------------------------


def test_24_december_2025_is_a_public_holiday_and_a_day_off():
    christmas_eve = dt.date(2025, 12, 24)  # Dz.U. 2024 poz. 1965, from 2025
    assert CALENDAR.is_public_holiday(christmas_eve)
    assert CALENDAR.is_day_off(christmas_eve, saturday_is_day_off=False)


def test_24_december_2024_was_still_a_working_day():
    assert not CALENDAR.is_day_off(dt.date(2024, 12, 24), saturday_is_day_off=True)


def test_a_calendar_taking_a_doubtful_holiday_as_a_working_day_moves_periods_only_past_it():
    christmas_eve = dt.date(2025, 12, 24)
    without = CALENDAR.with_working_days((christmas_eve,))
    assert not without.is_day_off(christmas_eve, saturday_is_day_off=True)
    assert without.is_public_holiday(dt.date(2025, 12, 25))
    assert without.next_working_day(christmas_eve, saturday_is_day_off=True) == christmas_eve
    assert CALENDAR.is_day_off(christmas_eve, saturday_is_day_off=True)  # the original unchanged
    assert CALENDAR.with_working_days([christmas_eve]) is without


def test_epiphany_became_a_day_off_in_2011():
    assert not CALENDAR.is_public_holiday(dt.date(2010, 1, 6))
    assert CALENDAR.is_public_holiday(dt.date(2011, 1, 6))


def test_12_november_2018_was_a_one_off_day_off():
    assert CALENDAR.is_public_holiday(dt.date(2018, 11, 12))
    assert not CALENDAR.is_public_holiday(dt.date(2019, 11, 12))


def test_the_calendar_agrees_with_every_row_of_the_holidays_fixture():
    rows = holidays_fixture()
    listed = {dt.date.fromisoformat(row["date"]) for row in rows}
    assert len(rows) == len(listed) == 107
    for row in rows:
        day = dt.date.fromisoformat(row["date"])
        assert CALENDAR.is_public_holiday(day), row
        assert day.strftime("%A") == row["weekday"]
        assert (day.weekday() == 5) == (row["falls_on_saturday"] == "true")
        assert (day.weekday() == 6) == (row["falls_on_sunday"] == "true")
    in_fixture_years = [day for day in covered_days(CALENDAR) if 2020 <= day.year <= 2027]
    assert {day for day in in_fixture_years if CALENDAR.is_public_holiday(day)} == listed


# --- days off and the next working day ------------------------------------------------------


def test_a_sunday_is_always_a_day_off_and_a_saturday_only_when_asked():
    saturday, sunday, monday = dt.date(2026, 3, 7), dt.date(2026, 3, 8), dt.date(2026, 3, 9)
    assert CALENDAR.is_day_off(sunday, saturday_is_day_off=False)
    assert CALENDAR.is_day_off(saturday, saturday_is_day_off=True)
    assert not CALENDAR.is_day_off(saturday, saturday_is_day_off=False)
    assert not CALENDAR.is_day_off(monday, saturday_is_day_off=True)


def test_a_working_day_is_its_own_next_working_day():
    thursday = dt.date(2026, 4, 30)
    assert CALENDAR.next_working_day(thursday, saturday_is_day_off=True) == thursday


def test_from_1_may_2026_the_next_working_day_is_4_may_or_2_may_without_saturdays():
    labour_day = dt.date(2026, 5, 1)  # Friday; 3 May is a Sunday and a holiday
    assert CALENDAR.next_working_day(labour_day, saturday_is_day_off=True) == dt.date(2026, 5, 4)
    assert CALENDAR.next_working_day(labour_day, saturday_is_day_off=False) == dt.date(2026, 5, 2)


def test_the_longest_run_of_days_off_is_five_days_from_christmas_eve_2025():
    """24 Dec 2025 (Wed) to 28 Dec (Sun) under the §4 rule with Saturdays; before 24 Dec became
    a holiday the longest run was four days (e.g. Sat 23 Dec 2017 to Tue 26 Dec)."""
    shifts = {
        day: (CALENDAR.next_working_day(day, saturday_is_day_off=day >= SATURDAY_RULE_FROM) - day)
        for day in covered_days(CALENDAR)
        if day <= dt.date(2100, 12, 28)
    }
    longest = max(shifts.values())
    assert longest == dt.timedelta(days=5)
    assert min(day for day, shift in shifts.items() if shift == longest) == dt.date(2025, 12, 24)
    assert max(shift for day, shift in shifts.items() if day.year < 2025) == dt.timedelta(days=4)


# --- the covered years ----------------------------------------------------------------------


def test_a_date_outside_the_covered_years_raises_a_clear_error():
    with pytest.raises(DateOutsideCalendarError, match=r"1960-12-31 is outside .*1961–2100"):
        CALENDAR.is_day_off(dt.date(1960, 12, 31), saturday_is_day_off=True)
    with pytest.raises(DateOutsideCalendarError):
        CALENDAR.is_public_holiday(dt.date(2101, 1, 1))


def test_a_datetime_is_refused_because_it_never_equals_a_holiday_date():
    with pytest.raises(TypeError, match="expected a date"):
        CALENDAR.is_day_off(dt.datetime(2025, 12, 24, 12, 0), saturday_is_day_off=True)  # noqa: DTZ001


def test_a_sunday_outside_the_covered_years_raises_rather_than_answering():
    with pytest.raises(DateOutsideCalendarError):
        CALENDAR.is_day_off(dt.date(1960, 12, 25), saturday_is_day_off=False)  # a Sunday


def test_a_next_working_day_beyond_the_last_covered_day_raises():
    calendar_2022 = PolishCalendar(2022, 2022)
    last_saturday = dt.date(2022, 12, 31)
    assert calendar_2022.next_working_day(last_saturday, saturday_is_day_off=False) == last_saturday
    with pytest.raises(DateOutsideCalendarError, match="2023-01-01"):
        calendar_2022.next_working_day(last_saturday, saturday_is_day_off=True)


@pytest.mark.parametrize("years", [(2000, 1999), (1800, 2000), (2000, 2101)])
def test_a_calendar_refuses_years_the_holidays_package_does_not_know(years):
    with pytest.raises(ValueError, match="years must be ascending"):
        PolishCalendar(*years)


def test_the_default_calendar_is_built_once_and_covers_1961_to_2100():
    # The KPA came into force on 1 Jan 1961: an appeal period of 1989 is counted, not refused.
    assert default_calendar() is CALENDAR
    assert (CALENDAR.first_day, CALENDAR.last_day) == (dt.date(1961, 1, 1), dt.date(2100, 12, 31))
    assert CALENDAR.is_public_holiday(dt.date(1985, 7, 22))  # National Day of Rebirth of Poland


# --- vectorised -----------------------------------------------------------------------------


def next_working_days(expr: pl.Expr, days: Sequence[dt.date | None]) -> list[dt.date | None]:
    frame = pl.DataFrame({"day": days}, schema={"day": pl.Date})
    return frame.select(expr.alias("next")).to_series().to_list()


@pytest.mark.parametrize("saturday_is_day_off", [False, True])
def test_the_lookup_table_agrees_with_the_scalar_calendar_on_every_covered_day(
    saturday_is_day_off,
):
    days = covered_days(CALENDAR)
    expr = CALENDAR.next_working_day_expr(pl.col("day"), saturday_is_day_off=saturday_is_day_off)
    expected = [CALENDAR.next_working_day(d, saturday_is_day_off=saturday_is_day_off) for d in days]
    assert next_working_days(expr, days) == expected


def test_the_switching_table_counts_saturdays_only_from_the_switch_day():
    days = covered_days(CALENDAR)
    expr = CALENDAR.next_working_day_switching_expr(
        pl.col("day"), saturdays_off_from=SATURDAY_RULE_FROM
    )
    expected = [
        CALENDAR.next_working_day(d, saturday_is_day_off=d >= SATURDAY_RULE_FROM) for d in days
    ]
    assert next_working_days(expr, days) == expected


def test_a_per_row_saturday_flag_picks_the_table_row_by_row():
    frame = pl.DataFrame(
        {
            "day": [dt.date(2026, 5, 1), dt.date(2026, 5, 1), dt.date(2026, 5, 1), None],
            "saturday_off": [True, False, None, True],
        }
    )
    expr = CALENDAR.next_working_day_expr(pl.col("day"), saturday_is_day_off=pl.col("saturday_off"))
    assert frame.select(expr).to_series().to_list() == [
        dt.date(2026, 5, 4),
        dt.date(2026, 5, 2),
        None,
        None,
    ]


def test_vectorised_lookups_give_null_for_null_and_for_dates_outside_the_covered_years():
    days = [None, dt.date(1960, 12, 31), dt.date(2101, 1, 1), dt.date(1, 1, 1), dt.date(2026, 5, 1)]
    for saturday_is_day_off in (False, True, pl.lit(True)):
        expr = CALENDAR.next_working_day_expr(
            pl.col("day"), saturday_is_day_off=saturday_is_day_off
        )
        *unknown, labour_day = next_working_days(expr, days)
        assert unknown == [None] * 4
        assert labour_day in (dt.date(2026, 5, 2), dt.date(2026, 5, 4))


def test_a_vectorised_next_working_day_beyond_the_last_covered_day_is_null():
    calendar_2022 = PolishCalendar(2022, 2022)
    last_saturday = dt.date(2022, 12, 31)
    with_saturdays = calendar_2022.next_working_day_expr(pl.col("day"), saturday_is_day_off=True)
    without = calendar_2022.next_working_day_expr(pl.col("day"), saturday_is_day_off=False)
    assert next_working_days(with_saturdays, [last_saturday]) == [None]
    assert next_working_days(without, [last_saturday]) == [last_saturday]


def test_a_switch_day_before_the_covered_years_counts_every_saturday():
    calendar_2026 = PolishCalendar(2026, 2026)
    expr = calendar_2026.next_working_day_switching_expr(
        pl.col("day"), saturdays_off_from=dt.date(2000, 1, 1)
    )
    assert next_working_days(expr, [dt.date(2026, 3, 7)]) == [dt.date(2026, 3, 9)]


def test_vectorised_lookups_work_in_a_lazy_plan_and_on_an_empty_frame():
    expr = CALENDAR.next_working_day_expr(pl.col("day"), saturday_is_day_off=True).alias("next")
    lazy = pl.LazyFrame({"day": [dt.date(2026, 5, 1)]}).with_columns(expr)
    assert lazy.collect()["next"].to_list() == [dt.date(2026, 5, 4)]
    empty = pl.DataFrame({"day": []}, schema={"day": pl.Date}).with_columns(expr)
    assert empty.schema == pl.Schema({"day": pl.Date, "next": pl.Date})


def test_a_switching_lookup_beyond_the_last_covered_day_is_null_not_a_made_up_day():
    calendar_2022 = PolishCalendar(2020, 2022)
    expr = calendar_2022.next_working_day_switching_expr(
        pl.col("day"), saturdays_off_from=SATURDAY_RULE_FROM
    )
    assert next_working_days(expr, [dt.date(2022, 12, 31), dt.date(2022, 12, 30)]) == [
        None,
        dt.date(2022, 12, 30),
    ]


def test_a_switch_day_shortly_before_the_covered_years_counts_every_saturday():
    """The Saturday rule of 1 Jun 2017 under a calendar from 2020: a period ending on Saturday
    2 Jan 2021 moves to Monday 4 Jan, in vectorised form as in scalar form."""
    calendar_2020 = PolishCalendar(2020, 2030)
    expr = calendar_2020.next_working_day_switching_expr(
        pl.col("day"), saturdays_off_from=SATURDAY_RULE_FROM
    )
    assert next_working_days(expr, [dt.date(2021, 1, 2)]) == [dt.date(2021, 1, 4)]


def test_saturdays_are_days_off_from_the_switch_day_itself_when_it_is_a_saturday():
    calendar = PolishCalendar(2024, 2026)
    switch = dt.date(2025, 6, 7)  # a Saturday
    expr = calendar.next_working_day_switching_expr(pl.col("day"), saturdays_off_from=switch)
    assert next_working_days(expr, [dt.date(2025, 5, 31), switch]) == [
        dt.date(2025, 5, 31),
        dt.date(2025, 6, 9),
    ]


def test_a_doubtful_holiday_taken_as_a_working_day_is_one_in_vectorised_form_too():
    """24 Dec 2025 taken as a working day (the doubt the rulebook tests): 14 days from 10 Dec
    end on 24 Dec, whichever form is asked first, and the default calendar is left as it was."""
    working = PolishCalendar(2025, 2026).with_working_days({dt.date(2025, 12, 24)})  # unused yet
    frame = pl.DataFrame({"day": [dt.date(2025, 12, 10)]})
    vectorised = frame.select(period_end_expr(pl.col("day"), 14, "day", working)).item()
    assert (
        vectorised == period_end(dt.date(2025, 12, 10), 14, "day", working) == dt.date(2025, 12, 24)
    )
    assert period_end(dt.date(2025, 12, 10), 14, "day", CALENDAR) == dt.date(2025, 12, 29)
