"""From a dossier to the engine's row form (the same rows the population tables hold)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import polars as pl

from legalstay.dossier import Application, Dossier, FamilyLink
from legalstay.engine.interpreter import Facts, FamilyMember
from legalstay.engine.population import PERSON_FACT_TYPES, PERSON_FACTS

__all__ = ["citizenships_of", "dossier_facts", "fact_answer"]


def dossier_facts(dossier: Dossier, *, nest_family: bool = True) -> Facts:
    """The facts of the dossier's person; family members given as nested dossiers are
    included one level deep (enough for rules about a child that read the parents' titles)."""
    person_id = dossier.person.id
    return Facts(
        person=_person_row(dossier),
        tables={
            "documents": _in_one_order(
                _row(person_id, vars(d), ("kind", "issuer", "issued", "expires", "status"))
                for d in dossier.documents
            ),
            "titles": _in_one_order(
                _row(person_id, vars(t), ("kind", "ground", "valid_from", "valid_to"))
                for t in dossier.titles
            ),
            "applications": _in_one_order(
                _application_row(person_id, a) for a in dossier.applications
            ),
            "stays_abroad": _in_one_order(
                {**_row(person_id, vars(s), ("left", "returned")), "reason": s.reason}
                for s in dossier.stays_abroad
            ),
            "family": [
                {
                    "person_id": person_id,
                    "relation": link.relation,
                    "other_id": link.person_id,
                    "other_citizenships": citizenships_of(link),
                }
                for link in dossier.family
            ],
        },
        family=[
            FamilyMember(
                link.relation,
                link.person_id,
                # A bare relative is who they are, with no episodes recorded: unknown, as
                # one linked by id is (a child route asks for the parent's titles). So is
                # one whose record says so (`episodes_recorded: false`), as the registry
                # reads it, whatever empty lists it carries.
                dossier_facts(link.dossier, nest_family=False)
                if nest_family and link.dossier is not None and _episodes_recorded(link)
                else None,
            )
            for link in dossier.family
        ],
    )


def citizenships_of(link: FamilyLink) -> tuple[str, ...] | None:
    """A relative given as a person (bare too) is known by who they are; one linked by id
    only is not."""
    return None if link.dossier is None else tuple(link.dossier.person.citizenships)


def _episodes_recorded(link: FamilyLink) -> bool:
    if link.bare or link.dossier is None:
        return False
    return link.dossier.person.episodes_recorded


def _person_row(dossier: Dossier) -> dict[str, Any]:
    person = dossier.person
    facts = person.extra.get("facts") or {}
    row: dict[str, Any] = {
        "person_id": person.id,
        "family_id": None,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "citizenships": tuple(person.citizenships),
        "birth_country": person.birth_country,
    }
    for column in PERSON_FACTS:
        value = facts.get(column.removeprefix("fact_")) if isinstance(facts, dict) else None
        row[column] = fact_answer(column, value)
    return row


def fact_answer(column: str, value: Any) -> bool | dt.date | None:
    """A recorded fact as the engine reads it: true/false, or a date for a fact that says since
    when (``…_since``: an ISO date). Anything else is unknown (the dossier's reader has refused
    a malformed date already)."""
    if PERSON_FACT_TYPES[column] == pl.Boolean:
        return value if isinstance(value, bool) else None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _row(person_id: str, values: dict[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    return {"person_id": person_id, **{column: values.get(column) for column in columns}}


def _in_one_order(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in an order of their own, not the dossier's: the answers never depend on it,
    but an explanation cites the values read up to the row that decided, so the same records
    listed in another order are explained alike."""
    return sorted(rows, key=lambda row: [(key, str(row[key])) for key in sorted(row)])


def _application_row(person_id: str, application: Application) -> dict[str, Any]:
    """The extensions are read as the dossier's reader checked them (legalstay.dossier)."""
    decision = application.decision
    return {
        "person_id": person_id,
        "kind": application.kind,
        "filed": application.filed,
        "formally_complete": application.formally_complete,
        "outcome": decision.outcome if decision else None,
        "issued": decision.issued if decision else None,
        "delivered": decision.delivered if decision else None,
        "final": decision.final if decision else None,
        "completed_on": application.completed_on,
        "suspended_at_party_request": application.suspended_at_party_request is True or None,
        "appeal_filed": decision.appeal_filed if decision else None,
        "channel": application.channel,
    }
