"""System checks: a suppression threshold that would let small counts out is a configuration
error, caught at start-up rather than on the first page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_suppression_threshold(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    threshold = getattr(settings, "STATISTICS_SUPPRESSION_THRESHOLD", 10)
    if isinstance(threshold, int) and not isinstance(threshold, bool) and threshold >= 1:
        return []
    return [
        Error(
            f"STATISTICS_SUPPRESSION_THRESHOLD is {threshold!r}; it must be a whole number "
            "of persons, at least 1 (default 10).",
            id="statistics_app.E001",
        )
    ]
