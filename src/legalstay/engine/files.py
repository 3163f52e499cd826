"""Population tables on disk: Parquet files, persons and the episode tables beside them.

``persons.parquet`` holds one row per person; its episode tables sit in the same folder as
``persons.documents.parquet``, ``persons.titles.parquet`` … (``<stem>.<table>.parquet``), or
as ``documents.parquet`` … when there is no file with the stem. A missing episode table is
empty. Columns and types are :data:`legalstay.engine.population.TABLE_SCHEMAS`; a text column
may also be categorical (dictionary-encoded codes), as ``write_population`` writes the episode
tables' codes: read back, they need no conversion (a String column of three million kinds
takes about 50 ms to turn into codes, a categorical one 10 ms to read).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from legalstay.engine.errors import EvaluationError
from legalstay.engine.population import PERSON_FACT_TYPES, TABLE_SCHEMAS

__all__ = ["EPISODE_TABLES", "episode_path", "read_population", "write_population"]

EPISODE_TABLES = tuple(name for name in TABLE_SCHEMAS if name != "persons")


def episode_path(persons: Path, table: str) -> Path:
    beside = persons.with_name(f"{persons.stem}.{table}.parquet")
    plain = persons.with_name(f"{table}.parquet")
    return beside if beside.exists() or not plain.exists() else plain


def read_population(persons: Path) -> dict[str, pl.LazyFrame]:
    """Lazy scans of the persons file and its episode tables, checked against the schema."""
    if not persons.is_file():
        raise EvaluationError(f"{persons}: no such file")
    tables = {"persons": _scan(persons, "persons")}
    for table in EPISODE_TABLES:
        path = episode_path(persons, table)
        if path.is_file():
            tables[table] = _scan(path, table)
    return tables


def _scan(path: Path, table: str) -> pl.LazyFrame:
    try:
        frame = pl.scan_parquet(path)
        schema = frame.collect_schema()
    except (pl.exceptions.ComputeError, OSError) as error:
        raise EvaluationError(f"{path}: not a readable Parquet file ({error})") from None
    for column, dtype in TABLE_SCHEMAS[table].items():
        if column not in schema:
            raise EvaluationError(f"{path}: the {table} table lacks column {column!r}")
        _check_type(path, table, column, schema[column], dtype)
    if table == "persons":  # the optional facts, where present
        for column, dtype in PERSON_FACT_TYPES.items():
            if column in schema:
                _check_type(path, table, column, schema[column], dtype)
    return frame


def _check_type(path: Path, table: str, column: str, found: object, needed: object) -> None:
    if needed == pl.String and isinstance(found, pl.Categorical | pl.Enum):
        return  # codes, read as the text they stand for
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


def _as_codes(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.String).cast(pl.Categorical))
