"""Both readers must answer alike: a registry's people written as a population's Parquet files
and assessed together (``read_population``, ``check_population``, ``assess_population``) get,
person by person, the answers each one's own dossier gets (its JSON read by
``dossier_from_dict``, then the one-person rulebook) — for every output, both scenarios and
several dates. Users rely on that: ``legalstay assess-population`` over an export answers as
``legalstay assess`` does for anyone in it, and the "why not" counts are the assessments'
reasons counted.

Unlike ``test_differential.py``, the facts here go through both readers: the Parquet files
(dictionary-encoded codes or plain text, either name of an episode table, rows of many persons
interleaved) and the dossier's JSON (nested relatives, relatives by id or given bare). The
populations are small and adversarial, generated from a seed: decisions with days missing,
every application kind, documents of every status with and without an expiry, issuers null,
PL, BY and ICAO codes, PDPdCs issued around 1 Jan 2026, titles with no ground, an empty one
or one the rules do not know, open ends, stays abroad with and without a return or a reason,
family links one way and both ways and to persons outside the population, persons with no
episodes, ids shuffled and far apart, and dates near 29 Feb, before 1 May 2014 and after 2030.
Only synthetic persons.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from legalstay.dossier import (
    APPLICATION_KINDS,
    DOCUMENT_KINDS,
    DOCUMENT_STATUSES,
    TITLE_KINDS,
    YES_NO_FACTS,
    Dossier,
    dossier_from_dict,
    parse_json,
)
from legalstay.engine.files import read_population, write_population
from legalstay.engine.population import PERSON_FACT_TYPES, TABLE_SCHEMAS
from legalstay.rulebook import ELIGIBILITIES, OUTPUTS, Rulebook, load_rulebook
from legalstay.rulebook.deadlines import DEADLINE_REFERENCES
from legalstay.rulebook.facts import dossier_facts
from legalstay.rulebook.flags import FLAGS
from legalstay.rulebook.inputs import check_population

Row = dict[str, Any]
D = dt.date
SCENARIOS = ("pl-baseline", "pl-amnesty-2025")
EPISODE_TABLES = ("documents", "titles", "applications", "stays_abroad", "family")
LAST_DAY = D(9999, 12, 31)

# Days the rules turn on (the Act on Foreigners from 1 May 2014, 29 Feb, the PDPdC rule of
# 1 Jan 2026, the e-filing rule of 27 Apr 2026, …); random days fall on them or next to them.
ANCHORS = (
    D(2000, 2, 29), D(2010, 1, 1), D(2012, 2, 29), D(2013, 12, 31), D(2014, 4, 30),
    D(2014, 5, 1), D(2016, 2, 29), D(2019, 12, 31), D(2020, 2, 29), D(2020, 3, 14),
    D(2022, 2, 24), D(2022, 3, 12), D(2023, 12, 31), D(2024, 2, 29), D(2024, 12, 31),
    D(2025, 6, 1), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 2), D(2026, 2, 28),
    D(2026, 4, 26), D(2026, 4, 27), D(2026, 4, 28), D(2026, 5, 4), D(2026, 12, 31),
    D(2027, 1, 1), D(2027, 3, 1), D(2028, 2, 29), D(2029, 1, 1), D(2030, 12, 31),
    D(2031, 1, 1), D(2033, 7, 7), D(2040, 2, 29),
)  # fmt: skip
# Periods' lengths in days (14 days, 3 and 6 months, a year, 3 years) and a day either side.
LENGTHS = (
    0, 1, 13, 14, 15, 29, 30, 60, 89, 90, 91, 179, 180, 181, 182, 183, 364, 365, 366, 730, 1095,
    1096,
)  # fmt: skip
# Every kind, the commonest twice.
APPLICATION_KIND_CHOICES = (
    *APPLICATION_KINDS,
    "international_protection",
    "temporary_residence",
    "travel_document_for_foreigners",
)
ISSUERS = (None, "PL", "PL", "BY", "BY", "XXA", "UA", "DE", "UNO")
# No ground, an empty one (not recorded, as a dossier reads it), the rulebook's grounds, and
# grounds it does not know (a capital letter makes one).
GROUNDS = (
    None, None, "", "work", "study", "family", "humanitarian_visa_belarus",
    "spouse_of_polish_citizen", "humanitarian", "pbh", "other", "polish_origin", "karta_polaka",
    "child_of_resident", "protection_5_years", "tolerated_10_years", "asylum", "seasonal_work",
    "blue_card", "tourism", "research", "weird_unknown_ground", "Work",
)  # fmt: skip
STATUSES = (None, "valid", *DOCUMENT_STATUSES)
REASONS = (
    None,
    None,
    "work_for_employer_in_poland",
    "accompanying_worker",
    "polish_university_programme",
    "special_personal_situation",
    "other",
)
CHANNELS = (None, None, "mos", "paper", "in_person")
CITIZENSHIPS: tuple[list[str] | None, ...] = (
    None,
    [],
    ["BY"],
    ["BY"],
    ["BY", "PL"],
    ["UA"],
    ["RU"],
    ["BY", "RU"],
    ["PL"],
)
DECISION_SHAPES = (
    "none",
    "none",
    "outcome_only",
    "full",
    "delivered_not_issued",
    "final_before_delivered",
    "appeal_after_final",
    "issued_only",
    "final_only",
    "appeal_only",
)
INVERSE = {"parent": "child", "child": "parent", "spouse": "spouse"}
# The evaluation dates of each seed; the last seed draws its days from a pool of four, so that
# episodes begin and end on one another's days and on the evaluation date (its dates are
# the pool's days and the days either side).
CASES = {
    11: (D(2014, 4, 30), D(2020, 2, 29), D(2026, 1, 1), D(2031, 1, 1)),
    12: (D(2013, 12, 31), D(2024, 2, 29), D(2026, 5, 4), D(2028, 2, 29)),
    13: (),
}
POOLED = 13


@dataclass
class Person:
    row: Row
    episodes: dict[str, list[Row]] = field(default_factory=dict)


@dataclass
class Population:
    people: dict[int, Person]
    order: list[int]  # the persons table's rows
    dates: tuple[dt.date, ...]


class Generator:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.pool = sorted(self.random.sample(ANCHORS, 4)) if seed == POOLED else None

    def day(self, spread: int = 60) -> dt.date:
        r = self.random
        if self.pool:
            return r.choice(self.pool)
        x = r.random()
        if x < 0.55:
            shift = r.choice([0, 0, 0, -1, 1, r.randint(-spread, spread)])
            return r.choice(ANCHORS) + dt.timedelta(days=shift)
        if x < 0.75:
            return D(2014, 5, 1) + dt.timedelta(days=r.randint(0, 6000))
        if x < 0.85:  # before the Act on Foreigners
            return D(2003, 1, 1) + dt.timedelta(days=r.randint(0, 4000))
        if x < 0.95:
            return D(2030, 1, 1) + dt.timedelta(days=r.randint(0, 5000))
        return r.choice([D(1970, 1, 1), D(1990, 1, 1), D(2099, 12, 31), D(9999, 12, 30), LAST_DAY])

    def after(self, start: dt.date | None) -> dt.date:
        """A day on or after ``start``: often a period's length later, or an anniversary."""
        r = self.random
        if start is None:
            return self.day()
        if self.pool:
            later = [day for day in self.pool if day >= start]
            return r.choice([*later, start, start])
        days = r.choice([*LENGTHS, r.randint(0, 4000)])
        end = start + dt.timedelta(days=days) if days <= (LAST_DAY - start).days else LAST_DAY
        if r.random() < 0.1:
            years = r.choice([1, 2, 3, 5])
            try:
                end = start.replace(year=min(9999, start.year + years))
            except ValueError:  # 29 Feb, in a year without one
                end = D(min(9999, start.year + years), 3, 1)
        return max(end, start)

    def maybe(self, chance: float, value: Any) -> Any:
        return value if self.random.random() < chance else None

    def document(self) -> Row:
        r = self.random
        kind = r.choice(
            DOCUMENT_KINDS + ("travel_document_for_foreigners", "national_passport") * 3
        )
        issued = self.maybe(0.9, self.day())
        issuer = r.choice(ISSUERS)
        if kind == "travel_document_for_foreigners" and r.random() < 0.5:  # a PDPdC around 2026
            issued = D(2025, 12, 31) + dt.timedelta(days=r.randint(-30, 60))
            issuer = r.choice(["PL", "PL", None, "BY"])
        expires = self.maybe(0.55, self.after(issued))
        return {
            "kind": kind,
            "issuer": issuer,
            "issued": issued,
            "expires": expires,
            "status": r.choice(STATUSES),
        }

    def title(self) -> Row:
        r = self.random
        kind = r.choice(TITLE_KINDS)
        valid_from = self.day()
        valid_to: dt.date | None = self.after(valid_from)
        if kind not in ("temporary_residence", "visa") and r.random() < 0.5:
            valid_to = None  # indefinite
        return {
            "kind": kind,
            "ground": r.choice(GROUNDS),
            "valid_from": valid_from,
            "valid_to": valid_to,
        }

    def application(self) -> Row:
        r = self.random
        kind = r.choice(APPLICATION_KIND_CHOICES)
        filed = self.day()
        if r.random() < 0.25:  # around the e-filing rule of 27 Apr 2026
            filed = D(2026, 4, 27) + dt.timedelta(days=r.randint(-3, 200))
        row: Row = {
            "kind": kind,
            "filed": filed,
            "formally_complete": r.choice([None, True, True, False]),
            "outcome": None,
            "issued": None,
            "delivered": None,
            "final": None,
            "completed_on": None,
            "suspended_at_party_request": r.choice([None, None, True, False]),
            "appeal_filed": None,
            "channel": r.choice(CHANNELS),
        }
        if row["formally_complete"] is not False and r.random() < 0.5:
            row["completed_on"] = self.after(filed)
        shape = r.choice(DECISION_SHAPES)
        if shape == "none":
            return row
        row["outcome"] = r.choice(["granted", "refused", "discontinued"])
        if shape == "outcome_only":
            return row
        decided = self.after(filed)
        if shape == "full":
            row["issued"] = decided
            row["delivered"] = self.after(decided)
            row["final"] = self.after(row["delivered"])
            row["appeal_filed"] = self.maybe(0.4, self.after(row["delivered"]))
        elif shape == "delivered_not_issued":
            row["delivered"] = decided
            row["final"] = self.maybe(0.5, self.after(decided))
            row["appeal_filed"] = self.maybe(0.4, self.after(decided))
        elif shape == "final_before_delivered":
            row["issued"] = self.maybe(0.5, decided)
            row["final"] = self.after(decided)
            row["delivered"] = self.after(row["final"])
        elif shape == "appeal_after_final":  # a late appeal
            row["issued"] = decided
            row["delivered"] = self.maybe(0.6, self.after(decided))
            row["final"] = self.after(row["delivered"] or decided)
            row["appeal_filed"] = self.after(row["final"])
        else:  # one day of the decision alone
            alone = {"issued_only": "issued", "final_only": "final", "appeal_only": "appeal_filed"}
            row[alone[shape]] = decided
        return row

    def stays_abroad(self) -> list[Row]:
        """Stays that do not overlap (one may begin on the day another ended), the last one
        sometimes with no return, in any order."""
        r = self.random
        stays: list[Row] = []
        count = r.choice([0, 0, 1, 1, 2, 3, 5])
        left = self.day()
        for index in range(count):
            returned: dt.date | None = self.after(left)
            if returned == left and left < LAST_DAY:
                returned = left + dt.timedelta(days=1)
            if index == count - 1 and r.random() < 0.3:
                returned = None
            stays.append({"left": left, "returned": returned, "reason": r.choice(REASONS)})
            if returned is None or returned.year == 9999:
                break
            left = returned if r.random() < 0.2 else self.after(returned)
        r.shuffle(stays)
        return stays

    def person(self, person_id: int) -> Person:
        r = self.random
        profile = r.random()
        episodes = 0 if profile < 0.1 else r.randint(20, 30) if profile > 0.93 else r.randint(1, 6)
        facts: Row = {f"fact_{name}": r.choice([None, None, True, False]) for name in YES_NO_FACTS}
        facts["fact_married_to_polish_citizen_since"] = None
        if facts["fact_married_to_polish_citizen"] is not False and r.random() < 0.3:
            facts["fact_married_to_polish_citizen_since"] = self.day()
        citizenships = r.choice(CITIZENSHIPS)
        if facts["fact_stateless"]:
            citizenships = r.choice([None, []])
        birth = r.choice(
            [
                self.day(),
                D(2008, 2, 29),
                D(2010, 5, 4),
                D(1980, 1, 1),
                D(2020, 2, 29),
                D(2026, 1, 1) - dt.timedelta(days=r.randint(0, 6600)),
                None,
            ]
        )
        if birth is not None and birth.year > 2030:
            birth = D(1990, 1, 1)
        row = {
            "person_id": person_id,
            "family_id": person_id,
            "birth_date": birth,
            "sex": r.choice(["F", "M", "X", None]),
            "citizenships": None if citizenships is None else list(citizenships),
            "birth_country": r.choice([None, "BY", "PL", "PL", "UA"]),
            **facts,
        }
        person = Person(row, {name: [] for name in EPISODE_TABLES})
        for _ in range(episodes):
            pick = r.random()
            if pick < 0.35:
                person.episodes["documents"].append(self.document())
            elif pick < 0.65:
                person.episodes["titles"].append(self.title())
            else:
                person.episodes["applications"].append(self.application())
        if episodes and r.random() < 0.3:
            person.episodes["titles"].extend(self.residence())
        if episodes:
            person.episodes["stays_abroad"] = self.stays_abroad()
        return person

    def residence(self) -> list[Row]:
        """Years of permits and visas one after another (now and then a day or a month
        apart), over the evaluation dates: the stays the eligibilities count, on grounds
        recorded, not recorded (null or empty) or not known to the rules."""
        r = self.random
        titles: list[Row] = []
        start = D(2011, 1, 1) + dt.timedelta(days=r.randint(0, 4000))
        while start < D(2030, 1, 1):
            kind = r.choice(["temporary_residence"] * 4 + ["visa", "permanent_residence"])
            end = start + dt.timedelta(days=r.choice([89, 364, 365, 729, 1094, 1095]))
            ground = r.choice([None, "", "", "study", "work", "family", "Work", "other"])
            if kind == "permanent_residence":
                ground = r.choice([None, "", "karta_polaka", "other", "polish_origin"])
            titles.append({"kind": kind, "ground": ground, "valid_from": start, "valid_to": end})
            start = end + dt.timedelta(days=r.choice([1, 1, 1, 2, 30]))
        return titles

    def link_families(self, people: dict[int, Person], outside_from: int) -> None:
        """Links to someone in the population (often written both ways, a child then young
        and often born in Poland), and now and then to someone outside it."""
        r = self.random
        ids = list(people)
        for person_id, person in people.items():
            links = person.episodes["family"]
            other = r.choice(ids)
            if r.random() < 0.35 and other != person_id and not _linked(person, other):
                relation = r.choice(["parent", "parent", "child", "spouse"])
                links.append({"relation": relation, "other_id": other})
                if relation == "parent" and r.random() < 0.6:
                    person.row["birth_date"] = D(2026, 1, 1) - dt.timedelta(days=r.randint(0, 6600))
                    if r.random() < 0.5:
                        person.row["birth_country"] = "PL"
                if r.random() < 0.6 and not _linked(people[other], person_id):
                    people[other].episodes["family"].append(
                        {"relation": INVERSE[relation], "other_id": person_id}
                    )
            outsider = outside_from - r.randint(0, 100)
            if r.random() < 0.1 and not _linked(person, outsider):
                links.append(
                    {"relation": r.choice(["parent", "spouse", "child"]), "other_id": outsider}
                )


