"""Country codes: ISO 3166-1 (pycountry) and the ICAO 9303 codes that are not ISO."""

from __future__ import annotations

from functools import cache

import pycountry

__all__ = [
    "ICAO_SPECIAL_CODES",
    "alpha3_to_alpha2",
    "is_issuing_state",
    "issuing_state",
    "to_alpha2",
]

# ICAO Doc 9303 Part 3 codes that are not ISO 3166 alpha-3 (cheminfo/mrz builder/states.txt, MIT).
ICAO_SPECIAL_CODES = {
    "D": "Germany",
    "GBD": "British Overseas Territories citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas citizen",
    "GBP": "British protected person",
    "GBS": "British subject",
    "RKS": "Kosovo",
    "XXK": "Kosovo",
    "EUE": "European Union",
    "UNO": "United Nations Organization",
    "UNA": "Specialized agency of the United Nations",
    "UNK": "Resident of Kosovo (UNMIK)",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XEC": "Economic Community of West African States",
    "XPO": "International Criminal Police Organization",
    "XOM": "Sovereign Military Order of Malta",
    "XDC": "Southern African Development Community",
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other)",
    "XXX": "Unspecified nationality",
}


@cache
def to_alpha2(code: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for an alpha-2 or alpha-3 code, or None if unknown."""
    code = code.strip().upper()
    if len(code) == 2:
        return code if pycountry.countries.get(alpha_2=code) else None
    if code == "D":
        return "DE"
    return alpha3_to_alpha2(code)


@cache
def alpha3_to_alpha2(code: str) -> str | None:
    country = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    return country.alpha_2 if country else None


def is_issuing_state(code: str) -> bool:
    """True for an ISO alpha-2/alpha-3 code or an ICAO special code (e.g. 'D', 'XXA')."""
    return to_alpha2(code) is not None or code.strip().upper() in ICAO_SPECIAL_CODES


def issuing_state(code: str) -> str | None:
    """An issuer as stored and read by the rules: ISO alpha-2 where one exists (``POL``,
    ``pl`` and ``D`` are ``PL``, ``PL``, ``DE``), else the ICAO 9303 code (``XXA``); None for
    a code that names no issuing state."""
    upper = code.strip().upper()
    if upper in ICAO_SPECIAL_CODES and upper != "D":
        return upper
    return to_alpha2(upper)
