"""`legalstay` subcommands about identity documents: ``mrz``."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from zoneinfo import ZoneInfo

from legalstay.cli.options import date_option
from legalstay.identity.mrz import MrzError, parse_mrz

__all__ = ["add_parsers", "run_mrz"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
# The shell, not the core, knows what day it is; Polish law counts days in Polish time.
LOCAL_TIME_ZONE = ZoneInfo("Europe/Warsaw")

MRZ_EPILOG = """\
example:
  legalstay mrz 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' \\
                'L898902C36UTO7408122F1204159ZE184226B<<<<<10'

Prints the fields as JSON and exits 0, or prints "error: …" naming the failing check and
exits 2. Quote each line: '<' is a shell redirection.
"""


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds this topic's subcommands."""
    parser = subparsers.add_parser(
        "mrz",
        help="parse and verify a passport, ID card or visa machine-readable zone (ICAO 9303)",
        description=(
            "Parses a TD1, TD2, TD3, MRV-A or MRV-B machine-readable zone and verifies every "
            "check digit. Lines may be separate arguments or one argument holding newlines."
        ),
        epilog=MRZ_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("lines", nargs="+", metavar="LINE", help="a line of the zone")
    parser.add_argument(
        "--today",
        type=date_option,
        metavar="YYYY-MM-DD",
        help="the date that decides the century of the birth year (default: today in Warsaw)",
    )
    parser.set_defaults(handler=run_mrz)


def run_mrz(args: argparse.Namespace) -> int:
    """Prints the verified fields as JSON, or the failing check on stderr."""
    today = args.today or datetime.datetime.now(LOCAL_TIME_ZONE).date()
    try:
        fields = parse_mrz(args.lines, pivot=today)
    except MrzError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(fields.to_json_dict(), indent=2, ensure_ascii=False))
    return EXIT_OK
