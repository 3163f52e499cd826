"""The shipped real extracts import, and queries give back their numbers exactly."""

import polars as pl
import pytest

from legalstay.stats import import_bundled, load_store, new_asylum_applications, query

UNHCR_NEW_APPLICATIONS_BY_IN_PL = {
    "2020": 387,
    "2021": 2164,
    "2022": 2981,
    "2023": 3631,
    "2024": 3637,
    "2025": 2990,
}
EUROSTAT_VALID_PERMITS_BY_IN_PL = {
    "2019": 55902,
    "2020": 61533,
    "2021": 133595,
    "2022": 301611,
    "2023": 306447,
    "2024": 251362,
}
EUROSTAT_FIRST_PERMITS_BY_IN_PL = {"2019": 54107, "2022": 285496, "2024": 151116}


@pytest.fixture(scope="module")
def observations(tmp_path_factory):
    store = tmp_path_factory.mktemp("bundled")
    import_bundled(store)
    return load_store(store)


def values_by_period(rows: pl.DataFrame) -> dict[str, object]:
    return {row["period"]: row["value"] for row in rows.iter_rows(named=True)}


def test_unhcr_new_asylum_applications_of_belarusians_in_poland_are_the_tables_numbers(
    observations,
):
    rows = query(
        observations,
        dataset="unhcr_asylum_applications",
        filters={"citizen": ["BY"], "geo": ["PL"], "app_type": ["N"], "dec_level": ["FI"]},
    )
    found = values_by_period(rows)
    assert {p: found[p] for p in UNHCR_NEW_APPLICATIONS_BY_IN_PL} == UNHCR_NEW_APPLICATIONS_BY_IN_PL


def test_the_series_of_new_applications_sums_to_the_same_numbers(observations):
    series = values_by_period(new_asylum_applications(observations, "BY", "PL"))
    assert {
        p: series[p] for p in UNHCR_NEW_APPLICATIONS_BY_IN_PL
    } == UNHCR_NEW_APPLICATIONS_BY_IN_PL


def test_eurostat_valid_permits_of_belarusians_in_poland_on_31_december_are_exact(observations):
    rows = query(
        observations,
        dataset="migr_resvalid",
        filters={"citizen": ["BY"], "geo": ["PL"], "reason": ["TOTAL"]},
    )
    found = values_by_period(rows)
    assert {p: found[p] for p in EUROSTAT_VALID_PERMITS_BY_IN_PL} == EUROSTAT_VALID_PERMITS_BY_IN_PL
    assert "2025" not in found  # Poland had not reported 2025 when the extract was made


def test_eurostat_keeps_its_flag_on_polands_2018_stock(observations):
    rows = query(
        observations,
        dataset="migr_resvalid",
        filters={"citizen": ["BY"], "geo": ["PL"], "period": ["2018"]},
    )
    assert rows.select("value", "flag").row(0) == (49599, "d")


def test_eurostat_first_permits_match_the_extract(observations):
    rows = query(observations, dataset="migr_resfirst", filters={"citizen": ["BY"], "geo": ["PL"]})
    found = values_by_period(rows)
    assert {p: found[p] for p in EUROSTAT_FIRST_PERMITS_BY_IN_PL} == EUROSTAT_FIRST_PERMITS_BY_IN_PL


def test_unhcr_refugees_from_belarus_in_poland_are_the_tables_end_year_stocks(observations):
    rows = query(
        observations,
        dataset="unhcr_population",
        filters={"citizen": ["BY"], "geo": ["PL"], "population_type": ["refugees"]},
    )
    found = values_by_period(rows)
    assert (found["2021"], found["2025"]) == (1264, 11425)


def test_unhcr_decisions_for_belarusians_in_poland_at_first_instance(observations):
    rows = query(
        observations,
        dataset="unhcr_asylum_decisions",
        filters={"citizen": ["BY"], "geo": ["PL"], "dec_level": ["FI"], "period": ["2024"]},
    )
    by_outcome = {row["decision"]: row["value"] for row in rows.iter_rows(named=True)}
    assert by_outcome == {
        "recognized": 298,
        "other": 2291,
        "rejected": 205,
        "closed": 87,
        "total": 2881,
    }


def test_every_shipped_observation_names_its_source_and_eurostat_and_unhcr_their_retrieval(
    observations,
):
    assert observations["source"].null_count() == 0
    official = observations.filter(observations["dataset"] != "published_figures")
    assert official["retrieved"].null_count() == 0


def test_the_seed_articles_figures_are_in_the_published_table(observations):
    rows = query(
        observations,
        dataset="published_figures",
        filters={"citizen": ["BY"], "measure": ["residence_permit_holders"]},
    )
    found = {(row["period"], row["value"], row["flag"]) for row in rows.iter_rows(named=True)}
    assert {("2020-08", 28000, "~"), ("2025-02", 143000, ">")} <= found
