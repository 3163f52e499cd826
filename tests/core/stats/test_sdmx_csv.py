"""SDMX-CSV 1.0 and 2.0 as Eurostat writes them, with and without label columns."""

import polars as pl
import pytest

from legalstay.stats import (
    ParsedFile,
    StatsFormatError,
    parse_observations,
    read_observations,
    write_sdmx_csv,
)

V2 = "STRUCTURE,STRUCTURE_ID,freq,citizen,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
ROW = "dataflow,ESTAT:MIGR_RESVALID(1.0),A,BY,PL,{period},{value},{flag}\n"


def parse(text: str) -> ParsedFile:
    return parse_observations(text.encode(), name="download.csv")


def test_eurostats_labelled_linear_download_reads_codes_not_labels(fixture_path):
    parsed = read_observations(fixture_path("migr_resvalid_UA_linear_2_0.csv"))
    frame = parsed.observations
    assert (parsed.format, parsed.dataset) == ("sdmx-csv-2.0", "migr_resvalid")
    assert frame.height == 328
    assert frame.columns[:7] == ["dataset", "freq", "duration", "reason", "unit", "citizen", "geo"]
    assert frame.filter(geo="PL", period="2024")["value"].to_list() == [638617]


def test_the_labelled_download_keeps_its_flags(fixture_path):
    frame = read_observations(fixture_path("migr_resvalid_UA_linear_2_0.csv")).observations
    assert frame.filter(geo="PL", period="2018").select("value", "flag").row(0) == (413770, "d")
    assert frame.filter(geo="MT", period="2017")["flag"].to_list() == ["ep"]


def test_the_uk_stays_uk_as_eurostat_writes_it(fixture_path):
    frame = read_observations(fixture_path("migr_resvalid_UA_linear_2_0.csv")).observations
    assert "UK" in frame["geo"].to_list()
    assert "GB" not in frame["geo"].to_list()


def test_sdmx_csv_1_0_reads_its_last_update_into_the_source(fixture_path):
    parsed = read_observations(fixture_path("migr_resfirst_sdmx_1_0.csv"))
    assert (parsed.format, parsed.dataset) == ("sdmx-csv-1.0", "migr_resfirst")
    assert parsed.observations["source"][0] == "Eurostat, migr_resfirst (data updated 2026-05-22)"
    assert parsed.observations.filter(geo="FR")["value"].to_list() == [287179]


def test_a_confidential_status_becomes_the_flag_c_and_an_empty_row_is_left_out(fixture_path):
    frame = read_observations(fixture_path("migr_resfirst_sdmx_1_0.csv")).observations
    assert frame.filter(geo="EL").select("value", "flag").row(0) == (None, "c")
    assert frame.filter(geo="UK").height == 0


def test_the_both_style_header_code_colon_label_is_understood():
    text = (
        "STRUCTURE,STRUCTURE_ID,freq: Time frequency,citizen: Citizenship,geo: Geo,"
        "TIME_PERIOD: Time,OBS_VALUE,OBS_FLAG\n"
        "dataflow,ESTAT:MIGR_RESVALID(1.0),A: Annual,BY: Belarus,PL: Poland,2023,306447,\n"
    )
    frame = parse(text).observations
    assert frame.select("citizen", "geo", "period", "value").row(0) == ("BY", "PL", "2023", 306447)


def test_writing_and_reading_again_gives_the_same_rows(fixture_path):
    first = read_observations(fixture_path("migr_resvalid_UA_linear_2_0.csv")).observations
    text = write_sdmx_csv(first, dataflow="ESTAT:MIGR_RESVALID(1.0)")
    again = parse(text).observations
    assert again.sort(pl.all()).equals(first.sort(pl.all()))


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (V2 + ROW.format(period="2023", value="1", flag="") + "dataflow,X,A\n", 3, "3 cells"),
        (V2 + ROW.format(period="2023", value="12a", flag=""), 2, "'12a' is not a OBS_VALUE"),
        (V2 + ROW.format(period="23", value="1", flag=""), 2, "'23' is not a TIME_PERIOD"),
        (V2 + ROW.format(period="2023", value="1", flag="p!"), 2, "is not a OBS_FLAG"),
        (V2 + ROW.format(period="2023", value="1", flag="") * 2, 3, "appears again"),
        (V2 + 'dataflow,"ESTAT:X,A,BY\n', 2, "not CSV"),
        ("STRUCTURE,STRUCTURE_ID,freq,OBS_VALUE\n", 1, "no TIME_PERIOD"),
        (
            V2
            + ROW.format(period="2023", value="1", flag="")
            + "dataflow,ESTAT:MIGR_RESFIRST(1.0),A,BY,PL,2023,1,\n",
            3,
            "a second dataflow",
        ),
    ],
)
def test_a_malformed_file_fails_with_the_line_and_the_reason(text, line, reason):
    with pytest.raises(StatsFormatError, match=reason) as error:
        parse(text)
    assert error.value.line == line
