"""Exact conversion between the population's tables and dossiers.

The engine's differential test feeds the same persons to its population back-end (tables) and
its explain back-end (dossiers), so the two forms must say the same thing:

* ``person.id`` is ``str(person_id)``; family links carry ids, never nested dossiers;
* an application's ``outcome`` and decision dates become its ``decision`` (none without an
  outcome); ``completed_on``, ``suspended_at_party_request`` and ``channel`` go to the
  application's ``extra``, a stay abroad's ``reason`` to its ``extra``, ``appeal_filed`` to the
  decision's, dates written ``YYYY-MM-DD`` as the format keeps them; a null is simply absent;
* the person's recorded facts (``fact_*`` columns, absent or null when unknown) are the
  dossier's ``person.facts`` (dates written ``YYYY-MM-DD``);
* ``family_id`` is not a dossier field: going back, it is the smallest person id among those a
  person is linked to through family links, directly or not (the generator numbers a
  household's principal first, so this is the principal's id).
* a family link to a relative given as a person (bare or nested) carries the relative's
  citizenships (the family table's ``other_citizenships``); going back, links carry ids only.

Anything else a dossier holds (names, document numbers, other ``extra``) has no column and is
left out by :func:`dossiers_to_population`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import polars as pl

from legalstay.dossier import (
    Application,
    Decision,
    Document,
    Dossier,
    FamilyLink,
    Person,
    StayAbroad,
    Title,
)
from legalstay.engine.population import PERSON_FACT_TYPES, PERSON_FACTS
from legalstay.rulebook.facts import citizenships_of, dossier_facts
from legalstay.synthetic.tables import SCHEMA

__all__ = ["dossiers_to_population", "population_to_dossiers"]

_EPISODE_TABLES = ("family", "documents", "titles", "applications", "stays_abroad")


def population_to_dossiers(
    tables: dict[str, pl.DataFrame], person_ids: Iterable[int] | None = None
) -> Iterator[Dossier]:
    """One dossier per row of ``persons`` (or per id in ``person_ids``), in table order."""
    persons = tables["persons"]
    if person_ids is not None:
        persons = persons.filter(pl.col("person_id").is_in(list(person_ids)))
    ids = persons["person_id"].to_numpy()
    episodes = {name: _Rows(_in_schema_order(tables, name), ids) for name in _EPISODE_TABLES}
    for index, person in enumerate(persons.iter_rows(named=True)):
        yield _dossier(person, {name: rows.of(index) for name, rows in episodes.items()})


def _in_schema_order(tables: dict[str, pl.DataFrame], name: str) -> pl.DataFrame:
    """The table's columns in :data:`SCHEMA` order, so rows unpack into the dossier's classes;
    a table not given is empty, and optional columns a file lacks (added to the format later)
    are left off the end of each row."""
    if name not in tables:
        return pl.DataFrame(schema=SCHEMA[name])
    table = tables[name]
    return table.select(column for column in SCHEMA[name] if column in table.columns)


class _Rows:
    """A table's rows (tuples without ``person_id``) grouped for each of the given persons."""

    def __init__(self, table: pl.DataFrame, ids: np.ndarray[Any, Any]) -> None:
        wanted = pl.col("person_id").is_in(pl.Series(ids, dtype=pl.Int64).implode())
        table = table.filter(wanted).sort("person_id", maintain_order=True)
        owners = table["person_id"].to_numpy()
        self.rows = table.drop("person_id").rows()
        self.starts = np.searchsorted(owners, ids, side="left").tolist()
        self.ends = np.searchsorted(owners, ids, side="right").tolist()

    def of(self, index: int) -> list[tuple[Any, ...]]:
        return self.rows[self.starts[index] : self.ends[index]]


def _dossier(person: dict[str, Any], rows: dict[str, list[tuple[Any, ...]]]) -> Dossier:
    """Rows are in :data:`SCHEMA` column order, so they unpack into the dossier's classes."""
    return Dossier(
        person=Person(
            id=str(person["person_id"]),
            citizenships=tuple(person["citizenships"] or ()),
            birth_date=person["birth_date"],
            birth_country=person["birth_country"],
            sex=person["sex"],
            extra={"facts": facts} if (facts := _facts(person)) else {},
        ),
        family=tuple(FamilyLink(relation, str(other)) for relation, other in rows["family"]),
        documents=tuple(
            Document(kind, issuer, None, issued, expires, status)
            for kind, issuer, issued, expires, status in rows["documents"]
        ),
        titles=tuple(Title(*row) for row in rows["titles"]),
        applications=tuple(_application(*row) for row in rows["applications"]),
        stays_abroad=tuple(_stay(*row) for row in rows["stays_abroad"]),
    )


def _facts(person: dict[str, Any]) -> dict[str, Any]:
    """The recorded facts of a persons row, as a dossier's ``person.facts`` holds them."""
    return {
        column.removeprefix("fact_"): value.isoformat() if isinstance(value, dt.date) else value
        for column, value in person.items()
        if column.startswith("fact_") and value is not None
    }


