"""``legalstay scan``: recompute every person's stored status and raise or resolve alerts.

Idempotent: a second run on the same date changes nothing. A cron job or systemd timer runs it
daily; ``--as-of`` evaluates another date (tests, back-dated checks).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from tqdm import tqdm

from legalstay.cli.options import date_option, positive_option
from legalstay.web.casework.scan import DEFAULT_BATCH_SIZE, run_scan, tidy_after_scan
from legalstay.web.registry.models import Person


class Command(BaseCommand):
    help = "Recompute every person's stored status (both scenarios) and raise or resolve alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", type=date_option, default=None, help="the date to assess (default: today)"
        )
        parser.add_argument(
            "--batch-size",
            type=positive_option,
            default=DEFAULT_BATCH_SIZE,
            help="persons per transaction",
        )

    def handle(self, *args: Any, as_of: dt.date | None, batch_size: int, **options: Any) -> None:
        as_of = as_of or timezone.localdate()
        started = time.perf_counter()
        total = Person.objects.count()
        with tqdm(total=total, unit=" persons", disable=None) as bar:
            run = run_scan(as_of, batch_size=batch_size, progress=bar.update)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Scanned {run.persons} persons as of {as_of.isoformat()} in {seconds:.1f} s "
            f"({run.persons / max(seconds, 1e-9):.0f} persons/s): {run.changed} changed, "
            f"{run.alerts_raised} alerts raised, {run.alerts_resolved} resolved."
        )
        if tidy_after_scan(run):
            self.stdout.write("Many statuses were rewritten: status and alert tables vacuumed.")
