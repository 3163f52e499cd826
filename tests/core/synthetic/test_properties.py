"""Whatever the seed, size and date: the invariants hold and conversion is exact."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from legalstay.dossier import dossier_from_dict, dossier_to_dict
from legalstay.synthetic import (
    SCHEMA,
    dossiers_to_population,
    generate_caseload,
    generate_population,
    population_to_dossiers,
)
from tests.core.synthetic.invariants import broken

seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(0, 400)
dates = st.dates(dt.date(2020, 1, 1), dt.date(2040, 12, 31))
quick = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(seeds, sizes, dates)
def test_no_population_breaks_an_invariant(seed, persons, as_of):
    tables = generate_population(persons, seed, as_of=as_of)
    assert tables["persons"].height == persons
    assert broken(tables, as_of) == {}


@quick
@given(seeds, sizes, dates)
def test_every_population_converts_to_dossiers_and_back(seed, persons, as_of):
    tables = generate_population(persons, seed, as_of=as_of)
    back = dossiers_to_population(population_to_dossiers(tables))
    for name in SCHEMA:
        assert_frame_equal(back[name], tables[name])


@settings(max_examples=10, deadline=None)
@given(seeds, st.integers(0, 80), dates)
def test_every_caseload_dossier_survives_json(seed, persons, as_of):
    caseload = list(generate_caseload(persons, seed, as_of=as_of))
    assert len(caseload) == persons
    for dossier in caseload:
        assert dossier_from_dict(dossier_to_dict(dossier)) == dossier
