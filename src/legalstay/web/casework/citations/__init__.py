"""The rulebook's citations in the interface language, where a translation is kept.

The rulebook cites in English (:mod:`legalstay.rulebook.references`); the JSON's ``reference``
fields are the same in every language. A caseworker reading Polish reads them in Polish: each
language's file here (``pl.yaml``) maps a constant of ``references.py`` to its text in English,
as it was when translated, and in that language; ``parameters.pl.yaml`` does the same for the
parameters' references. A test holds the English to the rulebook's,
so a citation changed in English is translated again, not shown stale. A citation without a
translation (a language not yet translated) is shown in English, as before; one the rules
put together at run time reads translated when each of its parts is.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import get_language

__all__ = ["catalog", "cited", "parameter_citations"]


@cache
def catalog(language: str) -> dict[str, dict[str, str]]:
    """The file of ``language``: constant name -> {"en": …, language: …}; empty without one."""
    return _load(f"{language}.yaml") or {}


@cache
def parameter_citations(language: str) -> list[dict[str, str]]:
    """The file of ``language`` for the parameters' references (``parameters.<language>.yaml``):
    a list of {"en": …, language: …}, keyed by the English (the rulebook formats each from
    its act, article and note); empty without one."""
    return _load(f"parameters.{language}.yaml") or []


def _load(name: str) -> Any:
    path = Path(__file__).with_name(name)
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


@cache
def _by_english(language: str) -> dict[str, str]:
    found = {entry["en"]: entry[language] for entry in parameter_citations(language)}
    found.update({entry["en"]: entry[language] for entry in catalog(language).values()})
    return found


def cited(reference: str) -> str:
    """``reference`` in the active language where a translation is kept, else as given."""
    if not reference:
        return reference
    language = (get_language() or "en").split("-")[0]
    return _translated(language, reference) or reference


# How the rulebook joins citations at run time: a decision period and the suspension that
# may have run in it ("…; art. 100c … may have suspended it"), or a clause after a comma.
_JOINS = ("; ", ", ")


@lru_cache(maxsize=4096)
def _translated(language: str, text: str) -> str | None:
    """``text`` translated whole, or as citations joined as the rulebook joins them, each part
    translated; None if any part is not (a page never mixes languages within a citation)."""
    found = _by_english(language).get(text)
    if found is not None:
        return found
    for join in _JOINS:
        parts = text.split(join)
        for cut in range(1, len(parts)):
            head = _translated(language, join.join(parts[:cut]))
            tail = head and _translated(language, join.join(parts[cut:]))
            if head and tail:
                return f"{head}{join}{tail}"
    return None
