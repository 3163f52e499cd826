"""UNHCR Refugee Data Finder tables, as the ``refugees`` R package and its CSV exports hold them.

Three tables are read: ``population`` (end-year stocks by population type), ``asylum_applications``
and ``asylum_decisions``. UNHCR writes countries in its own three-letter codes (``coo`` origin,
``coa`` asylum: AUS is Austria, AUL Australia); they are mapped to the codes the store uses
for ``citizen`` and ``geo`` through UNHCR's countries table: ISO 3166 alpha-2 where the table
gives an ISO country, Eurostat's STLS and UNK for stateless and unknown, and the UNHCR code
itself where nothing else exists (e.g. TIB, Tibetan).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import polars as pl
import pycountry

from legalstay.stats.csv_rows import numbered_rows
from legalstay.stats.errors import StatsFormatError
from legalstay.stats.tidy import RawTable

__all__ = [
    "UNHCR_TABLES",
    "UnhcrTable",
    "load_unhcr_countries",
    "looks_like_unhcr",
    "parse_unhcr_csv",
    "unhcr_country_code",
]


@dataclass(frozen=True)
class UnhcrTable:
    """How one UNHCR table becomes tidy rows."""

    dataset: str
    signature: str  # a column only this table has
    dimensions: tuple[str, ...]  # UNHCR columns kept as dimensions, besides citizen and geo
    measures: Mapping[str, str]  # value column -> code in the measure dimension
    measure_dimension: str | None


UNHCR_TABLES = (
    UnhcrTable(
        "unhcr_asylum_applications",
        "applied",
        ("procedure_type", "app_type", "dec_level", "app_pc"),
        {"applied": ""},
        None,
    ),
    UnhcrTable(
        "unhcr_asylum_decisions",
        "dec_total",
        ("procedure_type", "dec_level", "dec_pc"),
        {f"dec_{c}": c for c in ("recognized", "other", "rejected", "closed", "total")},
        "decision",
    ),
    UnhcrTable(
        "unhcr_population",
        "refugees",
        (),
        {
            c: c
            for c in (
                "refugees",
                "asylum_seekers",
                "returned_refugees",
                "idps",
                "returned_idps",
                "stateless",
                "ooc",
                "oip",
                "hst",
            )
        },
        "population_type",
    ),
)
_REQUIRED = ("year", "coo", "coa")
# ICAO/ISO user-assigned codes in UNHCR's table, written as Eurostat writes the same notion.
_SPECIAL = {"XXA": "STLS", "XXX": "UNK"}


def looks_like_unhcr(header: Sequence[str]) -> bool:
    """True for a header with UNHCR's ``year``, ``coo`` and ``coa`` columns."""
    return all(column in header for column in _REQUIRED)


@cache
def load_unhcr_countries() -> Mapping[str, str]:
    """UNHCR code -> ISO alpha-3 (may be empty), from the bundled UNHCR countries table."""
    text = (
        resources.files("legalstay.stats")
        .joinpath("data")
        .joinpath("unhcr_countries.csv")
        .read_text(encoding="utf-8")
    )
    return {row["unhcr_code"]: row["iso_code"] for row in csv.DictReader(io.StringIO(text))}


def unhcr_country_code(code: str, countries: Mapping[str, str]) -> str:
    """The store's country code for a UNHCR code (AUS -> AT, STA -> STLS, TIB -> TIB)."""
    iso3 = countries.get(code, "")
    if iso3 in _SPECIAL:
        return _SPECIAL[iso3]
    country = pycountry.countries.get(alpha_3=iso3) if len(iso3) == 3 else None
    return str(country.alpha_2) if country else code


def parse_unhcr_csv(text: str, countries: Mapping[str, str] | None = None) -> RawTable:
    """Reads one UNHCR table (population, asylum applications or asylum decisions)."""
    rows = numbered_rows(text)
    header = next(rows, (1, []))[1]
    table = _table_of(header)
    countries = load_unhcr_countries() if countries is None else countries
    records, unknown = _records(rows, header, table, countries)
    frame = pl.DataFrame(records, schema=_schema(table), orient="row")
    notes = tuple(
        f"UNHCR code {code} is not in the countries table; kept as written"
        for code in sorted(unknown)
    )
    return RawTable(
        frame,
        ("citizen", "geo", *_dimensions(table)),
        "unhcr-csv",
        dataset=table.dataset,
        source="UNHCR Refugee Data Finder",
        notes=notes,
    )


def _table_of(header: Sequence[str]) -> UnhcrTable:
    if not looks_like_unhcr(header):
        raise StatsFormatError("a UNHCR table has year, coo and coa columns", line=1)
    for table in UNHCR_TABLES:
        if table.signature in header:
            missing = [c for c in (*table.dimensions, *table.measures) if c not in header]
            if missing:
                raise StatsFormatError(f"{table.dataset}: no column {missing[0]!r}", line=1)
            return table
    raise StatsFormatError("not a population, asylum applications or decisions table", line=1)


def _dimensions(table: UnhcrTable) -> tuple[str, ...]:
    measure = (table.measure_dimension,) if table.measure_dimension else ()
    return (*table.dimensions, *measure)


def _schema(table: UnhcrTable) -> dict[str, pl.DataType]:
    names = ("citizen", "geo", *_dimensions(table), "period")
    return {
        **dict.fromkeys(names, pl.String()),
        "value": pl.Float64(),
        "flag": pl.String(),
        "line": pl.Int64(),
    }


def _records(
    rows: Iterator[tuple[int, list[str]]],
    header: Sequence[str],
    table: UnhcrTable,
    countries: Mapping[str, str],
) -> tuple[list[tuple[object, ...]], set[str]]:
    records: list[tuple[object, ...]] = []
    unknown: set[str] = set()
    for line, row in rows:
        if not row:
            continue
        if len(row) != len(header):
            raise StatsFormatError(
                f"{len(row)} cells where the header has {len(header)}", line=line
            )
        cells = dict(zip(header, row, strict=True))
        unknown |= {cells[c] for c in ("coo", "coa") if cells[c] not in countries}
        records.extend(_observations(cells, table, countries, line))
    return records, unknown


def _observations(
    cells: Mapping[str, str], table: UnhcrTable, countries: Mapping[str, str], line: int
) -> Iterator[tuple[object, ...]]:
    year = cells["year"].strip()
    if not (len(year) == 4 and year.isascii() and year.isdigit()):
        raise StatsFormatError(f"year {year!r} is not a year", line=line)
    key = (
        unhcr_country_code(cells["coo"].strip(), countries),
        unhcr_country_code(cells["coa"].strip(), countries),
        *(cells[d].strip() for d in table.dimensions),
    )
    for column, code in table.measures.items():
        value = _count(cells[column], column, line)
        if value is not None:
            yield (*key, *((code,) if table.measure_dimension else ()), year, value, None, line)


def _count(cell: str, column: str, line: int) -> float | None:
    cell = cell.strip()
    if cell in ("", "NA"):
        return None
    if not (cell.isascii() and cell.isdigit()):
        raise StatsFormatError(f"{column} {cell!r} is not a count", line=line)
    return float(cell)
