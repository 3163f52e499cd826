"""Two sources that count the same thing, side by side, with what each one counts.

Nothing here picks a winner: a comparison lines the official series up with the published
figures by period and shows both, the difference, and both definitions. Periods are aligned
this way: for flows (applications, decisions, first permits) a published figure for a calendar
year meets the official figure for that year; for stocks (permits held on 31 December) a
published figure dated in December of year Y, or on 1 January of Y+1, meets year Y. Published
figures that meet no official period are still listed, with the official side empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from legalstay.stats.bundled import dataset_info
from legalstay.stats.records import display_value
from legalstay.stats.series import (
    first_permits,
    new_asylum_applications,
    permits_held,
    protection_granted,
    published_series,
)

__all__ = ["COMPARISONS", "Comparison", "ComparisonSpec", "compare", "comparisons"]


@dataclass(frozen=True)
class ComparisonSpec:
    """Which official series meets which published measure, and how periods align."""

    title: str
    official: Callable[[pl.DataFrame, str, str], pl.DataFrame]
    official_label: str
    official_definition: str
    measure: str
    stock: bool


@dataclass(frozen=True)
class Comparison:
    """A side-by-side table: period, official, published, difference, outlet, what was counted."""

    spec: ComparisonSpec
    citizen: str
    geo: str
    table: pl.DataFrame


def _definition(dataset: str) -> str:
    return dataset_info()[dataset].definition


COMPARISONS = (
    ComparisonSpec(
        "Residence permits held on 31 December",
        permits_held,
        "Eurostat migr_resvalid",
        _definition("migr_resvalid"),
        "residence_permit_holders",
        stock=True,
    ),
    ComparisonSpec(
        "First residence permits issued in the year",
        first_permits,
        "Eurostat migr_resfirst",
        _definition("migr_resfirst"),
        "first_permits",
        stock=False,
    ),
    ComparisonSpec(
        "New asylum applications in the year",
        new_asylum_applications,
        "UNHCR new applications (N, first instance, persons)",
        _definition("unhcr_asylum_applications"),
        "asylum_applications",
        stock=False,
    ),
    ComparisonSpec(
        "International protection granted in the year",
        protection_granted,
        "UNHCR first-instance recognized + other (complementary)",
        _definition("unhcr_asylum_decisions"),
        "protection_granted",
        stock=False,
    ),
)


def compare(observations: pl.DataFrame, spec: ComparisonSpec, citizen: str, geo: str) -> Comparison:
    """The official series of ``spec`` and the published figures for it, side by side."""
    official = spec.official(observations, citizen, geo).select(
        "period", pl.col("value").alias("official_value"), display_value().alias("official")
    )
    published = _published(observations, spec, citizen, geo)
    table = published.join(official, left_on="aligned", right_on="period", how="left")
    table = table.with_columns(
        (pl.col("published_value") - pl.col("official_value")).alias("difference")
    )
    columns = [
        "aligned",
        "official",
        "published_period",
        "published",
        "difference",
        "outlet",
        "counted",
    ]
    return Comparison(spec, citizen, geo, table.select(columns).sort("published_period"))


def comparisons(
    observations: pl.DataFrame, citizen: str = "BY", geo: str = "PL"
) -> list[Comparison]:
    """Every comparison for which at least one published figure exists."""
    found = [compare(observations, spec, citizen, geo) for spec in COMPARISONS]
    return [comparison for comparison in found if comparison.table.height]


def _published(
    observations: pl.DataFrame, spec: ComparisonSpec, citizen: str, geo: str
) -> pl.DataFrame:
    figures = published_series(observations, spec.measure, citizen, geo)
    return figures.select(
        (_stock_year() if spec.stock else _calendar_year()).alias("aligned"),
        pl.col("period").alias("published_period"),
        pl.col("value").alias("published_value"),
        display_value().alias("published"),
        pl.col("source").alias("outlet"),
        pl.col("note").alias("counted"),
    )


def _calendar_year() -> pl.Expr:
    return pl.col("period").str.extract(r"^(\d{4})$")


def _stock_year() -> pl.Expr:
    december = pl.col("period").str.extract(r"^(\d{4})-12(?:-\d{2})?$")
    new_year = pl.col("period").str.extract(r"^(\d{4})-01-01$").cast(pl.Int64) - 1
    return pl.coalesce(december, new_year.cast(pl.String))
