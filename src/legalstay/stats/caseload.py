"""The caseload's own figures, in the same tidy shape as the official ones.

Input: a Polars frame with one row per person per month (the web app builds it from the
registry; tests build it by hand). Columns:

* ``month`` — Date (any day of the month) or String ``YYYY-MM``; required;
* ``citizenship`` — String, ISO 3166 alpha-2 (or STLS/UNK as Eurostat writes them); null counts
  as UNK; required;
* ``legal_stay_basis`` — String, e.g. a dossier title kind (``temporary_residence``,
  ``subsidiary_protection`` …), ``pending_application``, ``visa_free`` or ``none``; null counts
  as ``unknown``; required;
* ``travel_document_kind`` — String, a dossier document kind (``national_passport``,
  ``travel_document_for_foreigners`` …) or ``none``; optional;
* ``geo`` — String, where the person lives (default: the ``geo`` argument, PL); optional;
* every Boolean column is an indicator (``passport_expired``, ``child_without_id`` …): counted
  where true.

Output datasets: ``caseload_stay_basis`` (dimensions citizen, geo, legal_stay_basis),
``caseload_travel_document`` (citizen, geo, travel_document_kind) and ``caseload_indicators``
(citizen, geo, indicator); ``citizen`` and the category have TOTAL rows; ``period`` is the month.
The counts are exact: pass them through :func:`suppress_small_cells` before they leave the app.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from legalstay.stats.errors import CaseloadSchemaError
from legalstay.stats.tidy import FIXED_COLUMNS

__all__ = ["CASELOAD_DATASETS", "caseload_statistics"]

CASELOAD_DATASETS = ("caseload_stay_basis", "caseload_travel_document", "caseload_indicators")
_CATEGORIES = {
    "legal_stay_basis": "caseload_stay_basis",
    "travel_document_kind": "caseload_travel_document",
}
_REQUIRED = ("month", "citizenship", "legal_stay_basis")
_TOTAL = "TOTAL"


def caseload_statistics(
    persons: pl.DataFrame,
    *,
    geo: str = "PL",
    source: str = "legalstay caseload",
    retrieved: dt.date | None = None,
) -> pl.DataFrame:
    """Counts of persons by month, citizenship and category, as tidy rows (not yet suppressed)."""
    checked = _checked(persons, geo)
    frames = [
        _category_counts(checked, column, dataset)
        for column, dataset in _CATEGORIES.items()
        if column in checked.columns
    ]
    indicators = [name for name, dtype in persons.schema.items() if dtype == pl.Boolean]
    if indicators:
        frames.append(_indicator_counts(checked, indicators))
    counts = pl.concat(frames, how="diagonal_relaxed")
    return counts.with_columns(
        pl.lit(None, pl.String).alias("flag"),
        pl.lit(source).alias("source"),
        pl.lit(retrieved, pl.Date).alias("retrieved"),
        pl.lit(None, pl.String).alias("note"),
    ).select("dataset", "citizen", "geo", *_category_columns(counts), *FIXED_COLUMNS[1:])


def _checked(persons: pl.DataFrame, geo: str) -> pl.DataFrame:
    missing = [column for column in _REQUIRED if column not in persons.columns]
    if missing:
        raise CaseloadSchemaError(f"the caseload frame has no column {missing[0]!r}")
    return persons.with_columns(
        _month(persons.schema["month"]).alias("period"),
        pl.col("citizenship").cast(pl.String).fill_null("UNK").alias("citizen"),
        pl.col("legal_stay_basis").cast(pl.String).fill_null("unknown"),
        *_optional_columns(persons, geo),
    )


def _month(dtype: pl.DataType) -> pl.Expr:
    if dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
        return pl.col("month").dt.strftime("%Y-%m")
    if dtype == pl.String:
        return pl.col("month")
    raise CaseloadSchemaError(f"month is {dtype}, not a Date or a 'YYYY-MM' string")


def _optional_columns(persons: pl.DataFrame, geo: str) -> list[pl.Expr]:
    columns = [
        pl.col("geo").cast(pl.String).fill_null(geo)
        if "geo" in persons.columns
        else pl.lit(geo).alias("geo")
    ]
    if "travel_document_kind" in persons.columns:
        columns.append(pl.col("travel_document_kind").cast(pl.String).fill_null("none"))
    return columns


def _category_counts(persons: pl.DataFrame, column: str, dataset: str) -> pl.DataFrame:
    with_totals = _with_total(_with_total(persons, "citizen"), column)
    counts = with_totals.group_by("period", "citizen", "geo", column).agg(
        pl.len().cast(pl.Float64).alias("value")
    )
    return counts.with_columns(pl.lit(dataset).alias("dataset"))


def _indicator_counts(persons: pl.DataFrame, indicators: list[str]) -> pl.DataFrame:
    long = _with_total(persons, "citizen").unpivot(
        on=indicators,
        index=["period", "citizen", "geo"],
        variable_name="indicator",
        value_name="_true",
    )
    counts = long.group_by("period", "citizen", "geo", "indicator").agg(
        pl.col("_true").sum().cast(pl.Float64).alias("value")
    )
    return counts.with_columns(pl.lit("caseload_indicators").alias("dataset"))


def _with_total(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    # Each person counts once under their own code and once under TOTAL.
    return frame.with_columns(pl.concat_list(pl.col(column), pl.lit(_TOTAL))).explode(column)


def _category_columns(counts: pl.DataFrame) -> list[str]:
    return [c for c in (*_CATEGORIES, "indicator") if c in counts.columns]
