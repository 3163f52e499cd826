"""Registry rows as the engine's population tables, a batch of households at a time.

The scan evaluates persons with ``Rulebook.assess_population`` (Polars, tens of thousands of
persons a second) instead of one dossier at a time. The tables say what
``person_to_dossier`` → ``dossier_facts`` would say about the same rows (blank text is
unknown, a decision is read from the application's events as the dossier reads it), and a
test keeps the two equal. Households — everyone linked through family links — are never split
across batches, because rules about a child read the parents' facts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl

from legalstay.engine.population import PERSON_FACTS, TABLE_SCHEMAS
from legalstay.web.registry.dossiers import decision_of
from legalstay.web.registry.models import (
    Application,
    ApplicationEvent,
    Document,
    FamilyLink,
    Person,
    StayAbroad,
    Title,
)

__all__ = ["household_batches", "population_tables"]


def household_batches(batch_size: int) -> Iterator[list[int]]:
    """Person ids in batches of about ``batch_size``, households whole, in id order."""
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    root = _households(person_ids, FamilyLink.objects.values_list("person_id", "relative_id"))
    members: dict[int, list[int]] = defaultdict(list)
    for person_id in person_ids:
        members[root[person_id]].append(person_id)
    batch: list[int] = []
    for household in members.values():
        batch.extend(household)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _households(person_ids: Sequence[int], links: Any) -> dict[int, int]:
    """Union-find over family links: each person's household representative."""
    parent = {person_id: person_id for person_id in person_ids}

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for person_id, relative_id in links.iterator(chunk_size=20_000):
        a, b = find(person_id), find(relative_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {person_id: find(person_id) for person_id in person_ids}


def population_tables(person_ids: Sequence[int]) -> dict[str, pl.DataFrame]:
    """The engine's tables for these persons (their relatives should be among them)."""
    return {
        "persons": _persons(person_ids),
        "family": _frame(
            "family",
            FamilyLink.objects.filter(person_id__in=person_ids).values_list(
                "person_id", "relation", "relative_id"
            ),
        ),
        "documents": _frame(
            "documents",
            (
                (owner, kind, issuer or None, issued, expires, status)
                for owner, kind, issuer, issued, expires, status in Document.objects.filter(
                    person_id__in=person_ids
                ).values_list("person_id", "kind", "issuer", "issued", "expires", "status")
            ),
        ),
        "titles": _frame(
            "titles",
            (
                (owner, kind, ground or None, start, end)
                for owner, kind, ground, start, end in Title.objects.filter(
                    person_id__in=person_ids
                ).values_list("person_id", "kind", "ground", "valid_from", "valid_to")
            ),
        ),
        "applications": _applications(person_ids),
        "stays_abroad": _frame(
            "stays_abroad",
            StayAbroad.objects.filter(person_id__in=person_ids).values_list(
                "person_id", "left", "returned"
            ),
        ),
    }


def _frame(table: str, rows: Any) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=TABLE_SCHEMAS[table], orient="row")


def _persons(person_ids: Sequence[int]) -> pl.DataFrame:
    rows = Person.objects.filter(pk__in=person_ids).values_list(
        "pk", "birth_date", "sex", "citizenships", "birth_country", "facts"
    )
    data = []
    for pk, birth_date, sex, citizenships, birth_country, facts in rows:
        known = facts if isinstance(facts, dict) else {}
        answers = [known.get(column.removeprefix("fact_")) for column in PERSON_FACTS]
        data.append(
            (
                pk,
                None,
                birth_date,
                sex or None,
                list(citizenships),
                birth_country or None,
                *(answer if isinstance(answer, bool) else None for answer in answers),
            )
        )
    schema = {**TABLE_SCHEMAS["persons"], **dict.fromkeys(PERSON_FACTS, pl.Boolean)}
    return pl.DataFrame(data, schema=schema, orient="row")


def _applications(person_ids: Sequence[int]) -> pl.DataFrame:
    decisions = _decisions(person_ids)
    rows = Application.objects.filter(person_id__in=person_ids).values_list(
        "pk",
        "person_id",
        "kind",
        "filed",
        "formally_complete",
        "completed_on",
        "suspended_at_party_request",
    )
    data = []
    for pk, owner, kind, filed, complete, completed_on, suspended in rows:
        outcome, issued, delivered, final, appeal = decisions.get(pk, (None,) * 5)
        data.append(
            (
                owner,
                kind,
                filed,
                complete,
                outcome,
                issued,
                delivered,
                final,
                completed_on,
                True if suspended else None,
                appeal,
            )
        )
    return _frame("applications", data)


def _decisions(person_ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """Per application with a decision: (outcome, issued, delivered, final, appeal filed), as
    the registry's dossier export reads them from the events."""
    events: dict[int, list[ApplicationEvent]] = defaultdict(list)
    rows = (
        ApplicationEvent.objects.filter(application__person_id__in=person_ids)
        .values_list("pk", "application_id", "kind", "date", "outcome")
        .order_by("application_id")
    )
    for pk, application_id, kind, date, outcome in rows:
        events[application_id].append(
            ApplicationEvent(pk=pk, kind=kind, date=date, outcome=outcome, extra={})
        )
    found = {}
    for application_id, items in events.items():
        items.sort(key=lambda event: (event.date or dt.date.min, event.pk))
        decision = decision_of(items)
        if decision is not None:
            appeal = decision.extra.get("appeal_filed")
            found[application_id] = (
                decision.outcome,
                decision.issued,
                decision.delivered,
                decision.final,
                dt.date.fromisoformat(appeal) if appeal else None,
            )
    return found
