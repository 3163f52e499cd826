"""PESEL: validation, the birth date and sex it states, and contradictions with the registry."""

import csv
import datetime
from pathlib import Path

import pytest

from legalstay.identity.pesel import (
    Pesel,
    PeselError,
    check_pesel_matches,
    is_valid_pesel,
    parse_pesel,
)

FIXTURES = Path(__file__).parent / "fixtures"


def vectors() -> list[dict[str, str]]:
    with (FIXTURES / "pesel_vectors.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


VALID = [row for row in vectors() if row["expected_valid"] == "true"]
INVALID = [row for row in vectors() if row["expected_valid"] == "false"]
REASONS = {
    "InvalidFormat": "non_digits",
    "InvalidLength": "length",
    "InvalidChecksum": "checksum",
    "InvalidComponent": "birth_date",
}


def test_the_fixture_holds_the_permissive_sources_only():
    assert all(row["source"].endswith("MIT") for row in vectors())
    assert (len(VALID), len(INVALID)) == (108, 59)


@pytest.mark.parametrize("row", VALID, ids=lambda row: row["pesel"])
def test_it_accepts_every_valid_vector_with_its_birth_date_and_sex(row):
    pesel = parse_pesel(row["pesel"])
    assert pesel.number == row["pesel"]
    assert pesel.birth_date.isoformat() == row["stdnum_birth_date"]
    assert pesel.sex == row["stdnum_gender"]
    assert is_valid_pesel(row["pesel"])


@pytest.mark.parametrize("row", INVALID, ids=lambda row: row["pesel"])
def test_it_refuses_every_invalid_vector_with_the_reason(row):
    with pytest.raises(PeselError) as error:
        parse_pesel(row["pesel"])
    assert error.value.reason == REASONS[row["stdnum_error"]]
    assert not is_valid_pesel(row["pesel"])


@pytest.mark.parametrize(
    ("number", "birth_date", "sex"),
    [
        ("89851202672", datetime.date(1889, 5, 12), "M"),  # month + 80: the 1800s
        ("78060258156", datetime.date(1978, 6, 2), "M"),
        ("62013029384", datetime.date(1962, 1, 30), "F"),
        ("05262812365", datetime.date(2005, 6, 28), "F"),  # month + 20: the 2000s
        ("45421500818", datetime.date(2145, 2, 15), "M"),  # month + 40: the 2100s
    ],
)
def test_it_reads_the_century_from_the_month(number, birth_date, sex):
    assert parse_pesel(number) == Pesel(number=number, birth_date=birth_date, sex=sex)


def test_it_ignores_spaces_and_hyphens_between_digits():
    assert parse_pesel(" 780602-58156 ").number == "78060258156"


def test_it_refuses_a_bad_checksum_saying_which_digit_it_expected():
    with pytest.raises(PeselError) as error:
        parse_pesel("78060258157")
    assert error.value.reason == "checksum"
    assert str(error.value) == (
        "The PESEL 78060258157 has the check digit 7, but its first ten digits give 6: "
        "a digit is mistyped."
    )


def test_it_refuses_an_impossible_birth_date():
    # 55 55: month 55 is the 2100s' month 15.
    with pytest.raises(PeselError) as error:
        parse_pesel("55558888888")
    assert error.value.reason == "birth_date"
    assert "no real birth date" in str(error.value)


@pytest.mark.parametrize(("number", "count"), [("941164297", "9"), ("912021964561", "12")])
def test_it_refuses_a_wrong_length(number, count):
    with pytest.raises(PeselError, match=f"has {count}") as error:
        parse_pesel(number)
    assert error.value.reason == "length"


@pytest.mark.parametrize("number", ["", "   "])
def test_it_refuses_an_empty_pesel_as_too_short(number):
    with pytest.raises(PeselError) as error:
        parse_pesel(number)
    assert error.value.reason == "length"


def test_it_refuses_non_digits_naming_them():
    with pytest.raises(PeselError) as error:
        parse_pesel("800901d289629")
    assert error.value.reason == "non_digits"
    assert "'D'" in str(error.value)


def test_it_refuses_non_ascii_digits():
    with pytest.raises(PeselError) as error:
        parse_pesel("٧٨٠٦٠٢٥٨١٥٦")  # 78060258156 in Arabic-Indic digits
    assert error.value.reason == "non_digits"


def test_a_pesel_that_agrees_with_the_registry_has_no_mismatch():
    assert check_pesel_matches("62013029384", datetime.date(1962, 1, 30), "F") == []


def test_it_lists_a_contradicting_birth_date_and_sex():
    assert check_pesel_matches("62013029384", datetime.date(1962, 1, 31), "M") == [
        "The PESEL 62013029384 states the birth date 1962-01-30, but the recorded birth "
        "date is 1962-01-31.",
        "The PESEL 62013029384 states the sex female, but the recorded sex is male.",
    ]


@pytest.mark.parametrize("sex", [None, "", "X"])
def test_it_does_not_compare_what_the_registry_does_not_know(sex):
    assert check_pesel_matches("62013029384", None, sex) == []


def test_checking_an_invalid_pesel_raises():
    with pytest.raises(PeselError):
        check_pesel_matches("62013029385", None, None)
