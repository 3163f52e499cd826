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
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, cast

import polars as pl
from django.db.models import Q

from legalstay.engine.population import PERSON_FACT_TYPES, PERSON_FACTS, TABLE_SCHEMAS
from legalstay.rulebook.facts import fact_answer
from legalstay.web.registry.dossiers import decision_of
from legalstay.web.registry.models import (
    Application,
    ApplicationEvent,
    Document,
    EventKind,
    FamilyLink,
    Person,
    StayAbroad,
    Title,
)

__all__ = ["among", "household_batches", "population_tables"]


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


def among(path: str, person_ids: Collection[int]) -> Q:
    """Rows of these persons: a range when the ids are about contiguous (households are loaded
    together, so a batch usually is), else an IN list. A range may also match other persons'
    rows; callers keep only their own. Thousands of IN parameters cost more to send than the
    extra rows."""
    low, high = min(person_ids, default=0), max(person_ids, default=-1)
    key = path if path == "pk" else f"{path}__id"
    if high - low < 2 * len(person_ids):
        return Q(**{f"{key}__range": (low, high)})
    return Q(**{f"{key}__in": sorted(person_ids)})


def _owned(
    rows: Iterable[tuple[Any, ...]], person_ids: Collection[int]
) -> Iterator[tuple[Any, ...]]:
    return (row for row in rows if row[0] in person_ids)


def population_tables(person_ids: Collection[int]) -> dict[str, pl.DataFrame]:
    """The engine's tables for these persons (their relatives should be among them)."""
    wanted = set(person_ids)
    person = among("person", wanted)
    documents = Document.objects.filter(person).values_list(
        "person_id", "kind", "issuer", "issued", "expires", "status"
    )
    titles = Title.objects.filter(person).values_list(
        "person_id", "kind", "ground", "valid_from", "valid_to"
    )
    return {
        "persons": _persons(wanted),
        "family": _frame("family", _family_rows(wanted)),
        "documents": _frame(
            "documents",
            (
                (owner, kind, issuer or None, issued, expires, status)
                for owner, kind, issuer, issued, expires, status in _owned(documents, wanted)
            ),
        ),
        "titles": _frame(
            "titles",
            (
                (owner, kind, ground or None, start, end)
                for owner, kind, ground, start, end in _owned(titles, wanted)
            ),
        ),
        "applications": _applications(wanted),
        "stays_abroad": _frame(
            "stays_abroad",
            (
                (owner, left, returned, reason or None)  # blank: not recorded
                for owner, left, returned, reason in _owned(
                    StayAbroad.objects.filter(person).values_list(
                        "person_id", "left", "returned", "reason"
                    ),
                    wanted,
                )
            ),
        ),
    }


def _family_rows(person_ids: set[int]) -> Iterator[tuple[int, str, int, list[str]]]:
    """A relative whose episodes are not recorded is linked as one outside the population
    (by a number no person has): their titles are unknown, as a dossier's bare relative's
    are, while the link itself (a parent recorded) and who they are (their citizenships)
    still count."""
    links = FamilyLink.objects.filter(among("person", person_ids)).values_list(
        "person_id",
        "relation",
        "relative_id",
        "relative__episodes_recorded",
        "relative__citizenships",
    )
    for owner, relation, relative, recorded, citizenships in _owned(links, person_ids):
        yield owner, relation, relative if recorded else -relative, list(citizenships)


def _frame(table: str, rows: Any) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=TABLE_SCHEMAS[table], orient="row")


def _persons(person_ids: set[int]) -> pl.DataFrame:
    rows = Person.objects.filter(among("pk", person_ids)).values_list(
        "pk", "birth_date", "sex", "citizenships", "birth_country", "facts"
    )
    data = []
    for pk, birth_date, sex, citizenships, birth_country, facts in _owned(rows, person_ids):
        known = facts if isinstance(facts, dict) else {}
        answers = [
            fact_answer(column, known.get(column.removeprefix("fact_"))) for column in PERSON_FACTS
        ]
        data.append(
            (
                pk,
                None,
                birth_date,
                sex or None,
                list(citizenships),
                birth_country or None,
                *answers,
            )
        )
    schema = {**TABLE_SCHEMAS["persons"], **PERSON_FACT_TYPES}
    return pl.DataFrame(data, schema=schema, orient="row")


def _applications(person_ids: set[int]) -> pl.DataFrame:
    decisions = _decisions(person_ids)
    rows = Application.objects.filter(among("person", person_ids)).values_list(
        "person_id",
        "pk",
        "kind",
        "filed",
        "formally_complete",
        "completed_on",
        "suspended_at_party_request",
        "channel",
    )
    data = []
    for owner, pk, kind, filed, complete, completed_on, suspended, channel in _owned(
        rows, person_ids
    ):
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
                channel or None,  # blank: not recorded
            )
        )
    return _frame("applications", data)


class _Event(NamedTuple):
    """An event as :func:`decision_of` reads it (cheaper than a model instance)."""

    pk: int
    kind: str
    date: dt.date | None
    outcome: str
    extra: dict[str, Any]


def _decisions(person_ids: set[int]) -> dict[int, tuple[Any, ...]]:
    """Per application with a decision: (outcome, issued, delivered, final, appeal filed), as
    the registry's dossier export reads them from the events."""
    events: dict[int, list[_Event]] = defaultdict(list)
    rows = ApplicationEvent.objects.filter(among("application__person", person_ids))
    for owner, pk, application_id, kind, date, outcome in rows.values_list(
        "application__person_id", "pk", "application_id", "kind", "date", "outcome"
    ):
        if owner in person_ids:
            events[application_id].append(_Event(pk, kind, date, outcome, {}))
    found = {}
    for application_id, items in events.items():
        if not any(event.kind == EventKind.DECISION_ISSUED for event in items):
            continue
        items.sort(key=lambda event: (event.date or dt.date.min, event.pk))
        decision = decision_of(cast(list[ApplicationEvent], items))
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
