"""What the statistics page shows, built from the core's frames: figures with their data as
tables (the text alternative of every drawing), side-by-side comparisons, published figures,
the caseload and the sources. Views pass these to templates; nothing here reads the database.

Drawing takes the core about a second a chart, so drawings are cached under the data version
(:func:`legalstay.web.statistics.access.data_version`): a new import or a recomputed status
gives new drawings, nothing else does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import polars as pl
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from legalstay.stats import (
    Chart,
    Comparison,
    StatsQueryError,
    asylum_applications_chart,
    asylum_decisions,
    asylum_decisions_chart,
    caseload_status_chart,
    comparisons,
    dataset_info,
    new_asylum_applications,
    permits_held,
    permits_held_chart,
    published_series,
    query,
)
from legalstay.web.statistics.labels import (
    CASELOAD_TABLES,
    MEASURES,
    OUTCOMES,
    caseload_label,
    country_label,
    country_name,
)

CACHE_SECONDS = 24 * 3600
PERMIT_MEASURES = ("residence_permit_holders", "first_permits")
ASYLUM_MEASURES = ("asylum_applications", "protection_granted")
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_SVG_IDS = re.compile(r'(\bid="|url\(#|href="#)')
_NUMBER_TEXT = re.compile(r"^(-?\d+(?:\.\d+)?)(.*)$")
_UNSAFE_SVG = re.compile(r"<script|javascript:|\son\w+\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    description: str
    svg: SafeString
    sources: str
    data: Table


@dataclass(frozen=True)
class SideBySide:
    title: str
    official_label: str
    official_definition: str
    published_definition: str
    table: Table


# ---------------------------------------------------------------- values


def value_text(value: float | None, flag: str | None) -> str:
    """A value as people read it, grouped in the reader's locale: ``55,902``, ``628 e``,
    ``: c`` (missing, flagged), ``<10`` (a withheld caseload count)."""
    if value is None:
        if flag and flag.startswith("<"):
            return flag
        return f": {flag}" if flag else ":"
    places = 0 if float(value).is_integer() else 1
    number = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{number} {flag}" if flag else number


def _value_cell(value: float | None, flag: str | None) -> Cell:
    return Cell(value_text(value, flag), numeric=True)


# ---------------------------------------------------------------- figures


def permit_figures(obs: pl.DataFrame, citizen: str, geo: str, version: str) -> list[Figure]:
    chart = _drawn(
        ("permits", citizen, geo, version), lambda: permits_held_chart(obs, citizen, geo)
    )
    if chart is None:
        return []
    title = _("Residence permits held by citizens of %(citizen)s in %(geo)s") % {
        "citizen": country_name(citizen),
        "geo": country_name(geo),
    }
    description = _(
        "Eurostat's count of valid permits on 31 December as a line; figures of the Office "
        "for Foreigners as published, as points."
    )
    series = [
        (_("Eurostat migr_resvalid, 31 December"), permits_held(obs, citizen, geo)),
        (
            _("Office for Foreigners, as published"),
            published_series(obs, "residence_permit_holders", citizen, geo),
        ),
    ]
    return [_figure("permits-held", title, description, chart, series)]


def asylum_figures(
    obs: pl.DataFrame, citizens: Sequence[str], geo: str, version: str
) -> list[Figure]:
    key = (",".join(citizens), geo, version)
    applications = _drawn(
        ("applications", *key), lambda: asylum_applications_chart(obs, citizens, geo)
    )
    decisions = _drawn(("decisions", *key), lambda: asylum_decisions_chart(obs, citizens, geo))
    names = ", ".join(country_name(c) for c in citizens)
    figures = []
    if applications is not None:
        title = _("New asylum applications in %(geo)s by citizenship (UNHCR)") % {
            "geo": country_name(geo)
        }
        description = _("New applications at first instance, persons, per year: %(names)s.") % {
            "names": names
        }
        series = [(country_name(c), new_asylum_applications(obs, c, geo)) for c in citizens]
        figures.append(_figure("asylum-applications", title, description, applications, series))
    if decisions is not None:
        figures.append(_decisions_figure(obs, citizens, geo, decisions, names))
    return figures


def _decisions_figure(
    obs: pl.DataFrame, citizens: Sequence[str], geo: str, chart: Chart, names: str
) -> Figure:
    title = _("First-instance asylum decisions in %(geo)s by outcome (UNHCR)") % {
        "geo": country_name(geo)
    }
    description = _("Decisions on persons per year, stacked by outcome, one panel each: %(names)s.")
    series = [
        (
            f"{country_name(c)}: {OUTCOMES[outcome]}",
            decisions.filter(pl.col("decision") == outcome),
        )
        for c in citizens
        for decisions in [asylum_decisions(obs, c, geo)]
        for outcome in OUTCOMES
    ]
    return _figure("asylum-decisions", title, description % {"names": names}, chart, series)


def caseload_figure(counts: pl.DataFrame, version: str) -> Figure | None:
    chart = _drawn(("caseload", version), lambda: caseload_status_chart(counts))
    if chart is None:
        return None
    rows = counts.filter(
        pl.col("dataset") == "caseload_stay_basis",
        pl.col("citizen") == "TOTAL",
        pl.col("legal_stay_basis") != "TOTAL",
    )
    series = [
        (caseload_label(basis), rows.filter(pl.col("legal_stay_basis") == basis))
        for basis in sorted(rows["legal_stay_basis"].unique().to_list())
    ]
    title = _("The caseload by basis of legal stay")
    description = _(
        "Persons by basis of legal stay and month, all citizenships; small counts withheld."
    )
    return _figure("caseload-status", title, description, chart, series)


def _figure(
    slug: str,
    title: str,
    description: str,
    chart: Chart,
    series: Sequence[tuple[str, pl.DataFrame]],
) -> Figure:
    data = Table(
        _("The numbers in the chart: %(title)s") % {"title": title},
        (_("series"), _("period"), _("value"), _("source")),
        tuple(
            (Cell(label), Cell(period), _value_cell(value, flag), Cell(source or ""))
            for label, frame in series
            for period, value, flag, source in frame.select(
                "period", "value", "flag", "source"
            ).iter_rows()
        ),
    )
    svg = _accessible_svg(chart.svg, slug, title, description)
    return Figure(slug, title, description, svg, chart.sources, data)


def _drawn(key: tuple[str, ...], draw: Callable[[], Chart | None]) -> Chart | None:
    name = "statistics:chart:" + ":".join(key)
    found = cache.get(name)
    if found is None:
        found = draw() or False  # False: cached "nothing to draw"
        cache.set(name, found, CACHE_SECONDS)
    return found or None


def _accessible_svg(svg: str, slug: str, title: str, description: str) -> SafeString:
    """The core's SVG, inlined: a title and a description for screen readers, and ids made
    unique to this chart (several charts share one page, and ids must not repeat)."""
    if _UNSAFE_SVG.search(svg):
        raise ValueError("the drawing holds script; refusing to inline it")
    unique = _SVG_IDS.sub(lambda match: f"{match[1]}{slug}-", svg)
    labelled = (
        f'<svg role="img" aria-labelledby="{slug}-title {slug}-desc"\\1>'
        f'<title id="{slug}-title">{escape(title)}</title>'
        f'<desc id="{slug}-desc">{escape(description)}</desc>'
    )
    return mark_safe(_SVG_OPEN.sub(labelled, unique, count=1))


# ---------------------------------------------------------------- comparisons


def side_by_side(
    obs: pl.DataFrame, citizens: Sequence[str], geo: str, measures: Sequence[str]
) -> list[SideBySide]:
    """Where an official series and published figures count the same thing: both, with their
    definitions and the difference; neither is preferred."""
    found = [
        comparison
        for citizen in dict.fromkeys(citizens)
        for comparison in comparisons(obs, citizen, geo)
        if comparison.spec.measure in measures
    ]
    return [_side_by_side(comparison) for comparison in found]


def _side_by_side(comparison: Comparison) -> SideBySide:
    spec = comparison.spec
    title = _("%(measure)s: citizens of %(citizen)s in %(geo)s") % {
        "measure": MEASURES.get(spec.measure, spec.title),
        "citizen": country_name(comparison.citizen),
        "geo": country_name(comparison.geo),
    }
    headers = (
        _("official period"),
        spec.official_label,
        _("published period"),
        _("published"),
        _("published − official"),
        _("outlet"),
        _("what was counted"),
    )
    rows = tuple(
        (
            Cell(row["aligned"] or "—"),
            Cell(_localised(row["official"]), numeric=True),
            Cell(row["published_period"]),
            Cell(_localised(row["published"]), numeric=True),
            Cell(_signed(row["difference"]), numeric=True),
            Cell(row["outlet"] or ""),
            Cell(row["counted"] or ""),
        )
        for row in comparison.table.iter_rows(named=True)
    )
    published = dataset_info()["published_figures"].definition
    table = Table(title, headers, rows)
    return SideBySide(title, spec.official_label, spec.official_definition, published, table)


def _localised(text: str | None) -> str:
    """The core's display text (``306447``, ``3700 ~``, ``: c``) with the number grouped."""
    match = _NUMBER_TEXT.match(text or "")
    if match is None:
        return text or ""
    return value_text(float(match[1]), match[2].strip() or None)


