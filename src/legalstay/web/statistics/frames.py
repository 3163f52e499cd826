"""Rows ↔ the core's Polars frames: the only place that converts between them.

* observations: the core's tidy frame (``dataset``, one column per dimension, ``period``,
  ``value``, ``flag``, ``source``, ``retrieved``, ``note``; nulls where absent) ↔
  :class:`~legalstay.web.statistics.models.Observation` fields (``""`` where absent);
* the caseload: stored statuses (``PersonStatus`` values with the person's citizenships) → the
  per-person frame :func:`legalstay.stats.caseload_statistics` takes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from legalstay.stats import FIXED_COLUMNS, dimension_columns, empty_observations

__all__ = [
    "CASELOAD_INDICATORS",
    "STATUS_FIELDS",
    "caseload_persons_frame",
    "incoming_frame",
    "observations_frame",
]

KEY_SEPARATOR = ";"
# The dimensions every page filters on come first in outputs; the others follow by name.
LEADING_DIMENSIONS = ("citizen", "geo")
# The dimensions of the datasets legalstay knows (docs/statistics.md). A frame always has these
# columns, null where no row has them, as the Parquet store does once the shipped extracts are
# in it: the core's series functions select some of them (published_series: "figure") even
# when no row of that dataset was loaded.
KNOWN_DIMENSIONS = (
    "freq",
    "unit",
    "citizen",
    "geo",
    "sex",
    "age",
    "applicant",
    "decision",
    "reason",
    "duration",
    "population_type",
    "procedure_type",
    "app_type",
    "dec_level",
    "app_pc",
    "dec_pc",
    "measure",
    "counted_by",
    "figure",
)
OBSERVATION_FIELDS = (
    "dataset",
    "dimensions",
    "period",
    "value",
    "flag",
    "source",
    "retrieved",
    "note",
)
_TEXT_COLUMNS = ("flag", "source", "note")

# PersonStatus booleans counted as caseload indicators (where true).
CASELOAD_INDICATORS = (
    "irregular_stay",
    "no_valid_travel_document",
    "child_without_identity_document",
    "authority_late",
)
STATUS_FIELDS = (
    "as_of",
    "legal_stay_basis",
    "travel_document_valid",
    "travel_document_kind",
    "flags",
    *CASELOAD_INDICATORS,
    "person__citizenships",
)


def incoming_frame(observations: pl.DataFrame) -> pl.DataFrame:
    """A parsed file's tidy rows with ``key`` (the canonical dimensions) and ``dimensions`` (a
    struct of them, JSON-ready) next to them."""
    names = sorted(dimension_columns(observations))
    if not names:
        return observations.with_columns(pl.lit("").alias("key"), pl.lit(None).alias("dimensions"))
    pairs = [
        pl.when(pl.col(name).is_not_null()).then(pl.lit(f"{name}=") + pl.col(name))
        for name in names
    ]
    return observations.with_columns(
        pl.concat_str(pairs, separator=KEY_SEPARATOR, ignore_nulls=True).alias("key"),
        pl.struct(names).alias("dimensions"),
    )


def model_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """The Observation fields of one row of :func:`incoming_frame`."""
    dimensions = {name: code for name, code in (row["dimensions"] or {}).items() if code}
    fields = {name: row[name] for name in ("dataset", "key", "period", "value", "retrieved")}
    texts = {name: row[name] or "" for name in _TEXT_COLUMNS}
    leading = {name: dimensions.get(name, "") for name in LEADING_DIMENSIONS}
    return {**fields, **texts, **leading, "dimensions": dimensions}


def observations_frame(rows: Iterable[Sequence[Any]]) -> pl.DataFrame:
    """The core's tidy frame from ``values_list(*OBSERVATION_FIELDS)`` rows."""
    records = [_record(row) for row in rows]
    names = {*KNOWN_DIMENSIONS, *(name for r in records for name in r["_dimensions"])}
    ordered = [*LEADING_DIMENSIONS, *sorted(names - {*LEADING_DIMENSIONS})]
    fixed = empty_observations().schema
    schema: dict[str, pl.DataType] = {
        "dataset": fixed["dataset"],
        **{name: pl.String() for name in ordered},
        **{name: fixed[name] for name in FIXED_COLUMNS[1:]},
    }
    data = [
        {"dataset": r["dataset"], **{n: r["_dimensions"].get(n) for n in ordered}, **r["fixed"]}
        for r in records
    ]
    return pl.DataFrame(data, schema=schema, orient="row")


def _record(row: Sequence[Any]) -> dict[str, Any]:
    values = dict(zip(OBSERVATION_FIELDS, row, strict=True))
    fixed = {name: values[name] for name in FIXED_COLUMNS[1:]}
    fixed.update({name: values[name] or None for name in _TEXT_COLUMNS})
    return {"dataset": values["dataset"], "_dimensions": values["dimensions"], "fixed": fixed}


def caseload_persons_frame(statuses: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """One row a person for :func:`legalstay.stats.caseload_statistics`.

    ``statuses`` are ``PersonStatus.objects.values(*STATUS_FIELDS)``. The month is that of
    ``as_of`` (the date the stored status describes). The citizenship is the first one the
    registry lists, so that a person with two citizenships counts once; the travel document is
    the kind of the valid one, ``none`` when no travel document is valid. The stored booleans
    and every other name in a status's ``flags`` become indicators (a flag that is also a
    boolean, such as ``irregular_stay``, is counted once).
    """
    rows = [_person_row(status) for status in statuses]
    held = [row.pop("_flags") for row in rows]
    schema: dict[str, pl.DataType] = {
        "month": pl.Date(),
        "citizenship": pl.String(),
        "legal_stay_basis": pl.String(),
        "travel_document_kind": pl.String(),
        **{name: pl.Boolean() for name in CASELOAD_INDICATORS},
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    others = sorted(set().union(*held) - set(CASELOAD_INDICATORS))
    return frame.with_columns(
        pl.Series(name, [name in flags for flags in held], dtype=pl.Boolean()) for name in others
    )


def _person_row(status: Mapping[str, Any]) -> dict[str, Any]:
    as_of: dt.date = status["as_of"]
    citizenships = status["person__citizenships"] or []
    valid = bool(status["travel_document_valid"])
    return {
        "month": as_of.replace(day=1),
        "citizenship": citizenships[0] if citizenships else None,
        "legal_stay_basis": status["legal_stay_basis"] or None,
        "travel_document_kind": (status["travel_document_kind"] or None) if valid else "none",
        **{name: bool(status[name]) for name in CASELOAD_INDICATORS},
        "_flags": {_flag_name(flag) for flag in status["flags"] or []},
    }


def _flag_name(flag: object) -> str:
    # A flag is a reason code, or an object carrying one under "code".
    return str(flag.get("code")) if isinstance(flag, dict) else str(flag)
