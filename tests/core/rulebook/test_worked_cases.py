"""Every worked case of the rulebook: the one-person assessment says what the case expects,
and the population back-end agrees with the one-person back-end on every output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

import legalstay.rulebook as rulebook_package
from legalstay.dossier import dossier_from_dict
from legalstay.engine.interpreter import Facts, FamilyMember
from legalstay.engine.rows import facts_from_tables, tables_from_facts
from legalstay.rulebook import BASELINE, OUTPUTS, load_rulebook
from legalstay.rulebook.deadlines import DEADLINE_REFERENCES
from legalstay.rulebook.facts import dossier_facts

CASES_DIR = Path(rulebook_package.__file__).parent / "cases"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def load_cases() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def actual(assessment: dict[str, Any], key: str) -> Any:
    if key.startswith("explain."):
        output, _, part = key.removeprefix("explain.").rpartition(".")
        items = [item for item in assessment["explanation"] if item["output"] == output]
        assert items, f"{key}: the explanation has no item for {output}"
        if part == "parameters":
            return sorted(parameter["name"] for parameter in items[0]["parameters"])
        return items[0][part]
    if key.startswith("deadline."):
        kind, _, part = key.removeprefix("deadline.").partition(".")
        part = part or "due"
        return next((d[part] for d in assessment["deadlines"] if d["kind"] == kind), None)
    if key.startswith("flag."):
        return key.removeprefix("flag.") in assessment["flags"]
    value: Any = assessment
    for part in key.split("."):
        value = value[part]
    return value


@pytest.mark.parametrize("case", load_cases())
def test_the_assessment_says_what_the_worked_case_expects(case):
    assert case.get("reference"), "every worked case cites the provision it tests"
    dossier = dossier_from_dict(_jsonable(case["dossier"]))
    assessment = load_rulebook().assess(dossier, case["as_of"], case.get("scenario", BASELINE))
    for key, expected in case["expect"].items():
        found = actual(assessment, key)
        if key.startswith("explain.") and key.endswith(".text") and isinstance(expected, list):
            missing = [part for part in expected if part not in found]
            assert not missing, f"{key}: {found!r} does not say {missing}"
        elif key.startswith("explain.") and key.endswith(".parameters"):
            assert found == sorted(expected), f"{key}: {found} != {sorted(expected)}"
        elif expected == [] and key.endswith((".unmet", ".unknown")):
            assert found == [], f"{key}: {found} is not empty"  # "none", not "among them"
        elif isinstance(expected, list) and key.endswith((".unmet", ".unknown")):
            assert set(expected) <= set(found), f"{key}: {found} lacks {expected}"
        else:
            assert found == _jsonable(expected), f"{key}: {found!r} != {expected!r}"


def _population(case: dict[str, Any]) -> tuple[dict[int, Facts], int]:
    """The case's person (id 0) and nested family members as a small population."""
    facts = dossier_facts(dossier_from_dict(_jsonable(case["dossier"])))
    ids = {facts.person["person_id"]: 0}
    for member in facts.family:
        ids.setdefault(member.person_id, len(ids))

    def renumbered(one: Facts) -> Facts:
        own = ids[one.person["person_id"]]
        tables = {
            name: [
                {
                    **row,
                    "person_id": own,
                    **({"other_id": ids[row["other_id"]]} if "other_id" in row else {}),
                }
                for row in rows
            ]
            for name, rows in one.tables.items()
        }
        return Facts({**one.person, "person_id": own, "family_id": 0}, tables)

    people = {0: renumbered(facts)}
    for member in facts.family:
        if member.facts is not None:
            people[ids[member.person_id]] = renumbered(member.facts)
    linked = {
        pid: Facts(
            p.person,
            p.tables,
            [
                FamilyMember(row["relation"], row["other_id"], people.get(row["other_id"]))
                for row in p.tables["family"]
            ],
        )
        for pid, p in people.items()
    }
    return linked, 0


@pytest.mark.parametrize("case", load_cases())
def test_both_back_ends_agree_on_the_worked_case(case):
    rulebook = load_rulebook()
    people, _ = _population(case)
    tables = tables_from_facts(people)
    as_of = case["as_of"]
    scenarios = (BASELINE, "pl-amnesty-2025")
    # The outputs, and the citations an assessment gives with them (the scan reads those too).
    checked = (*OUTPUTS, *(f"deadline.{kind}.reference" for kind in DEADLINE_REFERENCES))
    result = rulebook.assess_population(tables, as_of, scenarios, checked).collect()
    rows = {row["person_id"]: row for row in result.iter_rows(named=True)}
    for person_id, facts in facts_from_tables(tables).items():
        for scenario in scenarios:
            evaluation = rulebook.evaluation(facts, as_of, scenario, record=False)
            for output in checked:
                assert evaluation.value(output) == rows[person_id][f"{scenario}.{output}"], (
                    person_id,
                    scenario,
                    output,
                )
