"""Option types shared by the commands."""

from __future__ import annotations

import argparse
import datetime as dt

__all__ = ["count_option", "date_option", "positive_option"]


def date_option(raw: str) -> dt.date:
    """An option's date: YYYY-MM-DD, as a dossier's (legalstay.dossier.parse_date); argparse
    turns the error into exit 2 with the option named."""
    from legalstay.dossier import parse_date  # parsing the command line loads no Polars

    try:
        return parse_date(raw)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def positive_option(raw: str) -> int:
    """A count that must be at least 1 (persons per batch, runs): argparse turns the error into
    exit 2 with the option named."""
    return _whole_number(raw, 1, "a positive whole number")


def count_option(raw: str) -> int:
    """A count that may be 0 (no batches: one pass; no persons)."""
    return _whole_number(raw, 0, "a whole number of 0 or more")


def _whole_number(raw: str, least: int, what: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = least - 1
    if value < least:
        raise argparse.ArgumentTypeError(f"{raw!r} is not {what}")
    return value
