"""Template filters that put words on the engine's codes (see ``casework.labels``)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from legalstay.web.casework import labels
from legalstay.web.casework.citations import cited
from legalstay.web.casework.conditions import parse_key
from legalstay.web.casework.explanations import day as format_day
from legalstay.web.casework.explanations import days_from
from legalstay.web.casework.models import Alert, AlertKind

register = template.Library()


@register.filter(name="cited")
def cited_filter(reference: str) -> str:
    """A rulebook citation in the page's language, where a translation is kept."""
    return cited(reference)


@register.filter
def basis(code: str) -> str:
    return labels.label(labels.BASES, code)


@register.filter
def stay_status(code: str) -> str:
    return labels.label(labels.STAY_STATUSES, code)


@register.filter
def document(code: str) -> str:
    return labels.label(labels.DOCUMENTS, code)


@register.filter
def deadline(code: str) -> str:
    return labels.label(labels.DEADLINES, code)


@register.filter
def flag(code: str) -> str:
    return labels.label(labels.FLAGS, code)


@register.filter
def work(code: str) -> str:
    return labels.label(labels.WORK, code)


@register.filter
def day(value: dt.date | str | None) -> str:
    return format_day(value)


@register.filter
def days_left(due: dt.date | None, today: dt.date) -> str:
    return days_from(due, today)


@register.filter
def alert_text(alert: Alert) -> str:
    """The alert in a sentence."""
    kind, subject, due = parse_key(alert.key)
    when = format_day(due)
    if kind == AlertKind.STAY_ENDING:
        return _("Legal stay on %(basis)s ends on %(date)s: a new application is due by then.") % {
            "basis": labels.label(labels.BASES, subject),
            "date": when,
        }
    if kind == AlertKind.DOCUMENT_EXPIRING:
        return _("%(document)s expires on %(date)s.") % {
            "document": labels.label(labels.DOCUMENTS, subject),
            "date": when,
        }
    if kind == AlertKind.DEADLINE_NEAR:
        return _("Deadline on %(date)s: %(deadline)s.") % {
            "date": when,
            "deadline": labels.label(labels.DEADLINES, subject),
        }
    if kind == AlertKind.IRREGULAR:
        return _("The stay has become irregular.")
    return _("New flag: %(flag)s.") % {"flag": labels.label(labels.FLAGS, subject)}


@register.filter
def add_days(value: dt.date, days: int) -> dt.date:
    return value + dt.timedelta(days=int(days))
