"""Keeps stored statuses current: the registry announces changed facts, casework recomputes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from legalstay.web.casework import services
from legalstay.web.registry.signals import person_facts_changed


@receiver(person_facts_changed, dispatch_uid="casework-recompute-status")
def recompute_status(sender: Any, person_ids: frozenset[int], **kwargs: Any) -> None:
    # Runs inside the registry's transaction: the status commits or rolls back with the facts.
    services.do_recompute_persons(person_ids)
