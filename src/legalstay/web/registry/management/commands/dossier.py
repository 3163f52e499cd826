"""``legalstay dossier export PERSON_ID [--out FILE]`` and ``legalstay dossier import FILE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legalstay.dossier import DossierError, dossier_to_dict, load_dossier
from legalstay.web.registry.dossiers import do_import_dossier, dossier_for_person_id
from legalstay.web.registry.models import Person

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Export a person as a legalstay-dossier/1 JSON file, or import one."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="export|import")
        export = actions.add_parser("export", help="print a person's dossier as JSON")
        export.add_argument("person_id", help="the person's id (uid, or external id)")
        export.add_argument("--out", type=Path, help="write to this file instead of stdout")
        load = actions.add_parser("import", help="store a dossier: update or create the person")
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "export":
            self._export(options["person_id"], options["out"])
        else:
            self._import(options["file"])

    def _export(self, person_id: str, out: Path | None) -> None:
        try:
            dossier = dossier_for_person_id(person_id)
        except Person.DoesNotExist:
            raise CommandError(f"No person with id {person_id!r}.", returncode=BAD_INPUT) from None
        text = json.dumps(dossier_to_dict(dossier), ensure_ascii=False, indent=2)
        if out is None:
            self.stdout.write(text)
        else:
            out.write_text(text + "\n", encoding="utf-8")

    def _import(self, file: Path) -> None:
        try:
            person = do_import_dossier(load_dossier(file))
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}", returncode=BAD_INPUT) from None
        except DossierError as error:
            raise CommandError(f"{file}: {error}", returncode=BAD_INPUT) from None
        # Only the id: names and other personal data stay out of terminals and logs.
        self.stdout.write(f"Imported person {person.uid}")
