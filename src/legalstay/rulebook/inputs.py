"""Checks of a population's tables that the rules rely on, as the dossier reader
(``legalstay.dossier``) makes them for one person: input that breaks them is refused, naming
the table, the person, the column and the rule, rather than judged row by row (a title of a
kind no rule knows would otherwise read as legal stay).

The population format (docs/population.md) writes codes as the dossier does, without the
reader's leniency: a country is an upper-case ISO 3166 alpha-2 code ('BY', not 'blr'), and an
unknown is null, never empty text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from legalstay.dossier import (
    APPLICATION_CHANNELS,
    APPLICATION_KINDS,
    DOCUMENT_KINDS,
    DOCUMENT_STATUSES,
    OUTCOMES,
    RELATIONS,
    STAY_ABROAD_REASONS,
    TIME_LIMITED_TITLES,
    TITLE_KINDS,
)
from legalstay.engine.checks import InputCheck
from legalstay.engine.errors import NO_PERSON_ID, EvaluationError
from legalstay.engine.population import DATE, PERSON_FACT_TYPES, TABLE_SCHEMAS
from legalstay.engine.segments import positions_among

__all__ = ["OneWayLinks", "check_population", "input_checks", "one_way_links", "unread_facts"]

Tables = Mapping[str, pl.LazyFrame | pl.DataFrame]
Row = Mapping[str, Any]


def input_checks() -> list[InputCheck]:
    """The rules a population's rows must keep, which the population back-end checks on the
    columns it reads (columns no rule reads, ``sex`` and ``family_id``, are not read, nor
    checked: they change no answer; a document's ``issuer``, read as Poland or not, is written as a
    dossier writes it, ``PL`` and not ``pl`` or ``POL``; a
    title's ``ground`` may be any text, as in a dossier, and one the rules do not know counts
    as no ground they name)."""
    return [
        *_person_checks(),
        _code("family", "relation", RELATIONS),
        _required("family", "other_id"),
        # A person is not their own relative (a dossier refuses it too).
        _check("family", "other_id", pl.col("other_id") == pl.col("person_id"), "is the person"),
        _citizenship_codes("family", "other_citizenships"),
        _code("documents", "kind", DOCUMENT_KINDS),
        _code("documents", "status", DOCUMENT_STATUSES, required=False),
        _check(
            "documents",
            "issuer",
            # Compared as read (categories): a cast to text first costs a string per row.
            ~pl.col("issuer").is_in(_issuer_codes()),
            "is not an issuing state as a dossier writes it: an upper-case ISO 3166 alpha-2 "
            "code such as 'PL', or an ICAO 9303 code such as 'XXA' (null when unknown)",
        ),
        _not_before("documents", "expires", "issued", "the issue date"),
        *_title_checks(),
        *_application_checks(),
        _required("stays_abroad", "left"),
        _not_before("stays_abroad", "returned", "left", "leaving on"),
        _code("stays_abroad", "reason", STAY_ABROAD_REASONS, required=False),
        *_dates_in_the_calendar(),
    ]


def _dates_in_the_calendar() -> list[InputCheck]:
    """A date is a day of the years 1 to 9999, as a dossier writes it (YYYY-MM-DD): a Parquet
    date may hold others, which an answer could not be written back with."""
    first, last = dt.date(1, 1, 1), dt.date(9999, 12, 31)
    schemas = {**TABLE_SCHEMAS, "persons": {**TABLE_SCHEMAS["persons"], **PERSON_FACT_TYPES}}
    return [
        _check(
            table,
            column,
            (pl.col(column) < first) | (pl.col(column) > last),
            "is not a day of the years 1 to 9999",
        )
        for table, schema in schemas.items()
        for column, dtype in schema.items()
        if dtype == DATE
    ]


def check_population(tables: Tables) -> None:
    """The checks that look across a person's rows, which the back-end's row checks cannot
    make: episode rows of no person of the persons table, stays abroad that overlap, a
    relative linked twice, a parent born on or after their child's birth day. Raises
    ``EvaluationError`` naming the table, the row's person and the rule."""
    persons = tables.get("persons")
    if persons is not None:
        _check_person_ids(persons.lazy())
        stray = _stray_owner(persons.lazy())
        for name in ("documents", "titles", "applications", "stays_abroad", "family"):
            if name in tables:
                _check_owners(name, tables[name].lazy(), stray)
    stays = tables.get("stays_abroad")
    if stays is not None:
        _check_stays_apart(stays.lazy())
    family = tables.get("family")
    if family is not None:
        # Read once for both checks; a link without its two ids is refused by the row checks.
        columns = family.lazy().select("person_id", "relation", "other_id")
        links = columns.drop_nulls(["person_id", "other_id"]).collect()
        _check_links_once(links)
        if persons is not None:
            _check_birth_order(persons.lazy(), links)


