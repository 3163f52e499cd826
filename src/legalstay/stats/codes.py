"""Codes as the publishers write them, and how they map to ISO 3166 and to each other.

Eurostat keeps its own country codes (EL for Greece, UK for the United Kingdom) and adds
citizenship codes with no ISO equivalent (STLS stateless, UNK unknown, RNC recognised
non-citizens) and aggregates (EU27_2020, EXT_EU27_2020, TOTAL). The store keeps every code as
the publisher wrote it; these functions say what it means in ISO terms, where anything does.
"""

from __future__ import annotations

import datetime as dt
import re

import pycountry

__all__ = [
    "APPLICANT_CODES_FROM_ASYL_APP",
    "EUROSTAT_NON_ISO_CODES",
    "country_code_aliases",
    "eurostat_to_iso",
    "iso_to_eurostat",
    "normalise_period",
]

# Eurostat writes these two countries differently from ISO 3166-1.
_EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}
_ISO_TO_EUROSTAT = {iso: eurostat for eurostat, iso in _EUROSTAT_TO_ISO.items()}

EUROSTAT_NON_ISO_CODES = {
    "STLS": "Stateless",
    "UNK": "Unknown",
    "RNC": "Recognised non-citizens",
    "TOTAL": "Total",
    "EU27_2020": "European Union (27 countries, from 2020)",
    "EXT_EU27_2020": "Extra-EU27 (from 2020)",
    "EU28": "European Union (28 countries, 2013-2020)",
    "EXT_EU28": "Extra-EU28 (2013-2020)",
}

# Older extracts name the applicant dimension `asyl_app`; Eurostat renamed it `applicant` and
# its codes (one public repository records "NASY_APP -> FRST"). ASY_APP counted all applicants.
APPLICANT_CODES_FROM_ASYL_APP = {"ASY_APP": "TOTAL", "NASY_APP": "FRST"}

_MONTH = r"(?:0[1-9]|1[0-2])"
_PERIOD_PART = rf"\d{{4}}(?:-(?:{_MONTH}(?:-\d{{2}})?|Q[1-4]|S[12]|W(?:0[1-9]|[1-4]\d|5[0-3])))?"
_PERIOD = re.compile(rf"{_PERIOD_PART}(?:/{_PERIOD_PART})?")
# Eurostat's older bulk files write 2023M01, 2023Q1, 2023S1; the API writes 2023-01, 2023-Q1.
_COMPACT_PERIOD = re.compile(r"(\d{4})(?:M(\d{2})|([QS][1-4]))")


def eurostat_to_iso(code: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a Eurostat country code, or None (STLS, EU27_2020, …)."""
    iso = _EUROSTAT_TO_ISO.get(code, code)
    return iso if len(iso) == 2 and pycountry.countries.get(alpha_2=iso) else None


def iso_to_eurostat(code: str) -> str:
    """The Eurostat code for an ISO alpha-2 code (GR -> EL); any other code is returned as is."""
    return _ISO_TO_EUROSTAT.get(code, code)


def country_code_aliases(code: str) -> set[str]:
    """The codes a query for ``code`` should match: GR finds Eurostat's EL, and EL finds GR."""
    return {code, iso_to_eurostat(code), _EUROSTAT_TO_ISO.get(code, code)}


def normalise_period(text: str) -> str | None:
    """The period in the API's spelling (2023, 2023-01, 2023-Q1, 2023-S1, 2024-02-29, a/b)."""
    text = text.strip()
    compact = _COMPACT_PERIOD.fullmatch(text)
    if compact:
        year, month, part = compact.groups()
        text = f"{year}-{month}" if month else f"{year}-{part}"
    if not _PERIOD.fullmatch(text) or not all(_is_date(part) for part in text.split("/")):
        return None
    return text


def _is_date(part: str) -> bool:
    if len(part) != 10:
        return True  # a year, month, quarter, half-year or week: the pattern checked it
    try:
        dt.date.fromisoformat(part)
    except ValueError:
        return False
    return True
