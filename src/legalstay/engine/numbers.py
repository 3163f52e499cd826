"""Polars series as NumPy numbers, without a query per call.

In Polars 2 many Series methods (``to_physical``, ``fill_null``, ``is_null`` …) plan and run
a one-column query: about 50 µs each, however short the series. The population back-end reads
the numbers of every aggregate of every batch, so a batch of a thousand persons paid about
30 ms for them (92 such reads a batch, two queries each). ``cast`` and ``to_numpy`` are direct.

Without nulls, ``to_numpy`` shares Polars' memory. With nulls it copies, and an integer series
arrives as floats, NaN where null: cheap for a short series; a long one (at about 4 ns a
value) is filled by Polars instead, whose two queries then cost less than the copy.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = [
    "is_codes",
    "is_number",
    "known_of",
    "numbers_of",
    "physical_dtype",
    "physical_numbers",
    "series_of",
]

#: Below this many rows (with nulls) NumPy copies a series faster than Polars fills it.
COPY_BELOW: Final = 30_000
# Integers up to 2**53 pass through float64 exactly (the short path with nulls).
_EXACT_IN_FLOAT: Final = 2**53

Known = npt.NDArray[np.bool_]


def physical_numbers(series: pl.Series) -> npt.NDArray[np.generic]:
    """The physical numbers of a numeric, temporal or Boolean series (dates: days since
    1 Jan 1970), 0 (False) where null."""
    return numbers_of(series)[0]


def numbers_of(series: pl.Series) -> tuple[npt.NDArray[np.generic], Known]:
    """``physical_numbers`` and whether each value is known (not null)."""
    if not is_number(series.dtype):
        raise TypeError(f"{series.name!r} holds {series.dtype}, not numbers")
    numbers = _physical(series)
    if not numbers.null_count():
        return numbers.to_numpy(), np.ones(len(numbers), dtype=np.bool_)
    if len(numbers) >= COPY_BELOW:
        return numbers.fill_null(0).to_numpy(), numbers.is_not_null().to_numpy()
    return _short_with_nulls(numbers)


def known_of(series: pl.Series) -> Known:
    """Whether each value of a series of any type is known (not null)."""
    if not series.null_count():
        return np.ones(len(series), dtype=np.bool_)
    if is_number(series.dtype):
        return numbers_of(series)[1]
    return series.is_not_null().to_numpy()  # text: only Polars sees its gaps


def series_of(numbers: npt.NDArray[np.generic], known: Known, dtype: pl.DataType) -> pl.Series:
    """The way back: a series of ``dtype`` from physical numbers, null where not ``known``."""
    series = pl.Series(np.ma.masked_array(numbers, ~known))
    return series.cast(physical_dtype(dtype)).cast(dtype)


def is_codes(dtype: pl.DataType) -> bool:
    """Text held as codes (categories, or an enumeration of its own)."""
    return isinstance(dtype, pl.Categorical | pl.Enum)


def is_number(dtype: pl.DataType) -> bool:
    """Numbers, dates and times, or yes/no: what has physical numbers."""
    return dtype.is_integer() or dtype.is_float() or dtype.is_temporal() or dtype == pl.Boolean


def physical_dtype(dtype: pl.DataType) -> pl.DataType:
    """The type of a series' physical numbers (``Series.to_physical`` runs a query)."""
    if dtype == pl.Date:
        return pl.Int32()
    if dtype.is_temporal():  # datetimes, durations, times: 64-bit counts
        return pl.Int64()
    return dtype


def _physical(series: pl.Series) -> pl.Series:
    physical = physical_dtype(series.dtype)
    return series if physical == series.dtype else series.cast(physical)


def _short_with_nulls(numbers: pl.Series) -> tuple[npt.NDArray[np.generic], Known]:
    dtype = numbers.dtype
    if dtype.is_float():  # a NaN value is not a null: only Polars tells them apart
        return numbers.fill_null(0).to_numpy(), numbers.is_not_null().to_numpy()
    if dtype == pl.Boolean:
        raw = numbers.cast(pl.UInt8).to_numpy()
        known = ~np.isnan(raw)
        return np.where(known, raw, 0).astype(np.bool_), known
    raw = numbers.to_numpy()  # float64, NaN where null
    known = ~np.isnan(raw)
    values = np.where(known, raw, 0)
    if values.size and np.abs(values).max() >= _EXACT_IN_FLOAT:
        return numbers.fill_null(0).to_numpy(), known
    return values.astype(_INTEGERS.get(dtype, np.int64)), known


_INTEGERS: Final[dict[pl.DataType, type[np.integer]]] = {
    pl.Int8(): np.int8,
    pl.Int16(): np.int16,
    pl.Int32(): np.int32,
    pl.Int64(): np.int64,
    pl.UInt8(): np.uint8,
    pl.UInt16(): np.uint16,
    pl.UInt32(): np.uint32,
    pl.UInt64(): np.uint64,
}
