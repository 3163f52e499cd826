"""Series read as NumPy numbers: the same values and gaps by the short and the long path."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legalstay.engine.numbers import COPY_BELOW, known_of, numbers_of

DTYPES = {
    pl.Int32: st.integers(-(2**31), 2**31 - 1),
    pl.Int64: st.integers(-(2**63), 2**63 - 1),
    pl.UInt8: st.integers(0, 255),
    pl.Boolean: st.booleans(),
    pl.Date: st.dates(),
    pl.Float64: st.floats(allow_nan=True),
}


def as_polars_reads_it(series: pl.Series) -> tuple[list[object], list[bool]]:
    """The values (0 where null) and gaps through Polars' own, slower, queries."""
    physical = series.to_physical().fill_null(0).to_list()
    return physical, series.is_not_null().to_list()


@st.composite
def series(draw: st.DrawFn) -> pl.Series:
    dtype = draw(st.sampled_from(list(DTYPES)))
    values = draw(st.lists(st.one_of(st.none(), DTYPES[dtype]), max_size=40))
    return pl.Series("v", values, dtype=dtype)


@settings(deadline=None)
@given(values=series())
def test_numbers_of_reads_what_polars_reads_with_nulls_as_zero(values):
    numbers, known = numbers_of(values)
    expected, expected_known = as_polars_reads_it(values)
    assert known.tolist() == expected_known
    if values.dtype == pl.Float64:  # NaN is a value, not a gap: compare as text
        assert [str(v) for v in numbers.tolist()] == [str(float(v)) for v in expected]
    else:
        assert numbers.tolist() == expected


def test_a_long_series_with_gaps_reads_the_same_as_its_short_pieces():
    size = COPY_BELOW + 5_000
    days = pl.Series("d", np.arange(size, dtype=np.int32)).cast(pl.Date)
    dates = days.scatter(np.arange(0, size, 7), None)
    numbers, known = numbers_of(dates)
    assert numbers.dtype == np.int32
    assert not known[0] and known[1] and numbers[0] == 0 and numbers[1] == 1
    pieces = [numbers_of(dates.slice(at, 1_000)) for at in range(0, size, 1_000)]
    assert numbers.tolist() == np.concatenate([p[0] for p in pieces]).tolist()
    assert known.tolist() == np.concatenate([p[1] for p in pieces]).tolist()


def test_a_date_reads_as_days_since_1_january_1970():
    numbers, known = numbers_of(pl.Series([dt.date(1970, 1, 2), None, dt.date(1969, 12, 31)]))
    assert numbers.tolist() == [1, 0, -1] and known.tolist() == [True, False, True]


@pytest.mark.parametrize("dtype", [pl.String, pl.Categorical])
def test_text_has_gaps_but_no_numbers(dtype):
    kinds = pl.Series("kind", ["visa", None, "residence_card"], dtype=dtype)
    assert known_of(kinds).tolist() == [True, False, True]
    with pytest.raises(TypeError, match="'kind' holds"):
        numbers_of(kinds)