def _order_births(people: dict[int, Person]) -> None:
    """Parents born before their children, as both readers require: a parent born too late is
    moved 25 years before the child; a circle of parents that cannot be ordered leaves the
    child's birth date unrecorded."""
    for rounds_left in range(10, -1, -1):
        wrong = list(_births_out_of_order(people))
        for parent, child in wrong:
            if rounds_left:
                parent.row["birth_date"] = child.row["birth_date"] - dt.timedelta(days=9131)
            else:
                child.row["birth_date"] = None
        if not wrong:
            return


def _births_out_of_order(people: dict[int, Person]) -> Iterator[tuple[Person, Person]]:
    for person in people.values():
        for link in person.episodes["family"]:
            other = people.get(link["other_id"])
            if link["relation"] == "spouse" or other is None:
                continue
            parent, child = (other, person) if link["relation"] == "parent" else (person, other)
            born, child_born = parent.row["birth_date"], child.row["birth_date"]
            if born is not None and child_born is not None and born >= child_born:
                yield parent, child


def _linked(person: Person, other: int) -> bool:
    return any(link["other_id"] == other for link in person.episodes["family"])


def population(seed: int) -> Population:
    generator = Generator(seed)
    r = generator.random
    size = r.randint(40, 80)
    base = r.choice([0, 1, 1000, -50, 10**12])
    ids = list(range(base, base + size))
    if r.random() < 0.5:  # with gaps
        ids = sorted(r.sample(range(base, base + 3 * size), size))
    people = {person_id: generator.person(person_id) for person_id in ids}
    generator.link_families(people, outside_from=base - 10**6)
    _order_births(people)
    order = list(ids)
    r.shuffle(order)
    dates = CASES[seed]
    if generator.pool:
        days = {day + dt.timedelta(days=shift) for day in generator.pool for shift in (-1, 0, 1)}
        dates = tuple(sorted(r.sample(sorted(days), 4)))
    return Population(people, order, dates)


