"""Which format a file is in, told from its content, and the one entry point that reads any of them.

Detection looks at the bytes, never at the file name: gzip is unpacked first; ``{`` opens
JSON-stat; a first cell ``…\\TIME_PERIOD`` is Eurostat TSV; ``DATAFLOW``/``STRUCTURE`` open
SDMX-CSV; ``year,…,coo,…,coa`` is a UNHCR table; ``figure_id,measure`` a published-figures
table. The file name is only used to tell which Eurostat dataset a TSV file holds, because the
TSV format does not say.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from legalstay.stats.codes import APPLICANT_CODES_FROM_ASYL_APP
from legalstay.stats.errors import StatsFormatError
from legalstay.stats.eurostat_tsv import looks_like_eurostat_tsv, parse_eurostat_tsv
from legalstay.stats.jsonstat import parse_jsonstat
from legalstay.stats.published import looks_like_published_figures, parse_published_figures
from legalstay.stats.sdmx_csv import looks_like_sdmx_csv, parse_sdmx_csv
from legalstay.stats.tidy import RawTable, observations_from_raw
from legalstay.stats.unhcr import looks_like_unhcr, parse_unhcr_csv

__all__ = ["FORMATS", "ParsedFile", "detect_format", "parse_observations", "read_observations"]

FORMATS = (
    "eurostat-tsv",
    "sdmx-csv",
    "json-stat",
    "unhcr-csv",
    "published-figures",
)
_DATASET_IN_NAME = re.compile(r"(migr_[a-z0-9]+)", re.IGNORECASE)
_MAX_UNPACKED = 2**31  # a gzip bomb stops here


@dataclass(frozen=True)
class ParsedFile:
    """The tidy rows of one file, the format it was in and what was done to it."""

    name: str
    format: str
    dataset: str
    observations: pl.DataFrame
    notes: tuple[str, ...]


def read_observations(
    path: Path,
    *,
    dataset: str | None = None,
    source: str | None = None,
    retrieved: dt.date | None = None,
) -> ParsedFile:
    """Reads one file in any supported format; errors name the file."""
    try:
        return parse_observations(
            path.read_bytes(), name=path.name, dataset=dataset, source=source, retrieved=retrieved
        )
    except StatsFormatError as error:
        raise error.in_file(str(path)) from None


def parse_observations(
    data: bytes,
    *,
    name: str = "",
    dataset: str | None = None,
    source: str | None = None,
    retrieved: dt.date | None = None,
) -> ParsedFile:
    """Reads the bytes of one file; ``dataset`` and ``source`` override what the file says."""
    text = _text(_unpacked(data))
    raw = _parse(text)
    raw, notes = _normalised(raw)
    code = dataset or raw.dataset or _dataset_from_name(name) or _dataset_from_dimensions(raw)
    frame = observations_from_raw(
        raw,
        dataset=code,
        source=source or raw.source or f"Eurostat, {code}",
        retrieved=retrieved,
        note="; ".join(notes) or None,
    )
    return ParsedFile(name, raw.format, code, frame, (*raw.notes, *notes))


def detect_format(data: bytes) -> str:
    """The format of a file's bytes (one of :data:`FORMATS`)."""
    return _kind(_text(_unpacked(data)))


def _parse(text: str) -> RawTable:
    kind = _kind(text)
    readers = {
        "json-stat": parse_jsonstat,
        "eurostat-tsv": parse_eurostat_tsv,
        "sdmx-csv": parse_sdmx_csv,
        "unhcr-csv": parse_unhcr_csv,
        "published-figures": parse_published_figures,
    }
    return readers[kind](text)


def _kind(text: str) -> str:
    if text.lstrip().startswith("{"):
        return "json-stat"
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if looks_like_eurostat_tsv(first_line):
        return "eurostat-tsv"
    header = _csv_header(first_line)
    for kind, looks_like in (
        ("sdmx-csv", looks_like_sdmx_csv),
        ("unhcr-csv", looks_like_unhcr),
        ("published-figures", looks_like_published_figures),
    ):
        if looks_like(header):
            return kind
    raise StatsFormatError(
        "not a format legalstay reads (Eurostat TSV, SDMX-CSV, JSON-stat 2.0, UNHCR CSV, "
        "published figures)",
        line=1,
    )


def _csv_header(line: str) -> list[str]:
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return []


def _unpacked(data: bytes) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            unpacked = packed.read(_MAX_UNPACKED + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise StatsFormatError(f"a broken gzip file: {error}") from None
    if len(unpacked) > _MAX_UNPACKED:
        raise StatsFormatError("the unpacked file is larger than 2 GiB")
    return unpacked


def _text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise StatsFormatError(f"not UTF-8 text: {error.reason}", line=line) from None
    if not text.strip():
        raise StatsFormatError("the file is empty", line=1)
    return text


def _normalised(raw: RawTable) -> tuple[RawTable, tuple[str, ...]]:
    if "asyl_app" not in raw.dimensions:
        return raw, ()
    # Older asylum extracts: dimension asyl_app (ASY_APP, NASY_APP) -> applicant (TOTAL, FRST).
    unknown = raw.frame.filter(~pl.col("asyl_app").is_in(list(APPLICANT_CODES_FROM_ASYL_APP)))
    if unknown.height:
        raise StatsFormatError(
            f"asyl_app {unknown['asyl_app'][0]!r} is not ASY_APP or NASY_APP",
            line=int(unknown["line"][0]),
        )
    applicant = pl.col("asyl_app").replace_strict(APPLICANT_CODES_FROM_ASYL_APP).alias("asyl_app")
    frame = raw.frame.with_columns(applicant).rename({"asyl_app": "applicant"})
    dimensions = tuple("applicant" if d == "asyl_app" else d for d in raw.dimensions)
    note = "recoded from asyl_app (ASY_APP -> TOTAL, NASY_APP -> FRST)"
    return RawTable(frame, dimensions, raw.format, raw.dataset, raw.source, raw.notes), (note,)


def _dataset_from_name(name: str) -> str | None:
    match = _DATASET_IN_NAME.search(name)
    return match[1].lower() if match else None


def _dataset_from_dimensions(raw: RawTable) -> str:
    frequencies = set(raw.frame["freq"].unique().to_list()) if "freq" in raw.frame else set()
    by_shape = {
        ("applicant", frozenset({"A"})): "migr_asyappctza",
        ("applicant", frozenset({"M"})): "migr_asyappctzm",
        ("decision", frozenset({"A"})): "migr_asydcfsta",
        ("decision", frozenset({"Q"})): "migr_asydcfstq",
    }
    for (dimension, frequency), dataset in by_shape.items():
        if dimension in raw.dimensions and frequencies == frequency:
            return dataset
    raise StatsFormatError(
        "the file does not say which dataset it holds: name it after the dataset code "
        "(e.g. migr_resvalid.tsv) or give it (--dataset migr_resvalid; the web form's dataset "
        "code)"
    )
