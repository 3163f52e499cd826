"""Dates in the zone: two-digit years, unknown parts and impossible dates.

The rule (module docstring of legalstay.identity.mrz): expiry is 20YY; birth is 20YY when
that is on or before the earlier of the pivot and the expiry date, else 19YY.
"""

import datetime

import pytest

from legalstay.identity.mrz import MrzError, parse_mrz

from .builders import td1, td3

D = datetime.date


def birth_date(
    birth: str, expiry: str = "300101", pivot: datetime.date | None = None
) -> datetime.date | None:
    return parse_mrz(td3(birth=birth, expiry=expiry), pivot=pivot).birth_date


def refusal(lines: list[str], pivot: datetime.date | None = None) -> MrzError:
    with pytest.raises(MrzError) as error:
        parse_mrz(lines, pivot=pivot)
    return error.value


def test_a_birth_on_the_pivot_day_is_in_the_2000s():
    assert birth_date("250615", pivot=D(2025, 6, 15)) == D(2025, 6, 15)


def test_a_birth_the_day_after_the_pivot_is_in_the_1900s():
    assert birth_date("250616", pivot=D(2025, 6, 15)) == D(1925, 6, 16)


def test_without_a_pivot_the_expiry_date_is_the_reference():
    assert birth_date("300101", expiry="300101") == D(2030, 1, 1)
    assert birth_date("300102", expiry="300101") == D(1930, 1, 2)


def test_the_earlier_of_pivot_and_expiry_decides_for_an_expired_document():
    # A document that expired in April 2012 cannot belong to someone born in 2015.
    assert birth_date("150101", expiry="120415", pivot=D(2025, 1, 1)) == D(1915, 1, 1)
    assert birth_date("120415", expiry="120415", pivot=D(2025, 1, 1)) == D(2012, 4, 15)


def test_the_pivot_decides_when_it_is_earlier_than_the_expiry():
    assert birth_date("260101", expiry="350101", pivot=D(2025, 12, 31)) == D(1926, 1, 1)
    assert birth_date("251231", expiry="350101", pivot=D(2025, 12, 31)) == D(2025, 12, 31)


def test_a_child_born_in_poland_reads_as_born_in_the_2000s():
    assert birth_date("240201", expiry="290131", pivot=D(2025, 3, 1)) == D(2024, 2, 1)


@pytest.mark.parametrize(("printed", "year"), [("000101", 2000), ("991231", 2099)])
def test_expiry_years_are_always_in_the_2000s(printed, year):
    fields = parse_mrz(td3(birth="700101", expiry=printed), pivot=D(2025, 1, 1))
    assert fields.expiry_date is not None
    assert fields.expiry_date.year == year


def test_without_a_pivot_a_1990s_expiry_reads_as_the_2090s():
    # Known limit of the two-digit year: pass a pivot to read old specimens' birth years.
    fields = parse_mrz(td3(birth="400907", expiry="961210"))
    assert (fields.expiry_date, fields.birth_date) == (D(2096, 12, 10), D(2040, 9, 7))
    fields = parse_mrz(td3(birth="400907", expiry="961210"), pivot=D(2025, 1, 1))
    assert fields.birth_date == D(1940, 9, 7)


@pytest.mark.parametrize("printed", ["881314", "880230", "880000", "880431", "880132"])
def test_it_refuses_a_birth_date_that_does_not_exist(printed):
    error = refusal(td3(birth=printed), pivot=D(2025, 1, 1))
    assert error.field == "birth_date"
    assert printed in str(error)
    assert "not a real date" in str(error)


@pytest.mark.parametrize("printed", ["301301", "300229", "300431"])
def test_it_refuses_an_expiry_date_that_does_not_exist(printed):
    error = refusal(td3(expiry=printed), pivot=D(2025, 1, 1))
    assert error.field == "expiry_date"


def test_the_29th_of_february_2000_exists():
    assert birth_date("000229", pivot=D(2025, 1, 1)) == D(2000, 2, 29)


def test_the_29th_of_february_1900_does_not():
    error = refusal(td3(birth="000229", expiry="000301"), pivot=D(2000, 2, 28))
    assert error.field == "birth_date"
    assert "year 1900" in str(error)


@pytest.mark.parametrize("printed", ["<<<<<<", "88<<<<", "8803<<"])
def test_an_unknown_birth_date_reads_as_none(printed):
    assert birth_date(printed, pivot=D(2025, 1, 1)) is None


def test_an_unknown_expiry_date_reads_as_none_and_the_pivot_decides_the_birth_century():
    fields = parse_mrz(td1(expiry="<<<<<<", birth="100101"), pivot=D(2025, 1, 1))
    assert (fields.expiry_date, fields.birth_date) == (None, D(2010, 1, 1))


def test_with_neither_pivot_nor_expiry_it_refuses_to_guess_the_century():
    error = refusal(td1(expiry="<<<<<<", birth="100101"))
    assert error.field == "birth_date"
    assert "pivot" in str(error)


def test_it_refuses_a_letter_inside_a_date():
    error = refusal(td3(birth="88O314"), pivot=D(2025, 1, 1))
    assert error.field == "birth_date"
    assert "six digits YYMMDD" in str(error)
