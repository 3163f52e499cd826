"""A population's stays abroad are refused when they overlap, exactly where one person's
dossier would be: the two readers must not judge the same absences two ways."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legalstay.dossier import DossierError, dossier_from_dict
from legalstay.engine.errors import EvaluationError
from legalstay.rulebook.inputs import check_population

FIRST = dt.date(2020, 1, 1)
stays = st.lists(
    st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 30))), max_size=4
)


def _dossier_refuses(person: str, absences: list[tuple[dt.date, dt.date | None]]) -> bool:
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": person, "citizenships": ["BY"], "birth_date": "1990-01-01", "sex": "F"},
        "stays_abroad": [
            {"left": left.isoformat(), "returned": returned and returned.isoformat()}
            for left, returned in absences
        ],
    }
    try:
        dossier_from_dict(raw)
    except DossierError:
        return True
    return False


def _population_refuses(absences: list[tuple[dt.date, dt.date | None]]) -> bool:
    table = pl.DataFrame(
        {
            "person_id": [7] * len(absences),
            "left": [left for left, _ in absences],
            "returned": [returned for _, returned in absences],
        },
        schema={"person_id": pl.Int64, "left": pl.Date, "returned": pl.Date},
    )
    try:
        check_population({"stays_abroad": table.lazy()})
    except EvaluationError:
        return True
    return False


@settings(max_examples=300, deadline=None)
@given(stays)
def test_a_population_refuses_the_stays_abroad_a_dossier_refuses(raw):
    absences = [
        (
            FIRST + dt.timedelta(days=start),
            None if length is None else FIRST + dt.timedelta(days=start + length),
        )
        for start, length in raw
    ]
    assert _population_refuses(absences) == _dossier_refuses("zoya", absences)


def test_stays_of_different_persons_may_share_days():
    table = pl.DataFrame(
        {
            "person_id": [1, 2],
            "left": [dt.date(2024, 1, 1), dt.date(2024, 1, 5)],
            "returned": [dt.date(2024, 2, 1), None],
        }
    )
    check_population({"stays_abroad": table})


def test_an_open_stay_followed_by_another_names_the_person():
    table = pl.DataFrame(
        {
            "person_id": [3, 3],
            "left": [dt.date(2024, 5, 1), dt.date(2024, 1, 1)],
            "returned": [dt.date(2024, 6, 1), None],
        }
    )
    with pytest.raises(
        EvaluationError,
        match="person 3: the stay abroad from 2024-05-01 falls "
        "within the one from 2024-01-01 to no return recorded",
    ):
        check_population({"stays_abroad": table})
