"""PESEL, the Polish personal identification number, read with python-stdnum (stdnum.pl.pesel).

A PESEL states its holder's birth date (the month carries the century: +80 for the 1800s,
+0 the 1900s, +20 the 2000s, +40 the 2100s, +60 the 2200s) and sex (the tenth digit is even
for women, odd for men). The registry refuses a PESEL that contradicts the birth date or sex
it holds, so :func:`check_pesel_matches` lists every contradiction in plain English.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.pl import pesel as stdnum_pesel

__all__ = [
    "PESEL_LENGTH",
    "Pesel",
    "PeselError",
    "check_pesel_matches",
    "is_valid_pesel",
    "parse_pesel",
]

PESEL_LENGTH = 11


class PeselError(ValueError):
    """A number that is not a valid PESEL; ``reason`` is one of ``non_digits``, ``length``,
    ``checksum`` or ``birth_date``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Pesel:
    """A valid PESEL and the facts it states."""

    number: str
    birth_date: datetime.date
    sex: str  # "F" or "M"


def parse_pesel(value: str) -> Pesel:
    """Validates a PESEL (spaces and hyphens between digits are ignored) and reads it.

    Raises :class:`PeselError`, checking in this order: digits only, eleven digits, the check
    digit, a birth date that exists.
    """
    number = stdnum_pesel.compact(value)
    _refuse_malformed(value, number)
    expected = stdnum_pesel.calc_check_digit(number[:-1])
    if number[-1] != expected:
        raise PeselError(
            "checksum",
            f"The PESEL {number} has the check digit {number[-1]}, but its first ten digits "
            f"give {expected}: a digit is mistyped.",
        )
    try:
        birth_date = stdnum_pesel.get_birth_date(number)
    except InvalidComponent:
        raise PeselError(
            "birth_date",
            f"The PESEL {number} encodes no real birth date (year digits {number[0:2]}, month "
            f"digits {number[2:4]}, day digits {number[4:6]}).",
        ) from None
    return Pesel(number=number, birth_date=birth_date, sex=stdnum_pesel.get_gender(number))


def is_valid_pesel(value: str) -> bool:
    """True when :func:`parse_pesel` accepts the value."""
    try:
        stdnum_pesel.validate(value)
    except ValidationError:
        return False
    return True


def check_pesel_matches(pesel: str, birth_date: datetime.date | None, sex: str | None) -> list[str]:
    """Sentences naming each way the PESEL contradicts the recorded birth date and sex.

    An unknown birth date (``None``) or a sex other than ``"F"``/``"M"`` (blank, ``"X"``) is
    not compared: a PESEL records only female or male. Raises :class:`PeselError` when the
    PESEL itself is invalid.
    """
    facts = parse_pesel(pesel)
    mismatches: list[str] = []
    if birth_date is not None and birth_date != facts.birth_date:
        mismatches.append(
            f"The PESEL {facts.number} states the birth date {facts.birth_date.isoformat()}, "
            f"but the recorded birth date is {birth_date.isoformat()}."
        )
    if sex in {"F", "M"} and sex != facts.sex:
        mismatches.append(
            f"The PESEL {facts.number} states the sex {_SEX_WORDS[facts.sex]}, but the "
            f"recorded sex is {_SEX_WORDS[sex]}."
        )
    return mismatches


_SEX_WORDS = {"F": "female", "M": "male"}


def _refuse_malformed(value: str, number: str) -> None:
    if number and not (number.isascii() and number.isdigit()):
        bad = sorted({char for char in number if not (char.isascii() and char.isdigit())})
        raise PeselError(
            "non_digits",
            f"A PESEL holds only digits; {value.strip()!r} contains "
            f"{', '.join(repr(char) for char in bad)}.",
        )
    if len(number) != PESEL_LENGTH:
        raise PeselError(
            "length",
            f"A PESEL has {PESEL_LENGTH} digits; {number} has {len(number)}.",
        )
