"""KPA art. 57 §1–4: periods in days, weeks, months and years, and the §4 shift."""

from __future__ import annotations

import calendar as civil
import csv
import datetime as dt
import itertools
from pathlib import Path
from typing import get_args

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from legalstay.engine.calendars import DateOutsideCalendarError
from legalstay.engine.periods import (
    SATURDAY_RULE_FROM,
    LegalPeriod,
    PeriodUnit,
    add_period,
    add_period_expr,
    default_calendar,
    period_end,
    period_end_expr,
)

FIXTURES = Path(__file__).parent / "fixtures"
CALENDAR = default_calendar()
UNITS: tuple[PeriodUnit, ...] = get_args(PeriodUnit)
D = dt.date


# --- worked examples ------------------------------------------------------------------------


def test_an_appeal_period_of_14_days_from_delivery_on_3_nov_2021_ends_on_17_nov():
    assert period_end(D(2021, 11, 3), 14, "day", CALENDAR) == D(2021, 11, 17)


def test_two_weeks_from_wednesday_3_nov_2021_end_on_wednesday_17_nov():
    assert period_end(D(2021, 11, 3), 2, "week", CALENDAR) == D(2021, 11, 17)


def test_three_months_from_30_jun_2021_end_on_30_sep_2021():
    assert period_end(D(2021, 6, 30), 3, "month", CALENDAR) == D(2021, 9, 30)


def test_one_month_from_31_jan_2023_ends_on_28_feb_2023():
    assert add_period(D(2023, 1, 31), 1, "month") == D(2023, 2, 28)


def test_one_month_from_31_jan_2024_ends_on_29_feb_2024_a_leap_year():
    assert add_period(D(2024, 1, 31), 1, "month") == D(2024, 2, 29)


def test_one_year_from_29_feb_2024_ends_on_28_feb_2025():
    assert add_period(D(2024, 2, 29), 1, "year") == D(2025, 2, 28)


def test_four_years_from_29_feb_2024_end_on_29_feb_2028():
    assert add_period(D(2024, 2, 29), 4, "year") == D(2028, 2, 29)


def test_an_appeal_period_ending_on_1_may_2026_moves_to_4_may():
    """Refusal delivered Fri 17 Apr 2026; 14 days end on Fri 1 May (holiday); Sat 2 May is a
    Saturday; Sun 3 May is a Sunday and a holiday; the period ends on Mon 4 May 2026."""
    assert add_period(D(2026, 4, 17), 14, "day") == D(2026, 5, 1)
    assert period_end(D(2026, 4, 17), 14, "day", CALENDAR) == D(2026, 5, 4)


def test_a_period_ending_on_saturday_27_may_2017_stays_there_before_the_saturday_rule():
    assert period_end(D(2017, 5, 13), 14, "day", CALENDAR) == D(2017, 5, 27)


def test_a_period_ending_on_saturday_3_jun_2017_moves_to_monday_5_jun():
    assert period_end(D(2017, 5, 20), 14, "day", CALENDAR) == D(2017, 6, 5)


def test_before_the_saturday_rule_a_holiday_on_friday_moved_the_end_to_saturday():
    """New Year's Day 2016 was a Friday; under the text in force then, Saturday 2 Jan 2016 was
    the next working day (the statute, not NSA I OPS 1/11)."""
    assert period_end(D(2015, 12, 18), 14, "day", CALENDAR) == D(2016, 1, 2)


def test_a_period_ending_on_a_sunday_moved_to_monday_also_before_the_saturday_rule():
    assert period_end(D(2016, 3, 6), 7, "day", CALENDAR) == D(2016, 3, 14)


def test_a_period_ending_on_christmas_eve_2025_moves_to_monday_29_dec():
    assert period_end(D(2025, 12, 10), 14, "day", CALENDAR) == D(2025, 12, 29)


def test_one_month_back_from_31_mar_2024_is_29_feb_2024():
    assert add_period(D(2024, 3, 31), -1, "month") == D(2024, 2, 29)


