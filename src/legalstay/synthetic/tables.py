"""The population's tables: their exact schema, and how episode slots become Polars frames.

The engine reads exactly these tables, names and dtypes (:data:`SCHEMA`). Every table is sorted
by ``person_id``; within a person, rows keep the order in which the person's episodes happened
(the dossier's lists are in the same order, so the two representations convert exactly).

The generator works in *slots*: a slot is one possible episode of every person (say "the
current residence card"), a set of equally long NumPy columns plus a ``present`` mask. Strings
are small integer codes into a vocabulary (``-1`` = null), dates are day numbers
(:data:`~legalstay.synthetic.daycount.NO_DATE` = null), booleans ``-1``/``0``/``1``. Stacking
a table's slots side by side and reading them row by row yields the rows already ordered by
person, with no sort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import polars as pl
from numpy.typing import NDArray

from legalstay.dossier import (
    APPLICATION_CHANNELS,
    APPLICATION_KINDS,
    DOCUMENT_KINDS,
    DOCUMENT_STATUSES,
    OUTCOMES,
    PERMANENT_RESIDENCE_GROUNDS,
    RELATIONS,
    STAY_ABROAD_REASONS,
    TEMPORARY_RESIDENCE_GROUNDS,
    TITLE_KINDS,
    VISA_GROUNDS,
)
from legalstay.synthetic.daycount import NO_DATE

__all__ = [
    "GROUNDS",
    "ISSUERS",
    "SCHEMA",
    "SEXES",
    "Slot",
    "code",
    "coded_series",
    "columns_to_frame",
    "empty_tables",
    "slots_to_frame",
]

SCHEMA: Final[dict[str, dict[str, pl.DataType]]] = {
    "persons": {
        "person_id": pl.Int64(),
        "family_id": pl.Int64(),
        "birth_date": pl.Date(),
        "sex": pl.String(),
        "citizenships": pl.List(pl.String()),
        "birth_country": pl.String(),
    },
    "family": {"person_id": pl.Int64(), "relation": pl.String(), "other_id": pl.Int64()},
    "documents": {
        "person_id": pl.Int64(),
        "kind": pl.String(),
        "issuer": pl.String(),
        "issued": pl.Date(),
        "expires": pl.Date(),
        "status": pl.String(),
    },
    "titles": {
        "person_id": pl.Int64(),
        "kind": pl.String(),
        "ground": pl.String(),
        "valid_from": pl.Date(),
        "valid_to": pl.Date(),
    },
    "applications": {
        "person_id": pl.Int64(),
        "kind": pl.String(),
        "filed": pl.Date(),
        "formally_complete": pl.Boolean(),
        "outcome": pl.String(),
        "issued": pl.Date(),
        "delivered": pl.Date(),
        "final": pl.Date(),
        "completed_on": pl.Date(),
        "suspended_at_party_request": pl.Boolean(),
        "appeal_filed": pl.Date(),
        "channel": pl.String(),
    },
    "stays_abroad": {
        "person_id": pl.Int64(),
        "left": pl.Date(),
        "returned": pl.Date(),
        "reason": pl.String(),
    },
}

SEXES: Final = ("F", "M", "X")
GROUNDS: Final = tuple(
    dict.fromkeys((*TEMPORARY_RESIDENCE_GROUNDS, *PERMANENT_RESIDENCE_GROUNDS, *VISA_GROUNDS))
)
ISSUERS: Final = ("BY", "PL", "UA", "RU")

# The vocabulary of each coded string column, by column name.
VOCABULARIES: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    ("persons", "sex"): SEXES,
    ("persons", "birth_country"): ISSUERS,
    ("family", "relation"): RELATIONS,
    ("documents", "kind"): DOCUMENT_KINDS,
    ("documents", "issuer"): ISSUERS,
    ("documents", "status"): DOCUMENT_STATUSES,
    ("titles", "kind"): TITLE_KINDS,
    ("titles", "ground"): GROUNDS,
    ("applications", "kind"): APPLICATION_KINDS,
    ("applications", "outcome"): OUTCOMES,
    ("applications", "channel"): APPLICATION_CHANNELS,
    ("stays_abroad", "reason"): STAY_ABROAD_REASONS,
}


def code(vocabulary: Sequence[str], label: str) -> int:
    """The integer code of ``label`` (a ``ValueError`` names a label the vocabulary lacks)."""
    return list(vocabulary).index(label)


@dataclass
class Slot:
    """One possible episode of every person: columns of equal length and a ``present`` mask.

    A column may be a 0-d array: one value for every person of the slot (a document kind).
    """

    present: NDArray[np.bool_]
    columns: dict[str, NDArray[Any]] = field(default_factory=dict)


def slots_to_frame(
    table: str, person_ids: NDArray[np.int64], slots: Sequence[Slot]
) -> pl.DataFrame:
    """The rows of ``slots``, person by person and slot by slot, as a frame of ``table``."""
    if not slots:
        return empty_tables()[table]
    rows = np.flatnonzero(np.stack([slot.present for slot in slots], axis=1).ravel())
    person, slot_of_row = np.divmod(rows, len(slots))  # twice as fast as a 2-d nonzero
    # where each row is in the slots laid end to end (a contiguous copy, faster than a stack)
    source = slot_of_row * len(person_ids) + person
    raw = {"person_id": person_ids[person]}
    for name in SCHEMA[table]:
        if name != "person_id":
            values = [slot.columns.get(name, _UNRECORDED) for slot in slots]
            raw[name] = _gathered(values, source, slot_of_row)
    return columns_to_frame(table, raw)


# A text column no slot of a table fills (a registry field the generator does not model, such
# as an application's channel): the code of "not recorded" for all its persons.
_UNRECORDED: Final = np.array(-1)


def _gathered(
    values: list[NDArray[Any]], source: NDArray[np.intp], slot_of_row: NDArray[np.intp]
) -> NDArray[Any]:
    """A column's rows; a slot may hold one value for all its persons (a 0-d array)."""
    if all(value.ndim == 0 for value in values):
        return np.array(values)[slot_of_row]
    persons = max(len(value) for value in values if value.ndim)
    return np.concatenate([np.broadcast_to(value, persons) for value in values])[source]