_REVERSE = {"parent": "child", "child": "parent", "spouse": "spouse"}


@dataclass(frozen=True)
class OneWayLinks:
    """Links between two persons of the population written in one direction only: each is
    read from its own person's rows, so the other reads no link (a parent's row naming a
    child gives the child no parent)."""

    count: int
    person: int
    relation: str
    other: int

    def warning(self) -> str:
        return (
            f"family: {self.count:,} link(s) between two persons of the population are written "
            f"in one direction only (person {self.person}: other_id {self.other} is their "
            f"{self.relation}, but person {self.other} names no {_REVERSE[self.relation]} "
            f"{self.person}); each person's links are read from their own rows: write each link "
            "in both directions (docs/population.md)"
        )


def one_way_links(tables: Tables) -> OneWayLinks | None:
    """The links between two persons of the population whose reverse row is missing (None if
    there are none). A reverse row naming another relation is refused: a person cannot be
    both a parent and a spouse of another (``EvaluationError``, naming both rows)."""
    if "family" not in tables or "persons" not in tables:
        return None
    ids = tables["persons"].lazy().select("person_id").drop_nulls()
    links = (
        tables["family"]
        .lazy()
        .select("person_id", "relation", "other_id")
        .drop_nulls()
        .filter(pl.col("person_id") != pl.col("other_id"))
        .join(ids.rename({"person_id": "other_id"}), on="other_id", how="semi")
    )
    reverse = links.select(
        pl.col("other_id").alias("person_id"),
        pl.col("person_id").alias("other_id"),
        pl.col("relation").replace_strict(_REVERSE, default=None).alias("expected"),
    )
    found = (
        reverse.join(links, on=["person_id", "other_id"], how="left")
        .filter(pl.col("relation").is_null() | (pl.col("relation") != pl.col("expected")))
        .sort("other_id", "person_id")
        .collect()
    )
    contradicting = found.filter(pl.col("relation").is_not_null())
    if contradicting.height:
        other, person, expected, relation = contradicting.select(
            "person_id", "other_id", "expected", "relation"
        ).row(0)
        raise EvaluationError(
            f"family: person {person}: other_id {other} is their {_REVERSE[expected]}, but "
            f"person {other} names {person} as their {relation}: the two rows of a link must "
            "agree"
        )
    if not found.height:
        return None
    other, person, expected = found.select("person_id", "other_id", "expected").row(0)
    return OneWayLinks(found.height, person, _REVERSE[expected], other)


def unread_facts(columns: Sequence[str]) -> list[str]:
    """Columns of the persons table named as facts (``fact_…``) that no rule reads: a
    misspelt fact (``fact_karta_polak``) would otherwise read as not recorded."""
    return [c for c in columns if c.startswith("fact_") and c not in PERSON_FACT_TYPES]


def _check_person_ids(persons: pl.LazyFrame) -> None:
    missing = persons.select(pl.col("person_id").null_count()).collect().item()
    if missing:
        raise EvaluationError(NO_PERSON_ID, table="persons")


