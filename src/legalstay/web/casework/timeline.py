"""A person's life in Poland as a picture: legal stay (and its gaps), titles, applications,
documents and stays abroad on one time axis, drawn server-side as SVG.

:func:`legal_stay_periods` asks the engine when the basis of legal stay changes (the explain
back-end's ``next_change``), so the gaps are the law's, not a drawing's guess. Everything
drawn is also said in words (``Timeline.sentences``) for screen readers and small screens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _

from legalstay.engine.explain import HORIZON_YEARS, next_change
from legalstay.engine.interpreter import Facts
from legalstay.engine.periods import add_period
from legalstay.rulebook import load_rulebook
from legalstay.web.casework import labels
from legalstay.web.casework.explanations import day
from legalstay.web.registry.models import Application, Document, Person, StayAbroad, Title

WIDTH = 1000
LEFT = 150  # room for the lane names
RIGHT = 12
TOP = 26  # room for the years
LANE = 30
BAR = 18
MAX_PERIODS = 40
MAX_YEARS_BACK = 12


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date | None  # None: open beyond the picture
    basis: str
    legal: bool


def legal_stay_periods(facts: Facts, start: dt.date, end: dt.date) -> list[Period]:
    """The bases of legal stay from ``start`` to ``end``, as the engine sees the recorded
    facts: one evaluation per change. The first starts ``HORIZON_YEARS`` before ``end`` at
    the earliest: ``next_change`` looks that far ahead, and from further back it found no
    change before ``end`` (a stay on permits renewed since 1985 was drawn as never ending).
    The picture goes back less far (``MAX_YEARS_BACK``)."""
    rulebook = load_rulebook()
    periods: list[Period] = []
    current: dt.date | None = max(start, add_period(end, -HORIZON_YEARS, "year"))
    while current is not None and current <= end and len(periods) < MAX_PERIODS:
        evaluation = rulebook.evaluation(facts, current)
        basis = evaluation.value("legal_stay.basis")
        following = next_change(evaluation, "legal_stay.basis")
        last = following - dt.timedelta(days=1) if following else None
        periods.append(Period(current, last, str(basis), basis != "none"))
        current = following
    return periods


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    y: float
    css: str
    title: str
    open_end: bool = False


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    title: str


@dataclass
class Timeline:
    start: dt.date
    end: dt.date
    height: float = 0
    lanes: list[tuple[float, str, float]] = field(default_factory=list)  # top, name, height
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    years: list[tuple[float, int]] = field(default_factory=list)
    today_x: float = 0
    sentences: list[str] = field(default_factory=list)
    width: int = WIDTH

    def x(self, date: dt.date) -> float:
        date = min(max(date, self.start), self.end)
        span = max((self.end - self.start).days, 1)
        return round(LEFT + (date - self.start).days / span * (WIDTH - LEFT - RIGHT), 1)

    def bar(self, lane_y: float, start: dt.date, end: dt.date | None, css: str, title: str) -> None:
        left = self.x(start)
        right = self.x(end) if end else self.x(self.end)
        self.bars.append(
            Bar(left, max(right - left, 2), lane_y + (LANE - BAR) / 2, css, title, end is None)
        )
        self.sentences.append(title)


def picture_span(
    person: Person, periods: Sequence[Period], today: dt.date
) -> tuple[dt.date, dt.date]:
    starts = [period.start for period in periods] + [
        day_
        for day_ in (
            person.arrived_on,
            *(t.valid_from for t in person.titles.all()),
            *(a.filed for a in person.applications.all()),
            *(d.issued for d in person.documents.all()),
        )
        if day_
    ]
    # Years counted as the law counts them: 29 Feb less a year is 28 Feb, not an error.
    earliest = add_period(today, -MAX_YEARS_BACK, "year")
    start = max(min([*starts, add_period(today, -1, "year")]), earliest)
    return start.replace(month=1, day=1), today.replace(year=today.year + 2, month=1, day=1)


def build_timeline(
    person: Person,
    periods: Sequence[Period],
    today: dt.date,
    derived_expiry: Mapping[int, dt.date] | None = None,
) -> Timeline:
    """``derived_expiry``: by document pk, the expiry the rules derive for a document recorded
    without one (a PDPdC: a year from issue, UoC art. 253 ust. 2)."""
    start, end = picture_span(person, periods, today)
    timeline = Timeline(start, end)
    y = TOP
    documents = partial(_draw_documents, derived_expiry=derived_expiry or {})
    for name, draw in (
        (_("Legal stay"), _draw_stay),
        (_("Titles"), _draw_titles),
        (_("Applications"), _draw_applications),
        (_("Documents"), documents),
        (_("Stays abroad"), _draw_stays),
    ):
        rows = max(draw(timeline, y, person, periods), 1)
        timeline.lanes.append((y, name, LANE * rows))
        y += LANE * rows
    timeline.height = y + 4
    timeline.today_x = timeline.x(today)
    # A year label needs about 30 units; the last one would be cut at the right edge.
    timeline.years = [
        (timeline.x(dt.date(year, 1, 1)), year)
        for year in range(start.year, end.year + 1)
        if timeline.x(dt.date(year, 1, 1)) < WIDTH - 30
    ]
    return timeline


def _draw_stay(timeline: Timeline, y: float, person: Person, periods: Sequence[Period]) -> int:
    for period in periods:
        basis = labels.label(labels.BASES, period.basis)
        if period.legal:
            title = _("Legal stay (%(basis)s) from %(start)s to %(end)s") % {
                "basis": basis,
                "start": day(period.start),
                "end": day(period.end) if period.end else "…",
            }
            css = "pending" if period.basis.startswith("pending") else "legal"
        else:
            title = _("Gap in legal stay from %(start)s to %(end)s") % {
                "start": day(period.start),
                "end": day(period.end) if period.end else "…",
            }
            css = "gap"
        timeline.bar(y, period.start, period.end, css, title)
    return 1


def _draw_titles(timeline: Timeline, y: float, person: Person, periods: Sequence[Period]) -> int:
    titles: Iterable[Title] = person.titles.all()
    for title in titles:
        words = {"title": title.get_kind_display(), "start": day(title.valid_from)}
        if title.valid_to:
            text = _("%(title)s from %(start)s to %(end)s") % {**words, "end": day(title.valid_to)}
        else:
            text = _("%(title)s from %(start)s, with no end") % words
        timeline.bar(y, title.valid_from, title.valid_to, "title", text)
    return 1


def _draw_applications(
    timeline: Timeline, y: float, person: Person, periods: Sequence[Period]
) -> int:
    applications: list[Application] = list(person.applications.all())
    rows = _rows([(a.filed, _application_end(a)) for a in applications])
    for application, row in zip(applications, rows, strict=True):
        lane_y = y + row * LANE
        end = _application_end(application)
        text = _("Application for %(kind)s filed on %(filed)s") % {
            "kind": application.get_kind_display(),
            "filed": day(application.filed),
        }
        timeline.bar(lane_y, application.filed, end, _outcome_css(application), text)
        for event in application.events.all():
            if event.date:
                what = event.get_kind_display()
                if event.outcome:
                    what = f"{what}: {event.get_outcome_display()}"
                timeline.ticks.append(
                    Tick(timeline.x(event.date), lane_y + LANE / 2, f"{day(event.date)}: {what}")
                )
                timeline.sentences.append(f"{day(event.date)}: {what}")
    return max(rows, default=0) + 1


def _application_end(application: Application) -> dt.date | None:
    final = [e.date for e in application.events.all() if e.kind == "final" and e.date]
    decided = [e.date for e in application.events.all() if e.kind == "decision_issued" and e.date]
    ends = final or decided
    return ends[-1] if ends else None


def _outcome_css(application: Application) -> str:
    outcomes = [e.outcome for e in application.events.all() if e.kind == "decision_issued"]
    return {"granted": "granted", "refused": "refused", "discontinued": "refused"}.get(
        outcomes[-1] if outcomes else "", "application"
    )


def _draw_documents(
    timeline: Timeline,
    y: float,
    person: Person,
    periods: Sequence[Period],
    derived_expiry: Mapping[int, dt.date],
) -> int:
    documents: list[Document] = [d for d in person.documents.all() if d.issued or d.expires]
    spans = [(d.issued or timeline.start, d.expires or derived_expiry.get(d.pk)) for d in documents]
    rows = _rows(spans)
    for document, (start, end), row in zip(documents, spans, rows, strict=True):
        words = {"document": document.get_kind_display(), "start": day(document.issued)}
        if document.expires:
            text = _("%(document)s valid from %(start)s to %(end)s") % {**words, "end": day(end)}
        elif end:
            text = _(
                "%(document)s valid from %(start)s to %(end)s (worked out: no expiry recorded)"
            ) % {**words, "end": day(end)}
        else:
            text = _("%(document)s from %(start)s, expiry not recorded") % words
        css = "document" if document.status == "valid" else "document void"
        timeline.bar(y + row * LANE, start, end, css, text)
    return max(rows, default=0) + 1


def _draw_stays(timeline: Timeline, y: float, person: Person, periods: Sequence[Period]) -> int:
    stays: Iterable[StayAbroad] = person.stays_abroad.all()
    for stay in stays:
        text = _("Abroad from %(start)s to %(end)s") % {
            "start": day(stay.left),
            "end": day(stay.returned) if stay.returned else "…",
        }
        timeline.bar(y, stay.left, stay.returned, "abroad", text)
    return 1


def _rows(spans: Sequence[tuple[dt.date, dt.date | None]]) -> list[int]:
    """A row for each span so that spans in one row do not overlap (greedy, in input order)."""
    ends: list[dt.date] = []
    rows = []
    for start, end in spans:
        row = next((i for i, last in enumerate(ends) if last < start), len(ends))
        stop = end or dt.date.max
        if row == len(ends):
            ends.append(stop)
        else:
            ends[row] = stop
        rows.append(row)
    return rows
