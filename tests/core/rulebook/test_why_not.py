"""The population's "why not" table counts what the one-person assessments say.

``unknown`` tallies the assessments' ``unknown`` lists (every undecided condition of a route in
force); ``deciding`` only those of a route that no failed condition has closed, which is what a
policy maker asks ("how many are kept from a PDPdC by the window alone").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import polars as pl
import pytest

from legalstay.engine.rows import facts_from_tables
from legalstay.rulebook import ELIGIBILITIES, load_rulebook, reason_counts
from legalstay.rulebook.assessment import build_assessment
from legalstay.synthetic import generate_population

SCENARIOS = ("pl-baseline", "pl-amnesty-2025")
# After the last art. 252a window recorded: the window is unknown for every Belarusian.
AFTER_THE_LAST_WINDOW = dt.date(2026, 7, 1)


@pytest.fixture(scope="module")
def counted() -> tuple[pl.DataFrame, Counter[tuple[str, ...]]]:
    rulebook = load_rulebook()
    tables = generate_population(150, 3, as_of=AFTER_THE_LAST_WINDOW)
    result = rulebook.assess_population(tables, AFTER_THE_LAST_WINDOW, SCENARIOS).collect()
    table = reason_counts(rulebook, result, SCENARIOS)
    tally: Counter[tuple[str, ...]] = Counter()
    for person_id, facts in facts_from_tables(tables).items():
        for scenario in SCENARIOS:
            evaluation = rulebook.evaluation(facts, AFTER_THE_LAST_WINDOW, scenario)
            answers = build_assessment(rulebook, evaluation, str(person_id), scenario)
            for item in answers["explanation"]:
                name = item["output"].removeprefix("eligibility.")
                if name in ELIGIBILITIES and item["value"] is not True:
                    _tally(tally, scenario, name, item["conditions"])
    return table, tally


def _tally(tally, scenario, name, conditions) -> None:
    """Counts one person's conditions as the explanation lists them: by route, those of the
    routes in force, each with its value."""
    closed = {c["route"] for c in conditions if c["value"] is False}
    for c in conditions:
        key = (scenario, name, c["route"], c["condition"])
        tally[(*key, "unmet")] += c["value"] is False
        tally[(*key, "unknown")] += c["value"] is None
        tally[(*key, "deciding")] += c["value"] is None and c["route"] not in closed


def test_every_count_is_the_tally_of_the_one_person_assessments(counted):
    table, tally = counted
    for row in table.iter_rows(named=True):
        key = (row["scenario"], row["eligibility"], row["route"], row["condition"])
        for count in ("unmet", "unknown", "deciding"):
            assert row[count] == tally[(*key, count)], (key, count)


def test_a_person_without_a_qualifying_title_is_not_counted_as_kept_by_the_window(counted):
    table, _ = counted
    window = table.filter(
        (pl.col("scenario") == "pl-baseline") & (pl.col("condition") == "within_application_window")
    ).row(0, named=True)
    assert 0 < window["deciding"] < window["unknown"]
