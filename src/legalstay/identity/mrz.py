"""ICAO Doc 9303 machine-readable zones: TD1, TD2, TD3 and the MRV-A and MRV-B visas.

A parsed zone is trusted only when every check digit agrees: the document number, the birth
date, the expiry date, the TD3 personal number and the composite (TD1, TD2, TD3; visas have
none). The first check that fails raises :class:`MrzError` naming the field, so a caseworker
can look at the right characters on the document. Nothing is auto-corrected: an OCR slip such
as ``0`` for ``O`` is refused, never guessed. Zones outside ICAO 9303 (driving licences, the
French identity card issued before 2021) are refused with ``field="format"``.

Layouts (positions are 0-based slices of the line):

* TD1, 3 × 30: line 1 code [0:2], state [2:5], number [5:14], check [14], optional 1 [15:30];
  line 2 birth [0:6], check [6], sex [7], expiry [8:14], check [14], nationality [15:18],
  optional 2 [18:29], composite [29]; line 3 names.
* TD2, MRV-B (2 × 36) and TD3, MRV-A (2 × 44): line 1 code [0:2], state [2:5], names [5:];
  line 2 number [0:9], check [9], nationality [10:13], birth [13:19], check [19], sex [20],
  expiry [21:27], check [27], then optional data to the end, except the last character
  (composite) for TD2 and TD3 and the personal-number check digit [42] for TD3.

Long document numbers (TD1 and TD2, ICAO 9303 Parts 5 and 6): when a number has more than
nine characters, the first nine fill the number field, the check-digit position holds ``<``,
and the optional data field continues with the rest of the number, its check digit and a
filler. ICAO computes that check digit over the whole number; some documents (the Belgian
identity card specimen BEL-BO-03003) compute it over the number as printed, with the ``<``
between the two parts. Both are accepted; the composite check digit still covers every
character as printed.

Two-digit years: the expiry year is always 20YY. The birth year is 20YY when that date is on
or before the reference date and 19YY otherwise; the reference date is the earlier of
``pivot`` (the caller's "today"; the core never reads the clock) and the expiry date, because
nobody is born after today or after their document expires. With neither (no pivot, expiry
"<<<<<<") the century cannot be told and the birth date is refused. A document that expired
in the 1990s reads as expiring in the 2090s; only old specimens are like that.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MrzError", "MrzFields", "check_digit", "parse_mrz"]

FILLER = "<"
_WEIGHTS = (7, 3, 1)
_MRZ_LINE = re.compile(r"[A-Za-z0-9<]+")
_STATE_CODE = re.compile(r"[A-Z]+<*")
_NAME_FIELD = re.compile(r"[A-Z<]*")
_SEX_CODES = {"F": "F", "M": "M", "X": "X", FILLER: "X"}
# ICAO 9303 Parts 5 and 6 let TD1 and TD2 continue a long document number in optional data.
_LONG_NUMBER_FORMATS = frozenset({"TD1", "TD2"})


class MrzError(ValueError):
    """A machine-readable zone that cannot be trusted; ``field`` names what failed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MrzFields:
    """The data elements of a verified machine-readable zone.

    ``optional_data`` has its fillers stripped at both ends and each run of inner fillers shown
    as one space. For TD1 it is optional data 1 (line 1, after any continuation of a long
    document number) and optional data 2 (line 2), joined by one space when both are present.
    """

    format: str
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: datetime.date | None
    sex: str
    expiry_date: datetime.date | None
    optional_data: str

    def to_json_dict(self) -> dict[str, object]:
        """The fields under their own names, dates as ISO strings (``None`` when unknown)."""
        return {
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "surname": self.surname,
            "given_names": self.given_names,
            "nationality": self.nationality,
            "birth_date": _iso(self.birth_date),
            "sex": self.sex,
            "expiry_date": _iso(self.expiry_date),
            "optional_data": self.optional_data,
            "format": self.format,
        }


@dataclass(frozen=True)
class _Zone:
    """The raw character fields of one zone, sliced by format, before any check."""

    format: str
    document_code: str
    issuing_state: str
    names: str
    document_number: str
    document_number_check: str
    nationality: str
    birth_date: str
    birth_date_check: str
    sex: str
    expiry_date: str
    expiry_date_check: str
    optional_data: tuple[str, ...]
    optional_data_check: str | None
    composite: str | None
    composite_check: str | None


