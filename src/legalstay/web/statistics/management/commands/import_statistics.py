"""``legalstay manage import_statistics FILE… | --bundled``: official statistics into the
database, in one transaction (a malformed file names its line and reason and changes nothing;
the same file twice changes nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from legalstay.stats import ImportReport, StatsFormatError
from legalstay.web.statistics import services
from legalstay.web.statistics.models import ImportChannel


class Command(BaseCommand):
    help = (
        "Import official statistics (Eurostat TSV, SDMX-CSV, JSON-stat, UNHCR tables, published "
        "figures) into the database; the format is told from the content."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, metavar="FILE")
        parser.add_argument(
            "--bundled", action="store_true", help="the extracts shipped with legalstay"
        )
        parser.add_argument(
            "--dataset", help="the dataset code, for a Eurostat TSV not named after it"
        )
        parser.add_argument("--source", help="the source to record (default: what the file says)")
        parser.add_argument(
            "--retrieved",
            type=dt.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="when the files were downloaded (default: today)",
        )

    def handle(self, *args: Any, files: list[Path], bundled: bool, **options: Any) -> None:
        if not files and not bundled:
            raise CommandError("name files to import, or --bundled", returncode=2)
        try:
            uploads = [(str(path), path.read_bytes()) for path in files]
            with transaction.atomic():  # the shipped extracts and the files: all or nothing
                reports = [services.do_import_bundled(actor=None)] if bundled else []
                if uploads:
                    reports.append(self._import(uploads, options))
        except OSError as error:
            raise CommandError(f"{error}; nothing was imported", returncode=2) from None
        except StatsFormatError as error:
            raise CommandError(f"{error}; nothing was imported", returncode=2) from None
        for report in reports:
            self._print(report)

    def _import(self, uploads: list[tuple[str, bytes]], options: dict[str, Any]) -> ImportReport:
        return services.do_import_uploads(
            actor=None,
            uploads=uploads,
            channel=ImportChannel.COMMAND,
            dataset=options["dataset"],
            source=options["source"],
            retrieved=options["retrieved"] or timezone.localdate(),
        )

    def _print(self, report: ImportReport) -> None:
        for file in report.files:
            self.stdout.write(
                f"{file.name}: {file.format}, {file.dataset}: {file.added} added, "
                f"{file.updated} updated, {file.unchanged} unchanged"
            )
            for note in file.notes:
                self.stdout.write(f"  note: {note}")
        self.stdout.write(
            f"total: {report.added} added, {report.updated} updated, {report.unchanged} unchanged"
        )
