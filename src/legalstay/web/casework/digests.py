"""E-mail digests: each caseworker hears once about the alerts raised for their persons.

A digest names no one: it says what kind of alert, about which date, with a link to the
person's page (an opaque id), so a mailbox that leaks tells nobody who the persons are.
Persons with no caseworker but a team are reported to every member of the team.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from legalstay.web.casework import services
from legalstay.web.casework.models import Alert, AlertState

MAX_LINES = 100


@dataclass
class Digest:
    user: AbstractBaseUser
    alerts: list[Alert] = field(default_factory=list)


def pending_digests() -> list[Digest]:
    """Open alerts no digest has carried yet, grouped by the caseworker(s) to tell."""
    alerts = (
        Alert.objects.filter(state=AlertState.OPEN, emailed_at__isnull=True)
        .filter(
            Q(person__assignment__owner__isnull=False) | Q(person__assignment__team__isnull=False)
        )
        .select_related("person__assignment")
        .order_by("due", "raised_at", "pk")
    )
    # Keyed by user id; a team's alerts for persons with no caseworker under minus its id.
    by_user: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        assignment = alert.person.assignment
        if assignment.owner_id is not None:
            by_user[assignment.owner_id].append(alert)
        elif assignment.team_id is not None:
            by_user[-assignment.team_id].append(alert)
    return _resolve_recipients(by_user)


def _resolve_recipients(by_user: dict[int, list[Alert]]) -> list[Digest]:
    users_table = get_user_model()
    digests: dict[int, Digest] = {}
    owners = users_table.objects.filter(pk__in=[key for key in by_user if key > 0], is_active=True)
    for user in owners:
        digests[user.pk] = Digest(user, list(by_user[user.pk]))
    team_ids = [-key for key in by_user if key < 0]
    members = users_table.objects.filter(casework_teams__in=team_ids, is_active=True).values_list(
        "pk", "casework_teams"
    )
    users = {user.pk: user for user in users_table.objects.filter(pk__in={pk for pk, _ in members})}
    for user_pk, team_id in members:
        digest = digests.setdefault(user_pk, Digest(users[user_pk]))
        digest.alerts.extend(by_user[-team_id])
    return [digest for digest in digests.values() if getattr(digest.user, "email", "")]


def send_digests(base_url: str, language: str) -> tuple[int, int]:
    """Sends every pending digest; returns (e-mails sent, alerts carried)."""
    sent, carried = 0, set[int]()
    with translation.override(language):
        for digest in pending_digests():
            subject, body = compose(digest, base_url)
            send_mail(subject, body, None, [digest.user.email])  # type: ignore[attr-defined]
            sent += 1
            carried.update(alert.pk for alert in digest.alerts)
    services.do_mark_alerts_emailed(sorted(carried))
    return sent, len(carried)


def compose(digest: Digest, base_url: str) -> tuple[str, str]:
    count = len(digest.alerts)
    subject = ngettext(
        "legalstay: %(count)d new alert", "legalstay: %(count)d new alerts", count
    ) % {"count": count}
    lines = [
        (alert, base_url.rstrip("/") + reverse("casework:person", kwargs={"uid": alert.person.uid}))
        for alert in digest.alerts[:MAX_LINES]
    ]
    body = render_to_string(
        "casework/digest_email.txt",
        {
            "user": digest.user,
            "lines": lines,
            "more": max(count - MAX_LINES, 0),
            "alerts_url": base_url.rstrip("/") + reverse("casework:alerts"),
            "greeting": _("Hello %(name)s,") % {"name": digest.user.get_username()},
        },
    )
    return subject, body