def test_months_added_in_steps_can_end_earlier_than_months_added_at_once():
    """Not a bug: §3 looks at the starting day. 31 Jan + 1 month = 28 Feb, and 28 Feb + 1 month
    = 28 Mar, but 31 Jan + 2 months = 31 Mar. A period of n months is one step of n."""
    in_steps = add_period(add_period(D(2023, 1, 31), 1, "month"), 1, "month")
    assert in_steps == D(2023, 3, 28)
    assert add_period(D(2023, 1, 31), 2, "month") == D(2023, 3, 31)


# --- fixture cases (dates from public test suites; see fixtures/README.md) -------------------


def kpa_cases() -> list[dict[str, str]]:
    with (FIXTURES / "kpa_art57_day_cases.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


DATED_CASES = [case for case in kpa_cases() if case["start"]]


@pytest.mark.parametrize("case", DATED_CASES, ids=[case["case"] for case in DATED_CASES])
def test_every_fixture_case_ends_on_its_expected_day(case):
    start, days = D.fromisoformat(case["start"]), int(case["days"])
    expected = D.fromisoformat(case["end"])
    assert period_end(start, days, "day", CALENDAR) == expected
    if case["shifted"]:
        assert (expected != add_period(start, days, "day")) == (case["shifted"] == "true")
    frame = pl.DataFrame({"start": [start]})
    assert frame.select(period_end_expr(pl.col("start"), days, "day", CALENDAR)).item() == expected


def test_a_fixture_case_without_a_delivery_date_has_an_unknown_end():
    (case,) = [case for case in kpa_cases() if not case["start"]]
    frame = pl.DataFrame({"start": [None]}, schema={"start": pl.Date})
    end = period_end_expr(pl.col("start"), int(case["days"]), "day", CALENDAR)
    assert frame.select(end).item() is None


# --- errors and edges -----------------------------------------------------------------------


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unknown period unit 'fortnight'"):
        add_period(D(2026, 1, 1), 1, "fortnight")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown period unit"):
        add_period_expr(pl.col("start"), 1, "days")  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [-14, -1])
def test_period_end_refuses_a_period_counted_backwards(amount):
    with pytest.raises(ValueError, match="amount >= 0"):
        period_end(D(2026, 5, 10), amount, "day", CALENDAR)
    with pytest.raises(ValueError, match="amount >= 0"):
        period_end_expr(pl.col("start"), -14, "day", CALENDAR)


@pytest.mark.parametrize("months", [1, 3, 12])
def test_months_added_in_vectorised_form_agree_with_the_scalar_across_the_tables_400_years(months):
    """Month arithmetic looks days up in a table of one 400-year cycle (1800–2199): a date on
    either side of its end, or far past it, is carried over, not refused or wrapped."""
    starts = [D(2025, 1, 31), D(2199, 12, 15), D(2199, 12, 31), D(2200, 1, 1), D(2600, 1, 31)]
    for unit, start in itertools.product(("month", "year"), starts):
        frame = pl.DataFrame({"start": [start]})  # alone: the latest date decides the path
        added = frame.select(add_period_expr(pl.col("start"), months, unit)).item()
        assert added == add_period(start, months, unit)


def test_period_end_expr_gives_null_for_a_negative_amount_from_a_column():
    frame = pl.DataFrame({"start": [D(2026, 5, 10)] * 2, "days": [-14, 14]})
    ends = frame.select(period_end_expr(pl.col("start"), pl.col("days"), "day", CALENDAR))
    assert ends.to_series().to_list() == [None, D(2026, 5, 25)]


def test_an_end_beyond_the_calendar_raises_in_scalar_and_is_null_in_vectorised_form():
    with pytest.raises(DateOutsideCalendarError):
        period_end(D(2100, 12, 1), 1, "month", CALENDAR)
    frame = pl.DataFrame({"start": [D(2100, 12, 1), D(1960, 1, 1)]})
    ends = frame.select(period_end_expr(pl.col("start"), 1, "month", CALENDAR))
    assert ends.to_series().to_list() == [None, None]


