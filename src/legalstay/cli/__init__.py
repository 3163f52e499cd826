"""The ``legalstay`` command.

Core commands (``mrz``, ``assess``, ``stats`` …) run without Django. Commands that need the
database (``demo``, ``dossier``, ``scan``, ``serve``, ``manage`` …) are Django management
commands; this entry point sets Django up only for those, so the core stays fast to start.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Sequence
from typing import Protocol

from legalstay import __version__

__all__ = ["main"]

from legalstay.cli.allocator import cap_malloc_arenas
from legalstay.cli.exits import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    Terminated,
    fail,
)

# Topic modules that add pure subcommands; each has add_parsers(subparsers).
CORE_COMMAND_MODULES = (
    "legalstay.cli.identity",
    "legalstay.cli.assess",
    "legalstay.cli.stats",
)

# Django management commands reachable as `legalstay NAME` (help text shown in --help).
WEB_COMMANDS = {
    "manage": "run any Django management command (migrate, createsuperuser, …)",
    "serve": "serve the web application (development server)",
    "demo": "load a synthetic demo caseload (--persons N --seed S)",
    "demo-account": "create or reset the demo caseworker account",
    "dossier": "export a person as a legalstay-dossier/1 JSON file, or import one",
    "scan": "recompute every person's stored status and raise alerts",
}


class CommandModule(Protocol):
    def add_parsers(
        self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]
    ) -> None: ...


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legalstay",
        description="legalstay: legal status of emigrants from dated, referenced law.",
    )
    parser.add_argument("--version", action="version", version=f"legalstay {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in CORE_COMMAND_MODULES:
        module: CommandModule = importlib.import_module(module_name)
        module.add_parsers(subparsers)
    for name, help_text in WEB_COMMANDS.items():
        subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def run_web_command(argv: Sequence[str]) -> int:
    """Hands the command to Django's management machinery. A setting missing or wrong in the
    environment is reported by name, without a traceback."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError

    from legalstay.web.bootstrap import run_management_command

    try:
        return run_management_command(list(argv))
    except ImproperlyConfigured as error:
        return fail(f"{error} (every setting is described in .env.example)", EXIT_BAD_INPUT)
    except OperationalError as error:
        # A database not set up yet (no tables, a folder it cannot write): a hint, not a trace.
        first = (str(error) or type(error).__name__).splitlines()[0]
        return fail(
            f"the database: {first} (set it up with `legalstay manage migrate`; DATABASE_URL "
            "and LEGALSTAY_VAR_DIR are described in .env.example)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in WEB_COMMANDS:
        return run_web_command(args_list)
    cap_malloc_arenas()  # before any thread starts: see legalstay.cli.allocator
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help(sys.stderr)  # a failure (exit 2): nothing on stdout
        return EXIT_BAD_INPUT
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        result: int = args.handler(args)
    except KeyboardInterrupt:
        return fail("interrupted (Ctrl-C)", EXIT_INTERRUPTED)
    except Terminated:
        return fail("terminated (SIGTERM)", EXIT_TERMINATED)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return result


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
