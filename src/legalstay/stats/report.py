"""The statistics report: one self-contained HTML page (inline SVG and CSS, no scripts).

It shows, for Belarusians in Poland: residence permits held (Eurostat's 31-December stock and
the Office for Foreigners' figures as published) and first permits; asylum applications and
first-instance decisions by outcome, Belarusians next to Ukrainians and Russians (UNHCR); where
an official series and a published figure count the same thing, both side by side with their
definitions; every published figure with its outlet; the caseload's status mix when a caseload
is given (small cells withheld); and the sources with their licences and retrieval dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape

import polars as pl

from legalstay.stats.bundled import bundled_sources, dataset_info
from legalstay.stats.caseload import caseload_statistics
from legalstay.stats.charts import (
    Chart,
    asylum_applications_chart,
    asylum_decisions_chart,
    caseload_status_chart,
    permits_held_chart,
)
from legalstay.stats.compare import Comparison, comparisons
from legalstay.stats.records import display_value
from legalstay.stats.suppression import suppress_small_cells

__all__ = ["FLAG_MEANINGS", "build_report"]

FLAG_MEANINGS = {
    "b": "break in time series (Eurostat)",
    "c": "confidential, withheld",
    "d": "definition differs, see metadata (Eurostat)",
    "e": "estimated (Eurostat)",
    "p": "provisional (Eurostat)",
    "u": "low reliability (Eurostat)",
    "z": "not applicable (Eurostat)",
    ":": "not available",
    "~": "about (published figure was rounded)",
    ">": "more than",
    ">=": "at least",
    "<N": "fewer than N persons (caseload cell withheld)",
}
_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:1rem 0}figcaption,.small{font-size:.8rem;color:#444}
svg{max-width:100%;height:auto}.defs{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.defs div{background:#f6f6f6;padding:.5rem .75rem;font-size:.85rem}
"""


def build_report(
    observations: pl.DataFrame,
    *,
    generated: dt.date,
    caseload: pl.DataFrame | None = None,
    suppression_threshold: int = 10,
    citizen: str = "BY",
    geo: str = "PL",
) -> str:
    """The HTML report for ``observations`` (tidy rows) and, if given, a per-person caseload."""
    sections = [
        _intro(generated, citizen, geo),
        _permits_section(observations, citizen, geo),
        _asylum_section(observations, citizen, geo),
        _caseload_section(caseload, suppression_threshold, generated, geo),
        _published_section(observations),
        _sources_section(observations),
    ]
    body = "\n".join(section for section in sections if section)
    title = f"legalstay statistics: {citizen} in {geo}"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


def _intro(generated: dt.date, citizen: str, geo: str) -> str:
    flags = ", ".join(f"<b>{escape(k)}</b> {escape(v)}" for k, v in FLAG_MEANINGS.items())
    return (
        f"<h1>Official statistics, published figures and the caseload: {escape(citizen)} "
        f"in {escape(geo)}</h1>\n<p>Generated {generated.isoformat()} by legalstay. Every "
        "chart names its source and retrieval date. Where two sources count the same thing, "
        "both are shown with what each counts; neither is preferred. Values carry their "
        f"flags: {flags}.</p>"
    )


def _permits_section(observations: pl.DataFrame, citizen: str, geo: str) -> str:
    found = [c for c in comparisons(observations, citizen, geo) if "permit" in c.spec.title]
    parts = [
        _figure(permits_held_chart(observations, citizen, geo)),
        *(_comparison(c) for c in found),
    ]
    return _section("Residence permits", parts)


def _asylum_section(observations: pl.DataFrame, citizen: str, geo: str) -> str:
    found = [
        c
        for code in dict.fromkeys((citizen, "UA", "RU"))
        for c in comparisons(observations, code, geo)
        if "permit" not in c.spec.title
    ]
    parts = [
        _figure(asylum_applications_chart(observations, geo=geo)),
        _figure(asylum_decisions_chart(observations, geo=geo)),
        *(_comparison(c) for c in found),
    ]
    return _section("International protection", parts)


