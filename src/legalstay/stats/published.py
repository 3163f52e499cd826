"""Figures published by authorities and the press, each with what was counted and where it was said.

The seed table (``data/published_figures.csv``) holds the figures of the project's seed article
and of the legal research (legal-rules.md §6.3, microsim-calibration.md §2): Office for
Foreigners (UdSC) figures as the media reported them, and Eurostat figures as quoted. Columns:

``figure_id, measure, citizen, geo, period, value, qualifier, counted, counted_by, outlet,
reference, published, confidence, note`` — ``qualifier`` is exact, about, more_than or at_least;
``counted`` says in words what the number counts; ``counted_by`` is the body that counted.

In the store a figure is dataset ``published_figures`` with dimensions ``measure, citizen, geo,
counted_by, figure``; its flag is ``~`` (about), ``>`` (more than) or ``>=`` (at least); its source
is the outlet and reference; its note is what was counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import polars as pl

from legalstay.stats.codes import normalise_period
from legalstay.stats.csv_rows import numbered_rows
from legalstay.stats.errors import StatsFormatError
from legalstay.stats.tidy import RawTable

__all__ = [
    "PUBLISHED_COLUMNS",
    "QUALIFIER_FLAGS",
    "load_published_figures",
    "looks_like_published_figures",
    "parse_published_figures",
]

PUBLISHED_COLUMNS = (
    "figure_id",
    "measure",
    "citizen",
    "geo",
    "period",
    "value",
    "qualifier",
    "counted",
    "counted_by",
    "outlet",
    "reference",
    "published",
    "confidence",
    "note",
)
QUALIFIER_FLAGS = {"exact": None, "about": "~", "more_than": ">", "at_least": ">="}
_DIMENSIONS = ("measure", "citizen", "geo", "counted_by", "figure")


def looks_like_published_figures(header: Sequence[str]) -> bool:
    """True for the header of a published-figures table."""
    return tuple(header[:2]) == PUBLISHED_COLUMNS[:2]


def load_published_figures() -> pl.DataFrame:
    """The bundled table of published figures, all columns as written (value as Float64)."""
    text = (
        resources.files("legalstay.stats")
        .joinpath("data")
        .joinpath("published_figures.csv")
        .read_text(encoding="utf-8")
    )
    return published_table(text)


def published_table(text: str) -> pl.DataFrame:
    """A published-figures CSV as a checked frame (``line`` says where each row was)."""
    rows = numbered_rows(text)
    header = next(rows, (1, []))[1]
    if tuple(header) != PUBLISHED_COLUMNS:
        raise StatsFormatError(f"the header is not {','.join(PUBLISHED_COLUMNS)}", line=1)
    checked = [_checked(cells, line) for line, cells in rows if cells]
    schema = {
        **dict.fromkeys(PUBLISHED_COLUMNS, pl.String()),
        "value": pl.Float64(),
        "line": pl.Int64(),
    }
    return pl.DataFrame(checked, schema=schema, orient="row")


def parse_published_figures(text: str) -> RawTable:
    """Reads a published-figures table into store rows."""
    table = published_table(text)
    flag = pl.col("qualifier").replace_strict(QUALIFIER_FLAGS, return_dtype=pl.String)
    frame = table.select(
        *(c for c in _DIMENSIONS[:-1]),
        pl.col("figure_id").alias("figure"),
        "period",
        "value",
        flag.alias("flag"),
        _source().alias("source"),
        pl.col("counted").alias("note"),
        "line",
    )
    return RawTable(frame, _DIMENSIONS, "published-figures", dataset="published_figures")


def _checked(row: list[str], line: int) -> tuple[object, ...]:
    if len(row) != len(PUBLISHED_COLUMNS):
        raise StatsFormatError(f"{len(row)} cells where the header has 14", line=line)
    cells = dict(zip(PUBLISHED_COLUMNS, (cell.strip() for cell in row), strict=True))
    period = normalise_period(cells["period"])
    if period is None:
        raise StatsFormatError(f"{cells['period']!r} is not a period", line=line)
    if cells["qualifier"] not in QUALIFIER_FLAGS:
        choices = ", ".join(QUALIFIER_FLAGS)
        raise StatsFormatError(
            f"qualifier {cells['qualifier']!r} is not one of {choices}", line=line
        )
    values: list[object] = [cells[c] for c in PUBLISHED_COLUMNS]
    values[PUBLISHED_COLUMNS.index("period")] = period
    values[PUBLISHED_COLUMNS.index("value")] = _value(cells["value"], line)
    return (*values, line)


def _value(text: str, line: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise StatsFormatError(f"value {text!r} is not a number", line=line) from None


def _source() -> pl.Expr:
    published = pl.when(pl.col("published") != "").then(
        pl.concat_str([pl.lit("published "), pl.col("published")])
    )
    reference = pl.when(pl.col("reference") != pl.col("outlet")).then(pl.col("reference"))
    return pl.concat_str(
        [pl.col("outlet"), reference, published], separator="; ", ignore_nulls=True
    )
