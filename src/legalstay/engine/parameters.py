"""Dated, referenced parameters: the numbers and lists the law sets, each with its source.

A parameter file is YAML mapping parameter names to their description, unit and dated values::

    pl.uoc.pdpdc.validity:
      description: Validity of a Polish travel document for foreigners
      unit: year
      values:
        - valid_from: 2014-05-01
          value: 1
          reference: {act: "Ustawa o cudzoziemcach", article: "253", paragraph: "2"}
          confidence: high

Every value needs ``valid_from`` (``valid_to`` where it ended), a ``reference`` with at least
``act`` and ``article`` (``paragraph``, ``point``, ``eli``, ``url`` and ``note`` where known), and a
``confidence`` (high, medium, low, not_verified). A file that lacks any of these is refused
whole, with the file, the parameter and the field named. Values marked ``status: proposed``
belong to reform scenarios and are refused in a baseline file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from legalstay.engine.errors import ParameterError

__all__ = [
    "CONFIDENCE_LEVELS",
    "UNITS",
    "Parameter",
    "ParameterStore",
    "ParameterValue",
    "Reference",
    "load_parameter_file",
    "parse_parameters",
    "read_yaml",
]

CONFIDENCE_LEVELS = ("high", "medium", "low", "not_verified")
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STATUSES = ("enacted", "proposed")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Units counted in whole periods: a negative length is a typing error, not a law.
DURATION_UNITS = ("day", "week", "month", "year", "count")
# Shares and sums of money: YAML reads .nan and .inf as numbers, which no law sets.
AMOUNT_UNITS = ("ratio", "PLN")

# unit -> the Python type its values must have
UNITS: dict[str, tuple[type, ...]] = {
    "day": (int,),
    "week": (int,),
    "month": (int,),
    "year": (int,),
    "count": (int,),
    "ratio": (int, float),
    "PLN": (int, float),
    "bool": (bool,),
    "date": (dt.date,),
    "codes": (list,),
    "windows": (list,),
    "text": (str,),
}
PARAMETER_KEYS = {"description", "unit", "values"}
# A value has no unit of its own: the rules read the parameter's (a value in months under a
# parameter in years would be read as years).
VALUE_KEYS = {"valid_from", "valid_to", "value", "reference", "confidence", "note", "status"}
REFERENCE_KEYS = {"act", "article", "paragraph", "point", "eli", "url", "note"}


class StrictYamlLoader(_SAFE_LOADER):  # type: ignore[misc]
    """YAML as the safe loader reads it, except that a key written twice in one mapping is
    refused (YAML would keep the last one silently: a parameter defined twice, a patch
    written twice) and so is a date that does not exist (2026-02-30), with its line."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice", key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        return mapping

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a day of the calendar", node.start_mark
            ) from None


StrictYamlLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", StrictYamlLoader.construct_yaml_timestamp
)


def read_yaml(text: str) -> Any:
    """The document in ``text``, read by :class:`StrictYamlLoader`."""
    return yaml.load(text, Loader=StrictYamlLoader)


_EU_ACTS = ("Decision", "Regulation", "Directive")