def _check_links_once(links: pl.DataFrame) -> None:
    """A relative is linked once (as a dossier's reader refuses a relative linked twice: two
    relations to one person would each be read)."""
    pairs = links.select("person_id", "other_id")
    if _no_pair_twice(pairs["person_id"].to_numpy(), pairs["other_id"].to_numpy()):
        return
    twice = pairs.filter(pairs.is_duplicated()).head(1)
    if twice.height:
        person, other = twice.row(0)
        raise EvaluationError(
            f"family: person {person}: other_id {other} is linked twice: link a relative once"
        )


def _no_pair_twice(person: np.ndarray, other: np.ndarray) -> bool:
    """True when no (person, other) pair is given twice, told by sorting the pairs packed
    into one number each (a quarter of the time of hashing them, 75 ms at a million links).
    False where a pair may repeat: the caller then looks by hashing. A pair given twice packs
    to one number twice whatever the ids, so it is never missed; ids past 31 bits, which
    could make distinct pairs collide, go to the caller at once."""
    if not person.size:
        return True
    if min(person.min(), other.min()) < 0 or max(person.max(), other.max()) >= 1 << 31:
        return False
    packed = np.sort((person.astype(np.int64) << 31) | other.astype(np.int64))
    return not bool(np.any(packed[1:] == packed[:-1]))


def _check_birth_order(persons: pl.LazyFrame, links: pl.DataFrame) -> None:
    """A parent is born before their child (as a dossier's reader and the registry require);
    a relative outside the population, or a birth date not recorded, is not compared.
    Looked up by sorted ids in NumPy, not by a join: the join's tables cost some 130 MB at
    1M persons, which the allocator kept through the assessment."""
    births = persons.select("person_id", "birth_date").drop_nulls().collect()
    if not births["person_id"].is_sorted():  # a registry's export mostly is: no sort then
        births = births.sort("person_id")
    ids, born = births["person_id"].to_numpy(), births["birth_date"].to_numpy()
    del births
    person, other = links["person_id"].to_numpy(), links["other_id"].to_numpy()
    is_parent = (links["relation"] == "parent").to_numpy()
    is_child = (links["relation"] == "child").to_numpy()
    person_birth, other_birth = _birth_of(ids, born, person), _birth_of(ids, born, other)
    # A person linked to themself is refused as such by the row checks, not as born too late.
    both = ~(np.isnat(person_birth) | np.isnat(other_birth)) & (person != other)
    wrong = both & (
        (is_parent & (other_birth >= person_birth)) | (is_child & (person_birth >= other_birth))
    )
    if not wrong.any():
        return
    order = np.lexsort((other[wrong], person[wrong]))  # the same row named, in any file order
    first = np.flatnonzero(wrong)[order[0]]
    relation = "parent" if is_parent[first] else "child"
    raise EvaluationError(
        f"family: person {person[first]}: other_id {other[first]} is their {relation}: a parent "
        f"must be born before their child (other_id born on {other_birth[first]}, person_id "
        f"on {person_birth[first]})"
    )


