"""The engine adapter of casework: a person's facts in, the engine's assessments out.

Two ways to the same answer:

* :func:`assess_dossier` — one person through the explain back-end (``Rulebook.assess``), with
  the explanation; used when a person's facts change.
* :func:`derived_from_row` — one row of the population back-end's result (``assess_population``
  over many persons at once, see :mod:`legalstay.web.casework.population`), rebuilt into the
  same ``legalstay-assessment/1`` without the explanation; used by the scan.

Both give a :class:`Derived` with the same *fingerprint* (a hash of the engine's output values
in both scenarios and the rulebook version), so a scan knows without comparing documents
whether anything changed. A test keeps the two ways equal on a synthetic caseload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from legalstay.dossier import Dossier
from legalstay.rulebook import ELIGIBILITIES, OUTPUTS, Rulebook, load_rulebook
from legalstay.rulebook.assessment import FORMAT, build_assessment, route_citation
from legalstay.rulebook.deadlines import DEADLINE_REFERENCES
from legalstay.rulebook.facts import dossier_facts
from legalstay.rulebook.flags import FLAGS

__all__ = [
    "BASELINE",
    "REFORM",
    "SCENARIOS",
    "Derived",
    "assess_dossier",
    "derived_from_row",
    "fingerprint_outputs",
]

BASELINE = "pl-baseline"
REFORM = "pl-amnesty-2025"
SCENARIOS = (BASELINE, REFORM)
# Parts of an assessment that say how it was made, not what it says.
NOT_CONTENT = ("explanation", "as_of", "person")


@dataclass(frozen=True)
class Derived:
    """What the engine says about one person on ``as_of``, in both scenarios."""

    person_id: int
    as_of: dt.date
    baseline: dict[str, Any]
    reform: dict[str, Any]
    fingerprint: str


@cache
def fingerprint_outputs() -> tuple[str, ...]:
    """Every variable an assessment is built from, in a fixed order: the rulebook's outputs
    plus the citations and the eligibility routes the population outputs leave out."""
    rulebook = load_rulebook()
    extra = {"legal_stay.reference", "right_to_work.reference"}
    extra.update(f"deadline.{kind}.reference" for kind in DEADLINE_REFERENCES)
    for name in ELIGIBILITIES:
        item = rulebook.rules.eligibilities[name]
        for route in item.routes:
            extra.update((item.route_variable(route), item.in_force_variable(route)))
    return (*OUTPUTS, *sorted(extra - set(OUTPUTS)))


@cache
def _columns() -> dict[str, tuple[tuple[str, str], ...]]:
    """Per scenario, (output, result column) for every fingerprint output."""
    return {
        scenario: tuple((name, f"{scenario}.{name}") for name in fingerprint_outputs())
        for scenario in SCENARIOS
    }


def fingerprint(rulebook: Rulebook, values: Sequence[Any]) -> str:
    # repr() tells a date from its ISO string and True from 1; both back-ends give the same
    # Python types (dates, bools, ints, strings, None).
    text = repr((rulebook.version, tuple(values)))
    return hashlib.sha256(text.encode()).hexdigest()


def assess_dossier(dossier: Dossier, person_id: int, as_of: dt.date) -> Derived:
    """Both scenarios through the explain back-end, explanation included."""
    rulebook = load_rulebook()
    facts = dossier_facts(dossier)
    assessments: dict[str, dict[str, Any]] = {}
    values: list[Any] = []
    for scenario in SCENARIOS:
        evaluation = rulebook.evaluation(facts, as_of, scenario)
        assessments[scenario] = build_assessment(rulebook, evaluation, dossier.person.id, scenario)
        values.extend(evaluation.value(name) for name in fingerprint_outputs())
    return Derived(
        person_id,
        as_of,
        assessments[BASELINE],
        assessments[REFORM],
        fingerprint(rulebook, values),
    )


def derived_from_row(
    row: Mapping[str, Any], person_uid: str, as_of: dt.date, *, eligibility: bool = True
) -> Derived:
    """A population result row (columns ``"{scenario}.{output}"``) as a :class:`Derived`.

    ``eligibility=False`` leaves the eligibilities out (a scan that finds the fingerprint
    unchanged keeps the stored ones and needs only what dates move: deadlines and expiries).
    """
    rulebook = load_rulebook()
    columns = _columns()
    values = [row[column] for scenario in SCENARIOS for _, column in columns[scenario]]
    built = {
        scenario: assessment_from_values(
            rulebook,
            {name: row[column] for name, column in columns[scenario]},
            as_of,
            scenario,
            eligibility=eligibility,
        )
        for scenario in SCENARIOS
    }
    for assessment in built.values():
        assessment["person"] = person_uid
    return Derived(
        int(row["person_id"]), as_of, built[BASELINE], built[REFORM], fingerprint(rulebook, values)
    )


# ---------------------------------------------------------------- assembling an assessment
# The same document as legalstay.rulebook.assessment.build_assessment, from output values
# rather than an evaluation; the explanation needs the explain back-end and is left out.


def assessment_from_values(
    rulebook: Rulebook,
    value: Mapping[str, Any],
    as_of: dt.date,
    scenario: str,
    *,
    eligibility: bool = True,
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "person": None,
        "as_of": as_of.isoformat(),
        "scenario": scenario,
        "rulebook_version": rulebook.version,
        "legal_stay": {
            "status": value["legal_stay.status"],
            "basis": value["legal_stay.basis"],
            "until": _iso(value["legal_stay.until"]),
            "reference": value["legal_stay.reference"],
        },
        "travel_document": _document(value, "travel_document"),
        "identity_document": _document(value, "identity_document"),
        "right_to_work": {
            "status": value["right_to_work.status"],
            "reference": value["right_to_work.reference"],
        },
        "eligibility": {
            name: _eligibility(rulebook, value, name) for name in ELIGIBILITIES if eligibility
        },
        "deadlines": _deadlines(value),
        "flags": [name for name in FLAGS if value[f"flag.{name}"] is True],
    }


def _iso(day: Any) -> Any:
    return day.isoformat() if isinstance(day, dt.date) else day


def _document(value: Mapping[str, Any], output: str) -> dict[str, Any]:
    # null, as the one-person answer: a document may be valid, its expiry unknown.
    valid = value[f"{output}.valid"]
    return {
        "valid": valid,
        "kind": value[f"{output}.kind"] if valid else None,
        "until": _iso(value[f"{output}.until"]) if valid else None,
    }


@dataclass(frozen=True)
class _Shape:
    """What assembling one eligibility needs, worked out once per rulebook."""

    reference: str
    routes: tuple[tuple[str, str, str, str], ...]  # name, reference, in force, route variable
    conditions: tuple[str, ...]  # condition name by reason bit
    bits: tuple[tuple[str, str], ...]  # (route, the condition's reference) by reason bit


@cache
def _shape(name: str) -> _Shape:
    rulebook = load_rulebook()
    item = rulebook.rules.eligibilities[name]
    routes = tuple(
        (
            route.name,
            route_citation(route),
            item.in_force_variable(route),
            item.route_variable(route),
        )
        for route in item.routes
    )
    found = rulebook.eligibility_conditions(name)
    conditions = tuple(condition for _, condition, _ in found)
    bits = tuple((route, reference) for route, _, reference in found)
    return _Shape(item.reference, routes, conditions, bits)


def _eligibility(rulebook: Rulebook, value: Mapping[str, Any], name: str) -> dict[str, Any]:
    shape = _shape(name)
    taken = next(
        (route for route in shape.routes if value[route[2]] is True and value[route[3]] is True),
        None,
    )
    unmet: list[str] = []
    unknown: list[str] = []
    reference = taken[1] if taken else shape.reference
    if taken is None:
        unmet_mask, unknown_mask = value[f"{name}.unmet_mask"], value[f"{name}.unknown_mask"]
        for bit, condition in enumerate(shape.conditions):
            if unmet_mask >> bit & 1 and condition not in unmet:
                unmet.append(condition)
            elif unknown_mask >> bit & 1 and condition not in unknown:
                unknown.append(condition)
        reference = _deciding_reference(shape, unmet_mask, unknown_mask, value[name]) or reference
    return {
        "eligible": value[name],
        "route": taken[0] if taken else None,
        "unmet": unmet,
        "unknown": unknown,
        "reference": reference,
    }


def _deciding_reference(
    shape: _Shape, unmet_mask: int, unknown_mask: int, eligible: bool | None
) -> str | None:
    """As rulebook.assessment: a "no" cites its first failed condition, an open answer the
    first unknown condition of a route no failed condition closed."""
    bits = range(len(shape.bits))
    if eligible is False:
        return next((shape.bits[b][1] for b in bits if unmet_mask >> b & 1), None)
    closed = {shape.bits[b][0] for b in bits if unmet_mask >> b & 1}
    open_bits = (b for b in bits if unknown_mask >> b & 1 and shape.bits[b][0] not in closed)
    return next((shape.bits[b][1] for b in open_bits), None)


def _deadlines(value: Mapping[str, Any]) -> list[dict[str, Any]]:
    # As rulebook.assessment: the citation of the rule that gave this person's date.
    found = [
        {
            "kind": kind,
            "due": value[f"deadline.{kind}"],
            "reference": value[f"deadline.{kind}.reference"] or citation,
        }
        for kind, citation in DEADLINE_REFERENCES.items()
        if value[f"deadline.{kind}"] is not None
    ]
    found.sort(key=lambda item: item["due"])
    return [{**item, "due": item["due"].isoformat()} for item in found]


# ---------------------------------------------------------------- comparing scenarios


def content(assessment: Mapping[str, Any]) -> dict[str, Any]:
    """What an assessment says, without how or when it was made."""
    return {key: value for key, value in assessment.items() if key not in NOT_CONTENT}


def reform_differences(baseline: Mapping[str, Any], reform: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of the reform's assessment that differ from the baseline's: top-level
    answers whole, eligibilities one by one; the reform's explanation of a differing output
    goes with it when there is one."""
    differences: dict[str, Any] = {}
    for key in ("legal_stay", "travel_document", "identity_document", "right_to_work"):
        if reform[key] != baseline[key]:
            differences[key] = reform[key]
    eligibility = {
        name: answer
        for name, answer in reform["eligibility"].items()
        if _eligibility_differs(baseline["eligibility"].get(name), answer)
    }
    if eligibility:
        differences["eligibility"] = eligibility
    for key in ("deadlines", "flags"):
        if reform[key] != baseline[key]:
            differences[key] = reform[key]
    explained = [
        item
        for item in reform.get("explanation") or []
        if item["output"] in differences
        or item["output"].removeprefix("eligibility.") in eligibility
    ]
    if explained:
        differences["explanation"] = explained
    return differences


def _eligibility_differs(baseline: Mapping[str, Any] | None, reform: Mapping[str, Any]) -> bool:
    """The reform changes the answer or its route, or lifts a condition not met or not known.
    A route the reform adds brings conditions of its own: an adult not met by the children's
    route has the same answer, for the same reasons, and reads as the same."""
    if baseline is None:
        return True
    if (reform["eligible"], reform["route"]) != (baseline["eligible"], baseline["route"]):
        return True
    return bool(
        set(baseline["unmet"]) - set(reform["unmet"])
        or set(baseline["unknown"]) - set(reform["unknown"])
    )
