"""The person search: a name in either script, a document number or a PESEL, in one box."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from legalstay.dossier import normalise_document_number
from legalstay.web.registry.models import (
    NAME_PARTS,
    Document,
    Person,
    word_keys,
)


def person_search_filter(query: str) -> Q:
    """Matches persons whose every name word starts with one of the query words' keys, or
    whose PESEL or one of whose document numbers equals the query.

    Name keys are shared by Cyrillic and Latin spellings (``search_keys``), so "Сяргей",
    "Siarhei" and "Sergei" can find the same person; each key matches the start of a word,
    so a search updates usefully while the caseworker types. The three ways are a UNION of
    ids rather than an OR, so that each can use its own index (on PostgreSQL, a trigram index
    for the names).
    """
    compact = normalise_document_number(query)
    ways: list[QuerySet[Any, Any]] = [
        Document.objects.filter(number=compact).values("person_id"),
    ]
    if compact.isdigit():
        # Repeating the partial index's condition lets SQLite use that index (PostgreSQL
        # would anyway).
        ways.append(Person.objects.filter(pesel=compact).exclude(pesel="").values("pk"))
    # Names hold no digits: a query with digits is a number, and scanning names for its
    # letters ("MP" of a passport number) would only cost time.
    names = None if any(char.isdigit() for char in query) else name_filter(query)
    if names is not None:
        ways.append(Person.objects.filter(names).values("pk"))
    first, *others = ways
    return Q(pk__in=first.union(*others)) if others else Q(pk__in=first)


def name_filter(query: str) -> Q | None:
    """Every word of the query must start a word of the person's names (in any spelling)."""
    word_filters = []
    for word in NAME_PARTS.split(query):
        keys = word_keys(word)
        if not keys:
            continue
        any_key = Q()
        for key in sorted(keys):
            any_key |= Q(name_keys__contains=f" {key}")
        word_filters.append(any_key)
    if not word_filters:
        return None
    combined = word_filters[0]
    for word_filter in word_filters[1:]:
        combined &= word_filter
    return combined
