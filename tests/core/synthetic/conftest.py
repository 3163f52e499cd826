"""Shared synthetic worlds: generated once per test session, never written to."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from legalstay.dossier import Dossier
from legalstay.synthetic import generate_caseload, generate_population

AS_OF = dt.date(2026, 3, 1)


@pytest.fixture(scope="session")
def as_of() -> dt.date:
    return AS_OF


@pytest.fixture(scope="session")
def population() -> dict[str, pl.DataFrame]:
    """Large enough for shares to settle within a couple of points."""
    return generate_population(100_000, 11, as_of=AS_OF)


@pytest.fixture(scope="session")
def caseload() -> list[Dossier]:
    return list(generate_caseload(400, 3, as_of=AS_OF))
