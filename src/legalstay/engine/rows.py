"""Population tables to one-person facts, so both back-ends can be fed the same persons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import polars as pl

from legalstay.engine.interpreter import Facts, FamilyMember
from legalstay.engine.population import (
    PERSON_FACT_TYPES,
    PERSON_FACTS,
    TABLE_SCHEMAS,
    absent_optional_columns,
    empty_as_unknown,
)

__all__ = ["facts_from_tables", "tables_from_facts"]

EPISODE_TABLES = ("documents", "titles", "applications", "stays_abroad", "family")


def facts_from_tables(tables: Mapping[str, pl.DataFrame]) -> dict[Any, Facts]:
    """Every person's facts; family members are nested one level deep (their own family
    links are kept as rows, without nesting further)."""
    persons = {row["person_id"]: _person(row) for row in tables["persons"].iter_rows(named=True)}
    episodes: dict[str, dict[Any, list[dict[str, Any]]]] = {}
    for name in EPISODE_TABLES:
        grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        table = tables.get(name)
        if table is not None:
            for row in _with_optional_columns(table, name).iter_rows(named=True):
                grouped[row["person_id"]].append(row)
        episodes[name] = grouped
    flat = {
        pid: Facts(row, {n: episodes[n].get(pid, []) for n in EPISODE_TABLES})
        for pid, row in persons.items()
    }
    return {pid: _with_family(facts, flat) for pid, facts in flat.items()}


def _person(row: dict[str, Any]) -> dict[str, Any]:
    person = dict(row)
    person["citizenships"] = tuple(person.get("citizenships") or ())
    for fact in PERSON_FACTS:
        person.setdefault(fact, None)
    return person


def _with_family(facts: Facts, everyone: Mapping[Any, Facts]) -> Facts:
    members = [
        FamilyMember(link["relation"], link["other_id"], everyone.get(link["other_id"]))
        for link in facts.tables["family"]
    ]
    return Facts(facts.person, facts.tables, members)


def tables_from_facts(everyone: Mapping[Any, Facts]) -> dict[str, pl.DataFrame]:
    """The population tables holding these persons (the inverse of :func:`facts_from_tables`)."""
    persons = [
        {column: facts.person.get(column) for column in (*TABLE_SCHEMAS["persons"], *PERSON_FACTS)}
        for facts in everyone.values()
    ]
    for row in persons:
        row["citizenships"] = list(row["citizenships"] or ())
    schema = {**TABLE_SCHEMAS["persons"], **PERSON_FACT_TYPES}
    tables = {"persons": pl.DataFrame(persons, schema=schema)}
    for name in EPISODE_TABLES:
        rows = [row for facts in everyone.values() for row in facts.tables.get(name, ())]
        tables[name] = pl.DataFrame(
            [{column: row.get(column) for column in TABLE_SCHEMAS[name]} for row in rows],
            schema=TABLE_SCHEMAS[name],
        )
    return tables


def _with_optional_columns(table: pl.DataFrame, name: str) -> pl.DataFrame:
    """The table's columns of the format; an optional column it lacks as unknown, and free
    text the population reads as not recorded when empty (a title's ``ground``) as null."""
    filled = table.with_columns(absent_optional_columns(name, table.columns))
    return filled.select(empty_as_unknown(name, c, pl.col(c)) for c in TABLE_SCHEMAS[name])