def check_digit(value: str) -> int:
    """The ICAO 9303 check digit of ``value``: weights 7, 3, 1; ``<`` = 0, A = 10 … Z = 35."""
    total = 0
    for position, character in enumerate(value):
        total += _character_value(character) * _WEIGHTS[position % 3]
    return total % 10


def parse_mrz(lines: str | Sequence[str], *, pivot: datetime.date | None = None) -> MrzFields:
    """Parses and verifies a machine-readable zone.

    ``lines`` is a pasted block or a list of lines; blank lines and surrounding spaces are
    dropped and lowercase letters read as capitals. ``pivot`` is today's date as the caller
    knows it; it decides the century of the birth year together with the expiry date (see the
    module docstring). Raises :class:`MrzError` naming the first field that fails.
    """
    zone = _slice(_normalise(lines))
    document_number, optional_parts = _verified_document_number(zone)
    _verify("birth_date_check_digit", "birth date", zone.birth_date, zone.birth_date_check)
    _verify("expiry_date_check_digit", "expiry date", zone.expiry_date, zone.expiry_date_check)
    _verify_personal_number(zone)
    _verify_composite(zone)
    expiry_date = _expiry_date(zone.expiry_date)
    surname, given_names = _names(zone.names)
    return MrzFields(
        format=zone.format,
        document_code=_document_code(zone.document_code),
        issuing_state=_state_code("issuing_state", "issuing state", zone.issuing_state),
        document_number=document_number,
        surname=surname,
        given_names=given_names,
        nationality=_state_code("nationality", "nationality", zone.nationality),
        birth_date=_birth_date(zone.birth_date, _reference_date(pivot, expiry_date)),
        sex=_sex(zone.sex),
        expiry_date=expiry_date,
        optional_data=" ".join(part for part in map(_clean, optional_parts) if part),
    )


# --- reading the lines ---------------------------------------------------------------------


def _normalise(lines: str | Sequence[str]) -> list[str]:
    text = lines if isinstance(lines, str) else "\n".join(lines)
    rows = [row.strip() for row in text.splitlines()]
    rows = [row for row in rows if row]
    for number, row in enumerate(rows, start=1):
        # Checked before upper-casing: str.upper() turns some non-MRZ letters into ASCII ones.
        if not _MRZ_LINE.fullmatch(row):
            bad = next(char for char in row if not _MRZ_LINE.fullmatch(char))
            raise MrzError(
                "format",
                f"Line {number} contains {bad!r}; a machine-readable zone holds only the "
                "letters A-Z, the digits 0-9 and the filler '<'.",
            )
    return [row.upper() for row in rows]


def _slice(rows: list[str]) -> _Zone:
    lengths = tuple(len(row) for row in rows)
    if not rows:
        raise MrzError("format", "The input holds no machine-readable zone: it is empty.")
    if lengths == (30, 30, 30):
        return _slice_td1(*rows)
    if lengths == (36, 36) and rows[0].startswith("IDFRA"):
        raise MrzError(
            "format",
            "This is the French national identity card issued before 2021 (two lines of 36 "
            "characters starting 'IDFRA'); its zone does not follow ICAO 9303 and is not "
            "supported.",
        )
    if lengths in {(36, 36), (44, 44)}:
        return _slice_two_line(rows[0], rows[1])
    raise MrzError(
        "format",
        f"Found {len(rows)} line(s) of {', '.join(map(str, lengths))} characters; "
        "expected 3 lines of 30 (TD1), 2 lines of 36 (TD2, MRV-B) or 2 lines of 44 "
        "(TD3, MRV-A).",
    )


def _slice_td1(line1: str, line2: str, line3: str) -> _Zone:
    return _Zone(
        format="TD1",
        document_code=line1[0:2],
        issuing_state=line1[2:5],
        names=line3,
        document_number=line1[5:14],
        document_number_check=line1[14],
        nationality=line2[15:18],
        birth_date=line2[0:6],
        birth_date_check=line2[6],
        sex=line2[7],
        expiry_date=line2[8:14],
        expiry_date_check=line2[14],
        optional_data=(line1[15:30], line2[18:29]),
        optional_data_check=None,
        composite=line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29],
        composite_check=line2[29],
    )


