"""The tidy store: one Parquet file of observations under a directory the caller names.

Imports are idempotent: an observation (dataset, dimensions, period) already stored with the same
value and flag is left as it is, a different value or flag replaces it (publishers revise), a
new one is added. All files of an import are read before anything is written, and the store
file is replaced atomically (temporary file, then rename), so a failed import leaves the store
exactly as it was. One writer at a time is assumed.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from tqdm import tqdm

from legalstay.stats.codes import country_code_aliases
from legalstay.stats.errors import StatsQueryError
from legalstay.stats.formats import ParsedFile, read_observations
from legalstay.stats.tidy import (
    FIXED_COLUMNS,
    dimension_columns,
    empty_observations,
    observation_key,
    present_dimensions,
)

__all__ = [
    "STORE_FILE",
    "FileImport",
    "ImportReport",
    "Merge",
    "import_files",
    "import_parsed",
    "load_store",
    "merge_observations",
    "query",
    "save_store",
]

STORE_FILE = "observations.parquet"
_COUNTRY_DIMENSIONS = ("citizen", "geo")


@dataclass(frozen=True)
class Merge:
    """The store after an import, and what the import did to it."""

    observations: pl.DataFrame
    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class FileImport:
    """What one file brought."""

    name: str
    format: str
    dataset: str
    added: int
    updated: int
    unchanged: int
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    """What an import did, file by file."""

    files: tuple[FileImport, ...]

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.files)

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.files)


def load_store(store_dir: Path) -> pl.DataFrame:
    """All stored observations (an empty frame when nothing was imported yet)."""
    path = store_dir / STORE_FILE
    return pl.read_parquet(path) if path.exists() else empty_observations()


def save_store(store_dir: Path, observations: pl.DataFrame) -> None:
    """Replaces the store atomically: a reader sees the old file or the new one, never half."""
    store_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=store_dir, prefix=".observations-", suffix=".tmp")
    os.close(handle)
    try:
        _sorted(observations).write_parquet(temporary)
        os.replace(temporary, store_dir / STORE_FILE)
    finally:
        Path(temporary).unlink(missing_ok=True)


def merge_observations(existing: pl.DataFrame, incoming: pl.DataFrame) -> Merge:
    """``existing`` with ``incoming`` folded in (same key: incoming wins if value/flag differ)."""
    both = pl.concat([existing.clear(), incoming.clear()], how="diagonal_relaxed")
    dimensions = dimension_columns(both)
    old = _aligned(existing, both).with_columns(observation_key(dimensions))
    new = _aligned(incoming, both).with_columns(observation_key(dimensions))
    compared = new.join(
        old.select(
            "_key",
            pl.col("value").alias("_old_value"),
            pl.col("flag").alias("_old_flag"),
            pl.lit(True).alias("_stored"),
        ),
        on="_key",
        how="left",
    )
    stored = compared["_stored"].fill_null(False)
    same = stored & _same(compared)
    changed = compared.filter(~same)
    kept = old.filter(~pl.col("_key").is_in(changed["_key"].implode()))
    merged = pl.concat([kept, changed.select(old.columns)]).drop("_key")
    return Merge(merged, int((~stored).sum()), int((stored & ~same).sum()), int(same.sum()))


def import_parsed(store_dir: Path, parsed: Sequence[ParsedFile]) -> ImportReport:
    """Folds already-read files into the store, writing it once (and only if anything changed)."""
    observations = load_store(store_dir)
    reports = []
    for file in parsed:
        merge = merge_observations(observations, file.observations)
        observations = merge.observations
        reports.append(
            FileImport(
                file.name,
                file.format,
                file.dataset,
                merge.added,
                merge.updated,
                merge.unchanged,
                file.notes,
            )
        )
    report = ImportReport(tuple(reports))
    if report.added or report.updated:
        save_store(store_dir, observations)
    return report


def import_files(
    store_dir: Path,
    paths: Iterable[Path],
    *,
    dataset: str | None = None,
    source: str | None = None,
    retrieved: dt.date | None = None,
    progress: bool = False,
) -> ImportReport:
    """Reads every file (any error stops the import before the store is touched), then folds."""
    files = list(paths)
    parsed = [
        read_observations(path, dataset=dataset, source=source, retrieved=retrieved)
        for path in tqdm(files, desc="reading", unit="file", disable=not progress)
    ]
    return import_parsed(store_dir, parsed)


def query(
    observations: pl.DataFrame,
    *,
    dataset: str | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
) -> pl.DataFrame:
    """The rows of ``dataset`` whose dimensions take one of the given codes, sorted, with only
    the dimensions those rows have. ``citizen``/``geo`` match Eurostat and ISO spellings alike
    (GR finds EL). A ``period`` filter matches periods exactly."""
    rows = observations if dataset is None else _dataset_rows(observations, dataset)
    for name, codes in (filters or {}).items():
        rows = rows.filter(pl.col(_known(rows, name, dataset)).is_in(_matching(name, codes)))
    return _sorted(rows.select("dataset", *present_dimensions(rows), *FIXED_COLUMNS[1:]))


def _dataset_rows(observations: pl.DataFrame, dataset: str) -> pl.DataFrame:
    rows = observations.filter(pl.col("dataset") == dataset)
    if rows.height == 0:
        known = ", ".join(sorted(observations["dataset"].unique().to_list())) or "none"
        raise StatsQueryError(f"no dataset {dataset!r} in the store (it has: {known})")
    return rows


def _known(rows: pl.DataFrame, name: str, dataset: str | None) -> str:
    if name == "period" or name in present_dimensions(rows):
        return name
    have = ", ".join(present_dimensions(rows))
    raise StatsQueryError(f"{dataset or 'the store'} has no dimension {name!r} (it has: {have})")


def _matching(name: str, codes: Sequence[str]) -> list[str]:
    if name not in _COUNTRY_DIMENSIONS:
        return list(codes)
    return sorted({alias for code in codes for alias in country_code_aliases(code)})


def _aligned(frame: pl.DataFrame, template: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([template.clear(), frame], how="diagonal_relaxed").select(template.columns)


def _same(compared: pl.DataFrame) -> pl.Series:
    value = compared["value"].eq_missing(compared["_old_value"])
    return value & compared["flag"].eq_missing(compared["_old_flag"])


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    dimensions = dimension_columns(frame)
    ordered = frame.select("dataset", *dimensions, *FIXED_COLUMNS[1:])
    return ordered.sort(["dataset", *dimensions, "period"], nulls_last=True, maintain_order=True)
