"""Checks of a population's input rows, given by a rulebook (the engine knows no law): the
population back-end runs them on the columns it has just read, so an input the rules cannot
judge (a title of a kind no rule knows) is refused, naming the row, rather than answered."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from legalstay.engine.errors import EvaluationError

__all__ = ["InputCheck", "check_rows"]


@dataclass(frozen=True, eq=False)
class InputCheck:
    """A rule the rows of ``table`` must keep: ``broken`` is true on a row that breaks it (an
    unknown counts as kept), and ``message`` says so from that row (its ``person_id`` and the
    columns ``broken`` reads)."""

    table: str
    broken: pl.Expr
    message: Callable[[Mapping[str, Any]], str]

    def columns(self) -> set[str]:
        return set(self.broken.meta.root_names())


def check_rows(frame: pl.DataFrame, checks: Sequence[InputCheck]) -> None:
    """Raises ``EvaluationError`` with the message of the first check the first row breaking
    any breaks (checks whose columns the frame lacks are left out)."""
    present = set(frame.columns)
    kept = [check for check in checks if check.columns() <= present]
    if not kept or frame.is_empty():
        return
    flags = [check.broken.fill_null(False).alias(f"__check{i}") for i, check in enumerate(kept)]
    found = frame.with_columns(flags).filter(pl.any_horizontal(f.meta.output_name() for f in flags))
    if found.height:
        row = _first_row(found)
        check = next(check for i, check in enumerate(kept) if row[f"__check{i}"])
        raise EvaluationError(check.message(row), table=check.table)


class DayOutsideTheCalendar(str):
    """A Parquet day outside the years Python's dates hold (1 to 9999), as Polars writes it
    (``+29349-01-26``): shown as written, as a date is."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _first_row(found: pl.DataFrame) -> dict[str, Any]:
    try:
        return found.row(0, named=True)
    except ValueError:  # a day outside the years 1 to 9999
        days = found.head(1).select(pl.col(pl.Date).cast(pl.String))
        row = found.head(1).drop(days.columns).row(0, named=True)
        written = days.row(0, named=True)
        return {**row, **{k: v and DayOutsideTheCalendar(v) for k, v in written.items()}}
