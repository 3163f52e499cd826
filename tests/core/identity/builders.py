"""Builds machine-readable zones with correct check digits, for tests that need a zone
with particular dates, names or numbers.

The builders lean on ``check_digit``, which the check-digit tests verify against the ICAO
specimens and the cheminfo vectors first.
"""

from legalstay.identity.mrz import check_digit

FILLER = "<"


def digit(value: str) -> str:
    return str(check_digit(value))


def td3(
    *,
    code: str = "P<",
    state: str = "BLR",
    names: str = "IVANOU<<ALES",
    number: str = "MP1234567",
    nationality: str = "BLR",
    birth: str = "880314",
    sex: str = "M",
    expiry: str = "300101",
    personal: str = "3140388A001PB5",
    personal_check: str | None = None,
) -> list[str]:
    """A passport (TD3); ``personal_check`` overrides the personal-number check digit."""
    number_field = number.ljust(9, FILLER)
    personal_field = personal.ljust(14, FILLER)
    body = (
        number_field
        + digit(number_field)
        + nationality
        + _dates(birth, sex, expiry)
        + personal_field
        + (digit(personal_field) if personal_check is None else personal_check)
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return _sized([(code + state + names).ljust(44, FILLER), body + digit(composite)], 44)


def td2(
    *,
    code: str = "I<",
    state: str = "UTO",
    names: str = "ERIKSSON<<ANNA<MARIA",
    number: str = "D23145890",
    nationality: str = "UTO",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "320415",
    optional: str = "",
) -> list[str]:
    """An identity card of the middle size (TD2); a number over nine characters is continued
    in the optional data as ICAO 9303 Part 6 prescribes."""
    number_field, number_check, optional = _long_number(number, optional, width=7)
    body = number_field + number_check + nationality + _dates(birth, sex, expiry) + optional
    composite = body[0:10] + body[13:20] + body[21:35]
    return _sized([(code + state + names).ljust(36, FILLER), body + digit(composite)], 36)


def td1(
    *,
    code: str = "IR",
    state: str = "POL",
    number: str = "RP1234567",
    optional1: str = "",
    birth: str = "880314",
    sex: str = "M",
    expiry: str = "300101",
    nationality: str = "BLR",
    optional2: str = "",
    names: str = "IVANOU<<ALES",
) -> list[str]:
    """A card (TD1), by default a Polish residence card of a Belarusian; a number over nine
    characters is continued in optional data 1 as ICAO 9303 Part 5 prescribes."""
    number_field, number_check, optional1 = _long_number(number, optional1, width=15)
    line1 = code + state + number_field + number_check + optional1
    line2 = _dates(birth, sex, expiry) + nationality + optional2.ljust(11, FILLER)
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return _sized([line1, line2 + digit(composite), names.ljust(30, FILLER)], 30)


def mrv(
    *,
    width: int = 44,
    code: str = "V<",
    state: str = "POL",
    names: str = "IVANOU<<ALES",
    number: str = "VP1234567",
    nationality: str = "BLR",
    birth: str = "880314",
    sex: str = "M",
    expiry: str = "300101",
    optional: str = "",
) -> list[str]:
    """A visa: MRV-A (``width=44``) or MRV-B (``width=36``); visas have no composite."""
    number_field = number.ljust(9, FILLER)
    body = number_field + digit(number_field) + nationality + _dates(birth, sex, expiry)
    lines = [(code + state + names).ljust(width, FILLER), (body + optional).ljust(width, FILLER)]
    return _sized(lines, width)


def _sized(lines: list[str], width: int) -> list[str]:
    assert all(len(line) == width for line in lines), f"a line is not {width} characters"
    return lines


def _dates(birth: str, sex: str, expiry: str) -> str:
    return birth + digit(birth) + sex + expiry + digit(expiry)


def _long_number(number: str, optional: str, width: int) -> tuple[str, str, str]:
    if len(number) <= 9:
        field = number.ljust(9, FILLER)
        return field, digit(field), optional.ljust(width, FILLER)
    continuation = number[9:] + digit(number) + FILLER + optional
    assert len(continuation) <= width, "the number does not fit the optional data field"
    return number[:9], FILLER, continuation.ljust(width, FILLER)
