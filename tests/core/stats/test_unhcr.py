"""UNHCR tables: UNHCR's own country codes mapped to ISO through UNHCR's countries table."""

import pytest

from legalstay.stats import (
    ParsedFile,
    StatsFormatError,
    load_unhcr_countries,
    parse_observations,
    unhcr_country_code,
)

APPLICATIONS = (
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,app_type,dec_level,app_pc,"
    "applied\n"
)


def parse(text: str) -> ParsedFile:
    return parse_observations(text.encode(), name="unhcr.csv")


@pytest.mark.parametrize(
    ("unhcr", "code"),
    [
        ("AUS", "AT"),
        ("AUL", "AU"),
        ("BLR", "BY"),
        ("POL", "PL"),
        ("ALG", "DZ"),
        ("STA", "STLS"),
        ("UKN", "UNK"),
        ("TIB", "TIB"),
    ],
)
def test_unhcr_codes_become_iso_alpha_2_or_eurostats_special_codes(unhcr, code):
    assert unhcr_country_code(unhcr, load_unhcr_countries()) == code


def test_origin_and_asylum_become_citizen_and_geo():
    text = APPLICATIONS + "2023,Belarus,BLR,BLR,Austria,AUS,AUT,G,N,FI,P,120\n"
    frame = parse(text).observations
    assert frame.select("dataset", "citizen", "geo", "app_type", "period", "value").row(0) == (
        "unhcr_asylum_applications",
        "BY",
        "AT",
        "N",
        "2023",
        120,
    )


def test_a_code_the_countries_table_lacks_is_kept_and_noted():
    parsed = parse(APPLICATIONS + "2023,Somewhere,XYZ,,Poland,POL,POL,G,N,FI,P,5\n")
    assert parsed.observations["citizen"].to_list() == ["XYZ"]
    assert parsed.notes == ("UNHCR code XYZ is not in the countries table; kept as written",)


def test_a_population_row_becomes_one_observation_per_population_type():
    text = (
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,"
        "returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n"
        "2025,Belarus,BLR,BLR,Poland,POL,POL,11425,2883,0,0,0,0,0,,0\n"
    )
    frame = parse(text).observations
    values = dict(frame.select("population_type", "value").iter_rows())
    assert values["refugees"] == 11425 and values["asylum_seekers"] == 2883
    assert "oip" not in values  # empty in UNHCR's table: not reported, not zero


def test_decisions_become_one_observation_per_outcome():
    text = (
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
        "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n"
        "2024,Belarus,BLR,BLR,Poland,POL,POL,G,FI,P,298,2291,205,87,2881\n"
    )
    frame = parse(text).observations
    assert dict(frame.select("decision", "value").iter_rows()) == {
        "recognized": 298,
        "other": 2291,
        "rejected": 205,
        "closed": 87,
        "total": 2881,
    }


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (APPLICATIONS + "2023,Belarus,BLR,BLR,Poland,POL,POL,G,N,FI,P,12.5\n", 2, "not a count"),
        (APPLICATIONS + "2023,Belarus,BLR\n", 2, "3 cells"),
        (APPLICATIONS + "23,Belarus,BLR,BLR,Poland,POL,POL,G,N,FI,P,1\n", 2, "not a year"),
        ("year,coo,coa,applied\n2023,BLR,POL,1\n", 1, "no column 'procedure_type'"),
        ("year,coo,coa,something\n", 1, "not a population, asylum applications"),
    ],
)
def test_a_malformed_table_fails_with_the_line_and_the_reason(text, line, reason):
    with pytest.raises(StatsFormatError, match=reason) as error:
        parse(text)
    assert error.value.line == line
