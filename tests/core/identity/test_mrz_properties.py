"""Properties of the parser over generated input."""

import contextlib
import datetime

from hypothesis import assume, given
from hypothesis import strategies as st

from legalstay.identity.mrz import MrzError, parse_mrz

from .builders import mrv, td1, td2, td3
from .test_mrz_vectors import READ, VECTORS

MRZ_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PIVOT = datetime.date(2025, 1, 1)

# Where each check digit's field lies: (line, start, end), check digit included.
TWO_LINE_DATES = {
    "document_number_check_digit": [(1, 0, 10)],
    "birth_date_check_digit": [(1, 13, 20)],
    "expiry_date_check_digit": [(1, 21, 28)],
}
CHECKED_SPANS = {
    "TD1": {
        "document_number_check_digit": [(0, 5, 15)],
        "birth_date_check_digit": [(1, 0, 7)],
        "expiry_date_check_digit": [(1, 8, 15)],
        "composite_check_digit": [(0, 15, 30), (1, 18, 30)],
    },
    "TD2": {**TWO_LINE_DATES, "composite_check_digit": [(1, 28, 36)]},
    "TD3": {
        **TWO_LINE_DATES,
        "optional_data_check_digit": [(1, 28, 43)],
        "composite_check_digit": [(1, 43, 44)],
    },
    "MRV-A": TWO_LINE_DATES,  # a visa's optional data has no check digit at all
    "MRV-B": TWO_LINE_DATES,
}

# Long document numbers are left out: their check digit may be computed two ways (see
# test_every_single_digit_typo_in_a_long_number_is_refused for them).
VALID_VECTORS = [
    VECTORS[vector_id]["mrz"]
    for vector_id, fields in sorted(READ.items())
    if len(fields["document_number"]) <= 9
]
dates = st.dates(datetime.date(1930, 1, 1), datetime.date(2024, 12, 31))
expiries = st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31))
names = st.lists(st.text(LETTERS, min_size=1, max_size=8), min_size=1, max_size=3).map("<".join)
numbers = st.text(LETTERS + "0123456789", min_size=1, max_size=9)
optional = st.text(LETTERS + "0123456789", max_size=7)


def yymmdd(day: datetime.date) -> str:
    return day.strftime("%y%m%d")


@st.composite
def built_zones(draw):
    """A valid zone of any format with generated names, numbers and dates."""
    common = {
        "number": draw(numbers),
        "birth": yymmdd(draw(dates)),
        "expiry": yymmdd(draw(expiries)),
        "sex": draw(st.sampled_from("FMX<")),
    }
    fill = draw(optional)
    builder = draw(
        st.sampled_from(
            [
                lambda: td1(**common, optional1=fill, optional2=fill),
                lambda: td2(**common, optional=fill),
                lambda: td3(**common, personal=fill),
                lambda: mrv(**common, width=44, optional=fill),
                lambda: mrv(**common, width=36, optional=fill),
            ]
        )
    )
    return builder()


valid_zones = st.one_of(st.sampled_from(VALID_VECTORS), built_zones())


@given(valid_zones, st.data())
def test_a_single_digit_typo_in_a_checked_field_is_refused_naming_that_check(lines, data):
    zone_format = parse_mrz(lines, pivot=PIVOT).format
    field = data.draw(st.sampled_from(sorted(CHECKED_SPANS[zone_format])))
    digits = [
        (line, position)
        for line, start, end in CHECKED_SPANS[zone_format][field]
        for position in range(start, end)
        if lines[line][position].isdigit()
    ]
    if not digits:
        return  # e.g. an all-letter number, or an empty personal number with a '<' check
    line, position = data.draw(st.sampled_from(digits))
    typo = data.draw(st.sampled_from([d for d in "0123456789" if d != lines[line][position]]))
    mistyped = list(lines)
    mistyped[line] = lines[line][:position] + typo + lines[line][position + 1 :]
    try:
        parse_mrz(mistyped, pivot=PIVOT)
    except MrzError as error:
        assert error.field == field
    else:
        raise AssertionError(f"{mistyped} was accepted")


def test_every_single_digit_typo_in_a_long_number_is_refused():
    # The number's own check digit may let a typo through (two computations are accepted),
    # but the composite covers the characters as printed and catches it.
    zones = [VECTORS[vector_id]["mrz"] for vector_id, fields in READ.items()]
    long_numbers = [lines for lines in zones if lines[0][14] == "<" and len(lines) == 3]
    assert len(long_numbers) >= 5
    for lines in long_numbers:
        end = 15 + lines[0][15:].index("<")
        for position in [p for p in range(5, end) if lines[0][p].isdigit()]:
            for typo in "0123456789".replace(lines[0][position], ""):
                mistyped = [lines[0][:position] + typo + lines[0][position + 1 :], *lines[1:]]
                try:
                    parse_mrz(mistyped, pivot=PIVOT)
                except MrzError as error:
                    assert error.field in {"document_number_check_digit", "composite_check_digit"}
                else:
                    raise AssertionError(f"{mistyped} was accepted")


@given(st.one_of(st.text(), st.lists(st.text(), max_size=4)), st.none() | st.dates())
def test_it_raises_nothing_but_mrz_error_on_any_text(lines, pivot):
    with contextlib.suppress(MrzError):
        parse_mrz(lines, pivot=pivot)


@given(
    st.sampled_from([(30, 3), (36, 2), (44, 2)]).flatmap(
        lambda shape: st.lists(
            st.text(MRZ_ALPHABET, min_size=shape[0], max_size=shape[0]),
            min_size=shape[1],
            max_size=shape[1],
        )
    ),
    st.none() | st.dates(),
)
def test_it_raises_nothing_but_mrz_error_on_zone_shaped_noise(lines, pivot):
    with contextlib.suppress(MrzError):
        parse_mrz(lines, pivot=pivot)


@given(names, names, numbers, dates, expiries, st.sampled_from("FM"))
def test_a_generated_passport_reads_back_as_written(surname, forenames, number, born, expires, sex):
    assume(born <= expires)  # nobody holds a document that expired before their birth
    lines = td3(
        names=f"{surname}<<{forenames}"[:39],
        number=number,
        birth=yymmdd(born),
        expiry=yymmdd(expires),
        sex=sex,
    )
    fields = parse_mrz(lines, pivot=PIVOT)
    assert fields.document_number == number
    assert (fields.birth_date, fields.expiry_date, fields.sex) == (born, expires, sex)
    assert fields.surname == surname.replace("<", " ")