def test_a_result_outside_years_1_to_9999_saturates_at_the_last_or_first_day_in_both_forms():
    """A document "issued" on 1 Jun 9999 for 12 months is valid until 31 Dec 9999: never ends."""
    assert add_period(D(9999, 6, 1), 12, "month") == dt.date.max
    for unit in UNITS:
        assert add_period(D(9999, 12, 31), 1, unit) == dt.date.max
        assert add_period(D(1, 1, 1), -1, unit) == dt.date.min
    frame = pl.DataFrame({"start": [D(9999, 12, 31), D(1, 1, 1)], "amount": [1, -1]})
    for unit in UNITS:
        ends = frame.select(add_period_expr(pl.col("start"), pl.col("amount"), unit))
        assert ends.to_series().to_list() == [dt.date.max, dt.date.min], unit


def test_an_end_saturated_at_the_last_day_is_never_and_is_not_shifted():
    """31 Dec 9999 is the engine's "never": §4 has no later day to move it to, and no calendar
    of that year is needed. A real end beyond the calendar stays unknown."""
    assert period_end(D(9999, 12, 25), 14, "day", CALENDAR) == dt.date.max
    frame = pl.DataFrame({"start": [D(9999, 12, 25), D(9999, 12, 1)]})
    ends = frame.select(period_end_expr(pl.col("start"), 14, "day", CALENDAR))
    assert ends.to_series().to_list() == [dt.date.max, None]
    with pytest.raises(DateOutsideCalendarError):
        period_end(D(9999, 12, 1), 14, "day", CALENDAR)


def test_the_last_month_python_knows_is_still_reached():
    assert add_period(D(9999, 11, 30), 1, "month") == D(9999, 12, 30)
    frame = pl.DataFrame({"start": [D(9999, 11, 30), D(1, 2, 28)]})
    ends = frame.select(add_period_expr(pl.col("start"), pl.lit(pl.Series([1, -1])), "month"))
    assert ends.to_series().to_list() == [D(9999, 12, 30), D(1, 1, 28)]


def test_a_legal_period_reads_as_the_law_states_it_and_ends_like_period_end():
    appeal = LegalPeriod(14, "day")
    assert str(appeal) == "14 days"
    assert str(LegalPeriod(1, "month")) == "1 month"
    assert appeal.added_to(D(2026, 4, 17)) == D(2026, 5, 1)
    assert appeal.end(D(2026, 4, 17), CALENDAR) == D(2026, 5, 4)
    with pytest.raises(ValueError, match="unknown period unit"):
        LegalPeriod(1, "decade")  # type: ignore[arg-type]


def test_a_fixed_start_takes_its_amounts_from_a_column_and_an_empty_frame_gives_no_rows():
    frame = pl.DataFrame({"months": [1, None, 3]})
    ends = frame.select(add_period_expr(pl.lit(D(2024, 1, 31)), pl.col("months"), "month"))
    assert ends.to_series().to_list() == [D(2024, 2, 29), None, D(2024, 4, 30)]
    end = period_end_expr(pl.lit(D(2024, 1, 31)), pl.col("months"), "month", CALENDAR)
    empty = frame.head(0).with_columns(end.alias("end"))
    assert empty.height == 0 and empty["end"].dtype == pl.Date


def test_a_long_column_with_gaps_gives_the_same_ends_as_short_pieces_of_it():
    # Long and short columns reach NumPy by different paths (calendars.integers_of).
    size = 40_000
    first = D(1990, 1, 1)  # the last end, 12 months after 7 Jul 2099, is still in the calendar
    starts = pl.date_range(first, first + dt.timedelta(days=size - 1), eager=True)
    frame = pl.DataFrame({"start": starts, "amount": pl.Series(range(size)) % 13}).with_columns(
        pl.when(pl.int_range(size) % 7 != 0).then(pl.col("start")).alias("start"),
        pl.when(pl.int_range(size) % 5 != 0).then(pl.col("amount")).alias("amount"),
    )
    end = period_end_expr(pl.col("start"), pl.col("amount"), "month", CALENDAR).alias("end")
    whole = frame.select(end)["end"]
    pieces = pl.concat([frame.slice(at, 1_000).select(end)["end"] for at in range(0, size, 1_000)])
    assert whole.to_list() == pieces.to_list()
    unknown = frame.select(pl.col("start").is_null() | pl.col("amount").is_null()).to_series()
    assert whole.is_null().to_list() == unknown.to_list()
    assert whole[1] == period_end(D(1990, 1, 2), 1, "month", CALENDAR)


