"""Eurostat TSV: flags after a space, ':' for missing, both applicant dimensions, round trips."""

import gzip

import polars as pl
import pytest

from legalstay.stats import (
    ParsedFile,
    StatsFormatError,
    parse_observations,
    read_observations,
    write_eurostat_tsv,
)

HEADER = "freq,unit,citizen,geo\\TIME_PERIOD\t2022 \t2023 \n"


def parse(text: str, name: str = "migr_resvalid.tsv") -> ParsedFile:
    return parse_observations(text.encode(), name=name)


def cell(parsed: ParsedFile, **codes: str) -> tuple[object, ...]:
    rows = parsed.observations.filter(**codes)
    assert rows.height == 1, rows
    return rows.select("value", "flag").row(0)


def test_a_value_keeps_the_flag_written_after_it(fixture_path):
    parsed = read_observations(fixture_path("migr_asyappctza_synthetic.tsv"))
    assert cell(parsed, citizen="BY", applicant="FRST", period="2022") == (1985, "p")
    assert cell(parsed, citizen="BY", applicant="SSEQ", period="2024") == (95, "e")


def test_a_missing_value_with_a_flag_is_kept_and_a_bare_colon_is_left_out(fixture_path):
    parsed = read_observations(fixture_path("migr_asyappctza_synthetic.tsv"))
    assert cell(parsed, citizen="BY", applicant="FRST", period="2024") == (None, "c")
    assert parsed.observations.filter(citizen="BY", applicant="SSEQ", period="2023").height == 0


def test_the_dataset_is_taken_from_the_file_name_and_the_source_names_eurostat(fixture_path):
    parsed = read_observations(fixture_path("migr_asyappctza_synthetic.tsv"))
    assert parsed.dataset == "migr_asyappctza"
    assert parsed.observations["source"].unique().to_list() == ["Eurostat, migr_asyappctza"]


def test_eurostats_own_country_codes_are_kept_as_written(fixture_path):
    parsed = read_observations(fixture_path("migr_asyappctza_synthetic.tsv"))
    assert cell(parsed, citizen="STLS", geo="EL", applicant="TOTAL", period="2021") == (20, None)


def test_the_old_asyl_app_dimension_is_recoded_to_applicant_and_the_rows_say_so(fixture_path):
    parsed = read_observations(fixture_path("migr_asyappctza_asyl_app_synthetic.tsv"))
    frame = parsed.observations
    assert "asyl_app" not in frame.columns
    assert sorted(frame["applicant"].unique().to_list()) == ["FRST", "TOTAL"]
    assert cell(parsed, citizen="BY", applicant="FRST", period="2020") == (400, "e")
    assert frame["note"].unique().to_list() == [
        "recoded from asyl_app (ASY_APP -> TOTAL, NASY_APP -> FRST)"
    ]
    assert any("asyl_app" in note for note in parsed.notes)


def test_old_and_new_files_land_on_the_same_codes(fixture_path):
    old = read_observations(fixture_path("migr_asyappctza_asyl_app_synthetic.tsv"))
    new = read_observations(fixture_path("migr_asyappctza_synthetic.tsv"))
    assert old.observations.columns == new.observations.columns


def test_monthly_periods_written_with_an_m_become_year_dash_month(fixture_path):
    parsed = read_observations(fixture_path("migr_asyappctzm_old_synthetic.tsv"))
    assert parsed.dataset == "migr_asyappctzm"
    assert sorted(parsed.observations["period"].unique().to_list()) == [
        "2020-08",
        "2020-09",
        "2020-10",
    ]


def test_a_file_not_named_after_its_dataset_is_placed_by_its_dimensions(fixture_path):
    text = fixture_path("migr_asyappctzm_old_synthetic.tsv").read_bytes()
    assert parse_observations(text, name="download.tsv").dataset == "migr_asyappctzm"


def test_a_permit_file_with_no_dataset_name_must_be_named(fixture_path):
    with pytest.raises(StatsFormatError, match="which dataset"):
        parse(HEADER + "A,PER,BY,PL\t1 \t2 \n", name="download.tsv")
    named = parse_observations((HEADER + "A,PER,BY,PL\t1 \t2 \n").encode(), dataset="migr_resfirst")
    assert named.dataset == "migr_resfirst"


def test_a_gzipped_file_reads_like_the_plain_one(fixture_path):
    plain = fixture_path("migr_asyappctza_synthetic.tsv").read_bytes()
    packed = parse_observations(gzip.compress(plain), name="migr_asyappctza.tsv.gz")
    assert packed.observations.equals(
        parse_observations(plain, name="migr_asyappctza.tsv").observations
    )


def test_writing_and_reading_again_gives_the_same_rows(fixture_path):
    first = read_observations(fixture_path("migr_asyappctza_synthetic.tsv")).observations
    again = parse(write_eurostat_tsv(first), name="migr_asyappctza.tsv").observations
    assert again.sort(pl.all()).equals(first.sort(pl.all()))


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (HEADER + "A,PER,BY,PL\t1 \n", 2, "2 cells where the header has 3"),
        (HEADER + "A,PER,BY,PL\t1 \t2 \nA,PER,PL\t1 \t2 \n", 3, "has not 4 codes"),
        (HEADER + "A,PER,BY,PL\t1 \tabc \n", 2, "'abc ' is not a value"),
        (HEADER + "A,PER,BY,PL\t1 \t2e \n", 2, "is not a value"),
        (HEADER + "A,PER,BY,PL\t1 \t\n", 2, "'' is not a value"),
        (HEADER + "A,PER,BY,PL\t1 \t2 \nA,PER,BY,PL\t3 \t4 \n", 3, "appears again"),
        (HEADER + "A,PER,BY,PL\t1 \t2 \n\nA,PER,UA,PL\t3 \t4 \n", 3, "empty line"),
        (HEADER + "A,PER,B Y,PL\t1 \t2 \n", 2, "'B Y' is not a code"),
        ("freq,unit,geo\t2022\n", 1, "not a format legalstay reads"),
        ("freq,unit,geo\\TIME_PERIOD\t20x2\n", 1, "'20x2' is not a period"),
    ],
)
def test_a_malformed_file_fails_with_the_line_and_the_reason(text, line, reason):
    with pytest.raises(StatsFormatError, match=reason) as error:
        parse(text)
    assert error.value.line == line
