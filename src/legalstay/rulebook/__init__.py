"""The Polish rulebook for Belarusian emigrants: parameters, rules and scenarios.

``load_rulebook()`` reads the dated, referenced parameters (``parameters/*.yaml``), builds the
rules (``stay``, ``documents``, ``work``, ``eligibility``, ``deadlines``, ``flags``) and the
scenarios (``scenarios/*.yaml``). ``Rulebook.assess`` answers for one person with an
explanation; ``Rulebook.assess_population`` answers for whole populations in one Polars plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from threading import Lock
from typing import Any

import polars as pl

from legalstay.dossier import Dossier
from legalstay.engine.batches import DEFAULT_BATCH, evaluate_in_batches
from legalstay.engine.errors import ScenarioError
from legalstay.engine.expressions import Node, case, cases, lit, var
from legalstay.engine.interpreter import Evaluation, Facts
from legalstay.engine.parameters import ParameterStore, load_parameter_file
from legalstay.engine.periods import PolishCalendar, default_calendar
from legalstay.engine.population import PopulationPlan, evaluate_population
from legalstay.engine.rules import Eligibility, RuleSet, Variable
from legalstay.engine.scenarios import Scenario, load_scenario
from legalstay.rulebook import (
    deadlines,
    documents,
    eligibility,
    episodes,
    flags,
    inputs,
    stay,
    work,
)
from legalstay.rulebook.facts import dossier_facts

__all__ = [
    "BASELINE",
    "ELIGIBILITIES",
    "OUTPUTS",
    "RULEBOOK_VERSION",
    "Rulebook",
    "load_rulebook",
    "reason_counts",
]

RULEBOOK_VERSION = "2026.11.111"
_PLANS_KEPT = 8  # compiled population plans kept (a few dates and output sets in use at once)
BASELINE = "pl-baseline"
HERE = Path(__file__).resolve().parent

ELIGIBILITIES = (
    "permanent_residence",
    "eu_long_term_residence",
    "travel_document_for_foreigners",
    "identity_document_for_foreigners",
)
DOCUMENT_OUTPUTS = tuple(
    f"{document}.{part}"
    for document in ("travel_document", "identity_document")
    for part in ("valid", "kind", "until")
)
OUTPUTS = (
    "legal_stay.status",
    "legal_stay.basis",
    "legal_stay.until",
    *DOCUMENT_OUTPUTS,
    "right_to_work.status",
    *ELIGIBILITIES,
    *(f"{name}.unmet_mask" for name in ELIGIBILITIES),
    *(f"{name}.unknown_mask" for name in ELIGIBILITIES),
    *(f"deadline.{kind}" for kind in deadlines.DEADLINE_REFERENCES),
    *(f"flag.{name}" for name in flags.FLAGS),
)


@dataclass
class Rulebook:
    rules: RuleSet
    baseline: ParameterStore
    scenarios: Mapping[str, Scenario]
    calendar: PolishCalendar
    version: str = RULEBOOK_VERSION
    _stores: dict[str, ParameterStore] = field(default_factory=dict)
    _plans: dict[tuple[object, ...], PopulationPlan] = field(default_factory=dict)
    _plans_lock: Lock = field(default_factory=Lock)

    def parameters(self, scenario: str = BASELINE) -> ParameterStore:
        if scenario not in self.scenarios:
            known = ", ".join(sorted(self.scenarios))
            raise ScenarioError(f"unknown scenario {scenario!r}; known: {known}")
        if scenario not in self._stores:
            self._stores[scenario] = self.scenarios[scenario].apply(self.baseline)
        return self._stores[scenario]

    def evaluation(
        self, facts: Facts, as_of: dt.date, scenario: str = BASELINE, *, record: bool = True
    ) -> Evaluation:
        return Evaluation(
            self.rules, self.parameters(scenario), self.calendar, facts, as_of, record=record
        )

    def assess(self, dossier: Dossier, as_of: dt.date, scenario: str = BASELINE) -> dict[str, Any]:
        """The ``legalstay-assessment/1`` answer for one person, with its explanation."""
        from legalstay.rulebook.assessment import build_assessment

        evaluation = self.evaluation(dossier_facts(dossier), as_of, scenario)
        return build_assessment(self, evaluation, dossier.person.id, scenario)

    def assess_population(
        self,
        tables: Mapping[str, pl.LazyFrame | pl.DataFrame],
        as_of: dt.date,
        scenarios: Sequence[str] = (BASELINE,),
        outputs: Sequence[str] = OUTPUTS,
        progress: Callable[[int, int], None] | None = None,
        *,
        check_input: bool = True,
    ) -> pl.LazyFrame:
        """Columns ``"{scenario}.{output}"`` for every person, all scenarios in one plan.

        The compiled plan is kept for the next call with the same scenarios, date and outputs
        (the casework scan asks batch after batch). ``check_input``: refuse a row that breaks
        one of the rulebook's input checks (``inputs.input_checks``), as a dossier reader
        would; a caller whose rows were checked on entry may leave them out."""
        stores = {name: self.parameters(name) for name in scenarios}
        plan = self._plan((tuple(scenarios), as_of, tuple(outputs)))
        asked = (self.rules, tables, stores, as_of, outputs, self.calendar)
        return evaluate_population(*asked, progress, plan, check_input=check_input)

    def _plan(self, key: tuple[object, ...]) -> PopulationPlan:
        with self._plans_lock:  # the rulebook is shared by a process's threads
            if key not in self._plans:
                while len(self._plans) >= _PLANS_KEPT:
                    self._plans.pop(next(iter(self._plans)))  # the oldest
                self._plans[key] = PopulationPlan()
            return self._plans[key]

    def assess_population_batches(
        self,
        tables: Mapping[str, pl.LazyFrame | pl.DataFrame],
        as_of: dt.date,
        scenarios: Sequence[str] = (BASELINE,),
        outputs: Sequence[str] = OUTPUTS,
        *,
        batch_size: int = DEFAULT_BATCH,
        workers: int = 1,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[pl.DataFrame]:
        """As :meth:`assess_population`, batch by batch of whole families (bounded memory)."""
        stores = {name: self.parameters(name) for name in scenarios}
        return evaluate_in_batches(
            self.rules,
            tables,
            stores,
            as_of,
            outputs,
            self.calendar,
            batch_size=batch_size,
            workers=workers,
            progress=progress,
        )

    def deciding_unknowns(
        self, name: str, unmet: Sequence[str], unknown: Sequence[str]
    ) -> list[str]:
        """The unknown conditions worth recording: those of a route that no failed condition
        has already closed (a marriage date does not matter while the stay on a marriage permit
        is too short). The assessment's ``unknown`` keeps them all."""
        routes = self.rules.eligibilities[name].routes
        open_routes = [r for r in routes if not any(c.name in unmet for c in r.conditions)]
        still_open = {c.name for r in open_routes for c in r.conditions}
        return [condition for condition in unknown if condition in still_open]

    def eligibility_conditions(self, name: str) -> list[tuple[str, str, str]]:
        """(route, condition, reference) in reason-bit order for an eligibility."""
        return [
            (route.name, condition.name, condition.reference)
            for route, condition in self.rules.eligibilities[name].conditions()
        ]