def _signed(difference: float | None) -> str:
    if difference is None:
        return ""
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    return sign + number_format(abs(difference), decimal_pos=0, force_grouping=True)


# ---------------------------------------------------------------- tables


def published_table(obs: pl.DataFrame) -> Table:
    rows = obs.filter(pl.col("dataset") == "published_figures").sort("measure", "citizen", "period")
    headers = (
        _("measure"),
        _("citizenship"),
        _("period"),
        _("value"),
        _("what was counted"),
        _("counted by"),
        _("outlet"),
    )
    cells = tuple(
        (
            Cell(str(MEASURES.get(row["measure"], row["measure"]))),
            Cell(country_label(row["citizen"])),
            Cell(row["period"]),
            _value_cell(row["value"], row["flag"]),
            Cell(row["note"] or ""),
            Cell(row["counted_by"] or ""),
            Cell(row["source"] or ""),
        )
        for row in (rows.iter_rows(named=True) if rows.height else ())
    )
    return Table(_("Published figures"), headers, cells)


def caseload_tables(counts: pl.DataFrame) -> list[Table]:
    """One table a caseload dataset: a row per month and category, a column per citizenship
    (all citizenships first), withheld cells shown as <N or c."""
    return [
        _caseload_table(counts.filter(pl.col("dataset") == dataset), dataset)
        for dataset in CASELOAD_TABLES
        if counts.filter(pl.col("dataset") == dataset).height
    ]


