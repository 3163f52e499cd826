"""Text columns of a population may come as text or as codes (Categorical, or an Enum of the
input's own): the answers are the same, and text answers come out as text."""

import datetime as dt

import polars as pl

from legalstay.rulebook import load_rulebook
from legalstay.synthetic import generate_population

AS_OF = dt.date(2026, 11, 26)


def _with_ties(seed):
    """Every document issued and expiring on the same days, so that the kind alone decides
    which document a person's answers name (the order of the codes would show)."""
    tables = generate_population(800, seed, as_of=AS_OF)
    same_days = [pl.lit(dt.date(2020, 1, 1)).alias("issued"), pl.lit(dt.date(2030, 1, 1))]
    tables["documents"] = tables["documents"].with_columns(
        same_days[0], same_days[1].alias("expires")
    )
    return tables


def _coded(tables, code):
    return {
        name: frame if name == "persons" else frame.with_columns(pl.col(pl.String).cast(code))
        for name, frame in tables.items()
    }


def test_an_enum_in_reverse_alphabetical_order_gives_the_answers_of_text():
    tables = _with_ties(21)
    texts = {
        value
        for name, frame in tables.items()
        if name != "persons"
        for column in frame.select(pl.col(pl.String)).columns
        for value in frame[column].drop_nulls().unique().to_list()
    }
    rulebook = load_rulebook()
    as_text = rulebook.assess_population(tables, AS_OF).collect()
    as_enum = rulebook.assess_population(
        _coded(tables, pl.Enum(sorted(texts, reverse=True))), AS_OF
    )
    assert as_enum.collect().equals(as_text)
    assert as_text["pl-baseline.travel_document.kind"].dtype == pl.String


def test_each_column_with_an_enum_of_its_own_is_read_as_text():
    tables = _with_ties(22)
    own = {
        name: frame.with_columns(
            pl.col(column).cast(pl.Enum(frame[column].drop_nulls().unique().sort().to_list()))
            for column in frame.select(pl.col(pl.String)).columns
        )
        for name, frame in tables.items()
    }
    rulebook = load_rulebook()
    expected = rulebook.assess_population(tables, AS_OF).collect()
    assert rulebook.assess_population(own, AS_OF).collect().equals(expected)
