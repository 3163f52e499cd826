"""Eurostat TSV: one time series a line, the periods across.

The first header cell packs the dimension names and the time axis,
``freq,unit,citizen,sex,age,applicant,geo\\TIME_PERIOD`` (older files: ``geo\\time``); the
first cell of each line packs the codes the same way. A cell is a number, or ``:`` for "not
available", optionally followed by a space and flags: ``628 e``, ``: c``.

The lines are checked in Python (cheap, and it gives line numbers); the cells, which can run to
hundreds of millions in a full dataset, are parsed by Polars.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import polars as pl

from legalstay.stats.codes import normalise_period
from legalstay.stats.errors import StatsFormatError
from legalstay.stats.tidy import RawTable, dimension_columns, number_text

__all__ = ["looks_like_eurostat_tsv", "parse_eurostat_tsv", "write_eurostat_tsv"]

_TIME_AXIS = re.compile(r"^(?P<dims>[^\\\t]+)\\(?:TIME_PERIOD|time)\s*$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_CELL = r"^\s*(?<number>:|-?\d+(?:\.\d+)?)(?:\s+(?<flags>[A-Za-z]+))?\s*$"


def looks_like_eurostat_tsv(first_line: str) -> bool:
    """True when the first header cell has the ``…\\TIME_PERIOD`` shape."""
    return bool(_TIME_AXIS.match(first_line.split("\t", 1)[0]))


def parse_eurostat_tsv(text: str) -> RawTable:
    """Reads a Eurostat TSV file; missing cells without a flag are left out."""
    lines = text.replace("\r\n", "\n").split("\n")
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    dimensions, periods = _header(lines[0])
    _check_lines(lines, len(dimensions), len(periods))
    wide = _read_wide(lines[1:], dimensions, periods)
    return RawTable(_cells(wide, dimensions), tuple(dimensions), "eurostat-tsv")


def write_eurostat_tsv(frame: pl.DataFrame) -> str:
    """The rows of one dataset as Eurostat TSV (periods sorted, ``:`` where nothing is known)."""
    dimensions = [name for name in dimension_columns(frame) if frame[name].null_count() == 0]
    cells = frame.with_columns(cell=_cell_text()).pivot(
        on="period", index=dimensions, values="cell", sort_columns=True
    )
    periods = [name for name in cells.columns if name not in dimensions]
    header = "\t".join([",".join(dimensions) + "\\TIME_PERIOD", *periods])
    body = cells.select(
        pl.concat_str([pl.concat_str(dimensions, separator=","), *_filled(periods)], separator="\t")
    )
    return "\n".join([header, *body.to_series().to_list()]) + "\n"


def _header(line: str) -> tuple[list[str], list[str]]:
    first, *period_cells = line.split("\t")
    axis = _TIME_AXIS.match(first)
    if not axis:
        raise StatsFormatError("the first header cell is not 'dimensions\\TIME_PERIOD'", line=1)
    if not period_cells:
        raise StatsFormatError("the header names no period", line=1)
    periods = [normalise_period(cell) for cell in period_cells]
    if None in periods:
        bad = period_cells[periods.index(None)]
        raise StatsFormatError(f"{bad.strip()!r} is not a period", line=1)
    dimensions = [name.strip() for name in axis["dims"].split(",")]
    _check_names(dimensions, [p for p in periods if p])
    return dimensions, [p for p in periods if p]


def _check_names(dimensions: Sequence[str], periods: Sequence[str]) -> None:
    if any(not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) for name in dimensions):
        raise StatsFormatError(f"bad dimension names {list(dimensions)}", line=1)
    names = [*dimensions, *periods]
    if len(set(names)) != len(names) or {"period", "value", "flag", "line"} & set(dimensions):
        raise StatsFormatError("a dimension or period is named twice, or reserved", line=1)


def _check_lines(lines: Sequence[str], dimension_count: int, period_count: int) -> None:
    for number, line in enumerate(lines[1:], start=2):
        if _CONTROL.search(line) or not line:
            raise StatsFormatError("empty line or control character", line=number)
        cells = line.count("\t") + 1
        if cells != period_count + 1:
            reason = f"{cells} cells where the header has {period_count + 1}"
            raise StatsFormatError(reason, line=number)
        if line.split("\t", 1)[0].count(",") != dimension_count - 1:
            raise StatsFormatError(f"the series key has not {dimension_count} codes", line=number)


def _read_wide(lines: Sequence[str], dimensions: list[str], periods: list[str]) -> pl.DataFrame:
    columns = ["_series", *periods]
    if not lines:
        return pl.DataFrame(schema=dict.fromkeys([*dimensions, "line", *periods], pl.String()))
    wide = pl.read_csv(
        io.StringIO("\n".join(lines)),
        separator="\t",
        has_header=False,
        new_columns=columns,
        infer_schema=False,
        quote_char=None,
        empty_string_is_null=False,
    )
    keys = pl.col("_series").str.split_exact(",", len(dimensions) - 1)
    split = keys.struct.rename_fields(dimensions).struct.unnest()
    line = (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("line")
    return wide.select(split.str.strip_chars(), line, *periods)


def _cells(wide: pl.DataFrame, dimensions: list[str]) -> pl.DataFrame:
    long = wide.select("line", pl.exclude(*dimensions, "line")).unpivot(
        index="line", variable_name="period", value_name="cell"
    )
    _check_cells(long)
    # Most cells carry no flag: those are cast directly, only flagged ones go through the regex.
    flagged = pl.col("cell").str.contains("[A-Za-z]")
    cells = pl.concat([_plain(long.filter(~flagged)), _with_flags(long.filter(flagged))])
    keys = wide.select(*dimensions, "line")
    return cells.join(keys, on="line", how="left").select(
        *dimensions, "period", "value", "flag", "line"
    )


def _check_cells(long: pl.DataFrame) -> None:
    bad = long.filter(~pl.col("cell").str.contains(_CELL))
    if bad.height:
        row = bad.sort("line").row(0, named=True)
        raise StatsFormatError(
            f"{row['cell']!r} is not a value (period {row['period']})", line=row["line"]
        )


def _plain(cells: pl.DataFrame) -> pl.DataFrame:
    number = pl.col("cell").str.strip_chars()
    present = cells.filter(number != ":")
    return present.select(
        "line",
        "period",
        number.cast(pl.Float64).alias("value"),
        pl.lit(None, pl.String).alias("flag"),
    )


def _with_flags(cells: pl.DataFrame) -> pl.DataFrame:
    parts = pl.col("cell").str.extract_groups(_CELL)
    number = parts.struct.field("number")
    value = pl.when(number != ":").then(number).cast(pl.Float64)
    return cells.select(
        "line", "period", value.alias("value"), parts.struct.field("flags").alias("flag")
    )


def _cell_text() -> pl.Expr:
    number = number_text(pl.col("value")).fill_null(":")
    return pl.concat_str([number, pl.col("flag")], separator=" ", ignore_nulls=True)


def _filled(periods: Sequence[str]) -> list[pl.Expr]:
    return [pl.col(period).fill_null(":") for period in periods]
