"""The tidy shape every source is brought into: one observation a row.

Columns: ``dataset``, one column per dimension named by its code name (``citizen``, ``geo``,
``applicant`` …; null where a dataset has no such dimension), ``period``, ``value`` (Float64,
null when missing), ``flag`` (the publisher's observation flag, or ours: see
docs/statistics.md), ``source``, ``retrieved`` (Date, may be null) and ``note`` (what we did to
the row, e.g. a recoded dimension). A row is identified by dataset, dimensions and period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from legalstay.stats.errors import StatsFormatError

__all__ = [
    "FIXED_COLUMNS",
    "KEY_SEPARATOR",
    "RawTable",
    "dimension_columns",
    "empty_observations",
    "number_text",
    "observation_key",
    "observations_from_raw",
    "present_dimensions",
]

FIXED_SCHEMA: dict[str, pl.DataType] = {
    "dataset": pl.String(),
    "period": pl.String(),
    "value": pl.Float64(),
    "flag": pl.String(),
    "source": pl.String(),
    "retrieved": pl.Date(),
    "note": pl.String(),
}
FIXED_COLUMNS = tuple(FIXED_SCHEMA)
KEY_SEPARATOR = "\x1f"
_NULL_KEY_PART = "\x00"
_CODE = r"^[A-Za-z0-9_\-+.]+$"
_DATASET = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class RawTable:
    """What a reader found: dimension columns, ``period``, ``value``, ``flag`` and ``line``.

    The frame may also carry ``source``, ``retrieved`` or ``note`` per row (published figures
    do); otherwise the file-level defaults apply.
    """

    frame: pl.DataFrame
    dimensions: tuple[str, ...]
    format: str
    dataset: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()


def empty_observations() -> pl.DataFrame:
    """A store with no rows."""
    return pl.DataFrame(schema=FIXED_SCHEMA)


def dimension_columns(frame: pl.DataFrame) -> list[str]:
    """The dimension columns of a tidy frame, in frame order."""
    return [name for name in frame.columns if name not in FIXED_SCHEMA]


def present_dimensions(frame: pl.DataFrame) -> list[str]:
    """The dimension columns that hold a value in at least one row of ``frame``."""
    return [name for name in dimension_columns(frame) if frame[name].null_count() < frame.height]


def observation_key(dimensions: Sequence[str]) -> pl.Expr:
    """One string per row that identifies the observation (dataset, dimensions, period)."""
    parts = [pl.col(name).fill_null(_NULL_KEY_PART) for name in ("dataset", *dimensions, "period")]
    return pl.concat_str(parts, separator=KEY_SEPARATOR).alias("_key")


def observations_from_raw(
    raw: RawTable, *, dataset: str, source: str, retrieved: dt.date | None, note: str | None
) -> pl.DataFrame:
    """The tidy rows of a reader's table, checked for bad codes and repeated keys."""
    if not _DATASET.fullmatch(dataset):
        raise StatsFormatError(f"{dataset!r} is not a dataset code (lower case, digits, _)")
    _check_codes(raw.frame, raw.dimensions)
    _check_unique(raw.frame, raw.dimensions)
    defaults = {"source": source, "retrieved": retrieved, "note": note}
    frame = raw.frame.with_columns(
        pl.lit(dataset).alias("dataset"),
        *(pl.lit(value).alias(name) for name, value in defaults.items() if name not in raw.frame),
    )
    columns = [pl.col(name).cast(dtype) for name, dtype in FIXED_SCHEMA.items()]
    dims = [pl.col(name).cast(pl.String()) for name in raw.dimensions]
    return frame.select(columns[0], *dims, *columns[1:])


def number_text(value: pl.Expr) -> pl.Expr:
    """A number as text: whole numbers without a decimal point (2164, not 2164.0)."""
    whole = value.is_finite() & (value == value.floor()) & (value.abs() < 2**53)
    return (
        pl.when(whole).then(value.cast(pl.Int64).cast(pl.String)).otherwise(value.cast(pl.String))
    )


def _check_codes(frame: pl.DataFrame, dimensions: Sequence[str]) -> None:
    for name in dimensions:
        # Codes repeat across millions of rows: test each distinct code once.
        codes = frame.select(pl.col(name).unique()).to_series()
        bad = codes.filter(~codes.fill_null("").str.contains(_CODE))
        if bad.len():
            first = frame.filter(pl.col(name).eq_missing(bad[0]))
            raise StatsFormatError(f"{name}: {bad[0]!r} is not a code", line=_first_line(first))


def _check_unique(frame: pl.DataFrame, dimensions: Sequence[str]) -> None:
    key = [*dimensions, "period"]
    # A row hash finds candidates cheaply; the exact comparison runs on the candidates only.
    hashes = frame.select(pl.struct(key).hash()).to_series()
    candidates = frame.filter(hashes.is_duplicated())
    repeated = candidates.filter(candidates.select(key).is_duplicated())
    if repeated.height == 0:
        return
    groups = repeated.group_by(key).agg(pl.col("line").unique().sort())["line"].to_list()
    # Report the earliest line that repeats an observation seen on an earlier line.
    first, again = min((lines[0], lines[min(1, len(lines) - 1)]) for lines in groups)
    raise StatsFormatError(
        f"the same observation appears again (first at line {first})", line=again
    )


def _first_line(frame: pl.DataFrame) -> int | None:
    line = frame["line"].min()
    return int(line) if isinstance(line, int) else None