# ---------------------------------------------------------------- the two readers' inputs


def write_tables(population: Population, folder: Path, variant: int) -> Path:
    """The population as Parquet files: written by ``write_population`` (codes
    dictionary-encoded), or as plain text beside the persons file under either name; episode
    rows of many persons interleaved (each person's own rows in their order)."""
    r = random.Random(variant)
    people, order = population.people, population.order
    schema = {**TABLE_SCHEMAS["persons"], **PERSON_FACT_TYPES}
    tables = {"persons": pl.DataFrame([people[i].row for i in order], schema=schema)}
    for name in EPISODE_TABLES:
        owners = [i for i in order for _ in people[i].episodes[name]]
        if variant % 2:
            r.shuffle(owners)
        rows = {i: iter(people[i].episodes[name]) for i in order}
        tables[name] = pl.DataFrame(
            [{"person_id": i, **next(rows[i])} for i in owners], schema=TABLE_SCHEMAS[name]
        )
    persons = folder / "persons.parquet"
    if variant % 3 == 0:
        write_population(tables, persons)
        return persons
    tables["persons"].write_parquet(persons)
    for name in EPISODE_TABLES:
        stem = f"persons.{name}" if variant % 3 == 1 else name
        tables[name].write_parquet(folder / f"{stem}.parquet")
    return persons


