"""Scenarios: the baseline law plus overlays of parameter patches.

A scenario file names the scenario and patches parameters; each patch value takes effect from
its ``valid_from`` (to its ``valid_to``, after which the baseline's values are in force again)
and needs a reference, a confidence and a status like any parameter value (reform values are
``status: proposed``, law ``enacted``). A rule a reform adds or changes is a rule of the
rulebook switched on by a parameter the scenario patches (the children's route of
``pl-amnesty-2025``: ``pl.pdtc.children_born_in_poland_route``), so both scenarios run in one
plan. Patches are validated against the baseline before anything is
applied, so a scenario with one bad patch is refused whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from legalstay.engine.errors import ParameterError, ScenarioError
from legalstay.engine.parameters import (
    ParameterStore,
    ParameterValue,
    parse_parameters,
    read_yaml,
)

__all__ = ["Scenario", "load_scenario"]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    patches: Mapping[str, tuple[ParameterValue, ...]] = field(default_factory=dict)
    source: Mapping[str, Any] = field(default_factory=dict)

    def apply(self, baseline: ParameterStore) -> ParameterStore:
        for name in self.patches:
            if name not in baseline:
                raise ScenarioError(f"scenario {self.name!r} patches unknown parameter {name!r}")
        return baseline.patched(self.patches)


SCENARIO_KEYS = {"name", "title", "description", "source", "patches"}


def load_scenario(path: Path, baseline: ParameterStore) -> Scenario:
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path.name}: is not valid YAML: {error}") from None
    if not isinstance(raw, dict) or not raw.get("name"):
        raise ScenarioError(f"{path.name}: a scenario needs at least a name")
    unknown = set(raw) - SCENARIO_KEYS
    if unknown:
        # A misspelt "patches" would leave a scenario equal to the baseline, silently.
        raise ScenarioError(
            f"{path.name}: has unknown keys {sorted(map(str, unknown))} "
            f"(a scenario has {', '.join(sorted(SCENARIO_KEYS))})"
        )
    scenario = Scenario(
        name=str(raw["name"]),
        title=str(raw.get("title", raw["name"])),
        description=str(raw.get("description", "")),
        patches=_patches(raw.get("patches") or {}, path.name, baseline),
        source=raw.get("source") or {},
    )
    scenario.apply(baseline)  # refuses unknown parameters now, not at evaluation
    return scenario


def _patches(
    raw: object, source: str, baseline: ParameterStore
) -> dict[str, tuple[ParameterValue, ...]]:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: patches must map parameter names to lists of values")
    patches = {}
    for name, values in raw.items():
        if name not in baseline:
            raise ScenarioError(f"{source}: patches unknown parameter {name!r}")
        _check_statuses(values, source, name)
        spec = {name: {"description": "patch", "unit": baseline[name].unit, "values": values}}
        try:
            parsed = parse_parameters(spec, source=source, allow_proposed=True)
        except ParameterError as error:
            raise ScenarioError(str(error)) from None
        patches[name] = parsed[name].values
    return patches


def _check_statuses(values: object, source: str, name: str) -> None:
    """A patch says whether it is law (``enacted``) or a reform (``proposed``): a reform
    value left unmarked would read as law in every explanation."""
    for index, value in enumerate(values if isinstance(values, list) else []):
        if isinstance(value, dict) and "status" not in value:
            raise ScenarioError(
                f"{source}: parameter {name!r}.values[{index}]: lacks 'status' "
                "(proposed for a reform, enacted for law)"
            )
