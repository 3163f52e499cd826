"""Starting Django from the ``legalstay`` command line."""

from __future__ import annotations

import os

# `legalstay NAME` → Django management command name.
COMMAND_ALIASES = {
    "serve": "runserver",
    "demo-account": "demo_account",
}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalstay.web.settings")
    import django

    django.setup()


def run_management_command(argv: list[str]) -> int:
    """Runs ``argv`` (``["demo", "--persons", "10"]``) as a Django management command."""
    from django.core.management import execute_from_command_line

    setup_django()
    name, *rest = argv
    if name == "manage":
        execute_from_command_line(["legalstay manage", *rest])
        return 0
    execute_from_command_line(["legalstay", COMMAND_ALIASES.get(name, name), *rest])
    return 0