def dossier_json(population: Population, person_id: int, *, nested: bool = True) -> Row:
    """The person's dossier as JSON text would hold it: relatives in the population nested
    with their own dossiers, others by id or as a bare person (their episodes unknown)."""
    person = population.people[person_id]
    row, episodes = person.row, person.episodes
    facts = {
        column.removeprefix("fact_"): _json(row[column])
        for column in PERSON_FACT_TYPES
        if row[column] is not None
    }
    written: Row = {
        "id": str(person_id),
        "citizenships": row["citizenships"],
        "birth_date": _json(row["birth_date"]),
        "birth_country": row["birth_country"],
        "sex": row["sex"],
    }
    if facts:
        written["facts"] = facts
    family: list[Row] = []
    for link in episodes["family"]:
        other = link["other_id"]
        if nested and other in population.people:
            relative: Any = dossier_json(population, other, nested=False)
        elif other % 2:
            relative = {"id": str(other)}  # bare (its birth date, unknown to a population)
        else:
            relative = str(other)
        family.append({"relation": link["relation"], "person": relative})
    applications: list[Row] = []
    for application in episodes["applications"]:
        written_application: Row = {
            "kind": application["kind"],
            "filed": _json(application["filed"]),
            "formally_complete": application["formally_complete"],
        }
        for extension in ("completed_on", "suspended_at_party_request", "channel"):
            if application[extension] is not None:
                written_application[extension] = _json(application[extension])
        if application["outcome"] is not None:
            written_application["decision"] = {
                key: _json(application[key])
                for key in ("outcome", "issued", "delivered", "final", "appeal_filed")
                if application[key] is not None
            }
        applications.append(written_application)
    return {
        "format": "legalstay-dossier/1",
        "person": written,
        "family": family,
        "documents": [_without_nulls(document) for document in episodes["documents"]],
        "titles": [{key: _json(value) for key, value in t.items()} for t in episodes["titles"]],
        "applications": applications,
        "stays_abroad": [_without_nulls(stay) for stay in episodes["stays_abroad"]],
    }


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _without_nulls(row: Row) -> Row:
    return {key: _json(value) for key, value in row.items() if value is not None}