def _slice_two_line(line1: str, line2: str) -> _Zone:
    is_visa = line1.startswith("V")
    is_td3 = len(line1) == 44 and not is_visa
    visa_format = "MRV-A" if len(line1) == 44 else "MRV-B"
    td_format = "TD3" if is_td3 else "TD2"
    optional_end = 42 if is_td3 else len(line2) - (0 if is_visa else 1)
    return _Zone(
        format=visa_format if is_visa else td_format,
        document_code=line1[0:2],
        issuing_state=line1[2:5],
        names=line1[5:],
        document_number=line2[0:9],
        document_number_check=line2[9],
        nationality=line2[10:13],
        birth_date=line2[13:19],
        birth_date_check=line2[19],
        sex=line2[20],
        expiry_date=line2[21:27],
        expiry_date_check=line2[27],
        optional_data=(line2[28:optional_end],),
        optional_data_check=line2[42] if is_td3 else None,
        composite=None if is_visa else line2[0:10] + line2[13:20] + line2[21:-1],
        composite_check=None if is_visa else line2[-1],
    )


# --- check digits ---------------------------------------------------------------------------


def _character_value(character: str) -> int:
    if character.isascii() and character.isdigit():
        return int(character)
    if "A" <= character <= "Z":
        return ord(character) - ord("A") + 10
    if character == FILLER:
        return 0
    raise MrzError("format", f"{character!r} is not a machine-readable-zone character.")


def _verify(field: str, label: str, value: str, printed: str, covers: str = "") -> None:
    """Refuses ``printed`` unless it is the check digit of ``value``; ``covers`` says what
    ``value`` is made of when it is not one field (the composite)."""
    expected = check_digit(value)
    source = covers or f"the {label} {value!r}"
    if not printed.isdigit():
        raise MrzError(
            field,
            f"The {label} check digit is {printed!r}, not a digit; {expected} is computed from "
            f"{source}.",
        )
    if int(printed) != expected:
        raise MrzError(
            field,
            f"The {label} check digit is {printed}, but {expected} is computed from {source}: a "
            "character or the check digit is misread or altered.",
        )


def _verified_document_number(zone: _Zone) -> tuple[str, tuple[str, ...]]:
    """The document number without fillers, and the optional data that does not continue it."""
    field = "document_number_check_digit"
    if zone.document_number_check != FILLER:
        _verify(field, "document number", zone.document_number, zone.document_number_check)
        return zone.document_number.replace(FILLER, ""), zone.optional_data
    if zone.format not in _LONG_NUMBER_FORMATS:
        raise MrzError(
            field,
            f"The document number check digit is '<', but {zone.format} has no convention "
            "for long document numbers; expected a digit.",
        )
    principal, (continuation, *other_parts) = zone.document_number, zone.optional_data
    rest, printed, remaining = _split_continuation(principal, continuation)
    per_icao = check_digit(principal + rest)
    as_printed = check_digit(principal + FILLER + rest)
    if int(printed) not in (per_icao, as_printed):
        raise MrzError(
            field,
            f"The check digit of the long document number {principal + rest!r} is {printed}, "
            f"but the number gives {per_icao} (or {as_printed} counting the '<' as printed).",
        )
    return principal + rest, (remaining, *other_parts)


def _split_continuation(principal: str, continuation: str) -> tuple[str, str, str]:
    """Splits ``rest-of-number, check digit, remaining optional data`` (ICAO 9303 Part 5 4.2.2)."""
    end = continuation.find(FILLER)
    end = len(continuation) if end == -1 else end
    rest, printed = continuation[: end - 1], continuation[end - 1 : end]
    if FILLER in principal or not rest or not printed.isdigit():
        raise MrzError(
            "document_number_check_digit",
            f"The document number check digit is '<', which announces a number longer than "
            f"nine characters continued in the optional data, but {continuation!r} does not "
            "hold the rest of the number followed by a check digit.",
        )
    return rest, printed, continuation[end + 1 :]


