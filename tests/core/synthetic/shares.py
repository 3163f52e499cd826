"""Shares of a population to hold against the documented mix (legalstay.synthetic.mix)."""

from __future__ import annotations

import datetime as dt

import polars as pl


def adults(tables: dict[str, pl.DataFrame], as_of: dt.date) -> pl.DataFrame:
    eighteen = dt.date(as_of.year - 18, as_of.month, min(as_of.day, 28))
    return tables["persons"].filter(pl.col("birth_date") <= eighteen).select("person_id")


def share_of_people(tables: dict[str, pl.DataFrame], condition: pl.Expr) -> float:
    persons = tables["persons"]
    return persons.filter(condition).height / persons.height


def share_of_adults_with_title(
    tables: dict[str, pl.DataFrame], as_of: dt.date, condition: pl.Expr
) -> float:
    grown = adults(tables, as_of)
    holders = tables["titles"].filter(condition).select("person_id").unique()
    return grown.join(holders, on="person_id").height / grown.height


def share_of_adults_with_only_visas(tables: dict[str, pl.DataFrame], as_of: dt.date) -> float:
    grown = adults(tables, as_of)
    titles = (
        tables["titles"].group_by("person_id").agg((pl.col("kind") == "visa").all().alias("only"))
    )
    return grown.join(titles.filter("only"), on="person_id").height / grown.height


def share_of_adults_waiting_for_protection(
    tables: dict[str, pl.DataFrame], as_of: dt.date
) -> float:
    grown = adults(tables, as_of)
    applied = tables["applications"].filter(pl.col("kind") == "international_protection")
    protected = tables["titles"].filter(
        pl.col("kind").is_in(["refugee_status", "subsidiary_protection"])
    )
    waiting = applied.join(protected, on="person_id", how="anti").select("person_id").unique()
    return grown.join(waiting, on="person_id").height / grown.height