# ---------------------------------------------------------------- the answers compared


def population_view(rulebook: Rulebook, row: Row, scenario: str) -> dict[str, Any]:
    """A population row's answers as an assessment gives them: the masks' bits decoded into
    the conditions' names (in the order of ``eligibility_conditions``, each named once), a
    document's kind and end shown only when it is valid, deadlines due and flags raised."""

    def value(output: str) -> Any:
        return row[f"{scenario}.{output}"]

    view: dict[str, Any] = {
        "legal_stay.status": value("legal_stay.status"),
        "legal_stay.basis": value("legal_stay.basis"),
        "legal_stay.until": _json(value("legal_stay.until")),
        "right_to_work.status": value("right_to_work.status"),
    }
    for document in ("travel_document", "identity_document"):
        valid = value(f"{document}.valid")
        view[f"{document}.valid"] = valid
        view[f"{document}.kind"] = value(f"{document}.kind") if valid else None
        view[f"{document}.until"] = _json(value(f"{document}.until")) if valid else None
    for name in ELIGIBILITIES:
        conditions = [condition for _, condition, _ in rulebook.eligibility_conditions(name)]
        view[name] = value(name)
        for part in ("unmet", "unknown"):
            mask = value(f"{name}.{part}_mask") or 0
            named = [c for bit, c in enumerate(conditions) if mask >> bit & 1]
            view[f"{name}.{part}"] = list(dict.fromkeys(named))
    view["deadlines"] = {
        kind: _json(value(f"deadline.{kind}"))
        for kind in DEADLINE_REFERENCES
        if value(f"deadline.{kind}") is not None
    }
    view["flags"] = [name for name in FLAGS if value(f"flag.{name}") is True]
    return view