def _caseload_section(
    caseload: pl.DataFrame | None, threshold: int, generated: dt.date, geo: str
) -> str:
    if caseload is None:
        return ""
    counts = caseload_statistics(caseload, geo=geo, retrieved=generated)
    shown = suppress_small_cells(counts, threshold)
    table = shown.filter(pl.col("dataset") == "caseload_stay_basis", pl.col("citizen") == "TOTAL")
    rows = table.sort("period", "legal_stay_basis").select(
        "period", "legal_stay_basis", display_value().alias("persons")
    )
    note = (
        f"<p class=small>Counts of 1 to {threshold - 1} persons are shown as "
        f"&lt;{threshold}; a further cell is withheld (c) wherever a total would reveal "
        "one.</p>"
    )
    return _section(
        "The caseload",
        [_figure(caseload_status_chart(shown)), note, _table(rows.columns, rows.iter_rows())],
    )


def _published_section(observations: pl.DataFrame) -> str:
    rows = observations.filter(pl.col("dataset") == "published_figures").sort(
        "measure", "citizen", "period"
    )
    if rows.height == 0:
        return ""
    shown = rows.select(
        "measure",
        "citizen",
        "period",
        display_value().alias("value"),
        pl.col("note").alias("what was counted"),
        "counted_by",
        pl.col("source").alias("outlet"),
    )
    intro = (
        "<p>As published, mostly Office for Foreigners (UdSC) figures reported by the "
        "press. Check them against migracje.gov.pl and Eurostat before quoting.</p>"
    )
    return _section("Published figures", [intro, _table(shown.columns, shown.iter_rows())])


def _sources_section(observations: pl.DataFrame) -> str:
    shipped = [
        (
            e.file,
            e.origin,
            e.licence,
            e.attribution,
            e.retrieved.isoformat() if e.retrieved else "not recorded",
        )
        for e in bundled_sources()
    ]
    used = observations.group_by("source").agg(pl.col("retrieved").max(), pl.len()).sort("source")
    used = used.filter(~pl.col("source").str.contains(";"))
    return _section(
        "Sources and licences",
        [
            _table(
                ("file shipped with legalstay", "origin", "licence", "attribution", "retrieved"),
                shipped,
            ),
            _table(("source in this report", "retrieved", "observations"), used.iter_rows()),
        ],
    )


def _comparison(comparison: Comparison) -> str:
    spec = comparison.spec
    definitions = (
        f"<div class=defs><div><b>{escape(spec.official_label)}</b>: "
        f"{escape(spec.official_definition)}</div><div><b>Published figures</b>: "
        f"{escape(dataset_info()['published_figures'].definition)} Each row says what "
        "was counted.</div></div>"
    )
    rows = [(*row[:4], _signed(row[4]), *row[5:]) for row in comparison.table.iter_rows()]
    heading = (
        f"<h3>{escape(spec.title)}: {escape(comparison.citizen)} in {escape(comparison.geo)}</h3>"
    )
    headers = (
        "official period",
        spec.official_label,
        "published period",
        "published",
        "published − official",
        "outlet",
        "what was counted",
    )
    return heading + definitions + _table(headers, rows)


def _signed(value: object) -> str | None:
    return f"{value:+,.0f}" if isinstance(value, float) else None


def _figure(chart: Chart | None) -> str:
    if chart is None:
        return ""
    return (
        f"<figure>{chart.svg}<figcaption>{escape(chart.title)}. Source: "
        f"{escape(chart.sources)}.</figcaption></figure>"
    )


def _section(title: str, parts: Iterable[str]) -> str:
    content = "\n".join(part for part in parts if part)
    return f"<section><h2>{escape(title)}</h2>\n{content}\n</section>" if content else ""


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(cell) for cell in row) + "</tr>\n" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>"


def _cell(cell: object) -> str:
    if cell is None:
        return "<td></td>"
    text = escape(str(cell))
    numeric = isinstance(cell, int | float) or (text[:1].isdigit() and " " not in text[:12])
    return f"<td class=n>{text}</td>" if numeric and len(text) < 14 else f"<td>{text}</td>"