def test_an_amount_too_large_for_any_date_saturates_and_does_not_wrap():
    frame = pl.DataFrame({"start": [D(2026, 1, 1)] * 2, "amount": [2**62, -(2**62)]})
    for unit in UNITS:
        ends = frame.select(add_period_expr(pl.col("start"), pl.col("amount"), unit))
        assert ends.to_series().to_list() == [dt.date.max, dt.date.min], unit
        assert add_period(D(2026, 1, 1), 2**62, unit) == dt.date.max
        assert add_period(D(2026, 1, 1), -(2**62), unit) == dt.date.min


def test_vectorised_periods_work_in_a_lazy_plan():
    plan = pl.LazyFrame({"delivered": [D(2026, 4, 17)], "days": [14]}).select(
        period_end_expr(pl.col("delivered"), pl.col("days"), "day", CALENDAR).alias("end")
    )
    assert plan.collect()["end"].to_list() == [D(2026, 5, 4)]


# --- properties -----------------------------------------------------------------------------

START_DATES = st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31))


@st.composite
def month_ends(draw: st.DrawFn) -> dt.date:
    year = draw(st.integers(1990, 2090))
    month = draw(st.integers(1, 12))
    return D(year, month, civil.monthrange(year, month)[1])


LEAP_DAYS = st.sampled_from([D(year, 2, 29) for year in range(1992, 2091, 4)])
TRICKY_DATES = st.one_of(START_DATES, month_ends(), LEAP_DAYS)


# The shift may need up to 5 days after the unshifted end; the calendar ends on 31 Dec 2100.
LAST_UNSHIFTED_END = D(2100, 12, 24)


def largest_amount_within_calendar(start: dt.date, unit: PeriodUnit) -> int:
    """The largest amount up to 400 whose unshifted end stays within the calendar (or near)."""
    months_left = (LAST_UNSHIFTED_END.year - start.year) * 12 + 12 - start.month - 1
    left = {
        "day": (LAST_UNSHIFTED_END - start).days,
        "week": (LAST_UNSHIFTED_END - start).days // 7,
        "month": months_left,
        "year": months_left // 12,
    }
    return min(400, left[unit])


@given(start=TRICKY_DATES, unit=st.sampled_from(UNITS), data=st.data())
def test_the_shift_moves_the_end_to_the_first_day_that_is_not_a_day_off(start, unit, data):
    """§4: never earlier than the unshifted end, at most 5 days later (the longest run of days
    off, from 24 Dec 2025), on no day off, and on no Saturday where the Saturday rule applies."""
    amount = data.draw(st.integers(0, largest_amount_within_calendar(start, unit)), label="amount")
    unshifted = add_period(start, amount, unit)
    assume(unshifted <= LAST_UNSHIFTED_END)
    end = period_end(start, amount, unit, CALENDAR)
    saturday_rule = unshifted >= SATURDAY_RULE_FROM
    assert unshifted <= end <= unshifted + dt.timedelta(days=5)
    assert not CALENDAR.is_day_off(end, saturday_is_day_off=saturday_rule)
    assert not (saturday_rule and end.weekday() == 5)
    skipped = (unshifted + dt.timedelta(days=i) for i in range((end - unshifted).days))
    assert all(CALENDAR.is_day_off(day, saturday_is_day_off=saturday_rule) for day in skipped)


@given(start=START_DATES, days=st.integers(0, 400))
def test_a_period_of_days_ends_that_many_days_after_the_event(start, days):
    assert add_period(start, days, "day") == start + dt.timedelta(days=days)


@given(start=START_DATES, weeks=st.integers(0, 400))
def test_a_period_of_weeks_ends_on_the_same_weekday(start, weeks):
    end = add_period(start, weeks, "week")
    assert end == start + dt.timedelta(days=7 * weeks)
    assert end.weekday() == start.weekday()


