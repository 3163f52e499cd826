"""Batches of whole families give the same answers as one pass, person for person."""

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from legalstay.engine.batches import family_ranges
from legalstay.engine.segments import positions_among
from legalstay.rulebook import load_rulebook
from legalstay.synthetic import generate_population

AS_OF = dt.date(2026, 11, 26)
SCENARIOS = ("pl-baseline", "pl-amnesty-2025")


def test_no_batch_boundary_splits_a_family():
    tables = generate_population(3_000, 5, as_of=AS_OF)
    ranges = family_ranges(tables, 400)
    assert len(ranges) > 5
    batch_of = {}
    for index, (low, high) in enumerate(ranges):
        for person_id in range(low, high + 1):
            batch_of[person_id] = index
    links = tables["family"].select("person_id", "other_id").iter_rows()
    assert all(batch_of[a] == batch_of[b] for a, b in links)
    ids = tables["persons"]["person_id"].sort().to_list()
    assert [pid for low, high in ranges for pid in ids if low <= pid <= high] == ids


@pytest.mark.parametrize("workers", [1, 2])
def test_batched_answers_equal_one_pass_for_every_person(workers):
    tables = generate_population(3_000, 5, as_of=AS_OF)
    rulebook = load_rulebook()
    whole = rulebook.assess_population(tables, AS_OF, SCENARIOS).collect()
    batches = rulebook.assess_population_batches(
        tables, AS_OF, SCENARIOS, batch_size=400, workers=workers
    )
    parts = pl.concat(batches)
    assert parts.height == whole.height
    assert parts.sort("person_id").equals(whole.sort("person_id"))


def test_a_family_wider_than_a_batch_stays_in_one_batch():
    persons = pl.DataFrame({"person_id": [1, 2, 3, 4, 5]})
    family = pl.DataFrame(
        {"person_id": [1, 4], "relation": ["parent", "child"], "other_id": [4, 1]}
    )
    assert family_ranges({"persons": persons, "family": family}, 2) == [(1, 4), (5, 5)]


@given(
    st.lists(st.integers(-50, 50), unique=True),
    st.lists(st.integers(-60, 60)),
    st.booleans(),
)
def test_positions_among_ids_agree_with_isin(ids, values, consecutive):
    if consecutive:  # the offset shortcut
        ids = list(range(min(ids, default=0), min(ids, default=0) + len(ids)))
    ids = np.array(sorted(ids), dtype=np.int64)
    values = np.array(values, dtype=np.int64)
    found = positions_among(ids, values)
    assert ((found >= 0) == np.isin(values, ids)).all()
    assert (ids[found[found >= 0]] == values[found >= 0]).all()
