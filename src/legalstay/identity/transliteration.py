"""Names in Latin letters the way travel documents print them, and keys to search names by.

:func:`to_latin` follows the ICAO Doc 9303 Part 3 (section 6) recommendation: Cyrillic letter
for letter (Table B) with the language-specific exceptions, Latin letters with diacritics by
Table A (Ä → AE, Ł → L, ß → SS …), apostrophes dropped, everything in capitals. Belarusian
differs from the general column in two letters, Г → H and Ё → IO (ICAO's own note; so
"Алёна" → "ALIONA"); Ukrainian in И → Y, and Г → H as Ukrainian passports print it
(Cabinet of Ministers resolution 55 of 2010; ICAO's general column has G). Russian uses the
general column (Г → G, Ё → E, Ъ → IE), as Russian passports have since 2014.

:func:`search_keys` gives lowercase ASCII keys so that a caseworker finds a person whichever
script or spelling they type: Cyrillic is transliterated with every table (Belarusian,
Russian, Ukrainian), diacritics are folded both plainly (ü → u, ł → l) and the ICAO way
(ü → ue), so "Іваноў", "ИВАНОВ" and "ivanou" meet on a shared key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = ["LANGUAGES", "search_keys", "to_latin"]

LANGUAGES = ("be", "ru", "uk")

# ICAO 9303 Part 3 Table B, general column (capitals; small letters are upper-cased first).
_CYRILLIC: Mapping[str, str] = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Ґ": "G", "Ѓ": "G", "Д": "D", "Ђ": "D",
    "Е": "E", "Ё": "E", "Є": "IE", "Ж": "ZH", "З": "Z", "Ѕ": "DZ", "И": "I", "І": "I",
    "Ї": "I", "Й": "I", "Ј": "J", "К": "K", "Ќ": "K", "Л": "L", "Љ": "LJ", "М": "M",
    "Н": "N", "Њ": "NJ", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "C",
    "У": "U", "Ў": "U", "Ѫ": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Џ": "DZ",
    "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA",
}  # fmt: skip

_LANGUAGE_EXCEPTIONS: Mapping[str, Mapping[str, str]] = {
    "be": {"Г": "H", "Ё": "IO"},
    "ru": {},
    "uk": {"Г": "H", "И": "Y"},
}

# Latin letters that Unicode decomposition does not reduce to A-Z, or that ICAO Table A
# writes with two letters. The plain fold is for search; the ICAO fold is what passports print.
_PLAIN_LATIN: Mapping[str, str] = {
    "Æ": "AE", "Œ": "OE", "Ø": "O", "ß": "SS", "Þ": "TH", "Ð": "D", "Đ": "D", "Ħ": "H",
    "Ł": "L", "Ŀ": "L", "Ŋ": "N", "Ŧ": "T", "Ĳ": "IJ",
}  # fmt: skip
_ICAO_LATIN: Mapping[str, str] = {
    **_PLAIN_LATIN, "Ä": "AE", "Å": "AA", "Ö": "OE", "Ø": "OE", "Ü": "UE",
}  # fmt: skip

# Apostrophes inside names (Belarusian and Ukrainian "'", "ʼ", "’") are dropped, not spaced.
_APOSTROPHES = frozenset("'’ʼ‘`´ʹ")
_HYPHENS = frozenset("-‐‑‒–—")


def to_latin(text: str, language: str = "be") -> str:
    """The name in capitals A-Z, spaces and hyphens, as ICAO 9303 transliterates it.

    ``language`` picks the Cyrillic table: ``"be"`` (Belarusian), ``"ru"`` or ``"uk"``.
    Letters with no transliteration are dropped; digits and other signs become spaces.
    """
    table = _cyrillic_table(language)
    latin = "".join(_latin_letter(char, table, _ICAO_LATIN) for char in _capitals(text))
    latin = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", latin))
    return re.sub(r"-{2,}", "-", latin).strip(" -")


def search_keys(text: str) -> set[str]:
    """Lowercase ASCII keys (a-z and single spaces) for finding ``text`` in either script.

    Every Cyrillic table and both Latin folds contribute a key, so the set holds each spelling
    a caseworker may reasonably type. A Latin key gives back itself: for every key ``k`` of
    any text, ``search_keys(k) == {k}``.
    """
    capitals = _capitals(text)
    keys = {
        _search_key(capitals, _cyrillic_table(language), latin_fold)
        for language in LANGUAGES
        for latin_fold in (_PLAIN_LATIN, _ICAO_LATIN)
    }
    keys.discard("")
    return keys


def _capitals(text: str) -> str:
    # NFC first: a decomposed Й or Ў (letter + combining breve) must meet the table as one.
    return unicodedata.normalize("NFC", text).upper()


def _cyrillic_table(language: str) -> Mapping[str, str]:
    if language not in _LANGUAGE_EXCEPTIONS:
        raise ValueError(f"Unknown language {language!r}; expected one of {', '.join(LANGUAGES)}.")
    return {**_CYRILLIC, **_LANGUAGE_EXCEPTIONS[language]}


def _search_key(capitals: str, table: Mapping[str, str], latin_fold: Mapping[str, str]) -> str:
    latin = "".join(_latin_letter(char, table, latin_fold) for char in capitals)
    return " ".join(re.sub(r"[^A-Z]+", " ", latin).split()).lower()


def _latin_letter(char: str, table: Mapping[str, str], latin_fold: Mapping[str, str]) -> str:
    """One upper-cased character as A-Z letters, "" (dropped), " " or "-"."""
    category = unicodedata.category(char)
    if "A" <= char <= "Z":
        return char
    if char in table:
        return table[char]
    if char in latin_fold:
        return latin_fold[char]
    if char in _APOSTROPHES or category.startswith("M"):
        return ""
    if char in _HYPHENS:
        return "-"
    if category.startswith("L"):
        return _without_diacritics(char)
    return " "


def _without_diacritics(letter: str) -> str:
    """Ą, É, Ż … lose their marks; letters with no Latin base (Greek, Arabic …) are dropped."""
    base = unicodedata.normalize("NFKD", letter).encode("ascii", "ignore").decode().upper()
    return "".join(char for char in base if "A" <= char <= "Z")