@dataclass(frozen=True)
class Reference:
    """Where a value comes from: an act and its article (paragraph, point), ELI or URL."""

    act: str
    article: str
    paragraph: str | None = None
    point: str | None = None
    eli: str | None = None
    url: str | None = None
    note: str | None = None

    def citation(self) -> str:
        """A short citation such as ``UoC art. 253 ust. 2``; an article not verified says so
        ("article not verified", not "not verified", which would read as the act), and the
        reference's note follows in brackets."""
        article = self.article if self.article.startswith("§") else f"art. {self.article}"
        if self.article.startswith("not"):
            article = f"article {self.article}"
        parts = [self.act, article]
        if self.paragraph and self.act.startswith(_EU_ACTS):
            parts[-1] = f"{article}({self.paragraph})"  # EU acts number paragraphs: art. 1(3)
        elif self.paragraph:
            # Codes (KPA, the Civil Code) divide articles into paragraphs (§), acts into ust.
            sign = "§" if self.act.startswith(("KPA", "Kodeks")) else "ust."
            parts.append(f"{sign} {self.paragraph}")
        if self.point:
            parts.append(f"pkt {self.point}")
        if self.note:
            parts.append(f"({self.note})")
        return " ".join(parts)

    def to_json(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class ParameterValue:
    value: Any
    valid_from: dt.date
    valid_to: dt.date | None
    reference: Reference
    confidence: str
    unit: str
    status: str = "enacted"
    note: str | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def to_json(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, dt.date):
            value = value.isoformat()
        return {
            "value": _jsonable(value),
            "unit": self.unit,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "reference": self.reference.citation(),
            "confidence": self.confidence,
            **({"status": self.status} if self.status != "enacted" else {}),
            # What the research could not verify about the value is said where it is used.
            **({"note": self.note} if self.note else {}),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: tuple[ParameterValue, ...]

    def at(self, day: dt.date) -> ParameterValue | None:
        """The value in force on ``day``, or None when none is. A value lasts until its
        ``valid_to`` or until the next value starts: once a later value has started, an
        earlier one never comes back (a last value that ended leaves none in force)."""
        for value in reversed(self.values):
            if value.valid_from <= day:
                return value if value.in_force_on(day) else None
        return None

    def last_ended(self, day: dt.date) -> ParameterValue | None:
        """Where none is in force on ``day``: the last value that ended before it (its
        ``valid_to`` and note say what is known of what came after), if any."""
        for value in reversed(self.values):
            if value.valid_from <= day:
                return None if value.in_force_on(day) else value
        return None

    def change_dates(self) -> Iterator[dt.date]:
        """Days on which the value in force changes (for "when would this change")."""
        for value in self.values:
            yield value.valid_from
            if value.valid_to is not None:
                yield value.valid_to + dt.timedelta(days=1)

    def patched(self, patch: Iterable[ParameterValue]) -> Parameter:
        """This parameter with ``patch`` values in force from each patch value's ``valid_from``
        to its ``valid_to``; after a patch that ends, the values it overlaid are in force again
        (a reform for one year leaves the law as it was after that year)."""
        values = list(self.values)
        for new in sorted(patch, key=lambda v: v.valid_from):
            before = [
                _truncate(old, new.valid_from) for old in values if old.valid_from < new.valid_from
            ]
            values = [*before, new, *_resumed(values, new.valid_to)]
        return replace(self, values=tuple(values))


def _truncate(value: ParameterValue, before: dt.date) -> ParameterValue:
    end = before - dt.timedelta(days=1)
    if value.valid_to is not None and value.valid_to <= end:
        return value
    return replace(value, valid_to=end)


def _resumed(values: Iterable[ParameterValue], ended: dt.date | None) -> list[ParameterValue]:
    """The values still in force after ``ended`` (none when the patch does not end), each
    from the day after it at the earliest."""
    if ended is None:
        return []
    resume = ended + dt.timedelta(days=1)
    return [
        replace(old, valid_from=max(old.valid_from, resume))
        for old in values
        if old.valid_to is None or old.valid_to >= resume
    ]


@dataclass(frozen=True)
class ParameterStore:
    """All parameters of a rulebook (or of a scenario), by name."""

    parameters: Mapping[str, Parameter] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise ParameterError("rulebook", name, "is not defined in any parameter file") from None

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def __iter__(self) -> Iterator[str]:
        return iter(self.parameters)

    def at(self, name: str, day: dt.date) -> ParameterValue | None:
        return self[name].at(day)

    @cached_property
    def change_days(self) -> tuple[dt.date, ...]:
        """The days on which some parameter's value changes (a rule comes into force or
        ends), in order: between two of them every parameter keeps its value."""
        days = {day for item in self.parameters.values() for day in item.change_dates()}
        return tuple(sorted(days))

    @cached_property
    def change_day_set(self) -> frozenset[dt.date]:
        return frozenset(self.change_days)

    def merged(self, other: ParameterStore) -> ParameterStore:
        clash = set(self.parameters) & set(other.parameters)
        if clash:
            raise ParameterError("rulebook", sorted(clash)[0], "is defined in two files")
        return ParameterStore({**self.parameters, **other.parameters})

    def patched(self, patches: Mapping[str, Iterable[ParameterValue]]) -> ParameterStore:
        updated = dict(self.parameters)
        for name, values in patches.items():
            updated[name] = self[name].patched(values)
        return ParameterStore(updated)


# ---------------------------------------------------------------- loading and validation


def load_parameter_file(path: Path, *, allow_proposed: bool = False) -> ParameterStore:
    """Loads and validates one parameter file; refuses the whole file on the first problem."""
    try:
        # The C loader when PyYAML has it: several times faster at start-up.
        raw = read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ParameterError(path.name, "-", f"is not valid YAML: {error}") from None
    return parse_parameters(raw, source=path.name, allow_proposed=allow_proposed)


def parse_parameters(raw: object, *, source: str, allow_proposed: bool = False) -> ParameterStore:
    if not isinstance(raw, dict):
        raise ParameterError(source, "-", "the file must map parameter names to definitions")
    for name in raw:
        if not isinstance(name, str) or not name.strip():
            raise ParameterError(source, str(name), "a parameter's name must be text")
    return ParameterStore(
        {name: _parameter(name, spec, source, allow_proposed) for name, spec in raw.items()}
    )


def _parameter(name: str, spec: object, source: str, allow_proposed: bool) -> Parameter:
    if not isinstance(spec, dict):
        raise ParameterError(source, name, "must be a mapping with description, unit and values")
    for key in ("description", "unit", "values"):
        if key not in spec:
            raise ParameterError(source, name, f"lacks {key!r}")
    unknown = set(spec) - PARAMETER_KEYS
    if unknown:
        # valid_to or confidence here would look as if it applied, and would not.
        raise ParameterError(source, name, f"has unknown keys {sorted(map(str, unknown))}")
    if not isinstance(spec["description"], str) or not spec["description"].strip():
        raise ParameterError(source, name, "'description' must be text")
    unit = _unit(spec["unit"], source, name)
    raw_values = spec["values"]
    if not isinstance(raw_values, list) or not raw_values:
        raise ParameterError(source, name, "'values' must be a non-empty list")
    values = tuple(
        _value(item, index, unit, source, name, allow_proposed)
        for index, item in enumerate(raw_values)
    )
    _check_chronology(values, source, name)
    return Parameter(name, str(spec["description"]), unit, values)


def _unit(raw: object, source: str, name: str) -> str:
    if raw not in UNITS:
        raise ParameterError(source, name, f"unit {raw!r} is not one of {', '.join(UNITS)}")
    return str(raw)


def _value(
    item: object, index: int, unit: str, source: str, name: str, allow_proposed: bool
) -> ParameterValue:
    where = f"{name}.values[{index}]"
    if not isinstance(item, dict):
        raise ParameterError(source, where, "must be a mapping")
    unknown = set(item) - VALUE_KEYS
    if unknown:
        raise ParameterError(source, where, f"has unknown keys {sorted(unknown)}")
    for key in ("valid_from", "value", "reference", "confidence"):
        if key not in item:
            raise ParameterError(source, where, f"lacks {key!r}")
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise ParameterError(source, f"{where}.note", "must be text")
    status = item.get("status", "enacted")
    if status not in STATUSES or (status == "proposed" and not allow_proposed):
        raise ParameterError(source, where, f"status {status!r} is not allowed here")
    return ParameterValue(
        value=_typed_value(item["value"], unit, source, where),
        valid_from=_day(item["valid_from"], source, f"{where}.valid_from"),
        valid_to=_optional_day(item.get("valid_to"), source, f"{where}.valid_to"),
        reference=_reference(item["reference"], source, f"{where}.reference"),
        confidence=_confidence(item["confidence"], source, where),
        unit=unit,
        status=status,
        note=note,
    )


def _typed_value(raw: object, unit: str, source: str, where: str) -> Any:
    allowed = UNITS[unit]
    if isinstance(raw, bool) and bool not in allowed:
        raise ParameterError(source, where, f"value {raw!r} is a boolean, unit is {unit}")
    if not isinstance(raw, allowed) or (unit == "date" and isinstance(raw, dt.datetime)):
        raise ParameterError(source, where, f"value {raw!r} does not fit unit {unit}")
    if unit in DURATION_UNITS and isinstance(raw, int) and raw < 0:
        raise ParameterError(source, where, f"value {raw} is negative: a {unit} count is not")
    if (
        isinstance(raw, int | float)
        and unit in AMOUNT_UNITS
        and not (math.isfinite(raw) and raw >= 0)
    ):
        raise ParameterError(source, where, f"value {raw} is not a finite amount of 0 or more")
    if isinstance(raw, list) and unit == "windows":
        return [_window(window, source, f"{where}.value[{i}]") for i, window in enumerate(raw)]
    if isinstance(raw, list) and not all(isinstance(code, str) for code in raw):
        raise ParameterError(source, where, "codes must be a list of strings")
    return raw


def _window(raw: object, source: str, where: str) -> tuple[dt.date, dt.date]:
    if not isinstance(raw, dict) or set(raw) != {"from", "to"}:
        raise ParameterError(source, where, "a window is {from: DATE, to: DATE}")
    start, end = _day(raw["from"], source, where), _day(raw["to"], source, where)
    if end < start:
        raise ParameterError(source, where, f"window ends ({end}) before it starts ({start})")
    return (start, end)


def _reference(raw: object, source: str, where: str) -> Reference:
    if not isinstance(raw, dict):
        raise ParameterError(source, where, "must be a mapping with at least act and article")
    unknown = set(raw) - REFERENCE_KEYS
    if unknown:
        raise ParameterError(source, where, f"has unknown keys {sorted(unknown)}")
    for key in ("act", "article"):
        if not raw.get(key):
            raise ParameterError(source, where, f"lacks {key!r}")
    for key, value in raw.items():
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            raise ParameterError(source, f"{where}.{key}", f"{value!r} is not text")
    fields = {key: str(raw[key]) for key in REFERENCE_KEYS if raw.get(key)}
    return Reference(**fields)


def _confidence(raw: object, source: str, where: str) -> str:
    if raw not in CONFIDENCE_LEVELS:
        raise ParameterError(
            source, where, f"confidence {raw!r} is not one of {', '.join(CONFIDENCE_LEVELS)}"
        )
    return str(raw)


def _day(raw: object, source: str, where: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str) and _ISO_DAY.fullmatch(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ParameterError(source, where, f"{raw!r} is not a day of the calendar") from None
    raise ParameterError(source, where, f"{raw!r} is not a date written YYYY-MM-DD")


def _optional_day(raw: object, source: str, where: str) -> dt.date | None:
    return None if raw is None else _day(raw, source, where)


def _check_chronology(values: tuple[ParameterValue, ...], source: str, name: str) -> None:
    for earlier, later in itertools.pairwise(values):
        if later.valid_from <= earlier.valid_from:
            raise ParameterError(source, name, "values must be in order of valid_from")
        if earlier.valid_to is not None and earlier.valid_to >= later.valid_from:
            raise ParameterError(source, name, f"values overlap at {later.valid_from}")
    for value in values:
        if value.valid_to is not None and value.valid_to < value.valid_from:
            raise ParameterError(source, name, f"valid_to {value.valid_to} is before valid_from")
