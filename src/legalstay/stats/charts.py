"""Charts as SVG text, each naming its sources and their retrieval dates inside the picture.

Figures are built with ``matplotlib.figure.Figure`` and rendered by the Agg-family SVG
backend without pyplot, so nothing global is touched and a web worker can call these too.
Text stays text in the SVG (``svg.fonttype: none``) and ids are salted with a constant, so
the same data give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not when stats is imported
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

import numpy as np
import polars as pl

from legalstay.stats.series import (
    UNHCR_OUTCOMES,
    asylum_decisions,
    new_asylum_applications,
    permits_held,
    published_series,
)

__all__ = [
    "Chart",
    "asylum_applications_chart",
    "asylum_decisions_chart",
    "caseload_status_chart",
    "permits_held_chart",
]

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
COUNTRY_NAMES = {"BY": "Belarusians", "UA": "Ukrainians", "RU": "Russians"}
OUTCOME_LABELS = {
    "recognized": "refugee status",
    "other": "complementary protection",
    "rejected": "rejected",
    "closed": "closed without decision",
}
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its title, the SVG element, and the source line printed under it."""

    title: str
    svg: str
    sources: str


def permits_held_chart(
    observations: pl.DataFrame, citizen: str = "BY", geo: str = "PL"
) -> Chart | None:
    """Eurostat's 31-December stock next to published Office for Foreigners figures."""
    eurostat = permits_held(observations, citizen, geo)
    published = published_series(observations, "residence_permit_holders", citizen, geo)
    if eurostat.height == 0 and published.height == 0:
        return None
    figure, axes = _figure()
    axes.plot(
        _days([dt.date(int(p), 12, 31) for p in eurostat["period"]]),
        eurostat["value"],
        marker="o",
        color=PALETTE[0],
        label="Eurostat migr_resvalid: valid permits, 31 Dec",
    )
    dates = _days([_period_date(p) for p in published["period"]])
    axes.scatter(
        dates,
        published["value"],
        marker="D",
        color=PALETTE[5],
        zorder=3,
        label="Office for Foreigners (UdSC) figures as published; > = 'more than'",
    )
    for date, value, flag in zip(dates, published["value"], published["flag"], strict=True):
        if flag in (">", ">="):
            axes.annotate(flag, (date, value), textcoords="offset points", xytext=(4, 4))
    title = f"Residence permits held by {_people(citizen)} in {geo}"
    return _finished(figure, axes, title, _sources(eurostat, published))


def asylum_applications_chart(
    observations: pl.DataFrame, citizens: Sequence[str] = ("BY", "UA", "RU"), geo: str = "PL"
) -> Chart | None:
    """UNHCR new asylum applications (first instance, persons) by citizenship, per year."""
    series = {c: new_asylum_applications(observations, c, geo) for c in citizens}
    if all(frame.height == 0 for frame in series.values()):
        return None
    figure, axes = _figure()
    for colour, (citizen, frame) in zip(PALETTE, series.items(), strict=False):
        axes.plot(
            [int(p) for p in frame["period"]],
            frame["value"],
            marker="o",
            color=colour,
            label=_people(citizen),
        )
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    title = f"New asylum applications in {geo} by citizenship (UNHCR)"
    return _finished(figure, axes, title, _sources(*series.values()))


def asylum_decisions_chart(
    observations: pl.DataFrame, citizens: Sequence[str] = ("BY", "UA", "RU"), geo: str = "PL"
) -> Chart | None:
    """UNHCR first-instance decisions by outcome, one panel a citizenship, stacked per year."""
    series = {c: asylum_decisions(observations, c, geo) for c in citizens}
    if all(frame.height == 0 for frame in series.values()):
        return None
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.2 * len(citizens)), layout="constrained")
    panels = figure.subplots(len(citizens), 1, sharex=True, squeeze=False)[:, 0]
    for axes, (citizen, frame) in zip(panels, series.items(), strict=True):
        _stacked(axes, frame, "decision", UNHCR_OUTCOMES, OUTCOME_LABELS)
        axes.set_title(_people(citizen), loc="left", fontsize=9)
    title = f"First-instance asylum decisions in {geo} by outcome (UNHCR)"
    return _finished(figure, panels[0], title, _sources(*series.values()))


def caseload_status_chart(caseload: pl.DataFrame) -> Chart | None:
    """The caseload's legal-stay bases by month (all citizenships; withheld cells not drawn)."""
    rows = caseload.filter(
        pl.col("dataset") == "caseload_stay_basis",
        pl.col("citizen") == "TOTAL",
        pl.col("legal_stay_basis") != "TOTAL",
    )
    if rows.height == 0:
        return None
    figure, axes = _figure()
    bases = sorted(rows["legal_stay_basis"].unique().to_list())
    _stacked(axes, rows, "legal_stay_basis", bases, {b: b.replace("_", " ") for b in bases})
    withheld = rows.filter(pl.col("value").is_null()).height
    note = f"; {withheld} small cells withheld" if withheld else ""
    return _finished(figure, axes, "The caseload by basis of legal stay", _sources(rows) + note)


def _figure() -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4.2), layout="constrained")
    return figure, figure.subplots()


def _stacked(
    axes: Axes, frame: pl.DataFrame, column: str, codes: Sequence[str], labels: dict[str, str]
) -> None:
    periods = sorted(frame["period"].unique().to_list())
    bottom = [0.0] * len(periods)
    for colour, code in zip(PALETTE, codes, strict=False):
        values = dict(frame.filter(pl.col(column) == code).select("period", "value").iter_rows())
        heights = [float(values.get(p) or 0.0) for p in periods]
        axes.bar(periods, heights, bottom=bottom, color=colour, label=labels.get(code, code))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.tick_params(axis="x", labelrotation=45 if len(periods) > 12 else 0)


def _finished(figure: Figure, axes: Axes, title: str, sources: str) -> Chart:
    from matplotlib.ticker import FuncFormatter

    for each in figure.axes:
        each.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        each.grid(axis="y", alpha=0.3)
    axes.legend(loc="best", fontsize=8, framealpha=0.8)
    figure.suptitle(title, x=0.01, ha="left", fontsize=11)
    figure.supxlabel(f"Source: {sources}", x=0.01, ha="left", fontsize=7, wrap=True)
    return Chart(title, _svg(figure), sources)


def _svg(figure: Figure) -> str:
    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "legalstay"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _sources(*frames: pl.DataFrame) -> str:
    pairs = {(s, r) for frame in frames for s, r in frame.select("source", "retrieved").iter_rows()}
    named = {s for s, _ in pairs if s and ";" not in s}
    lines = [f"{s}, retrieved {_latest(pairs, s)}" for s in sorted(named)]
    if any(s and ";" in s for s, _ in pairs):
        lines.append("published figures: outlets listed in the table below")
    return "; ".join(lines)


def _latest(pairs: set[tuple[str, dt.date | None]], source: str) -> str:
    dates = [r for s, r in pairs if s == source and r is not None]
    return max(dates).isoformat() if dates else "date not recorded"


def _period_date(period: str) -> dt.date:
    match = _DATE.match(period)
    if not match:
        raise ValueError(f"{period!r} does not start with a date")
    year, month, day = match.groups()
    return dt.date(int(year), int(month or 7), int(day or 15 if month else 1))


def _days(dates: Sequence[dt.date]) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    # matplotlib draws datetime64 arrays on a date axis; lists of dates do not type-check.
    return np.array(dates, dtype="datetime64[D]")


def _people(citizen: str) -> str:
    return COUNTRY_NAMES.get(citizen, f"citizens of {citizen}")
