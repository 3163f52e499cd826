"""Fixtures for the statistics tests: paths to the fixture files and a fresh store directory."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_path():
    return lambda name: FIXTURES / name


@pytest.fixture
def store(tmp_path):
    return tmp_path / "stats"