def _verify_personal_number(zone: _Zone) -> None:
    """TD3 only: an empty personal number may carry ``<`` or ``0`` as its check digit."""
    if zone.optional_data_check is None:
        return
    (personal_number,) = zone.optional_data
    if zone.optional_data_check == FILLER and not personal_number.strip(FILLER):
        return
    _verify(
        "optional_data_check_digit", "personal number", personal_number, zone.optional_data_check
    )


def _verify_composite(zone: _Zone) -> None:
    if zone.composite is None or zone.composite_check is None:
        return
    covers = "the document number, dates and optional data as printed"
    _verify("composite_check_digit", "composite", zone.composite, zone.composite_check, covers)


# --- reading the values ---------------------------------------------------------------------


def _document_code(raw: str) -> str:
    if not ("A" <= raw[0] <= "Z") or not ("A" <= raw[1] <= "Z" or raw[1] == FILLER):
        raise MrzError(
            "document_code",
            f"The document code is {raw!r}; expected a letter followed by a letter or '<'.",
        )
    return raw.rstrip(FILLER)


def _state_code(field: str, label: str, raw: str) -> str:
    if not _STATE_CODE.fullmatch(raw):
        raise MrzError(
            field,
            f"The {label} is {raw!r}; expected a three-letter ICAO code such as 'BLR' or 'D<<'.",
        )
    return raw.rstrip(FILLER)


def _names(raw: str) -> tuple[str, str]:
    """Primary identifier before the first ``<<``, secondary identifier after it."""
    surname, _, given_names = raw.partition(FILLER * 2)
    for field, value in (("surname", surname), ("given_names", given_names)):
        if not _NAME_FIELD.fullmatch(value):
            raise MrzError(
                field,
                f"The name field {raw!r} contains a digit; names hold only the letters A-Z "
                "and the filler '<'.",
            )
    return _clean(surname), _clean(given_names)


def _sex(raw: str) -> str:
    if raw not in _SEX_CODES:
        raise MrzError("sex", f"The sex is {raw!r}; expected 'F', 'M', 'X' or '<'.")
    return _SEX_CODES[raw]


def _expiry_date(raw: str) -> datetime.date | None:
    parts = _date_parts("expiry_date", "expiry date", raw)
    if parts is None:
        return None
    year, month, day = parts
    return _date("expiry_date", "expiry date", raw, 2000 + year, month, day)


def _reference_date(
    pivot: datetime.date | None, expiry_date: datetime.date | None
) -> datetime.date | None:
    known = [day for day in (pivot, expiry_date) if day is not None]
    return min(known) if known else None


def _birth_date(raw: str, reference: datetime.date | None) -> datetime.date | None:
    parts = _date_parts("birth_date", "birth date", raw)
    if parts is None:
        return None
    if reference is None:
        raise MrzError(
            "birth_date",
            f"The birth date {raw!r} has a two-digit year, and with no expiry date and no "
            "pivot date there is no way to tell its century; pass pivot (today's date).",
        )
    year, month, day = parts
    in_2000s = (2000 + year, month, day) <= (reference.year, reference.month, reference.day)
    return _date("birth_date", "birth date", raw, (2000 if in_2000s else 1900) + year, month, day)


def _date_parts(field: str, label: str, raw: str) -> tuple[int, int, int] | None:
    """``(yy, mm, dd)``, or ``None`` when the zone marks the date (or part of it) unknown."""
    if FILLER in raw and all(char.isdigit() or char == FILLER for char in raw):
        return None
    if not raw.isdigit():
        raise MrzError(field, f"The {label} is {raw!r}; expected six digits YYMMDD.")
    return int(raw[0:2]), int(raw[2:4]), int(raw[4:6])


def _date(field: str, label: str, raw: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise MrzError(
            field,
            f"The {label} {raw!r} is not a real date (year {year}, month {month:02d}, day "
            f"{day:02d}); expected a valid YYMMDD date.",
        ) from None


def _clean(raw: str) -> str:
    """Fillers stripped at both ends; each inner run of fillers becomes one space."""
    return " ".join(part for part in raw.split(FILLER) if part)


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()
