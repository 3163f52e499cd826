"""The real extracts shipped with legalstay, their provenance, and what each dataset counts.

So that a fresh clone can draw the report with nothing imported, ``data/`` holds Eurostat and
UNHCR extracts and the published-figures table; ``data/sources.yaml`` says where each came from,
under which licence, and when; ``data/datasets.yaml`` says in words what each dataset counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from legalstay.stats.formats import ParsedFile, parse_observations
from legalstay.stats.store import ImportReport, Merge, import_parsed, merge_observations
from legalstay.stats.tidy import empty_observations

__all__ = [
    "BundledSource",
    "DatasetInfo",
    "bundled_observations",
    "bundled_sources",
    "dataset_info",
    "import_bundled",
    "parse_bundled",
]


@dataclass(frozen=True)
class BundledSource:
    """One shipped file and its provenance."""

    file: str
    format: str
    source: str | None
    origin: str
    licence: str
    attribution: str
    retrieved: dt.date | None


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset counts, in words."""

    code: str
    title: str
    publisher: str
    definition: str
    url: str | None


def _data() -> Traversable:
    return resources.files("legalstay.stats").joinpath("data")


@cache
def bundled_sources() -> tuple[BundledSource, ...]:
    """The shipped files, in import order, with their provenance."""
    entries: list[dict[str, Any]] = yaml.safe_load(_data().joinpath("sources.yaml").read_text())
    return tuple(BundledSource(**entry) for entry in entries)


@cache
def dataset_info() -> Mapping[str, DatasetInfo]:
    """Definitions of the datasets legalstay knows, by code."""
    entries: dict[str, dict[str, Any]] = yaml.safe_load(
        _data().joinpath("datasets.yaml").read_text()
    )
    return {code: DatasetInfo(code=code, **entry) for code, entry in entries.items()}


def parse_bundled() -> tuple[ParsedFile, ...]:
    """Every shipped file, read (with its recorded source and retrieval date)."""
    return tuple(
        parse_observations(
            _data().joinpath(entry.file).read_bytes(),
            name=entry.file,
            source=entry.source,
            retrieved=entry.retrieved,
        )
        for entry in bundled_sources()
    )


@cache
def bundled_observations() -> pl.DataFrame:
    """All shipped observations as one tidy frame (read once per process)."""
    merged = Merge(empty_observations(), 0, 0, 0)
    for parsed in parse_bundled():
        merged = merge_observations(merged.observations, parsed.observations)
    return merged.observations


def import_bundled(store_dir: Path) -> ImportReport:
    """Imports every shipped file into the store under ``store_dir``."""
    return import_parsed(store_dir, parse_bundled())
