"""Checks of a population's episode tables that the rules rely on, as the dossier reader
(``legalstay.dossier``) makes them for one person: input that breaks them is refused, naming
the table, the person and the rule, rather than judged row by row."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from legalstay.engine.errors import EvaluationError

__all__ = ["check_population"]

Tables = Mapping[str, pl.LazyFrame | pl.DataFrame]


def check_population(tables: Tables) -> None:
    """Raises ``EvaluationError`` for the first person whose input breaks a rule below."""
    stays = tables.get("stays_abroad")
    if stays is not None:
        _check_stays_apart(stays.lazy())


def _check_stays_apart(stays: pl.LazyFrame) -> None:
    """Stays abroad may not overlap: a break is judged by its length (UoC arts. 211–212), and
    one absence recorded twice would be judged as two shorter ones (or counted twice). One may
    begin on the day another ended (the day of return is spent in Poland)."""
    rows = stays.select("person_id", "left", "returned").drop_nulls(["person_id", "left"])
    frame = rows.collect()
    if not _in_order(frame):  # files written by write_population are; sorting costs more
        frame = frame.sort("person_id", "left", maintain_order=True)  # as the dossier reader
    person = frame["person_id"].to_numpy()
    left = frame["left"].to_physical().to_numpy()
    returned = frame["returned"].to_physical().fill_null(np.iinfo(np.int32).max).to_numpy()
    overlaps = np.flatnonzero((person[1:] == person[:-1]) & (left[1:] < returned[:-1]))
    if overlaps.size:
        earlier, later = frame.row(int(overlaps[0]), named=True), frame.row(int(overlaps[0]) + 1)
        until = earlier["returned"] or "no return recorded"
        raise EvaluationError(
            f"stays_abroad: person {later[0]}: the stay abroad from {later[1]} falls within "
            f"the one from {earlier['left']} to {until}: stays abroad may not overlap; record "
            "one absence once"
        )


def _in_order(frame: pl.DataFrame) -> bool:
    """Sorted by person, and each person's stays by the day they left."""
    person = frame["person_id"].to_numpy()
    left = frame["left"].to_physical().to_numpy()
    later_person = person[1:] > person[:-1]
    return bool(np.all(later_person | ((person[1:] == person[:-1]) & (left[1:] >= left[:-1]))))