@given(start=TRICKY_DATES, months=st.integers(-400, 400))
def test_a_period_of_months_ends_on_the_corresponding_day_or_the_last_day_of_the_month(
    start, months
):
    end = add_period(start, months, "month")
    year, month_of_year = divmod(start.year * 12 + start.month - 1 + months, 12)
    assert (end.year, end.month) == (year, month_of_year + 1)
    assert end.month == (start.month - 1 + months) % 12 + 1
    last_day = civil.monthrange(end.year, end.month)[1]
    assert end.day == min(start.day, last_day)
    assert end.day <= start.day


@given(start=TRICKY_DATES, years=st.integers(-100, 100))
def test_a_period_of_years_ends_on_the_same_day_or_28_feb_for_29_feb(start, years):
    end = add_period(start, years, "year")
    assert (end.year, end.month) == (start.year + years, start.month)
    if end.day != start.day:
        assert (start.month, start.day, end.day) == (2, 29, 28)
        assert not civil.isleap(end.year)


# --- vectorised equals scalar ---------------------------------------------------------------

# Any date Python knows, too: the vectorised forms must also agree near years 1 and 9999.
OPTIONAL_DATES = st.one_of(st.none(), TRICKY_DATES, st.dates())


def expected_add_period(
    start: dt.date | None, amount: int | None, unit: PeriodUnit
) -> dt.date | None:
    """`add_period`, or None where it has no input (the vectorised form gives null)."""
    if start is None or amount is None:
        return None
    return add_period(start, amount, unit)


def expected_period_end(
    start: dt.date | None, amount: int | None, unit: PeriodUnit
) -> dt.date | None:
    """`period_end`, or None where it raises or has no input (the vectorised form gives null)."""
    if start is None or amount is None or amount < 0:
        return None
    try:
        return period_end(start, amount, unit, CALENDAR)
    except DateOutsideCalendarError:
        return None


@st.composite
def period_columns(draw: st.DrawFn, smallest_amount: int) -> pl.DataFrame:
    """A frame of `start` dates and `amount`s, either possibly null."""
    starts = draw(st.lists(OPTIONAL_DATES, min_size=1, max_size=60))
    amount = st.one_of(st.none(), st.integers(smallest_amount, 400))
    amounts = draw(st.lists(amount, min_size=len(starts), max_size=len(starts)))
    schema = {"start": pl.Date, "amount": pl.Int64}
    return pl.DataFrame({"start": starts, "amount": amounts}, schema=schema)


@settings(deadline=None)
@given(frame=period_columns(smallest_amount=-400), unit=st.sampled_from(UNITS))
def test_add_period_expr_equals_add_period_row_by_row(frame, unit):
    by_row = frame.select(add_period_expr(pl.col("start"), pl.col("amount"), unit)).to_series()
    rows = frame.iter_rows()
    assert by_row.to_list() == [expected_add_period(start, amount, unit) for start, amount in rows]
    constant = frame.select(add_period_expr(pl.col("start"), 31, unit)).to_series()
    starts = frame["start"].to_list()
    assert constant.to_list() == [expected_add_period(start, 31, unit) for start in starts]


@settings(deadline=None)
@given(frame=period_columns(smallest_amount=-5), unit=st.sampled_from(UNITS))
def test_period_end_expr_equals_period_end_row_by_row(frame, unit):
    ends = frame.select(period_end_expr(pl.col("start"), pl.col("amount"), unit, CALENDAR))
    rows = frame.iter_rows()
    assert ends.to_series().to_list() == [expected_period_end(s, a, unit) for s, a in rows]


@pytest.mark.parametrize("months", [-1201, -13, -1, 1, 2, 11, 12, 13, 400, 4800])
def test_vectorised_months_agree_with_the_scalar_on_every_day_from_1990_to_2100(months):
    every_day = pl.date_range(D(1990, 1, 1), D(2100, 12, 31), eager=True).alias("start")
    ends = every_day.to_frame().select(add_period_expr(pl.col("start"), months, "month"))
    expected = [add_period(start, months, "month") for start in every_day.to_list()]
    assert ends.to_series().to_list() == expected