def _birth_of(ids: np.ndarray, born: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The birth dates of ``wanted`` ids (not a time where the id has none recorded)."""
    at = positions_among(ids, wanted)
    found = np.full(wanted.size, np.datetime64("NaT"), dtype="datetime64[D]")
    known = at >= 0
    found[known] = born[at[known]]
    return found


def _stray_owner(persons: pl.LazyFrame) -> pl.Expr:
    """True for an episode row's ``person_id`` that names no person of the persons table.
    Ids that run without a gap (as a registry's or a generator's do) are checked by their
    range alone (a persons table giving an id twice is refused when it is read)."""
    ids = persons.select(low=pl.col("person_id").min(), high=pl.col("person_id").max(), n=pl.len())
    low, high, count = ids.collect().row(0)
    owner = pl.col("person_id")
    if count and int(high) - int(low) + 1 == count:
        return owner.is_null() | (owner < int(low)) | (owner > int(high))
    known = persons.select("person_id").collect()["person_id"].implode()
    return owner.is_null() | ~owner.is_in(known)


def _check_owners(name: str, episodes: pl.LazyFrame, stray: pl.Expr) -> None:
    """Every row names a person of the persons table: one that names none (no ``person_id``,
    or an id not there) would be left out, and its person answered without it."""
    found = episodes.select("person_id").filter(stray).head(1).collect()
    if found.height:
        who = found["person_id"][0]
        what = "is missing" if who is None else f"{who} is not in the persons table"
        raise EvaluationError(
            f"{name}: a row's person_id {what}: every row belongs to a person of the "
            "population (it would be left out unread)",
            table=name,
        )


_COUNTRY = "an upper-case ISO 3166 alpha-2 code such as 'BY' (null when unknown)"


def _citizenship_codes(table: str, column: str) -> InputCheck:
    unknown_code = ~pl.element().is_in(_country_codes()) | pl.element().is_null()
    return _check(
        table,
        column,
        pl.col(column).list.eval(unknown_code).list.any(),
        f"holds a code that is not {_COUNTRY}",
    )


def _person_checks() -> list[InputCheck]:
    codes, country = _country_codes(), _COUNTRY
    return [
        _citizenship_codes("persons", "citizenships"),
        _check(
            "persons", "birth_country", ~pl.col("birth_country").is_in(codes), f"is not {country}"
        ),
        _check(
            "persons",
            "fact_stateless",
            pl.col("fact_stateless") & (pl.col("citizenships").list.len() > 0),
            "is true, but citizenships records a citizenship:",
            beside="citizenships",
        ),
        _check(
            "persons",
            "fact_married_to_polish_citizen_since",
            pl.col("fact_married_to_polish_citizen").not_()
            & pl.col("fact_married_to_polish_citizen_since").is_not_null(),
            "is given, but fact_married_to_polish_citizen is false",
        ),
    ]


def _title_checks() -> list[InputCheck]:
    # Compared code by code: a categorical column then compares numbers, not text.
    time_limited = pl.any_horizontal(pl.col("kind") == kind for kind in TIME_LIMITED_TITLES)
    return [
        _code("titles", "kind", TITLE_KINDS),
        _required("titles", "valid_from"),
        _not_before("titles", "valid_to", "valid_from", "valid_from"),
        _check(
            "titles",
            "valid_to",
            time_limited & pl.col("valid_to").is_null(),
            "is required for a title of this kind, granted for a fixed period (UoC art. 98 "
            "ust. 1 for a temporary residence permit): kind",
            beside="kind",
        ),
    ]


def _application_checks() -> list[InputCheck]:
    after_filing = ("completed_on", "issued", "delivered", "final", "appeal_filed")
    return [
        _code("applications", "kind", APPLICATION_KINDS),
        _code("applications", "outcome", OUTCOMES, required=False),
        _code("applications", "channel", APPLICATION_CHANNELS, required=False),
        _required("applications", "filed"),
        *(_not_before("applications", column, "filed", "filing") for column in after_filing),
        _not_before("applications", "delivered", "issued", "the decision"),
        _not_before("applications", "final", "issued", "the decision"),
        _not_before("applications", "appeal_filed", "delivered", "its delivery"),
        _not_before("applications", "appeal_filed", "issued", "the decision"),
        _check(
            "applications",
            "formally_complete",
            pl.col("formally_complete").not_() & pl.col("completed_on").is_not_null(),
            "is false, but completed_on says it became complete on",
            beside="completed_on",
        ),
        # A decision is its outcome and its days (a dossier's `decision`): days without an
        # outcome would end a stamp on a decision no one can read.
        *(
            _check(
                "applications",
                "outcome",
                pl.col("outcome").is_null() & pl.col(day).is_not_null(),
                f"is required where the decision has a day ({day})",
                missing=f"is required where the decision has a day ({day}); one of "
                + ", ".join(OUTCOMES),
            )
            for day in ("issued", "delivered", "final", "appeal_filed")
        ),
    ]


def _check(
    table: str,
    column: str,
    broken: pl.Expr,
    says: str,
    beside: str | None = None,
    missing: str | None = None,
) -> InputCheck:
    """A check whose message names the table, the person, ``column`` with its value, what is
    wrong (``missing`` where the value is null), and the value of ``beside`` where the rule
    compares with it."""

    def message(row: Row) -> str:
        value = row[column]
        shown = "" if value is None else f" {_shown(value)}"
        what = missing if value is None and missing else says
        text = f"{table}: person {row['person_id']}: {column}{shown} {what}"
        return text if beside is None else f"{text} {_shown(row[beside])}"

    return InputCheck(table, broken, message)


def _code(table: str, column: str, allowed: Sequence[str], *, required: bool = True) -> InputCheck:
    broken = ~pl.col(column).is_in(allowed)
    if required:
        broken = broken | pl.col(column).is_null()
    codes = ", ".join(allowed)
    # "kind is required; one of …" where it is missing, "kind 'x' is not one of …" otherwise.
    return _check(
        table, column, broken, f"is not one of {codes}", missing=f"is required; one of {codes}"
    )


def _required(table: str, column: str) -> InputCheck:
    return _check(table, column, pl.col(column).is_null(), "is required")


def _not_before(table: str, column: str, earlier: str, what: str) -> InputCheck:
    broken = pl.col(column) < pl.col(earlier)
    return _check(table, column, broken, f"is before {what}", beside=earlier)


@cache
def _issuer_codes() -> tuple[str, ...]:
    from legalstay.identity.countries import ICAO_SPECIAL_CODES

    return (*_country_codes(), *sorted(set(ICAO_SPECIAL_CODES) - {"D"}))


@cache
def _country_codes() -> tuple[str, ...]:
    import pycountry

    return tuple(sorted(country.alpha_2 for country in pycountry.countries))


def _shown(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(repr(item) for item in value) + "]"
    return repr(value)


def _check_stays_apart(stays: pl.LazyFrame) -> None:
    """Stays abroad may not overlap: a break is judged by its length (UoC arts. 211–212), and
    one absence recorded twice would be judged as two shorter ones (or counted twice). One may
    begin on the day another ended (the day of return is spent in Poland)."""
    rows = stays.select("person_id", "left", "returned").drop_nulls(["person_id", "left"])
    frame = rows.collect()
    if not _in_order(frame):  # files written by write_population are; sorting costs more
        # As the dossier reader: by the day left, then returned (a stay of no days first).
        frame = frame.sort("person_id", "left", "returned", nulls_last=True, maintain_order=True)
    person = frame["person_id"].to_numpy()
    left = frame["left"].to_physical().to_numpy()
    returned = frame["returned"].to_physical().fill_null(np.iinfo(np.int32).max).to_numpy()
    overlaps = np.flatnonzero((person[1:] == person[:-1]) & (left[1:] < returned[:-1]))
    if overlaps.size:
        earlier, later = frame.row(int(overlaps[0]), named=True), frame.row(int(overlaps[0]) + 1)
        until = earlier["returned"] or "no return recorded"
        raise EvaluationError(
            f"stays_abroad: person {later[0]}: the stay abroad from {later[1]} falls within "
            f"the one from {earlier['left']} to {until}: stays abroad may not overlap; record "
            "one absence once"
        )


def _in_order(frame: pl.DataFrame) -> bool:
    """Sorted by person, and each person's stays by the day they left (two left on one day:
    by the day they returned)."""
    person = frame["person_id"].to_numpy()
    left = frame["left"].to_physical().to_numpy()
    returned = frame["returned"].to_physical().fill_null(np.iinfo(np.int32).max).to_numpy()
    later_person = person[1:] > person[:-1]
    same_person = person[1:] == person[:-1]
    same_day_later_return = (left[1:] == left[:-1]) & (returned[1:] >= returned[:-1])
    later_stay = (left[1:] > left[:-1]) | same_day_later_return
    return bool(np.all(later_person | (same_person & later_stay)))
