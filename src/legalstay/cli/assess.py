"""`legalstay` subcommands: assess (to be filled in)."""

from __future__ import annotations

import argparse


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds this topic's subcommands."""
