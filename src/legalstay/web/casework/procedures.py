"""Dates a procedure's steps set for the person, which the rulebook does not (yet) derive.

* A summons to complete documents gives a period in days, counted from its delivery: the
  last day is computed with the engine's KPA art. 57 arithmetic (``period_end``, holidays and
  Saturdays), never typed. It stops applying once the application is recorded complete on or
  after the delivery, or a decision is issued.
* A fingerprint appointment is a date to attend, shown while it is ahead.

The period itself is the one printed in the summons, stored with the event (``extra`` key
``period_days``); the dossier carries it in ``applications[].events``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from legalstay.engine.calendars import DateOutsideCalendarError
from legalstay.engine.periods import add_days, default_calendar, period_end
from legalstay.web.casework.population import among
from legalstay.web.registry.models import ApplicationEvent, EventKind

__all__ = ["COMPLETE_DOCUMENTS", "FINGERPRINTS", "Step", "procedure_deadlines", "steps_of"]

COMPLETE_DOCUMENTS = "complete_documents"
FINGERPRINTS = "fingerprint_appointment"
SUMMONS_REFERENCE = "KPA art. 57 § 1 and § 4: the period set in the summons (UoC art. 112a ust. 2)"
PERIOD_DAYS = "period_days"


@dataclass(frozen=True)
class Step:
    """A summons or appointment, with what its application says happened after."""

    kind: str
    date: dt.date | None
    period_days: int | None
    completed_on: dt.date | None
    decided_on: dt.date | None


def _summons_due(served: dt.date, days: int) -> dt.date:
    """KPA art. 57 § 1 and § 4; a date the holiday calendar does not cover (a typing slip in
    the year) gets the period's plain last day rather than an error on the person page."""
    try:
        return period_end(served, days, "day", default_calendar())
    except DateOutsideCalendarError:
        return add_days(served, days)


def procedure_deadlines(steps: Iterable[Step], as_of: dt.date) -> list[dict[str, Any]]:
    found = []
    for step in steps:
        if step.date is None:
            continue
        if step.kind == EventKind.SUMMONS and step.period_days is not None and _open(step):
            due = _summons_due(step.date, step.period_days)
            found.append(
                {
                    "kind": COMPLETE_DOCUMENTS,
                    "due": due.isoformat(),
                    "reference": SUMMONS_REFERENCE,
                    "from": step.date.isoformat(),
                    "period_days": step.period_days,
                }
            )
        elif step.kind == EventKind.FINGERPRINTS and step.date >= as_of and step.decided_on is None:
            found.append({"kind": FINGERPRINTS, "due": step.date.isoformat(), "reference": ""})
    return sorted(found, key=lambda item: (item["due"], item["kind"]))


def _open(step: Step) -> bool:
    assert step.date is not None
    answered = step.completed_on is not None and step.completed_on >= step.date
    decided = step.decided_on is not None and step.decided_on >= step.date
    return not (answered or decided)


def period_of(extra: Any) -> int | None:
    value = extra.get(PERIOD_DAYS) if isinstance(extra, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def steps_of(person_ids: Sequence[int]) -> dict[int, list[Step]]:
    """Each person's summonses and appointments, in two queries."""
    events = ApplicationEvent.objects.filter(among("application__person", person_ids))
    decided: dict[int, dt.date] = {}
    for application_id, day in events.filter(kind=EventKind.DECISION_ISSUED).values_list(
        "application_id", "date"
    ):
        if day is not None:
            decided[application_id] = max(day, decided.get(application_id, day))
    rows = events.filter(kind__in=[EventKind.SUMMONS, EventKind.FINGERPRINTS]).values_list(
        "application__person_id",
        "application_id",
        "kind",
        "date",
        "extra",
        "application__completed_on",
    )
    found: dict[int, list[Step]] = defaultdict(list)
    for person_id, application_id, kind, day, extra, completed_on in rows:
        found[person_id].append(
            Step(kind, day, period_of(extra), completed_on, decided.get(application_id))
        )
    return found
