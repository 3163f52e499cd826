"""Signals the registry sends, so apps that derive from its rows stay current without the
registry importing them (casework recomputes stored statuses on ``person_facts_changed``)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the writing transaction with ``person_ids``: a frozenset of Person primary keys
# whose facts (person fields, family links, documents, titles, applications and their events,
# stays abroad) changed. Receivers run in the same transaction, so what they store commits or
# rolls back with the change. Bulk loads (``bulk_import_dossiers``) do not send it: a
# scheduled scan covers them.
person_facts_changed = Signal()
