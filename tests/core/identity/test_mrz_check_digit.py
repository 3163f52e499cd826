"""The ICAO 9303 check digit: weights 7, 3, 1; '<' = 0, A = 10 … Z = 35."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legalstay.identity.mrz import MrzError, check_digit

FIXTURES = Path(__file__).parent / "fixtures"
MRZ_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
CHEMINFO = json.loads((FIXTURES / "cheminfo_check_digits.json").read_text(encoding="utf-8"))


def reference_check_digit(value: str) -> int:
    """The rule as ICAO 9303 Part 3 §4.9 states it, written independently of the module."""
    values = [0 if char == "<" else MRZ_ALPHABET.index(char) for char in value]
    weights = [(7, 3, 1)[position % 3] for position in range(len(value))]
    return sum(v * w for v, w in zip(values, weights, strict=True)) % 10


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("L898902C3", 6),  # ICAO 9303 Part 4 specimen: document number
        ("740812", 2),  # birth date
        ("120415", 9),  # expiry date
        ("ZE184226B<<<<<", 1),  # personal number
        ("L898902C3674081221204159ZE184226B<<<<<1", 0),  # composite: 0-10, 13-20, 21-43
        ("D23145890", 7),  # ICAO 9303 Parts 5 and 6 specimen
        ("", 0),
        ("<<<<<<", 0),
    ],
)
def test_it_computes_the_check_digits_of_the_icao_specimens(value, expected):
    assert check_digit(value) == expected


@pytest.mark.parametrize(("value", "expected"), CHEMINFO["valid"])
def test_it_agrees_with_every_check_digit_the_cheminfo_tests_assert(value, expected):
    assert check_digit(value) == expected


@pytest.mark.parametrize(("value", "wrong"), CHEMINFO["not"])
def test_it_disagrees_where_the_cheminfo_tests_expect_a_mismatch(value, wrong):
    assert check_digit(value) != wrong


def test_it_refuses_a_character_outside_the_mrz_alphabet():
    with pytest.raises(MrzError) as error:
        check_digit("AB-12")
    assert error.value.field == "format"
    assert "'-'" in str(error.value)


@given(st.text(alphabet=MRZ_ALPHABET, max_size=60))
def test_it_follows_the_icao_rule_for_any_string(value):
    assert check_digit(value) == reference_check_digit(value)
    assert check_digit(value) in range(10)


@given(st.text(alphabet=MRZ_ALPHABET, max_size=40), st.integers(min_value=0, max_value=5))
def test_trailing_fillers_never_change_the_check_digit(value, fillers):
    assert check_digit(value + "<" * fillers) == check_digit(value)


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=20),
    st.data(),
)
def test_it_notices_any_single_digit_typed_wrong(value, data):
    # 7, 3 and 1 share no factor with 10, so every one-digit change moves the sum's last digit.
    position = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    typo = data.draw(st.sampled_from([d for d in "0123456789" if d != value[position]]))
    mistyped = value[:position] + typo + value[position + 1 :]
    assert check_digit(mistyped) != check_digit(value)