def _caseload_table(rows: pl.DataFrame, dataset: str) -> Table:
    category = next(
        c
        for c in ("legal_stay_basis", "travel_document_kind", "indicator")
        if c in rows.columns and rows[c].null_count() < rows.height
    )
    citizens = sorted(set(rows["citizen"].to_list()) - {"TOTAL"})
    columns = ["TOTAL", *citizens]
    texts = {
        (r["period"], r[category], r["citizen"]): value_text(r["value"], r["flag"])
        for r in rows.iter_rows(named=True)
    }
    keys = sorted({(period, code) for period, code, _citizen in texts}, key=_total_last)
    headers = (_("month"), _("category"), *(_column_label(c) for c in columns))
    body = tuple(
        (
            Cell(period),
            Cell(caseload_label(code)),
            *(Cell(texts.get((period, code, c), "0"), numeric=True) for c in columns),
        )
        for period, code in keys
    )
    return Table(str(CASELOAD_TABLES[dataset]), headers, body)


def _total_last(key: tuple[str, str]) -> tuple[str, bool, str]:
    period, code = key
    return period, code == "TOTAL", code


def _column_label(citizen: str) -> str:
    return _("all citizenships") if citizen == "TOTAL" else country_label(citizen)


def sources_table(obs: pl.DataFrame) -> Table:
    """Every official source on the page, with its latest retrieval date and how many
    observations (published figures name their outlet row by row instead)."""
    official = obs.filter(pl.col("dataset") != "published_figures")
    used = (
        official.group_by("source")
        .agg(pl.col("retrieved").max(), pl.len())
        .filter(pl.col("source").is_not_null())
        .sort("source")
    )
    headers = (_("source"), _("retrieved"), _("observations"))
    rows = tuple(
        (
            Cell(source),
            Cell(retrieved.isoformat() if retrieved else _("not recorded")),
            Cell(number_format(count, force_grouping=True), numeric=True),
        )
        for source, retrieved, count in used.iter_rows()
    )
    return Table(_("Sources of the figures on this page"), headers, rows)


# ---------------------------------------------------------------- downloads


def shown_rows(
    obs: pl.DataFrame,
    *,
    citizen: str,
    citizens: Sequence[str],
    geo: str,
    caseload: pl.DataFrame | None,
) -> pl.DataFrame:
    """The stored observations behind every series the page shows (UNHCR rows per procedure
    type, as stored: the charts sum them), then the caseload's counts as shown (withheld)."""
    permits = {"citizen": [citizen], "geo": [geo], "reason": ["TOTAL"], "duration": ["TOTAL"]}
    asylum = {"citizen": list(citizens), "geo": [geo], "dec_level": ["FI"]}
    parts = [
        _rows(obs, "migr_resvalid", {**permits, "unit": ["PER"]}),
        _rows(obs, "migr_resfirst", {**permits, "unit": ["PER"]}),
        _rows(obs, "unhcr_asylum_applications", {**asylum, "app_type": ["N"], "app_pc": ["P"]}),
        _rows(
            obs,
            "unhcr_asylum_decisions",
            {**asylum, "dec_pc": ["P"], "decision": list(OUTCOMES)},
        ),
        _rows(obs, "published_figures", {"geo": [geo]}),
        *([caseload] if caseload is not None else []),
    ]
    found = [part for part in parts if part.height]
    return pl.concat(found, how="diagonal_relaxed") if found else obs.clear()


def _rows(obs: pl.DataFrame, dataset: str, filters: dict[str, list[str]]) -> pl.DataFrame:
    try:
        return query(obs, dataset=dataset, filters=filters)
    except StatsQueryError:  # the dataset (or one of its dimensions) was not imported
        return obs.clear()