def _application(
    kind: str,
    filed: dt.date,
    formally_complete: bool | None,
    outcome: str | None,
    issued: dt.date | None,
    delivered: dt.date | None,
    final: dt.date | None,
    completed_on: dt.date | None,
    suspended: bool | None,
    appeal_filed: dt.date | None,
    channel: str | None = None,
) -> Application:
    decision = None
    if outcome is not None:
        appeal = {} if appeal_filed is None else {"appeal_filed": appeal_filed.isoformat()}
        decision = Decision(outcome, issued, delivered, final, appeal)
    extra: dict[str, Any] = {}
    if completed_on is not None:  # written as the dossier's JSON keeps it
        extra["completed_on"] = completed_on.isoformat()
    if suspended is not None:
        extra["suspended_at_party_request"] = suspended
    if channel is not None:
        extra["channel"] = channel
    return Application(kind, filed, formally_complete, decision, extra)


# ---------------------------------------------------------------- back to tables


def dossiers_to_population(dossiers: Iterable[Dossier]) -> dict[str, pl.DataFrame]:
    """The tables of the given dossiers, rows in dossier order; person ids must be integers."""
    dossiers = list(dossiers)
    families = _family_ids(dossiers)
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in SCHEMA}
    for dossier in dossiers:
        person_id = _person_id(dossier.person.id)
        rows["persons"].append(_person_row(dossier.person, person_id, families[person_id]))
        for table, to_rows in _TO_ROWS.items():
            rows[table].extend((person_id, *row) for row in to_rows(dossier))
    tables = {table: _frame(table, table_rows) for table, table_rows in rows.items()}
    tables["persons"] = tables["persons"].with_columns(_fact_columns(dossiers))
    tables["family"] = tables["family"].with_columns(_relatives_citizenships(dossiers))
    return tables


def _relatives_citizenships(dossiers: Sequence[Dossier]) -> list[pl.Series]:
    """Each link's relative's citizenships, where the link gives the relative as a person;
    no column when no link does (the engine reads a missing column as unknown)."""
    links = [link for dossier in dossiers for link in dossier.family]
    if all(link.dossier is None for link in links):
        return []
    known = [citizenships_of(link) for link in links]
    return [pl.Series("other_citizenships", known, dtype=pl.List(pl.String))]


def _fact_columns(dossiers: Sequence[Dossier]) -> list[pl.Series]:
    """The persons' recorded facts, a column each (null where not recorded); none when no
    dossier records a fact (the engine reads a missing fact column as unknown)."""
    if not any(dossier.person.extra.get("facts") for dossier in dossiers):
        return []
    facts = [dossier_facts(dossier, nest_family=False) for dossier in dossiers]
    return [
        pl.Series(column, [row.person[column] for row in facts], dtype=PERSON_FACT_TYPES[column])
        for column in PERSON_FACTS
    ]


def _frame(table: str, rows: Sequence[tuple[Any, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMA[table], orient="row")


def _person_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(
            f"person id {value!r} is not an integer: tables need integer ids"
        ) from None


def _person_row(person: Person, person_id: int, family_id: int) -> tuple[Any, ...]:
    citizenships = list(person.citizenships)
    return (person_id, family_id, person.birth_date, person.sex, citizenships, person.birth_country)


def _family_rows(dossier: Dossier) -> list[tuple[Any, ...]]:
    return [(link.relation, _person_id(link.person_id)) for link in dossier.family]


def _document_rows(dossier: Dossier) -> list[tuple[Any, ...]]:
    return [(d.kind, d.issuer, d.issued, d.expires, d.status) for d in dossier.documents]


def _title_rows(dossier: Dossier) -> list[tuple[Any, ...]]:
    return [(t.kind, t.ground, t.valid_from, t.valid_to) for t in dossier.titles]


def _application_rows(dossier: Dossier) -> list[tuple[Any, ...]]:
    return [_application_row(application) for application in dossier.applications]


def _application_row(application: Application) -> tuple[Any, ...]:
    return (
        application.kind,
        application.filed,
        application.formally_complete,
        *_decision_fields(application.decision),
        application.completed_on,
        application.suspended_at_party_request,
        application.decision.appeal_filed if application.decision else None,
        application.channel,
    )


def _decision_fields(decision: Decision | None) -> tuple[Any, ...]:
    if decision is None:
        return (None, None, None, None)
    return (decision.outcome, decision.issued, decision.delivered, decision.final)


def _stay(left: dt.date, returned: dt.date | None, reason: str | None = None) -> StayAbroad:
    """A stay abroad's row (``reason`` absent from files written before the column)."""
    return StayAbroad(left, returned, {"reason": reason} if reason is not None else {})


def _stay_rows(dossier: Dossier) -> list[tuple[Any, ...]]:
    return [(stay.left, stay.returned, stay.reason) for stay in dossier.stays_abroad]


_TO_ROWS: dict[str, Callable[[Dossier], list[tuple[Any, ...]]]] = {
    "family": _family_rows,
    "documents": _document_rows,
    "titles": _title_rows,
    "applications": _application_rows,
    "stays_abroad": _stay_rows,
}


def _family_ids(dossiers: Sequence[Dossier]) -> dict[int, int]:
    """Each person's smallest id among everyone reachable through family links."""
    parent: dict[int, int] = {}

    def root(person: int) -> int:
        parent.setdefault(person, person)
        while parent[person] != person:
            parent[person] = parent[parent[person]]
            person = parent[person]
        return person

    for dossier in dossiers:
        person = root(_person_id(dossier.person.id))
        for link in dossier.family:
            other = root(_person_id(link.person_id))
            parent[max(person, other)] = min(person, other)
            person = min(person, other)
    return {person: root(person) for person in list(parent)}
