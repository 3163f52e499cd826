"""Population tables on disk: Parquet files, persons and the episode tables beside them.

``persons.parquet`` holds one row per person; its episode tables sit in the same folder as
``persons.documents.parquet``, ``persons.titles.parquet`` … (``<stem>.<table>.parquet``), or
as ``documents.parquet`` … when there is no file with the stem. A missing episode table is
empty; a folder or anything else than a file at a table's path is refused. Columns and types
are :data:`legalstay.engine.population.TABLE_SCHEMAS`; a text column (or list of text:
``citizenships``) may also be categorical (dictionary-encoded codes), as ``write_population``
writes the episode tables' codes: read back, they need no conversion (a String column of three
million kinds takes about 50 ms to turn into codes, a categorical one 10 ms to read).
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from legalstay.engine.errors import EvaluationError
from legalstay.engine.population import OPTIONAL_COLUMNS, PERSON_FACT_TYPES, TABLE_SCHEMAS

__all__ = [
    "EPISODE_TABLES",
    "episode_path",
    "input_paths",
    "read_population",
    "unreadable_file",
    "write_population",
]

EPISODE_TABLES = tuple(name for name in TABLE_SCHEMAS if name != "persons")


def episode_path(persons: Path, table: str) -> Path:
    """Where ``table`` is read from: ``<stem>.<table>.parquet`` beside the persons file, or
    ``<table>.parquet`` when only that exists — unless that is the persons file itself (a
    persons table named ``family.parquet``)."""
    beside = persons.with_name(f"{persons.stem}.{table}.parquet")
    plain = persons.with_name(f"{table}.parquet")
    if _present(beside) or not _present(plain) or plain.resolve() == persons.resolve():
        return beside
    return plain


def input_paths(persons: Path) -> list[tuple[str, Path]]:
    """Every (table, path) the population of ``persons`` is or could be read from: the persons
    file and both names of each episode table. A file written at one would change the input."""
    found = [("persons", persons)]
    for table in EPISODE_TABLES:
        found.append((table, persons.with_name(f"{persons.stem}.{table}.parquet")))
        found.append((table, persons.with_name(f"{table}.parquet")))
    return found


def read_population(persons: Path) -> dict[str, pl.LazyFrame]:
    """Lazy scans of the persons file and its episode tables, checked against the schema. Each
    must be a file: a folder or a device where a table is looked for is refused, not read as a
    missing (empty) table."""
    _check_is_file(persons, "persons")
    tables = {"persons": _scan(persons, "persons")}
    for table in EPISODE_TABLES:
        path = episode_path(persons, table)
        if _present(path):
            _check_is_file(path, table)
            tables[table] = _scan(path, table)
    return tables


def unreadable_file(persons: Path) -> tuple[Path, str] | None:
    """The first file of the population of ``persons`` that cannot be read through, and why:
    a file torn or corrupted after its footer was written passes the schema check on entry
    and fails only when its rows are read. None if every file reads."""
    for table in ("persons", *EPISODE_TABLES):
        path = persons if table == "persons" else episode_path(persons, table)
        if not _present(path):
            continue
        try:
            pl.scan_parquet(path).collect()
        except (pl.exceptions.ComputeError, OSError) as error:
            return path, str(error).splitlines()[0]
    return None


def _present(path: Path) -> bool:
    return os.path.lexists(path)  # a link to nothing is there too (and refused)


def _check_is_file(path: Path, table: str) -> None:
    if path.is_file():
        return
    if not _present(path):
        raise EvaluationError(f"{path}: no such file")
    what = "a folder" if path.is_dir() else "not a regular file"
    if path.is_symlink() and not path.exists():
        what = "a link to nothing"
    raise EvaluationError(f"{path}: is {what}; the {table} table must be a Parquet file")


def _scan(path: Path, table: str) -> pl.LazyFrame:
    try:
        frame = pl.scan_parquet(path)
        schema = frame.collect_schema()
    except (pl.exceptions.ComputeError, OSError) as error:
        raise EvaluationError(f"{path}: not a readable Parquet file ({error})") from None
    needed = dict(TABLE_SCHEMAS[table])
    for column, dtype in TABLE_SCHEMAS[table].items():
        if column not in schema:
            if column in OPTIONAL_COLUMNS.get(table, ()):
                continue  # read as unknown (evaluate_population adds it)
            raise EvaluationError(f"{path}: the {table} table lacks column {column!r}")
        _check_type(path, table, column, schema[column], dtype)
    if table == "persons":  # the optional facts, where present
        needed |= PERSON_FACT_TYPES
        for column, dtype in PERSON_FACT_TYPES.items():
            if column in schema:
                _check_type(path, table, column, schema[column], dtype)
    # A column of nothing but nulls (an empty table written without types) is read as the
    # type the table needs.
    untyped = [c for c, dtype in schema.items() if dtype == pl.Null and c in needed]
    if untyped:
        frame = frame.with_columns(pl.col(c).cast(needed[c]) for c in untyped)
    citizenships = schema.get("citizenships")
    if table == "persons" and (_is_list_of_codes(citizenships) or citizenships == pl.List(pl.Null)):
        # Read as the text they stand for.
        frame = frame.with_columns(pl.col("citizenships").cast(pl.List(pl.String)))
    return frame


def _check_type(path: Path, table: str, column: str, found: object, needed: object) -> None:
    if needed == pl.String and isinstance(found, pl.Categorical | pl.Enum):
        return  # codes, read as the text they stand for
    if needed == pl.List(pl.String) and (_is_list_of_codes(found) or found == pl.List(pl.Null)):
        # A list of codes (citizenships), or of nothing (every list empty, as a list of Python
        # lists is written): cast to text when scanned.
        return
    if found != needed and found != pl.Null:
        raise EvaluationError(
            f"{path}: column {column!r} is {found}, the {table} table needs {needed}"
        )


def write_population(tables: dict[str, pl.DataFrame], persons: Path) -> list[Path]:
    """Writes ``persons`` and ``<stem>.<table>.parquet`` beside it; returns the paths. The
    episode tables' text columns (kinds, grounds, statuses …) are written as categorical."""
    persons.parent.mkdir(parents=True, exist_ok=True)
    written = [persons]
    tables["persons"].write_parquet(persons)
    for table in EPISODE_TABLES:
        if table in tables:
            path = persons.with_name(f"{persons.stem}.{table}.parquet")
            _as_codes(tables[table]).write_parquet(path)
            written.append(path)
    return written


def _is_list_of_codes(dtype: object) -> bool:
    return isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Categorical | pl.Enum)


def _as_codes(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.String).cast(pl.Categorical))
