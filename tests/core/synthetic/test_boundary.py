"""The boundary persons sit exactly on the edges they are written for."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from legalstay.synthetic import (
    SCHEMA,
    boundary_dossiers,
    generate_boundary_population,
    population_to_dossiers,
)
from legalstay.synthetic.daycount import add_months, day_number, from_day_number
from tests.core.synthetic.invariants import broken


def months_later(date: dt.date, months: int) -> dt.date:
    return from_day_number(int(add_months(np.array([day_number(date)]), months)[0]))


@pytest.fixture(params=[dt.date(2026, 3, 1), dt.date(2028, 2, 29), dt.date(2027, 12, 31)])
def as_of(request):
    return request.param


@pytest.fixture
def tables(as_of):
    return generate_boundary_population(as_of)


def test_it_has_exactly_the_engines_schema_and_breaks_no_invariant(tables, as_of):
    for name, schema in SCHEMA.items():
        assert dict(tables[name].schema) == schema
    assert broken(tables, as_of) == {}


def test_one_title_ends_on_as_of_and_one_the_day_before(tables, as_of):
    ends = tables["titles"]["valid_to"].to_list()
    assert as_of in ends and as_of - dt.timedelta(days=1) in ends


def test_one_application_is_filed_on_the_last_day_and_one_a_day_late(tables):
    filings = tables["applications"].join(tables["titles"], on="person_id")
    on_the_day = filings.filter(pl.col("filed") == pl.col("valid_to"))
    late = filings.filter(pl.col("filed") == pl.col("valid_to") + dt.timedelta(days=1))
    assert on_the_day.height >= 1 and late.height == 1


def test_a_passport_expires_on_as_of(tables, as_of):
    passports = tables["documents"].filter(pl.col("kind") == "national_passport")
    assert as_of in passports["expires"].to_list()


def test_stays_abroad_of_six_months_and_of_six_months_and_a_day(tables):
    stays = tables["stays_abroad"].to_dicts()
    lengths = {(s["returned"] - months_later(s["left"], 6)).days for s in stays}
    assert lengths == {0, 1}


def test_a_decision_was_delivered_14_days_before_as_of(tables, as_of):
    assert as_of - dt.timedelta(days=14) in tables["applications"]["delivered"].to_list()


def test_a_child_turns_18_on_as_of(tables, as_of):
    eighteenth = {months_later(b, 18 * 12) for b in tables["persons"]["birth_date"]}
    if (as_of.month, as_of.day) == (2, 29):  # 18 years before was a common year: no 29 Feb
        as_of -= dt.timedelta(days=1)
    assert as_of in eighteenth


def test_two_persons_were_born_on_29_february(tables):
    births = tables["persons"]["birth_date"].to_list()
    assert sum((b.month, b.day) == (2, 29) for b in births) >= 2


def test_documents_without_expiry_and_persons_without_documents(tables):
    documents = tables["documents"]
    assert documents.filter(pl.col("expires").is_null()).height == 2
    without = tables["persons"].join(documents, on="person_id", how="anti")
    assert without.height >= 2


def test_the_tables_say_what_the_hand_written_dossiers_say(tables, as_of):
    assert list(population_to_dossiers(tables)) == boundary_dossiers(as_of)
