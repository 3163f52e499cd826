"""Segmented reductions and the vectorised coverage kernel against plain Python, per owner."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from legalstay.engine.aggregates import Picked, _value_at_max
from legalstay.engine.kernels import Intervals, coverage_arrays, coverage_in_chunks, coverage_scalar
from legalstay.engine.segments import (
    Segments,
    any_of,
    best_of,
    count_of,
    extreme_of,
    pairs,
    selected,
    sum_of,
)

OWNERS = 6
AS_OF = dt.date(2026, 5, 4)
EPOCH = dt.date(1970, 1, 1)

rows_strategy = st.lists(
    st.tuples(st.integers(0, OWNERS - 1), st.booleans(), st.integers(-3, 3), st.integers(-2, 2)),
    max_size=30,
)


def _sorted(rows: list[tuple[int, bool, int, int]]) -> list[tuple[int, bool, int, int]]:
    return sorted(rows, key=lambda row: row[0])


def _segments(rows: list[tuple[int, ...]]) -> Segments:
    return Segments.of(_column(rows, 0), OWNERS)


def _column(rows: list[tuple[int, ...]], index: int) -> np.ndarray:
    return np.array([row[index] for row in rows], dtype=np.int64)


@settings(max_examples=200)
@given(rows_strategy)
def test_any_count_sum_and_extremes_equal_plain_python(rows):
    rows = [row for row in _sorted(rows) if row[1]]  # the rows that qualify
    owner, values = _column(rows, 0), _column(rows, 2)
    largest, found = extreme_of(owner, values, OWNERS, largest=True)
    smallest, _ = extreme_of(owner, values, OWNERS, largest=False)
    for person in range(OWNERS):
        mine = [row[2] for row in rows if row[0] == person]
        assert any_of(owner, OWNERS)[person] == bool(mine)
        assert count_of(owner, OWNERS)[person] == len(mine)
        assert sum_of(owner, values, OWNERS)[person] == sum(mine)
        assert sum_of(owner, values / 3, OWNERS)[person] == sum(value / 3 for value in mine)
        assert found[person] == bool(mine)
        if mine:
            assert (largest[person], smallest[person]) == (max(mine), min(mine))


def _numbers(values: np.ndarray, dtype: str) -> np.ndarray:
    """-3 … 3 as ``dtype``, the ends as the type's own ends (the smallest and largest it
    holds, or infinities): an owner whose only value is one of them is still found."""
    if dtype == "bool":
        return values > 0
    if dtype == "float64":
        low, high = -np.inf, np.inf
    else:
        low, high = np.iinfo(dtype).min, np.iinfo(dtype).max
    numbers = values.astype(dtype)
    numbers[values == -3], numbers[values == 3] = low, high
    return numbers


@settings(max_examples=200)
@given(rows_strategy, st.sampled_from(["int32", "int64", "float64", "bool"]), st.booleans())
def test_extremes_of_every_number_type_equal_plain_python_and_are_zero_where_none(
    rows, dtype, largest
):
    rows = [row for row in _sorted(rows) if row[1]]
    owner, values = _column(rows, 0), _numbers(_column(rows, 2), dtype)
    extremes, found = extreme_of(owner, values, OWNERS, largest=largest)
    assert extremes.dtype == values.dtype
    for person in range(OWNERS):
        mine = [value for value, row in zip(values, rows, strict=True) if row[0] == person]
        assert found[person] == bool(mine)
        expected = (max(mine) if largest else min(mine)) if mine else 0
        assert extremes[person] == expected


@settings(max_examples=200)
@given(rows_strategy, st.booleans())
def test_best_row_is_the_lexicographic_extreme(rows, largest):
    rows = [row for row in _sorted(rows) if row[1]]
    keys = [_column(rows, 2), _column(rows, 3)]
    found = best_of(_column(rows, 0), [lambda r, k=k: k[r] for k in keys], OWNERS, largest=largest)
    for owner in range(OWNERS):
        mine = [(row[2], row[3]) for row in rows if row[0] == owner]
        if not mine:
            assert found[owner] == -1
            continue
        best = max(mine) if largest else min(mine)
        assert found[owner] >= 0 and rows[found[owner]][0] == owner
        assert (rows[found[owner]][2], rows[found[owner]][3]) == best


@given(st.lists(st.integers(0, OWNERS - 1), max_size=12), rows_strategy)
def test_pairs_are_every_row_of_the_same_owner(outer, inner_rows):
    outer_owner = np.array(sorted(outer), dtype=np.int64)
    inner_rows = _sorted(inner_rows)
    inner = _segments(inner_rows)
    outer_rows, paired = pairs(outer_owner, inner)
    expected = [
        (o, i)
        for o, owner in enumerate(outer_owner)
        for i, row in enumerate(inner_rows)
        if row[0] == owner
    ]
    assert list(zip(outer_rows.tolist(), paired.tolist(), strict=True)) == expected


def _day(offset: int) -> dt.date:
    return AS_OF + dt.timedelta(days=offset)


interval_strategy = st.tuples(
    st.integers(0, OWNERS - 1),
    st.integers(-60, 10),
    st.one_of(st.none(), st.integers(-60, 10)),
    st.sampled_from([0.0, 0.5, 1.0]),
)


@settings(max_examples=300)
@given(
    st.lists(interval_strategy, max_size=25),
    st.lists(st.one_of(st.none(), st.integers(-70, 5)), min_size=OWNERS, max_size=OWNERS),
)
def test_coverage_arrays_equal_the_scalar_kernel(intervals, windows):
    intervals = [(o, s, e, w) for o, s, e, w in intervals if e is None or e >= s]
    owner = np.array([i[0] for i in intervals], dtype=np.int64)
    start = np.array([(_day(i[1]) - EPOCH).days for i in intervals], dtype=np.int64)
    open_end = (dt.date(9999, 12, 31) - EPOCH).days
    end = np.array(
        [open_end if i[2] is None else (_day(i[2]) - EPOCH).days for i in intervals],
        dtype=np.int64,
    )
    weight = np.array([i[3] for i in intervals], dtype=np.float64)
    window = np.array([0 if w is None else (_day(w) - EPOCH).days for w in windows])
    known = np.array([w is not None for w in windows])
    result = coverage_arrays(owner, start, end, weight, OWNERS, AS_OF, (window, known))
    for person in range(OWNERS):
        mine = [
            (_day(s), dt.date(9999, 12, 31) if e is None else _day(e), w)
            for o, s, e, w in intervals
            if o == person
        ]
        window_start = None if windows[person] is None else _day(windows[person])
        run_start, days = coverage_scalar(mine, AS_OF, window_start)
        if run_start is None:
            assert not result.known[person]
            continue
        assert result.known[person]
        assert EPOCH + dt.timedelta(days=int(result.run_start[person])) == run_start
        assert result.weighted_days[person] == days


@settings(max_examples=200)
@given(
    st.lists(st.lists(interval_strategy, max_size=15), min_size=1, max_size=3),
    st.lists(st.one_of(st.none(), st.integers(-70, 5)), min_size=OWNERS, max_size=OWNERS),
    st.integers(1, OWNERS + 1),
    st.booleans(),
)
def test_coverage_in_chunks_answers_as_one_pass_over_everyone(sources, windows, chunk, counted):
    """A population's coverage, computed a few owners at a time over several sources (each in
    owner order or not, days in 32 bits), is the coverage of all their intervals at once."""
    open_end = (dt.date(9999, 12, 31) - EPOCH).days
    parts = []
    for source in sources:
        rows = [(o, s, e, w) for o, s, e, w in source if e is None or e >= s]
        parts.append(
            Intervals(
                np.array([r[0] for r in rows], dtype=np.int64),
                np.array([(_day(r[1]) - EPOCH).days for r in rows], dtype=np.int32),
                np.array(
                    [open_end if r[2] is None else (_day(r[2]) - EPOCH).days for r in rows],
                    dtype=np.int32,
                ),
                np.array([r[3] for r in rows], dtype=np.float64),
            )
        )
    window = (
        (
            np.array([0 if w is None else (_day(w) - EPOCH).days for w in windows]),
            np.array([w is not None for w in windows]),
        )
        if counted
        else None
    )
    whole = coverage_arrays(
        np.concatenate([p.owner for p in parts]),
        np.concatenate([p.start for p in parts]).astype(np.int64),
        np.concatenate([p.end for p in parts]).astype(np.int64),
        np.concatenate([p.weight for p in parts]),
        OWNERS,
        AS_OF,
        window,
    )
    chunked = coverage_in_chunks(parts, OWNERS, AS_OF, window, chunk=chunk)
    assert chunked.known.tolist() == whole.known.tolist()
    assert chunked.run_start[whole.known].tolist() == whole.run_start[whole.known].tolist()
    np.testing.assert_array_equal(chunked.weighted_days, whole.weighted_days)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.integers(-5, 5), st.booleans()), max_size=40))
def test_selected_rows_are_those_the_mask_picks(rows):
    values = np.array([value for value, _ in rows], dtype=np.int64)
    mask = np.array([keep for _, keep in rows], dtype=np.bool_)
    assert selected(values, mask).tolist() == [value for value, keep in rows if keep]


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(
            st.integers(0, OWNERS - 1),
            st.integers(0, 3),
            st.sampled_from(["visa", "national_passport", "residence_card", "zz", "a"]),
        ),
        max_size=30,
    )
)
def test_the_latest_rows_text_wins_ties_by_text_whatever_its_code(rows):
    """A person's document of the latest expiry, two of them expiring the same day: the kind
    later in text order is named, as the one-person back-end names it, not the kind whose
    code happens to be larger."""
    rows = sorted(rows, key=lambda row: row[0])
    owner = np.array([row[0] for row in rows], dtype=np.int64)
    values = pl.DataFrame(
        {
            "v_value": pl.Series([row[2] for row in rows], dtype=pl.String).cast(pl.Categorical),
            "v_key": pl.Series([row[1] for row in rows], dtype=pl.Int64),
        }
    )
    picked = Picked(values, np.arange(len(rows), dtype=np.int64), owner, OWNERS)
    found = _value_at_max(picked, "v_value", "v_key", np.ones(len(rows), dtype=np.bool_))
    for person in range(OWNERS):
        mine = [(row[1], row[2]) for row in rows if row[0] == person]
        expected = max(mine)[1] if mine else None
        assert found.cast(pl.String)[person] == expected