def test_vectorised_months_agree_with_the_scalar_across_400_year_cycles():
    starts = [D(1, 1, 31), D(399, 12, 31), D(400, 2, 29), D(1600, 2, 29), D(1969, 12, 31)]
    starts += [D(1970, 1, 1), D(1999, 12, 31), D(2000, 1, 31), D(2399, 12, 31), D(9999, 1, 31)]
    frame = pl.DataFrame({"start": starts})
    for months in (-4801, -1, 0, 1, 4799, 4800, 4801):
        ends = frame.select(add_period_expr(pl.col("start"), months, "month")).to_series()
        assert ends.to_list() == [expected_add_period(start, months, "month") for start in starts]


# --- saturation at 1 Jan 0001 and 31 Dec 9999 ------------------------------------------------

NEAR_THE_ENDS = st.one_of(
    st.dates(min_value=D(9990, 1, 1)),
    st.dates(max_value=D(10, 12, 31)),
    st.sampled_from([dt.date.max, dt.date.min, D(9999, 2, 28), D(9996, 2, 29), D(4, 2, 29)]),
)
# Up to far past _MAX_STEPS, where the vectorised form clips the amount.
AMOUNTS = st.one_of(st.integers(-400, 400), st.integers(-(10**7), 10**7))
STEPS = {"day": 1, "week": 7, "month": 1, "year": 12}


def where_the_end_lies(start: dt.date, amount: int, unit: PeriodUnit) -> str:
    """ "after" 9999-12-31, "before" 0001-01-01 or "between", by unbounded arithmetic: in days,
    or for months and years in months."""
    step = amount * STEPS[unit]
    if unit in ("day", "week"):
        position, first, last = start.toordinal() + step, 1, dt.date.max.toordinal()
    else:
        position, first, last = start.year * 12 + start.month - 1 + step, 12, 9999 * 12 + 11
    return "after" if position > last else "before" if position < first else "between"


@given(start=NEAR_THE_ENDS, amount=AMOUNTS, unit=st.sampled_from(UNITS))
def test_a_period_ending_past_either_end_of_the_calendar_ends_on_that_end(start, amount, unit):
    end = add_period(start, amount, unit)
    where = where_the_end_lies(start, amount, unit)
    if where == "after":
        assert end == dt.date.max
    elif where == "before":
        assert end == dt.date.min
    elif unit in ("day", "week"):
        assert end == dt.date.fromordinal(start.toordinal() + amount * STEPS[unit])
    else:
        months = start.year * 12 + start.month - 1 + amount * STEPS[unit]
        assert (end.year, end.month - 1) == divmod(months, 12)
        assert end.day == min(start.day, civil.monthrange(end.year, end.month)[1])


@given(
    start=st.one_of(NEAR_THE_ENDS, st.dates()),
    amounts=st.lists(AMOUNTS, min_size=2, max_size=2),
    unit=st.sampled_from(UNITS),
)
def test_saturated_ends_keep_the_order_of_the_amounts(start, amounts, unit):
    """Saturation never reverses a comparison: a longer period never ends earlier."""
    shorter, longer = sorted(amounts)
    assert add_period(start, shorter, unit) <= add_period(start, longer, unit)


@settings(deadline=None)
@given(
    starts=st.lists(st.one_of(st.none(), NEAR_THE_ENDS), min_size=1, max_size=40),
    data=st.data(),
    unit=st.sampled_from(UNITS),
)
def test_both_forms_saturate_alike_near_years_1_and_9999(starts, data, unit):
    amounts = data.draw(st.lists(AMOUNTS, min_size=len(starts), max_size=len(starts)))
    frame = pl.DataFrame(
        {"start": starts, "amount": amounts}, schema={"start": pl.Date, "amount": pl.Int64}
    )
    added = frame.select(add_period_expr(pl.col("start"), pl.col("amount"), unit)).to_series()
    assert added.to_list() == [expected_add_period(s, a, unit) for s, a in frame.iter_rows()]
    ends = frame.select(period_end_expr(pl.col("start"), pl.col("amount"), unit, CALENDAR))
    assert ends.to_series().to_list() == [
        expected_period_end(s, a, unit) for s, a in frame.iter_rows()
    ]
