"""The person search: a name in either script, a document number or a PESEL, in one box."""

from __future__ import annotations

from django.db.models import Q

from legalstay.web.registry.models import (
    NAME_PARTS,
    Document,
    normalise_document_number,
    word_keys,
)


def person_search_filter(query: str) -> Q:
    """Matches persons whose every name word starts with one of the query words' keys, or
    whose PESEL or one of whose document numbers equals the query.

    Name keys are shared by Cyrillic and Latin spellings (``search_keys``), so "Сяргей",
    "Siarhei" and "Sergei" can find the same person; each key matches the start of a word,
    so a search updates usefully while the caseworker types.
    """
    compact = normalise_document_number(query)
    by_number = Q(pk__in=Document.objects.filter(number=compact).values("person_id"))
    by_pesel = Q(pesel=compact) if compact.isdigit() else Q(pk__in=[])
    return by_number | by_pesel | name_filter(query)


def name_filter(query: str) -> Q:
    words = [word for word in NAME_PARTS.split(query) if word]
    word_filters = []
    for word in words:
        keys = word_keys(word)
        if not keys:
            continue
        any_key = Q()
        for key in sorted(keys):
            any_key |= Q(name_keys__contains=f" {key}")
        word_filters.append(any_key)
    if not word_filters:
        return Q(pk__in=[])
    combined = word_filters[0]
    for word_filter in word_filters[1:]:
        combined &= word_filter
    return combined
