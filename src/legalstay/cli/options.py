"""Option types shared by the commands."""

from __future__ import annotations

import argparse
import datetime as dt

__all__ = ["date_option"]


def date_option(raw: str) -> dt.date:
    """An option's date: YYYY-MM-DD, as a dossier's (legalstay.dossier.parse_date); argparse
    turns the error into exit 2 with the option named."""
    from legalstay.dossier import parse_date  # parsing the command line loads no Polars

    try:
        return parse_date(raw)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