def _reason_masks(item: Eligibility) -> list[Variable]:
    """One bit per condition: set in ``unmet_mask`` when the condition fails, in
    ``unknown_mask`` when the facts cannot decide it (routes not in force are left out). An
    eligible person has no reasons why not (an assessment lists none once a route holds), so
    the "why not" table counts only those who are not eligible."""
    unmet: Node = lit(0)
    unknown: Node = lit(0)
    for bit, (route, condition) in enumerate(item.conditions()):
        in_force = var(item.in_force_variable(route))
        value = var(item.condition_variable(route, condition))
        unmet = unmet + cases(
            case(
                "unmet",
                (in_force & (value == False)).is_true(),  # noqa: E712
                lit(1 << bit),
            ),
            otherwise=lit(0),
        )
        unknown = unknown + cases(
            case("unknown", (in_force & value.is_null()).is_true(), lit(1 << bit)), otherwise=lit(0)
        )
    eligible = var(item.name).is_true()
    return [
        Variable(
            f"{item.name}.unmet_mask",
            cases(case("eligible", eligible, lit(0)), otherwise=unmet),
        ),
        Variable(
            f"{item.name}.unknown_mask",
            cases(case("eligible", eligible, lit(0)), otherwise=unknown),
        ),
    ]


def build_rules() -> RuleSet:
    rules = RuleSet()
    derived = (
        *episodes.row_variables(),
        *stay.filing_row_variables(),
        *deadlines.row_variables(),
    )
    for table, name, expr in derived:
        rules.add_row_variable(table, name, expr)
    for module in (stay, documents, work, eligibility, deadlines, flags):
        rules.add(*module.variables())
    for item in eligibility.eligibilities():
        rules.add_eligibility(item)
        rules.add(*_reason_masks(item))
    rules.input_checks.extend(inputs.input_checks())
    rules.check()
    return rules


