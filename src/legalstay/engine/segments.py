"""Segmented reductions: per-person aggregates over episode rows grouped by person, in NumPy.

The population back-end keeps every episode table sorted by the person's position in the
persons table, so one person's rows are one contiguous segment. An aggregate is then a pass
over an array and a scatter into a per-person array, with no hashing and no join: on 3M rows
and 1M persons a hash group-by and join back cost about 0.6 s, a segmented "any" about 5 ms.

Reductions take a boolean ``mask`` (the rows that qualify, unknown already counted as false)
and return one value per person. Persons without a qualifying row get the aggregate's empty
value (false, 0) or, for extremes, position -1 ("no row").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Segments", "pairs"]

Index = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Values = npt.NDArray[np.generic]
Key = Callable[[Index], Values]  # order-preserving numbers for the given rows


@dataclass(frozen=True)
class Segments:
    """Rows grouped by owner: ``owner[i]`` is row i's owner (non-decreasing), and the rows of
    owner j are ``offsets[j]:offsets[j + 1]``."""

    owner: Index
    offsets: Index

    @classmethod
    def of(cls, owner: Index, owners: int) -> Segments:
        """Segments of rows whose ``owner`` array is already sorted."""
        counts = np.bincount(owner, minlength=owners) if owner.size else np.zeros(owners, np.int64)
        offsets = np.zeros(owners + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(owner, offsets)

    @property
    def owners(self) -> int:
        return int(self.offsets.size - 1)

    def any(self, mask: Mask) -> Mask:
        found = np.zeros(self.owners, dtype=np.bool_)
        found[self.owner[mask]] = True
        return found

    def count(self, mask: Mask) -> Index:
        return np.bincount(self.owner[mask], minlength=self.owners).astype(np.int64)

    def sum(self, mask: Mask, values: Values) -> Values:
        """Sum per owner of ``values`` where ``mask``; 0 where none.

        Floats are summed by ``bincount``, which adds each owner's values one after another in
        row order, as Python's ``sum`` does for one person; integers exactly in int64.
        """
        rows = np.flatnonzero(mask)
        owner = self.owner[rows]
        if np.issubdtype(values.dtype, np.floating):
            return np.bincount(owner, weights=values[rows], minlength=self.owners)
        total = np.zeros(self.owners, dtype=np.int64)
        if rows.size:
            starts = _starts(owner)
            total[owner[starts]] = np.add.reduceat(values[rows].astype(np.int64), starts)
        return total

    def best(self, mask: Mask, keys: Sequence[Key], *, largest: bool = True) -> Index:
        """Per owner, the position of a row where ``mask`` holds with the largest (or smallest)
        ``keys`` compared in order (the first key, then the second among ties …); -1 where no
        row qualifies. Rows whose keys are all equal are interchangeable: the first is taken.

        Each key gives order-preserving numbers for the rows asked; a later key is asked only
        about the rows still tied, so a costly one (a rank of texts) runs on few rows.
        """
        rows = np.flatnonzero(mask)
        reduce = np.maximum.reduceat if largest else np.minimum.reduceat
        for key in keys:
            owner = self.owner[rows]
            starts = _starts(owner)
            if starts.size == rows.size:
                break  # one row per owner: nothing left to break ties on
            values = key(rows)
            extreme = reduce(values, starts)
            lengths = np.diff(np.append(starts, rows.size))
            rows = rows[values == np.repeat(extreme, lengths)]
        position = np.full(self.owners, -1, dtype=np.int64)
        owner = self.owner[rows]
        starts = _starts(owner)
        position[owner[starts]] = rows[starts]
        return position


def _starts(owner: Index) -> Index:
    """Positions where a run of equal (sorted) owners begins."""
    change = np.empty(owner.size, dtype=np.bool_)
    if owner.size:
        change[0] = True
        np.not_equal(owner[1:], owner[:-1], out=change[1:])
    return np.flatnonzero(change)


def pairs(outer_owner: Index, inner: Segments) -> tuple[Index, Index]:
    """Every (outer row, inner row) of the same owner, outer rows in order: for a correlated
    aggregate ("a title of the same person that covers this application's filing date").

    Returns the outer and inner row positions of each pair; the pairs of outer row r are
    contiguous, so ``Segments.of(outer_rows, len(outer_owner))`` groups them."""
    first = inner.offsets[outer_owner]
    counts = inner.offsets[outer_owner + 1] - first
    outer_rows = np.repeat(np.arange(outer_owner.size, dtype=np.int64), counts)
    begins = np.zeros(counts.size, dtype=np.int64)
    np.cumsum(counts[:-1], out=begins[1:])
    inner_rows = np.arange(outer_rows.size, dtype=np.int64) + np.repeat(first - begins, counts)
    return outer_rows, inner_rows