def assessment_view(assessment: Row) -> dict[str, Any]:
    view: dict[str, Any] = {
        "legal_stay.status": assessment["legal_stay"]["status"],
        "legal_stay.basis": assessment["legal_stay"]["basis"],
        "legal_stay.until": assessment["legal_stay"]["until"],
        "right_to_work.status": assessment["right_to_work"]["status"],
    }
    for document in ("travel_document", "identity_document"):
        for part in ("valid", "kind", "until"):
            view[f"{document}.{part}"] = assessment[document][part]
    for name in ELIGIBILITIES:
        eligibility = assessment["eligibility"][name]
        view[name] = eligibility["eligible"]
        view[f"{name}.unmet"] = eligibility["unmet"]
        view[f"{name}.unknown"] = eligibility["unknown"]
    view["deadlines"] = {item["kind"]: item["due"] for item in assessment["deadlines"]}
    view["flags"] = assessment["flags"]
    return view


def disagreements(population: Population, folder: Path, variant: int) -> Iterator[str]:
    """Every answer on which the population's files and a person's own dossier differ, named
    by person, date, scenario and output."""
    rulebook = load_rulebook()
    tables = read_population(write_tables(population, folder, variant))
    check_population(tables)
    dossiers: dict[int, Dossier] = {}
    for person_id in population.order:
        text = json.dumps(dossier_json(population, person_id))
        dossiers[person_id] = dossier_from_dict(parse_json(text))
    facts = {person_id: dossier_facts(dossier) for person_id, dossier in dossiers.items()}
    for day_index, as_of in enumerate(population.dates):
        result = rulebook.assess_population(tables, as_of, SCENARIOS).collect()
        if result["person_id"].to_list() != population.order:
            yield f"{as_of}: the rows are not in the persons table's order"
        for position, row in enumerate(result.iter_rows(named=True)):
            person_id = row["person_id"]
            for scenario in SCENARIOS:
                where = f"person {person_id}, {as_of}, {scenario}"
                one = rulebook.evaluation(facts[person_id], as_of, scenario, record=False)
                for output in OUTPUTS:
                    mine, theirs = one.value(output), row[f"{scenario}.{output}"]
                    if mine != theirs or (mine is None) != (theirs is None):
                        yield f"{where}, {output}: dossier {mine!r}, population {theirs!r}"
                if not assessed_in_full(position, day_index, scenario, len(population.dates)):
                    continue
                assessed = assessment_view(rulebook.assess(dossiers[person_id], as_of, scenario))
                answered = population_view(rulebook, row, scenario)
                for output, mine in assessed.items():
                    if mine != answered[output]:
                        yield (
                            f"{where}, assessment's {output}: dossier {mine!r}, "
                            f"population {answered[output]!r}"
                        )


