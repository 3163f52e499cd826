"""Codes as Eurostat writes them, their ISO meaning, and periods in the API's spelling."""

import pytest

from legalstay.stats import country_code_aliases, eurostat_to_iso, iso_to_eurostat, normalise_period


@pytest.mark.parametrize(
    ("eurostat", "iso"),
    [
        ("EL", "GR"),
        ("UK", "GB"),
        ("PL", "PL"),
        ("BY", "BY"),
        ("STLS", None),
        ("UNK", None),
        ("RNC", None),
        ("EU27_2020", None),
        ("TOTAL", None),
    ],
)
def test_eurostat_codes_map_to_iso_where_iso_has_the_country(eurostat, iso):
    assert eurostat_to_iso(eurostat) == iso


def test_iso_codes_map_back_to_eurostats_spelling():
    assert (iso_to_eurostat("GR"), iso_to_eurostat("GB"), iso_to_eurostat("PL")) == (
        "EL",
        "UK",
        "PL",
    )


def test_a_query_code_matches_both_spellings():
    assert country_code_aliases("GR") == {"GR", "EL"}
    assert country_code_aliases("EL") == {"GR", "EL"}
    assert country_code_aliases("BY") == {"BY"}


@pytest.mark.parametrize(
    ("written", "period"),
    [
        ("2023", "2023"),
        ("2023 ", "2023"),
        ("2023M01", "2023-01"),
        ("2023-01", "2023-01"),
        ("2023Q4", "2023-Q4"),
        ("2025S1", "2025-S1"),
        ("2024-02-29", "2024-02-29"),
        ("2020-08-09/2024-02-29", "2020-08-09/2024-02-29"),
        ("2023-13", None),
        ("2023-02-30", None),
        ("23", None),
        ("last year", None),
    ],
)
def test_periods_are_written_the_way_the_eurostat_api_writes_them(written, period):
    assert normalise_period(written) == period
