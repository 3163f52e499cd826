"""SDMX-CSV 1.0 and 2.0, as Eurostat writes them.

1.0 starts ``DATAFLOW[,LAST UPDATE],dims…,TIME_PERIOD,OBS_VALUE,OBS_FLAG…``; 2.0 starts
``STRUCTURE,STRUCTURE_ID[,STRUCTURE_NAME][,ACTION],dims…``. With labels, Eurostat's "linear"
download puts a label column after every component column (``freq,Time frequency,…``); the
SDMX "both" style writes ``freq: Time frequency`` in one cell instead. Both are understood.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from legalstay.stats.codes import normalise_period
from legalstay.stats.csv_rows import numbered_rows
from legalstay.stats.errors import StatsFormatError
from legalstay.stats.tidy import RawTable, dimension_columns, number_text

__all__ = ["looks_like_sdmx_csv", "parse_sdmx_csv", "write_sdmx_csv"]

_LEADING = {"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"}
_OBSERVATION = ("TIME_PERIOD", "OBS_VALUE")
_STRUCTURE_ID = re.compile(r"(?:[A-Za-z0-9_.]+:)?(?P<id>[A-Za-z0-9_]+)(?:\([0-9.]+\))?")
# CONF_STATUS values that withhold the value (SDMX code list CL_CONF_STATUS); Eurostat TSV
# marks the same cells with the flag "c".
_CONFIDENTIAL = {"C", "D", "N", "S"}
_NUMBER = r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$"


@dataclass(frozen=True)
class _Layout:
    version: str
    columns: dict[str, int]  # component code -> column index
    dimensions: tuple[str, ...]
    both_style: bool  # cells written "code: label"


def looks_like_sdmx_csv(header: Sequence[str]) -> bool:
    """True for a header starting with DATAFLOW (1.0) or STRUCTURE (2.0)."""
    return bool(header) and header[0] in {"DATAFLOW", "STRUCTURE"}


def parse_sdmx_csv(text: str) -> RawTable:
    """Reads an SDMX-CSV 1.0 or 2.0 file with one dataflow."""
    rows = numbered_rows(text)
    header = next(rows, None)
    if header is None:
        raise StatsFormatError("the file is empty", line=1)
    layout = _layout(header[1])
    columns: dict[str, list[str | int]] = {name: [] for name in (*layout.columns, "line")}
    for line, row in rows:
        if row:
            _collect(columns, layout, row, line, len(header[1]))
    return _table(columns, layout)


def write_sdmx_csv(frame: pl.DataFrame, *, dataflow: str) -> str:
    """The rows of one dataset as SDMX-CSV 2.0 without labels (``dataflow``: ESTAT:X(1.0))."""
    dimensions = [name for name in dimension_columns(frame) if frame[name].null_count() == 0]
    body = frame.select(
        pl.lit("dataflow").alias("STRUCTURE"),
        pl.lit(dataflow).alias("STRUCTURE_ID"),
        *dimensions,
        pl.col("period").alias("TIME_PERIOD"),
        number_text(pl.col("value")).alias("OBS_VALUE"),
        pl.col("flag").alias("OBS_FLAG"),
    )
    return body.write_csv(line_terminator="\n")


def _layout(header: Sequence[str]) -> _Layout:
    if not looks_like_sdmx_csv(header):
        raise StatsFormatError("an SDMX-CSV header starts with DATAFLOW or STRUCTURE", line=1)
    both_style = any(": " in name for name in header)
    names = [name.split(": ", 1)[0].strip() for name in header]
    lead = next((i for i, name in enumerate(names) if name not in _LEADING), len(names))
    step = 2 if _has_label_columns(names, lead) else 1
    components = {name: lead + i * step for i, name in enumerate(names[lead::step])}
    components.update({name: i for i, name in enumerate(names[:lead])})
    return _Layout(
        "1.0" if names[0] == "DATAFLOW" else "2.0",
        components,
        _dimensions(names[lead::step]),
        both_style,
    )


def _has_label_columns(names: Sequence[str], lead: int) -> bool:
    # Eurostat's labelled download follows every code column with its label column, so the
    # component after TIME_PERIOD is a label, not OBS_VALUE.
    if "TIME_PERIOD" not in names[lead:]:
        raise StatsFormatError("the header has no TIME_PERIOD column", line=1)
    after_time = names.index("TIME_PERIOD", lead) + 1
    return after_time < len(names) and names[after_time] != "OBS_VALUE"


def _dimensions(components: Sequence[str]) -> tuple[str, ...]:
    if "OBS_VALUE" not in components:
        raise StatsFormatError("the header has no OBS_VALUE column", line=1)
    dimensions = tuple(components[: list(components).index("TIME_PERIOD")])
    if not dimensions or any(not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", d) for d in dimensions):
        raise StatsFormatError(f"bad dimension names {list(dimensions)}", line=1)
    if len(set(components)) != len(components) or {"period", "value", "flag"} & set(dimensions):
        raise StatsFormatError("a component is named twice, or reserved", line=1)
    return dimensions


def _collect(
    columns: dict[str, list[str | int]], layout: _Layout, row: list[str], line: int, width: int
) -> None:
    if len(row) != width:
        raise StatsFormatError(f"{len(row)} cells where the header has {width}", line=line)
    if layout.columns.get("ACTION") is not None and row[layout.columns["ACTION"]] == "D":
        raise StatsFormatError("ACTION D (delete) rows are not imported", line=line)
    for name, index in layout.columns.items():
        cell = row[index].strip()
        columns[name].append(cell.split(": ", 1)[0] if layout.both_style else cell)
    columns["line"].append(line)


def _table(columns: dict[str, list[str | int]], layout: _Layout) -> RawTable:
    frame = pl.DataFrame(columns, schema={name: _dtype(name) for name in columns})
    structure = _single_structure(frame, layout)
    frame = frame.with_columns(period=_periods(frame["TIME_PERIOD"]))
    _check_cells(frame)
    value = pl.when(pl.col("OBS_VALUE") != "").then(pl.col("OBS_VALUE")).cast(pl.Float64)
    frame = frame.with_columns(value=value, flag=_flags(frame))
    kept = frame.filter(pl.col("value").is_not_null() | pl.col("flag").is_not_null())
    tidy = kept.select(*layout.dimensions, "period", "value", "flag", "line")
    return RawTable(
        tidy,
        layout.dimensions,
        f"sdmx-csv-{layout.version}",
        dataset=structure,
        source=_source(frame, structure),
    )


def _dtype(name: str) -> pl.DataType:
    return pl.Int64() if name == "line" else pl.String()


def _single_structure(frame: pl.DataFrame, layout: _Layout) -> str | None:
    column = "DATAFLOW" if layout.version == "1.0" else "STRUCTURE_ID"
    if column not in frame.columns or frame.height == 0:
        return None
    other = frame.filter(pl.col(column) != frame[column][0])
    if other.height:
        raise StatsFormatError("a second dataflow in the same file", line=other["line"][0])
    match = _STRUCTURE_ID.fullmatch(frame[column][0])
    if not match:
        raise StatsFormatError(f"{frame[column][0]!r} is not a dataflow", line=frame["line"][0])
    return match["id"].lower()


def _periods(column: pl.Series) -> pl.Series:
    return pl.Series([normalise_period(text) for text in column.to_list()], dtype=pl.String)


def _check_cells(frame: pl.DataFrame) -> None:
    checks = {
        "TIME_PERIOD": pl.col("period").is_null(),
        "OBS_VALUE": (pl.col("OBS_VALUE") != "") & ~pl.col("OBS_VALUE").str.contains(_NUMBER),
        "OBS_FLAG": ~pl.col("OBS_FLAG").str.contains("^[A-Za-z]*$"),
    }
    for column, is_bad in checks.items():
        bad = frame.filter(is_bad) if column in frame.columns else frame.clear()
        if bad.height:
            row = bad.row(0, named=True)
            raise StatsFormatError(f"{row[column]!r} is not a {column}", line=row["line"])


def _flags(frame: pl.DataFrame) -> pl.Expr:
    flag = pl.col("OBS_FLAG") if "OBS_FLAG" in frame.columns else pl.lit("")
    withheld = pl.lit(False)
    if "CONF_STATUS" in frame.columns:
        withheld = pl.col("CONF_STATUS").is_in(list(_CONFIDENTIAL)) & ~flag.str.contains("c")
    marked = pl.when(withheld).then(pl.concat_str([flag, pl.lit("c")])).otherwise(flag)
    return pl.when(marked != "").then(marked)


def _source(frame: pl.DataFrame, structure: str | None) -> str:
    name = f"Eurostat, {structure}" if structure else "SDMX-CSV"
    stamp = _last_update(frame)
    return f"{name} (data updated {stamp.isoformat()})" if stamp else name


def _last_update(frame: pl.DataFrame) -> dt.date | None:
    if "LAST UPDATE" not in frame.columns or frame.height == 0:
        return None
    # Eurostat writes dd/mm/yy hh:mm:ss.
    match = re.match(r"(\d{2})/(\d{2})/(\d{2})\b", frame["LAST UPDATE"][0])
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(2000 + year, month, day)
    except ValueError:
        return None
