"""Worklists: named filters over stored statuses, each a plain indexed query.

A worklist never asks the engine: it reads ``PersonStatus`` columns that the last change or
scan stored. Dates are compared with today's date (given), so a deadline that passed since the
last scan shows as overdue at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["SCOPES", "SORTS", "WORKLISTS", "Worklist"]


@dataclass(frozen=True)
class Worklist:
    slug: str
    label: Promise
    description: Promise
    where: Callable[[dt.date], Q]
    sort: str  # the default sort, a key of SORTS


def _due_within(days: int) -> Callable[[dt.date], Q]:
    def where(today: dt.date) -> Q:
        return Q(next_deadline_due__gte=today, next_deadline_due__lte=today + dt.timedelta(days))

    return where


def _overdue(today: dt.date) -> Q:
    return Q(overdue_deadline_due__isnull=False) | Q(next_deadline_due__lt=today)


WORKLISTS = {
    item.slug: item
    for item in (
        Worklist(
            "due-7",
            _("Due within 7 days"),
            _("The person's next deadline falls within a week."),
            _due_within(7),
            "deadline",
        ),
        Worklist(
            "due-30",
            _("Due within 30 days"),
            _("The person's next deadline falls within 30 days."),
            _due_within(30),
            "deadline",
        ),
        Worklist(
            "due-90",
            _("Due within 90 days"),
            _("The person's next deadline falls within 90 days."),
            _due_within(90),
            "deadline",
        ),
        Worklist(
            "overdue",
            _("Overdue"),
            _("A deadline of the person has passed and still applies."),
            _overdue,
            "overdue",
        ),
        Worklist(
            "irregular",
            _("Irregular stay"),
            _("No title, timely application or pending protection case covers today."),
            lambda today: Q(irregular_stay=True),
            "name",
        ),
        Worklist(
            "no-travel-document",
            _("No valid travel document"),
            _("No passport or Polish travel document recognised for travel is valid."),
            lambda today: Q(no_valid_travel_document=True),
            "name",
        ),
        Worklist(
            "children-without-id",
            _("Children without an identity document"),
            _("A minor holds no valid identity document."),
            lambda today: Q(child_without_identity_document=True),
            "name",
        ),
        Worklist(
            "authority-late",
            _("Authority late"),
            _("The statutory time for the authority's decision has passed."),
            lambda today: Q(authority_late=True),
            "authority",
        ),
    )
}

# Sort keys: label and ORDER BY (the primary key last, so pages never overlap).
SORTS: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "deadline": (_("next deadline"), ("next_deadline_due", "person__surname_latin", "person_id")),
    "overdue": (_("overdue since"), ("overdue_deadline_due", "next_deadline_due", "person_id")),
    "name": (_("name"), ("person__surname_latin", "person__given_names_latin", "person_id")),
    "stay": (_("legal stay until"), ("legal_stay_until", "person_id")),
    "travel": (_("travel document until"), ("travel_document_until", "person_id")),
    "authority": (_("authority late since"), ("authority_decision_due", "person_id")),
}

SCOPES: dict[str, Promise] = {
    "mine": _("mine"),
    "team": _("my teams'"),
    "all": _("everyone's"),
}
