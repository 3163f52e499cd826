"""``legalstay demo``: load a synthetic demo caseload (invented people only)."""

from __future__ import annotations

import time
import zoneinfo
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from legalstay.cli.exits import EXIT_BAD_INPUT
from legalstay.cli.options import count_option, positive_option
from legalstay.dossier import DossierError
from legalstay.web.bulk import vacuum_analyze
from legalstay.web.registry.dossiers import bulk_import_dossiers
from legalstay.web.registry.models import Person

# The caseload is dated by Polish law's calendar, whatever TIME_ZONE the server runs in.
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


class Command(BaseCommand):
    help = "Load a synthetic demo caseload: --persons N --seed S [--if-empty]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=count_option, default=2000, help="how many persons")
        parser.add_argument(
            "--seed", type=count_option, default=1, help="the same seed, the same people"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the registry holds anyone"
        )
        parser.add_argument(
            "--batch-size", type=positive_option, default=2000, help="persons stored per batch"
        )

    def handle(
        self, *args: Any, persons: int, seed: int, if_empty: bool, batch_size: int, **options: Any
    ) -> None:
        if if_empty and Person.objects.exists():
            self.stdout.write("The registry already holds persons; no demo caseload loaded.")
            return
        # Imported here: the generator pulls in NumPy and Polars, which other commands skip.
        from legalstay.synthetic import generate_caseload

        as_of = timezone.localdate(timezone=WARSAW)
        started = time.perf_counter()
        # One transaction for the whole caseload: a refused load leaves the registry as it was,
        # not holding the batches stored before the refusal.
        try:
            with transaction.atomic(), tqdm(total=persons, unit=" persons", disable=None) as bar:
                caseload = generate_caseload(persons, seed, as_of=as_of)
                loaded = bulk_import_dossiers(caseload, batch_size=batch_size, progress=bar.update)
        except DossierError as error:
            raise CommandError(
                f"{error}; nothing was loaded (a demo caseload goes into an empty registry, "
                "or use --if-empty)",
                returncode=EXIT_BAD_INPUT,
            ) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Loaded {loaded} synthetic persons (seed {seed}, as of {as_of.isoformat()}) "
            f"in {seconds:.1f} s, {loaded / max(seconds, 1e-9):.0f} persons/s."
        )
        # Fresh tables have no planner statistics until autovacuum comes by (if it runs).
        vacuum_analyze(*apps.get_app_config("registry").get_models())
