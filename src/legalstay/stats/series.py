"""The series the report and the statistics page show, cut from the store's tidy rows.

Each function returns a frame with ``period``, ``value``, ``flag``, ``source`` and
``retrieved`` (plus ``decision`` or ``figure``/``note`` where it says so), sorted by period; an
empty frame when the store lacks the data. Sums over UNHCR's procedure types keep the source and
the latest retrieval date of their parts.
"""

from __future__ import annotations

import polars as pl

from legalstay.stats.codes import country_code_aliases

__all__ = [
    "asylum_decisions",
    "first_permits",
    "new_asylum_applications",
    "permits_held",
    "protection_granted",
    "published_series",
]

SERIES_COLUMNS = ("period", "value", "flag", "source", "retrieved")
UNHCR_OUTCOMES = ("recognized", "other", "rejected", "closed")


def permits_held(observations: pl.DataFrame, citizen: str, geo: str) -> pl.DataFrame:
    """Eurostat migr_resvalid: all valid permits on 31 December (reason and duration TOTAL)."""
    return _eurostat_permits(observations, "migr_resvalid", citizen, geo)


def first_permits(observations: pl.DataFrame, citizen: str, geo: str) -> pl.DataFrame:
    """Eurostat migr_resfirst: first permits issued in the year (reason and duration TOTAL)."""
    return _eurostat_permits(observations, "migr_resfirst", citizen, geo)


def new_asylum_applications(observations: pl.DataFrame, citizen: str, geo: str) -> pl.DataFrame:
    """UNHCR: new applications (app_type N) at first instance (FI), persons, all procedures."""
    rows = _rows(
        observations,
        "unhcr_asylum_applications",
        citizen,
        geo,
        app_type="N",
        dec_level="FI",
        app_pc="P",
    )
    return _summed(rows, "period")


def asylum_decisions(observations: pl.DataFrame, citizen: str, geo: str) -> pl.DataFrame:
    """UNHCR: first-instance decisions on persons by outcome (``decision``), all procedures."""
    rows = _rows(observations, "unhcr_asylum_decisions", citizen, geo, dec_level="FI", dec_pc="P")
    return _summed(rows.filter(pl.col("decision").is_in(UNHCR_OUTCOMES)), "period", "decision")


def protection_granted(observations: pl.DataFrame, citizen: str, geo: str) -> pl.DataFrame:
    """UNHCR: first-instance recognitions plus complementary protection (recognized + other)."""
    decisions = asylum_decisions(observations, citizen, geo)
    return _summed(decisions.filter(pl.col("decision").is_in(["recognized", "other"])), "period")


def published_series(
    observations: pl.DataFrame, measure: str, citizen: str, geo: str
) -> pl.DataFrame:
    """Published figures for one measure, with ``figure``, ``note`` (what was counted)."""
    rows = _rows(observations, "published_figures", citizen, geo, measure=measure)
    # A store with no published figures has no figure/note columns: the series is empty.
    absent = [name for name in ("figure", "note") if name not in rows.columns]
    rows = rows.with_columns(pl.lit(None, pl.String).alias(name) for name in absent)
    return rows.select(*SERIES_COLUMNS, "figure", "note").sort("period", "figure")


def _eurostat_permits(
    observations: pl.DataFrame, dataset: str, citizen: str, geo: str
) -> pl.DataFrame:
    rows = _rows(observations, dataset, citizen, geo, reason="TOTAL", duration="TOTAL", unit="PER")
    annual = rows.filter(pl.col("period").str.contains(r"^\d{4}$"))
    return annual.select(*SERIES_COLUMNS).sort("period")


def _rows(
    observations: pl.DataFrame, dataset: str, citizen: str, geo: str, **codes: str
) -> pl.DataFrame:
    if any(name not in observations.columns for name in ("citizen", "geo", *codes)):
        return observations.clear()
    return observations.filter(
        pl.col("dataset") == dataset,
        pl.col("citizen").is_in(sorted(country_code_aliases(citizen))),
        pl.col("geo").is_in(sorted(country_code_aliases(geo))),
        *(pl.col(name) == code for name, code in codes.items()),
    )


def _summed(rows: pl.DataFrame, *by: str) -> pl.DataFrame:
    summed = rows.group_by(*by).agg(
        pl.col("value").sum().alias("value"),
        pl.lit(None, pl.String).alias("flag"),
        pl.col("source").first(),
        pl.col("retrieved").max(),
    )
    return summed.select(*by, *SERIES_COLUMNS[1:]).sort(*by)
