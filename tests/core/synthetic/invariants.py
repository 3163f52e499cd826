"""What must hold in any synthetic population: each check returns the rows that break it."""

from __future__ import annotations

import datetime as dt

import polars as pl

from legalstay.dossier import (
    APPLICATION_KINDS,
    DOCUMENT_KINDS,
    DOCUMENT_STATUSES,
    OUTCOMES,
    TITLE_KINDS,
)
from legalstay.synthetic import SCHEMA
from legalstay.synthetic.mix import DECREE_278

INVERSE = {"parent": "child", "child": "parent", "spouse": "spouse"}


def broken(tables: dict[str, pl.DataFrame], as_of: dt.date) -> dict[str, int]:
    """The number of rows breaking each invariant (only the broken ones)."""
    counts = {name: check(tables, as_of).height for name, check in CHECKS.items()}
    return {name: count for name, count in counts.items() if count}


def children_born_before_a_parent(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    births = tables["persons"].select("person_id", "birth_date")
    parents = tables["family"].filter(pl.col("relation") == "parent")
    joined = parents.join(births, on="person_id").join(
        births.rename({"person_id": "other_id", "birth_date": "parent_birth"}), on="other_id"
    )
    return joined.filter(pl.col("birth_date") <= pl.col("parent_birth"))


def links_without_their_inverse(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    family = tables["family"]
    inverse = family.select(
        pl.col("other_id").alias("person_id"),
        pl.col("relation").replace_strict(INVERSE).alias("relation"),
        pl.col("person_id").alias("other_id"),
    )
    return family.join(inverse, on=["person_id", "relation", "other_id"], how="anti")


def documents_expiring_before_issue(
    tables: dict[str, pl.DataFrame], as_of: dt.date
) -> pl.DataFrame:
    return tables["documents"].filter(pl.col("expires") < pl.col("issued"))


def titles_ending_before_start(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    return tables["titles"].filter(pl.col("valid_to") < pl.col("valid_from"))


def returns_before_leaving(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    return tables["stays_abroad"].filter(pl.col("returned") < pl.col("left"))


def decisions_out_of_order(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    issued = pl.col("issued")
    return tables["applications"].filter(
        (issued < pl.col("filed"))
        | (pl.col("delivered") < issued)
        | (pl.col("final") < issued)
        | (pl.col("appeal_filed") < pl.col("delivered"))
        | (pl.col("completed_on") < pl.col("filed"))
        | (pl.col("completed_on") > issued)
    )


def decision_dates_without_an_outcome(
    tables: dict[str, pl.DataFrame], as_of: dt.date
) -> pl.DataFrame:
    dates = ("issued", "delivered", "final", "appeal_filed")
    return tables["applications"].filter(
        pl.col("outcome").is_null() & pl.any_horizontal(pl.col(*dates).is_not_null())
    )


def facts_after_as_of(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    """What has happened happened by ``as_of``: filings, decisions, issues, trips, births."""
    happened = {
        "persons": ("birth_date",),
        "documents": ("issued",),
        "titles": ("valid_from",),
        "applications": ("filed", "issued", "delivered", "final", "completed_on", "appeal_filed"),
        "stays_abroad": ("left", "returned"),
    }
    late = [
        tables[table].filter(pl.any_horizontal(pl.col(*columns) > as_of)).select("person_id")
        for table, columns in happened.items()
    ]
    return pl.concat(late)


def unknown_labels(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    vocabularies = {
        ("documents", "kind"): DOCUMENT_KINDS,
        ("documents", "status"): DOCUMENT_STATUSES,
        ("titles", "kind"): TITLE_KINDS,
        ("applications", "kind"): APPLICATION_KINDS,
        ("applications", "outcome"): OUTCOMES,
        ("persons", "sex"): ("F", "M", "X"),
        ("family", "relation"): tuple(INVERSE),
    }
    unknown = [
        tables[table]
        .filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(allowed))
        .select("person_id")
        for (table, column), allowed in vocabularies.items()
    ]
    return pl.concat(unknown)


def passports_lapsed_while_renewable(
    tables: dict[str, pl.DataFrame], as_of: dt.date
) -> pl.DataFrame:
    """Consulates renewed passports until Decree 278: none expired before it unrenewed."""
    cutoff = min(as_of, DECREE_278)
    passports = tables["documents"].filter(pl.col("kind") == "national_passport")
    return passports.filter(pl.col("expires") < cutoff)


def person_ids_not_numbered_in_order(
    tables: dict[str, pl.DataFrame], as_of: dt.date
) -> pl.DataFrame:
    persons = tables["persons"].with_row_index("row")
    return persons.filter(pl.col("person_id") != pl.col("row").cast(pl.Int64))


def episodes_of_strangers(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    """Every row belongs to a person of the table ``persons``."""
    ids = tables["persons"].select("person_id")
    rows = [tables[name].select("person_id") for name in SCHEMA if name != "persons"]
    return pl.concat(rows).join(ids, on="person_id", how="anti")


CHECKS = {
    check.__name__: check
    for check in (
        children_born_before_a_parent,
        links_without_their_inverse,
        documents_expiring_before_issue,
        titles_ending_before_start,
        returns_before_leaving,
        decisions_out_of_order,
        decision_dates_without_an_outcome,
        facts_after_as_of,
        unknown_labels,
        passports_lapsed_while_renewable,
        person_ids_not_numbered_in_order,
        episodes_of_strangers,
    )
}
