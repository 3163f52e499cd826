"""Batches of whole families give the same answers as one pass, person for person."""

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from legalstay.engine.batches import family_ranges
from legalstay.engine.errors import EvaluationError
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


@pytest.mark.parametrize("size", [0, -3])
def test_a_batch_size_below_one_is_refused_instead_of_looping_for_ever(size):
    persons = pl.DataFrame({"person_id": [1, 2, 3]})
    with pytest.raises(ValueError, match=f"at least 1, not {size}"):
        family_ranges({"persons": persons}, size)


def test_a_person_without_an_id_is_refused_before_the_ranges_are_cut():
    persons = pl.DataFrame({"person_id": [3, None, 1]}, schema={"person_id": pl.Int64})
    with pytest.raises(EvaluationError, match="persons without a person_id"):
        family_ranges({"persons": persons}, 2)


def test_a_person_id_given_twice_is_named():
    persons = pl.DataFrame({"person_id": [5, 9, 2, 9, 5]})
    with pytest.raises(EvaluationError, match="not unique in the persons table: 5 is given more"):
        family_ranges({"persons": persons}, 2)


def test_a_population_without_persons_gives_one_empty_batch_with_every_column():
    tables = {
        name: frame.head(0) for name, frame in generate_population(50, 5, as_of=AS_OF).items()
    }
    rulebook = load_rulebook()
    batches = list(rulebook.assess_population_batches(tables, AS_OF, SCENARIOS, batch_size=10))
    assert len(batches) == 1
    whole = rulebook.assess_population(generate_population(5, 5, as_of=AS_OF), AS_OF, SCENARIOS)
    assert batches[0].height == 0
    assert batches[0].schema == whole.collect().schema


def test_batches_keep_the_persons_order_within_a_batch_and_come_in_ranges_of_ids():
    tables = generate_population(300, 5, as_of=AS_OF)
    tables["persons"] = tables["persons"].sample(fraction=1.0, shuffle=True, seed=1)
    batches = list(load_rulebook().assess_population_batches(tables, AS_OF, batch_size=40))
    ranges = family_ranges(tables, 40)
    assert len(batches) == len(ranges) > 1
    order = tables["persons"]["person_id"]
    for batch, (low, high) in zip(batches, ranges, strict=True):
        assert batch["person_id"].equals(order.filter(order.is_between(low, high)))
