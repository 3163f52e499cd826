"""Worklists: named filters over stored statuses, each a plain indexed query.

A worklist never asks the engine: it reads ``PersonStatus`` columns that the last change or
scan stored. Dates are compared with today's date (given), so a deadline that passed since the
last scan shows as overdue at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from legalstay.web.casework import labels
from legalstay.web.casework.explanations import day, days_from

__all__ = ["SCOPES", "SORTS", "WORKLISTS", "Row", "Worklist", "display_row"]


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
            _(
                "The statutory time for the authority's decision has passed, or has passed "
                "if the suspension of deadlines ended on 4 Mar 2026 (not verified): the "
                "person's page says which."
            ),
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


@dataclass
class Row:
    """One worklist row in words, worked out in Python: a page of 50 rows rendered through
    template tags took three times as long."""

    url: str
    name: str
    born: str
    irregular: bool
    stay: str
    stay_until: str
    travel_valid: bool | None  # None: the engine cannot tell
    travel: str
    travel_until: str
    overdue: str
    deadline: str
    deadline_due: str
    deadline_when: str
    authority_due: str
    flags: list[str] = field(default_factory=list)
    owner: str = "—"
    team: str = ""


def display_row(row: dict[str, Any], today: dt.date, *, authority: bool) -> Row:
    return Row(
        url=_person_url().replace(str(uuid.UUID(int=0)), str(row["person__uid"])),
        name=f"{row['person__surname_latin']} {row['person__given_names_latin']}",
        born=row["person__birth_date"].isoformat() if row["person__birth_date"] else "",
        irregular=row["legal_stay_status"] == "irregular",
        stay=labels.label(labels.BASES, row["legal_stay_basis"]),
        stay_until=_until(row["legal_stay_until"]),
        travel_valid=row["travel_document_valid"],
        travel=labels.label(labels.DOCUMENTS, row["travel_document_kind"]),
        travel_until=_until(row["travel_document_until"]),
        **_deadlines(row, today, authority=authority),
        flags=[labels.label(labels.FLAGS, name) for name in row["flags"] if name != IRREGULAR],
        owner=row["person__assignment__owner__username"] or "—",
        team=row["person__assignment__team__name"] or "",
    )


IRREGULAR = "irregular_stay"  # shown as the stay itself, not again as a flag


@cache
def _person_url() -> str:
    # reverse() once, not once a row.
    return reverse("casework:person", kwargs={"uid": uuid.UUID(int=0)})


def _until(date: dt.date | None) -> str:
    return gettext("until %(date)s") % {"date": day(date)} if date else ""


def _deadlines(row: dict[str, Any], today: dt.date, *, authority: bool) -> dict[str, str]:
    due, overdue, decision = (
        row["next_deadline_due"],
        row["overdue_deadline_due"],
        row["authority_decision_due"],
    )
    passed = labels.label(labels.DEADLINES, row["overdue_deadline_kind"])
    return {
        "overdue": f"{passed} · {day(overdue)}" if overdue else "",
        "deadline": labels.label(labels.DEADLINES, row["next_deadline_kind"]) if due else "",
        "deadline_due": day(due) if due else "",
        "deadline_when": days_from(due, today),
        "authority_due": gettext("decision was due %(date)s") % {"date": day(decision)}
        if authority and decision
        else "",
    }
