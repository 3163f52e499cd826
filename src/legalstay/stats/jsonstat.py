"""JSON-stat 2.0 datasets, as Eurostat's dissemination API returns them.

A cube: ``id`` names the dimensions, ``size`` their lengths, ``value`` holds the cells in
row-major order (an array, or an object keyed by position when sparse), ``status`` the flags
(a string for all, an array, or an object). Category order comes from ``category.index``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from legalstay.stats.codes import normalise_period
from legalstay.stats.errors import StatsFormatError
from legalstay.stats.tidy import RawTable, dimension_columns

__all__ = ["parse_jsonstat", "write_jsonstat"]

_TIME_IDS = ("time", "TIME_PERIOD", "TIME")
_PUBLISHERS = {"ESTAT": "Eurostat"}


class _Cube:
    """The parts of a JSON-stat document a reader needs, checked."""

    def __init__(self, document: Mapping[str, Any], text: str) -> None:
        self.text = text
        self.document = document
        self.ids = self._strings("id")
        self.sizes = self._sizes()
        self.categories = [
            self._categories(name, size) for name, size in zip(self.ids, self.sizes, strict=True)
        ]
        self.time = self._time_dimension()

    def fail(self, reason: str, key: str) -> StatsFormatError:
        return StatsFormatError(reason, line=_line_of(self.text, key))

    def _strings(self, key: str) -> list[str]:
        ids = self.document.get(key)
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not ids:
            raise self.fail(f"'{key}' is not a list of dimension names", key)
        if len(set(ids)) != len(ids) or {"period", "value", "flag", "line"} & set(ids):
            raise self.fail(f"'{key}' names a dimension twice, or a reserved name", key)
        return list(ids)

    def _sizes(self) -> list[int]:
        sizes = self.document.get("size")
        valid = isinstance(sizes, list) and len(sizes) == len(self.ids)
        if not valid or not all(type(s) is int and 0 < s < 2**31 for s in sizes or []):
            raise self.fail("'size' does not give a positive length for every dimension", "size")
        if math.prod(sizes or []) >= 2**53:
            raise self.fail("the cube has more cells than can be addressed", "size")
        return list(sizes or [])

    def _categories(self, name: str, size: int) -> list[str]:
        dimension = _mapping(self.document.get("dimension")).get(name)
        category = _mapping(_mapping(dimension).get("category"))
        index = category.get("index", list(_mapping(category.get("label"))))
        codes = _ordered_codes(index)
        if codes is None or len(codes) != size or len(set(codes)) != size:
            raise self.fail(f"the categories of '{name}' do not match its size {size}", name)
        return codes

    def _time_dimension(self) -> str:
        role = _mapping(self.document.get("role")).get("time")
        candidates = [*role] if isinstance(role, list) else [i for i in self.ids if i in _TIME_IDS]
        if len(candidates) != 1 or candidates[0] not in self.ids:
            raise self.fail("no single time dimension (role.time, or an id 'time')", "id")
        return str(candidates[0])


def parse_jsonstat(text: str) -> RawTable:
    """Reads a JSON-stat 2.0 dataset; missing cells without a status are left out."""
    document = _load(text)
    cube = _Cube(document, text)
    cells = _cells(cube)
    frame = _frame(cube, cells)
    dimensions = tuple(i for i in cube.ids if i != cube.time)
    extension = _mapping(document.get("extension"))
    dataset = extension.get("id")
    return RawTable(
        frame,
        dimensions,
        "json-stat-2.0",
        dataset=dataset.lower() if isinstance(dataset, str) else None,
        source=_source(document, dataset),
    )


def write_jsonstat(frame: pl.DataFrame, *, label: str = "") -> str:
    """The rows of one dataset as a JSON-stat 2.0 dataset (sparse ``value`` and ``status``)."""
    dimensions = [name for name in dimension_columns(frame) if frame[name].null_count() == 0]
    ids = [*dimensions, "time"]
    columns = {**{d: frame[d] for d in dimensions}, "time": frame["period"]}
    codes = {name: sorted(set(columns[name].to_list())) for name in ids}
    positions = _positions(columns, codes, ids)
    document = {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "id": ids,
        "size": [len(codes[name]) for name in ids],
        "role": {"time": ["time"]},
        "dimension": {name: _dimension(codes[name]) for name in ids},
        "value": _sparse(positions, frame["value"].to_list(), skip_missing=True),
        "status": _sparse(positions, frame["flag"].to_list(), skip_missing=True),
    }
    return json.dumps(document, ensure_ascii=False)


def _load(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise StatsFormatError(f"not JSON: {error.msg}", line=error.lineno) from None
    except RecursionError:
        raise StatsFormatError("JSON nested too deeply", line=1) from None
    if not isinstance(document, dict) or document.get("class", "dataset") != "dataset":
        raise StatsFormatError("not a JSON-stat dataset (class 'dataset')", line=1)
    if document.get("version") != "2.0":
        raise StatsFormatError("only JSON-stat version 2.0 is read", line=_line_of(text, "version"))
    return document


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _ordered_codes(index: object) -> list[str] | None:
    if isinstance(index, list) and all(isinstance(code, str) for code in index):
        return list(index)
    if isinstance(index, dict) and all(type(p) is int for p in index.values()):
        ordered = sorted(index.items(), key=lambda item: item[1])
        if [p for _, p in ordered] == list(range(len(ordered))):
            return [str(code) for code, _ in ordered]
    return None


def _cells(cube: _Cube) -> dict[int, tuple[float | None, str | None]]:
    count = math.prod(cube.sizes)
    values = _by_position(cube, "value", count, _number)
    flags = _by_position(cube, "status", count, _flag)
    return {p: (values.get(p), flags.get(p)) for p in sorted(values.keys() | flags.keys())}


def _by_position(cube: _Cube, key: str, count: int, check: Any) -> dict[int, Any]:
    raw = cube.document.get(key)
    if raw is None and key == "status":
        return {}
    if isinstance(raw, str) and key == "status":
        # One status for the whole cube: it qualifies the values there are.
        flag = check(raw, cube, key)
        values = _by_position(cube, "value", count, _number)
        return {} if flag is None else dict.fromkeys(values, flag)
    items: Iterable[tuple[int, Any]]
    if isinstance(raw, list) and len(raw) == count:
        items = enumerate(raw)
    elif isinstance(raw, dict) and all(_position(k, count) is not None for k in raw):
        items = ((int(k), v) for k, v in raw.items())
    else:
        raise cube.fail(f"'{key}' is not an array of {count} cells or an object of positions", key)
    checked = ((p, check(v, cube, key)) for p, v in items)
    return {p: v for p, v in checked if v is not None}


def _position(key: str, count: int) -> int | None:
    return int(key) if key.isascii() and key.isdigit() and int(key) < count else None


def _number(value: object, cube: _Cube, key: str) -> float | None:
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(float(value)):  # type: ignore[arg-type]
        raise cube.fail(f"{value!r} in '{key}' is not a number", key)
    return float(value)  # type: ignore[arg-type]


def _flag(value: object, cube: _Cube, key: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.isascii() or not value.isalpha():
        raise cube.fail(f"{value!r} in '{key}' is not a flag", key)
    return value


def _frame(cube: _Cube, cells: Mapping[int, tuple[float | None, str | None]]) -> pl.DataFrame:
    positions = np.fromiter(cells.keys(), dtype=np.int64, count=len(cells))
    coordinates = np.unravel_index(positions, cube.sizes)
    codes = {
        name: pl.Series(name, categories, dtype=pl.String).gather(coordinate)
        for name, categories, coordinate in zip(cube.ids, cube.categories, coordinates, strict=True)
    }
    frame = pl.DataFrame(
        {
            **codes,
            "value": pl.Series([cell[0] for cell in cells.values()], dtype=pl.Float64),
            "flag": pl.Series([cell[1] for cell in cells.values()], dtype=pl.String),
        }
    )
    line = pl.lit(_line_of(cube.text, "value"), dtype=pl.Int64).alias("line")
    return _with_periods(cube, frame.with_columns(line))


def _with_periods(cube: _Cube, frame: pl.DataFrame) -> pl.DataFrame:
    periods = {code: normalise_period(code) for code in cube.categories[cube.ids.index(cube.time)]}
    bad = [code for code, period in periods.items() if period is None]
    if bad:
        raise cube.fail(f"{bad[0]!r} is not a period", cube.time)
    period = pl.col(cube.time).replace_strict(periods, return_dtype=pl.String).alias("period")
    return frame.select(*(i for i in cube.ids if i != cube.time), period, "value", "flag", "line")


def _source(document: Mapping[str, Any], dataset: object) -> str:
    publisher = str(document.get("source", "JSON-stat"))
    name = _PUBLISHERS.get(publisher, publisher)
    named = f"{name}, {str(dataset).lower()}" if isinstance(dataset, str) else name
    updated = document.get("updated")
    return f"{named} (data updated {updated[:10]})" if isinstance(updated, str) else named


def _line_of(text: str, key: str) -> int:
    at = text.find(f'"{key}"')
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _positions(
    columns: Mapping[str, pl.Series], codes: Mapping[str, Sequence[str]], ids: Sequence[str]
) -> list[int]:
    indices = [
        np.searchsorted(np.asarray(codes[name], dtype=object), columns[name].to_numpy())
        for name in ids
    ]
    sizes = [len(codes[name]) for name in ids]
    return [int(p) for p in np.ravel_multi_index(indices, sizes)] if indices[0].size else []


def _dimension(codes: Sequence[str]) -> dict[str, Any]:
    return {"category": {"index": {code: i for i, code in enumerate(codes)}}}


def _sparse(
    positions: Sequence[int], cells: Sequence[Any], *, skip_missing: bool
) -> dict[str, Any]:
    pairs = sorted(zip(positions, cells, strict=True))
    return {str(p): _json_number(c) for p, c in pairs if c is not None or not skip_missing}


def _json_number(cell: Any) -> Any:
    return int(cell) if isinstance(cell, float) and cell.is_integer() else cell