def assessed_in_full(position: int, day_index: int, scenario: str, days: int) -> bool:
    """Whether the person at ``position`` is assessed in full (with the explanation: slow) on
    this date and scenario: each person once, on the dates and scenarios in turn. Every
    output is compared for every person, date and scenario besides."""
    turn = day_index * len(SCENARIOS) + SCENARIOS.index(scenario)
    return position % (days * len(SCENARIOS)) == turn


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("seed", list(CASES))
def test_both_readers_answer_every_person_alike(seed, tmp_path):
    found = list(disagreements(population(seed), tmp_path, variant=seed))
    assert not found, f"{len(found)} answers differ:\n" + "\n".join(found[:30])


def test_the_populations_hold_what_the_comparison_is_said_to_cover():
    """The generator's promises, held to: a change to it that drops a case fails here."""
    populations = [population(seed) for seed in CASES]
    people = [p for generated in populations for p in generated.people.values()]
    rows = {name: [row for p in people for row in p.episodes[name]] for name in EPISODE_TABLES}
    documents, titles = rows["documents"], rows["titles"]
    applications, stays = rows["applications"], rows["stays_abroad"]
    assert {row["kind"] for row in applications} == set(APPLICATION_KINDS)
    assert {row["kind"] for row in documents} == set(DOCUMENT_KINDS)
    assert {row["kind"] for row in titles} == set(TITLE_KINDS)
    for status in STATUSES:
        held = [row for row in documents if row["status"] == status]
        assert {row["expires"] is None for row in held} == {True, False}, status
    assert {None, "PL", "BY", "XXA"} <= {row["issuer"] for row in documents}
    pdpdcs = [
        row
        for row in documents
        if row["kind"] == "travel_document_for_foreigners"
        and row["issued"] is not None
        and abs((row["issued"] - D(2026, 1, 1)).days) <= 30
    ]
    assert {row["issued"] < D(2026, 1, 1) for row in pdpdcs} == {True, False}
    assert {row["expires"] is None for row in pdpdcs} == {True, False}
    assert {None, "", "weird_unknown_ground", "work"} <= {row["ground"] for row in titles}
    assert any(row["valid_to"] is None for row in titles)
    shapes = {
        tuple(row[day] is not None for day in ("issued", "delivered", "final", "appeal_filed"))
        for row in applications
        if row["outcome"] is not None
    }
    assert {(False,) * 4, (True, False, False, False), (False, True, False, False)} <= shapes
    assert {True, False} == {row["returned"] is None for row in stays}
    assert {True, False} == {row["reason"] is None for row in stays}
    assert any(not any(p.episodes.values()) for p in people)
    links = set()
    for generated in populations:
        pairs = {
            (i, link["other_id"])
            for i, p in generated.people.items()
            for link in p.episodes["family"]
        }
        links |= {_link_kind(generated, pairs, person, other) for person, other in pairs}
    assert links == {"both ways", "one way", "outside, by id", "outside, bare"}
    days = [row[c] for table in rows.values() for row in table for c in row if c != "person_id"]
    days = [day for day in days if isinstance(day, dt.date)]
    assert any(day.month == 2 and day.day == 29 for day in days)
    assert any(day < D(2014, 5, 1) for day in days)
    assert any(day.year > 2030 for day in days)
    assert all(generated.order != sorted(generated.order) for generated in populations)


def _link_kind(population: Population, pairs: set[tuple[int, int]], person: int, other: int) -> str:
    if other not in population.people:  # as dossier_json writes it
        return "outside, bare" if other % 2 else "outside, by id"
    return "both ways" if (other, person) in pairs else "one way"
