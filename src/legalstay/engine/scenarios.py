"""Scenarios: the baseline law plus overlays of parameter patches.

A scenario file names the scenario and patches parameters; each patch value takes effect from
its ``valid_from`` and needs a reference and confidence like any parameter value (reform values
are ``status: proposed``). Patches are validated against the baseline before anything is
applied, so a scenario with one bad patch is refused whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from legalstay.engine.errors import ParameterError, ScenarioError
from legalstay.engine.parameters import ParameterStore, ParameterValue, parse_parameters

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


def load_scenario(path: Path, baseline: ParameterStore) -> Scenario:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not raw.get("name"):
        raise ScenarioError(f"{path.name}: a scenario needs at least a name")
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
        spec = {name: {"description": "patch", "unit": baseline[name].unit, "values": values}}
        try:
            parsed = parse_parameters(spec, source=source, allow_proposed=True)
        except ParameterError as error:
            raise ScenarioError(str(error)) from None
        patches[name] = parsed[name].values
    return patches