def load_parameters(directory: Path = HERE / "parameters") -> ParameterStore:
    store = ParameterStore()
    for path in sorted(directory.glob("*.yaml")):
        store = store.merged(load_parameter_file(path))
    return store


def scenarios_by_name(loaded: Iterable[tuple[str, Scenario]]) -> dict[str, Scenario]:
    """Scenarios by name; a name two files give is refused (the later file would replace
    the earlier one silently, the baseline among them)."""
    scenarios: dict[str, Scenario] = {}
    files: dict[str, str] = {}
    for file_name, scenario in loaded:
        if scenario.name in scenarios:
            raise ScenarioError(
                f"{file_name}: scenario name {scenario.name!r} is already {files[scenario.name]}'s"
            )
        scenarios[scenario.name], files[scenario.name] = scenario, file_name
    return scenarios


@cache
def load_rulebook() -> Rulebook:
    baseline = load_parameters()
    scenarios = scenarios_by_name(
        (path.name, load_scenario(path, baseline))
        for path in sorted((HERE / "scenarios").glob("*.yaml"))
    )
    rules = build_rules()
    missing = rules.parameters_used() - set(baseline)
    if missing:
        raise ScenarioError(f"rules read parameters no file defines: {sorted(missing)}")
    return Rulebook(rules, baseline, scenarios, default_calendar())


def reason_counts(
    rulebook: Rulebook, result: pl.DataFrame, scenarios: Sequence[str]
) -> pl.DataFrame:
    """The population's "why not" table: per scenario, eligibility and condition, how many
    persons fail the condition (``unmet``), how many cannot have it decided (``unknown``),
    and of those how many on a route that no failed condition has closed (``deciding``: the
    fact could still make them eligible, so their answer is "not known"), with the provision.
    """
    rows, unmet, unknown, deciding = [], [], [], []
    for scenario in scenarios:
        for name in ELIGIBILITIES:
            unmet_mask = pl.col(f"{scenario}.{name}.unmet_mask")
            unknown_mask = pl.col(f"{scenario}.{name}.unknown_mask")
            conditions = rulebook.eligibility_conditions(name)
            for bit, (route, condition, citation) in enumerate(conditions):
                rows.append((scenario, name, route, condition, citation))
                route_bits = sum(1 << b for b, c in enumerate(conditions) if c[0] == route)
                undecided = _has_bit(unknown_mask, bit)
                unmet.append(_has_bit(unmet_mask, bit).sum())
                unknown.append(undecided.sum())
                deciding.append((undecided & ((unmet_mask & route_bits) == 0)).sum())
    counts = result.select(
        pl.concat_list(unmet).alias("u"),
        pl.concat_list(unknown).alias("k"),
        pl.concat_list(deciding).alias("d"),
    ).row(0)
    columns = ("scenario", "eligibility", "route", "condition", "reference")
    return pl.DataFrame(
        {
            **{column: [row[i] for row in rows] for i, column in enumerate(columns)},
            "unmet": counts[0],
            "unknown": counts[1],
            "deciding": counts[2],
        }
    )


def _has_bit(mask: pl.Expr, bit: int) -> pl.Expr:
    return (mask & (1 << bit)) != 0