def columns_to_frame(table: str, raw: Mapping[str, NDArray[Any] | pl.Series]) -> pl.DataFrame:
    """A frame of ``table`` from coded NumPy columns (codes, day numbers, -1/0/1 booleans);
    a column given as a Polars series is taken as it is."""
    coded = pl.DataFrame(
        [
            values if isinstance(values, pl.Series) else coded_series(table, name, values)
            for name, values in ((name, raw[name]) for name in SCHEMA[table])
        ]
    )
    return coded.with_columns(*_decoders(table))


def _decoders(table: str) -> list[pl.Expr]:
    """Expressions (run in parallel) that turn coded columns into dates and booleans."""
    decoders = (_decoder(table, name, dtype) for name, dtype in SCHEMA[table].items())
    return [
        decoder.alias(name)
        for name, decoder in zip(SCHEMA[table], decoders, strict=True)
        if decoder is not None
    ]


def _decoder(table: str, name: str, dtype: pl.DataType) -> pl.Expr | None:
    column = pl.col(name)
    if dtype == pl.Date():
        return pl.when(column == NO_DATE).then(None).otherwise(column).cast(pl.Date)
    if dtype == pl.Boolean():
        return pl.when(column < 0).then(None).otherwise(column == 1)
    return None


def coded_series(table: str, name: str, values: NDArray[Any]) -> pl.Series:
    """The column ``name`` of ``table`` from its coded form: labels are looked up here, dates
    and booleans stay coded until :func:`columns_to_frame` decodes them all at once."""
    dtype = SCHEMA[table][name]
    if dtype == pl.Date():
        return pl.Series(name, values, dtype=pl.Int32)
    if dtype == pl.Boolean():
        return pl.Series(name, values, dtype=pl.Int8)
    if dtype == pl.String():
        return _labels(name, VOCABULARIES[table, name], values)
    return pl.Series(name, values, dtype=dtype)


def _labels(name: str, vocabulary: Sequence[str], codes: NDArray[Any]) -> pl.Series:
    """Labels by code (-1: null), gathered with an unsigned index series (a NumPy index is
    checked and cast first, four times slower), from null-free labels where none is null."""
    if len(codes) == 0 or codes.min() >= 0:
        labels = pl.Series(name, vocabulary, dtype=pl.String)
        return labels.gather(pl.Series(codes.astype(np.uint32)))
    labels = pl.Series(name, [None, *vocabulary], dtype=pl.String)
    return labels.gather(pl.Series((codes + 1).astype(np.uint32)))


def empty_tables() -> dict[str, pl.DataFrame]:
    """Every table, with its schema and no rows."""
    return {table: pl.DataFrame(schema=schema) for table, schema in SCHEMA.items()}
