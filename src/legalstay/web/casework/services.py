"""Every casework write: stored statuses and their alerts, assignments, alert states.

A status is recomputed for a set of persons in one transaction (the registry's
``person_facts_changed`` signal calls :func:`do_recompute_persons` inside the writing
transaction); the scan writes many at once through the same :func:`plan_status`. Person rows
are locked (``SELECT … FOR UPDATE``, in id order) before their facts are read, so a scan batch
and a caseworker's change to the same person run one after the other and the later one writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

# The registry's bulk path (COPY on PostgreSQL) serves the scan's thousands of rows.
from legalstay.web.bulk import insert_rows
from legalstay.web.casework.assessment import (
    BASELINE,
    Derived,
    assess_dossier,
    reform_differences,
)
from legalstay.web.casework.conditions import (
    LeadDays,
    alert_conditions,
    default_lead_days,
    parse_key,
    stored_columns,
)
from legalstay.web.casework.models import (
    Alert,
    AlertState,
    Assignment,
    LeadTime,
    PersonStatus,
    Reassignment,
    Team,
)
from legalstay.web.casework.population import among
from legalstay.web.casework.procedures import procedure_deadlines, steps_of
from legalstay.web.registry.dossiers import dossier_for_person_id
from legalstay.web.registry.models import FamilyLink, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Actor = AbstractBaseUser | AnonymousUser | None

# Columns a scan compares with what it computes: when all are equal, nothing changed.
COMPARED = (
    "fingerprint",
    "conditions",
    "procedure_deadlines",
    "next_deadline_kind",
    "next_deadline_due",
    "overdue_deadline_kind",
    "overdue_deadline_due",
)


def lead_days_lookup() -> LeadDays:
    """Lead times per kind: the LeadTime rows, else the defaults."""
    configured = dict(LeadTime.objects.values_list("kind", "days"))

    def lead_days(kind: str) -> int:
        return configured.get(kind, default_lead_days(kind))

    return lead_days


def lock_persons(person_ids: Iterable[int]) -> list[int]:
    """Locks the persons' rows until the transaction ends; the ids that exist, in order.

    A range may lock a few persons of another batch too, for as long as this one runs."""
    wanted = set(person_ids)
    locked = (
        Person.objects.select_for_update()
        .filter(among("pk", wanted))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [pk for pk in locked if pk in wanted]


# ---------------------------------------------------------------- planning a status


@dataclass
class StatusPlan:
    """What to store for one person, and which alert conditions appeared or went."""

    person_id: int
    columns: dict[str, Any]
    raised: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)


def plan_status(
    previous: Mapping[str, Any] | None,
    derived: Derived,
    procedures: list[dict[str, Any]],
    lead_days: LeadDays,
) -> StatusPlan | None:
    """The status to store for ``derived``, or None when the stored one says the same.

    ``previous`` holds the stored values of :data:`COMPARED` (None: nothing stored yet).
    """
    as_of = derived.as_of
    conditions = alert_conditions(derived.baseline, procedures, as_of, lead_days)
    columns = {
        **stored_columns(derived.baseline, procedures, as_of),
        "fingerprint": derived.fingerprint,
        "conditions": conditions,
        "procedure_deadlines": procedures,
    }
    if previous is not None and all(previous[name] == columns[name] for name in COMPARED):
        return None
    before = set(previous["conditions"]) if previous is not None else set()
    columns.update(
        as_of=as_of,
        scenario=BASELINE,
        assessment=derived.baseline,
        reform_differences=reform_differences(derived.baseline, derived.reform),
    )
    return StatusPlan(
        derived.person_id,
        columns,
        raised=sorted(set(conditions) - before),
        resolved=sorted(before - set(conditions)),
    )


# ---------------------------------------------------------------- recomputing


@dataclass
class RecomputeResult:
    persons: int = 0
    changed: int = 0
    raised: int = 0
    resolved: int = 0


@transaction.atomic
def do_recompute_persons(
    person_ids: Iterable[int], *, as_of: dt.date | None = None
) -> RecomputeResult:
    """Recomputes the stored status of these persons and of their relatives (rules about a
    person read their parents' and children's facts), raising and resolving alerts."""
    as_of = as_of or timezone.localdate()
    wanted = set(person_ids)
    wanted |= set(
        FamilyLink.objects.filter(person_id__in=wanted).values_list("relative_id", flat=True)
    )
    locked = do_forget_unassessed(lock_persons(wanted), timezone.now())
    uids = dict(Person.objects.filter(pk__in=locked).values_list("pk", "uid"))
    previous = previous_statuses(locked)
    steps = steps_of(locked)
    lead_days = lead_days_lookup()
    now = timezone.now()
    result = RecomputeResult(persons=len(locked))
    for person_id in locked:
        derived = assess_dossier(dossier_for_person_id(str(uids[person_id])), person_id, as_of)
        procedures = procedure_deadlines(steps.get(person_id, []), as_of)
        plan = plan_status(previous.get(person_id), derived, procedures, lead_days)
        if plan is None:
            # Nothing a worklist reads changed; keep the fresh explanation all the same.
            _refresh_assessment(person_id, derived)
            continue
        _store(plan, now)
        raised, resolved = sync_alerts([plan], as_of, now)
        result.changed += 1
        result.raised += raised
        result.resolved += resolved
    return result


def do_forget_unassessed(person_ids: Sequence[int], now: dt.datetime) -> list[int]:
    """The persons of ``person_ids`` whose status is assessed, in order. A relative known only
    by who they are (``Person.episodes_recorded`` false) has no status of their own: their
    permits are unknown, so "irregular" would be a guess; any status stored for them is
    removed and their open alerts resolved."""
    unassessed = set(
        Person.objects.filter(among("pk", person_ids), episodes_recorded=False).values_list(
            "pk", flat=True
        )
    ) & set(person_ids)
    if unassessed:
        PersonStatus.objects.filter(person_id__in=unassessed).delete()
        Alert.objects.filter(person_id__in=unassessed).exclude(state=AlertState.RESOLVED).update(
            state=AlertState.RESOLVED, resolved_at=now
        )
    return [person_id for person_id in person_ids if person_id not in unassessed]


def previous_statuses(person_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The stored values of :data:`COMPARED` by person (perhaps of a few more persons)."""
    rows = PersonStatus.objects.filter(among("person", person_ids)).values("person_id", *COMPARED)
    return {row["person_id"]: row for row in rows}


