"""Observations on their way out: JSON records, CSV and a plain-text table.

A record is ``{"dataset", <each dimension by its code name>, "period", "value", "flag",
"source", "retrieved", "note"}``; dimensions a row does not have are left out, whole numbers
are ints, dates ISO strings. A missing value shows as its flag in text (``:`` if none, as
Eurostat writes it; ``<10`` where a small count was suppressed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from legalstay.stats.tidy import FIXED_COLUMNS, number_text, present_dimensions

__all__ = ["Record", "display_value", "to_csv_text", "to_records", "to_table_text"]

Record = dict[str, Any]


def to_records(frame: pl.DataFrame) -> list[Record]:
    """One dict a row, in the order of the frame."""
    return [_record(row) for row in frame.iter_rows(named=True)]


def to_csv_text(frame: pl.DataFrame) -> str:
    """CSV with a header: dataset, the dimensions present, period, value, flag, source, …"""
    columns = ["dataset", *present_dimensions(frame), *FIXED_COLUMNS[1:]]
    text = frame.select(*columns).with_columns(number_text(pl.col("value")).alias("value"))
    return text.write_csv(line_terminator="\n")


def to_table_text(frame: pl.DataFrame) -> str:
    """An aligned plain-text table of dimensions, period, value (with flag) and source."""
    columns = [*present_dimensions(frame), "period"]
    shown = frame.select(*columns, display_value().alias("value"), "source")
    header = [*columns, "value", "source"]
    rows = [header, *([str(cell or "") for cell in row] for row in shown.iter_rows())]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            _aligned(cell, width, i, len(header))
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def display_value() -> pl.Expr:
    """The value as people read it: ``3631``, ``628 e``, ``: c``, ``<10``."""
    number = number_text(pl.col("value"))
    missing = (
        pl.when(pl.col("flag").str.starts_with("<"))
        .then(pl.col("flag"))
        .otherwise(pl.concat_str([pl.lit(":"), pl.col("flag")], separator=" ", ignore_nulls=True))
    )
    present = pl.concat_str([number, pl.col("flag")], separator=" ", ignore_nulls=True)
    return pl.when(pl.col("value").is_null()).then(missing).otherwise(present)


def _record(row: dict[str, Any]) -> Record:
    dimensions = {k: v for k, v in row.items() if k not in FIXED_COLUMNS and v is not None}
    fixed = {k: _json_value(row[k]) for k in FIXED_COLUMNS[1:]}
    return {"dataset": row["dataset"], **dimensions, **fixed}


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.isoformat() if isinstance(value, dt.date) else value


def _aligned(cell: str, width: int, index: int, count: int) -> str:
    # Numbers right-aligned, the rest left; the last column is not padded.
    if index == count - 2:
        return cell.rjust(width)
    return cell if index == count - 1 else cell.ljust(width)