def _refresh_assessment(person_id: int, derived: Derived) -> None:
    PersonStatus.objects.filter(person_id=person_id).update(
        as_of=derived.as_of,
        assessment=derived.baseline,
        reform_differences=reform_differences(derived.baseline, derived.reform),
    )


def _store(plan: StatusPlan, now: dt.datetime) -> None:
    PersonStatus.objects.update_or_create(
        person_id=plan.person_id, defaults={**plan.columns, "computed_at": now}
    )


def sync_alerts(plans: Sequence[StatusPlan], as_of: dt.date, now: dt.datetime) -> tuple[int, int]:
    """Raises an alert per condition that appeared; resolves those whose condition went.

    A condition that appears while its alert is still unresolved (the stored status was lost
    and rebuilt) raises nothing new."""
    raising = [plan for plan in plans if plan.raised]
    unresolved = set(
        Alert.objects.filter(person_id__in=[plan.person_id for plan in raising])
        .exclude(state=AlertState.RESOLVED)
        .values_list("person_id", "key")
        if raising
        else ()
    )
    new = [
        _alert_row(plan.person_id, condition, as_of, now)
        for plan in plans
        for condition in plan.raised
        if (plan.person_id, condition) not in unresolved
    ]
    gone = Q()
    for plan in plans:
        if plan.resolved:
            gone |= Q(person_id=plan.person_id, key__in=plan.resolved)
    resolved = 0
    if gone:
        resolved = (
            Alert.objects.filter(gone)
            .exclude(state=AlertState.RESOLVED)
            .update(state=AlertState.RESOLVED, resolved_at=now)
        )
    insert_rows(Alert, new)
    return len(new), resolved


def _alert_row(person_id: int, condition: str, as_of: dt.date, now: dt.datetime) -> dict[str, Any]:
    kind, subject, due = parse_key(condition)
    return {
        "person_id": person_id,
        "kind": kind,
        "key": condition,
        "subject": subject,
        "due": due,
        "state": AlertState.OPEN.value,
        "raised_on": as_of,
        "raised_at": now,
        "acknowledged_at": None,
        "acknowledged_by_id": None,
        "resolved_at": None,
        "emailed_at": None,
    }


# ---------------------------------------------------------------- alerts


def user_of(actor: Actor) -> User | None:
    """The account that acted, for a foreign key (None for the system or an anonymous user)."""
    user_model = get_user_model()
    return actor if isinstance(actor, user_model) else None


@transaction.atomic
def do_acknowledge_alert(*, actor: Actor, alert: Alert) -> Alert:
    if alert.state == AlertState.OPEN:
        alert.state = AlertState.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = user_of(actor)
        alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
    return alert


@transaction.atomic
def do_resolve_alert(*, actor: Actor, alert: Alert) -> Alert:
    """Closes an alert by hand; its condition raises no new one until it has been false."""
    if alert.state != AlertState.RESOLVED:
        alert.state = AlertState.RESOLVED
        alert.resolved_at = timezone.now()
        alert.save(update_fields=["state", "resolved_at"])
    return alert


@transaction.atomic
def do_mark_alerts_emailed(alert_ids: Sequence[int]) -> None:
    Alert.objects.filter(pk__in=alert_ids).update(emailed_at=timezone.now())


# ---------------------------------------------------------------- assignment


@transaction.atomic
def do_assign(*, actor: Actor, person: Person, owner: User | None, team: Team | None) -> bool:
    """Makes ``owner`` (and ``team``) responsible for the person and records the change;
    returns whether anything changed. The same caseworker and team again write nothing: no
    row, no new ``since``, no reassignment in the history."""
    # The person's row, locked, orders two caseworkers assigning the same person at once
    # (there may be no assignment row yet to lock).
    lock_persons([person.pk])
    assignment = Assignment.objects.filter(person=person).first()
    before = (assignment.owner_id, assignment.team_id) if assignment else (None, None)
    after = (owner.pk if owner else None, team.pk if team else None)
    if before == after:
        return False
    now = timezone.now()
    if assignment is None:
        Assignment.objects.create(person=person, owner=owner, team=team, since=now)
    else:
        assignment.owner_id, assignment.team_id = after
        assignment.since = now
        assignment.save(update_fields=["owner", "team", "since"])
    Reassignment.objects.create(
        person=person,
        at=now,
        by=user_of(actor),
        from_owner_id=before[0],
        to_owner_id=after[0],
        from_team_id=before[1],
        to_team_id=after[1],
    )
    return True


def do_store_explanation(derived: Derived) -> None:
    """Keeps an explained assessment with the stored status, if the status still says the
    same (same fingerprint): a cache fill, so it may run while serving a page."""
    PersonStatus.objects.filter(
        person_id=derived.person_id, fingerprint=derived.fingerprint
    ).update(
        assessment=derived.baseline,
        reform_differences=reform_differences(derived.baseline, derived.reform),
    )
