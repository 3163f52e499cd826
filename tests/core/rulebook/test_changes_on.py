"""The explanation's ``changes_on``: the first day on which the answer would differ, if no
fact changes. Each case checks the day itself against the tool's own answer on the day
before and on that day."""

import datetime as dt
from typing import Any

import pytest

from legalstay.dossier import dossier_from_dict, dossier_to_dict
from legalstay.rulebook import load_rulebook

NO_FACTS = {
    "karta_polaka": False,
    "polish_origin": False,
    "granted_asylum": False,
    "married_to_polish_citizen": False,
}


def _dossier(person: str, *, facts: dict | None = None, **tables):
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": person, "citizenships": ["BY"], "birth_date": "1985-05-05", "sex": "F"},
    }
    if facts:
        raw["person"]["facts"] = facts
    return dossier_from_dict(raw | tables)


def _item(dossier, as_of: dt.date, output: str, scenario: str = "pl-baseline") -> dict[str, Any]:
    assessment = load_rulebook().assess(dossier, as_of, scenario)
    return next(item for item in assessment["explanation"] if item["output"] == output)


def _title(kind: str, valid_from: str, valid_to: str | None = None, ground: str | None = None):
    return {"kind": kind, "ground": ground, "valid_from": valid_from, "valid_to": valid_to}


def _trips(first: dt.date, last: dt.date, every: int, days: int) -> list[dict[str, str]]:
    """Short stays abroad at a regular interval (a commuter's trips)."""
    trips, left = [], first
    while left <= last:
        back = left + dt.timedelta(days=days)
        trips.append({"left": left.isoformat(), "returned": back.isoformat()})
        left += dt.timedelta(days=every)
    return trips


CASES = {
    # Tamara, a refugee since 1 Sep 2021, goes abroad for two days every three weeks: each trip
    # brings the days it leaves the five years as candidates (some 150), and the day her five
    # years on protection are reached lies past the first forty.
    "many short trips before the five years are reached": (
        _dossier(
            "tamara",
            titles=[
                _title("visa", "2020-12-01", "2021-09-01", "humanitarian"),
                _title("refugee_status", "2021-09-01"),
            ],
            stays_abroad=_trips(dt.date(2021, 1, 10), dt.date(2025, 12, 20), 21, 2),
        ),
        dt.date(2026, 1, 15),
        "eligibility.permanent_residence",
        dt.date(2026, 9, 1),
    ),
    # Refugee since 1 Mar 2019, seven months abroad in 2020: on 1 Jan 2024 the five years are
    # short and the break still inside them; from 1 Aug 2025 the break has left the five years,
    # which are then reached (the route stops at the count, and never read the break).
    "a break leaving the five years behind a short count": (
        _dossier(
            "raisa",
            facts=NO_FACTS,
            titles=[_title("refugee_status", "2019-03-01")],
            stays_abroad=[{"left": "2020-01-01", "returned": "2020-08-01"}],
        ),
        dt.date(2024, 1, 1),
        "eligibility.permanent_residence",
        dt.date(2025, 8, 1),
    ),
    # Humanitarian-visa holders may work without a permit from Dec 2020 (legal-rules.md §2.1):
    # the rule starts while Wiktoria's visa runs.
    "a rule coming into force": (
        _dossier("wiktoria", titles=[_title("visa", "2020-09-10", "2021-09-09", "humanitarian")]),
        dt.date(2020, 10, 1),
        "right_to_work",
        dt.date(2020, 12, 1),
    ),
    # Five years on humanitarian stay from 1 Mar 2021: the window counted back from the date
    # passes 29 Feb 2024 on the way.
    "five years across a 29 February": (
        _dossier("halina", facts=NO_FACTS, titles=[_title("humanitarian_stay", "2021-03-01")]),
        dt.date(2025, 1, 15),
        "eligibility.permanent_residence",
        dt.date(2026, 3, 1),
    ),
    # Alesia's seven months abroad in 2022 break her stay until they leave the five years.
    "a break leaving the five years": (
        _dossier(
            "alesia",
            facts=NO_FACTS,
            titles=[_title("refugee_status", "2019-01-10")],
            stays_abroad=[{"left": "2022-01-01", "returned": "2022-08-10"}],
        ),
        dt.date(2025, 6, 1),
        "eligibility.permanent_residence",
        dt.date(2027, 8, 10),
    ),
    # Natallia leaves on 1 Apr 2026, her return recorded for December: on 1 Mar her stay is
    # unbroken, and it breaks the day she has been abroad six months and a day.
    "a stay abroad begun after the date growing too long": (
        _dossier(
            "natallia",
            facts={
                "stable_income_3_years": True,
                "health_insurance": True,
                "housing_and_registration": True,
                "polish_language": True,
            },
            titles=[
                _title("temporary_residence", "2020-01-01", "2022-12-31", "work"),
                _title("temporary_residence", "2023-01-01", "2027-12-31", "work"),
            ],
            stays_abroad=[{"left": "2026-04-01", "returned": "2026-12-01"}],
        ),
        dt.date(2026, 3, 1),
        "eligibility.eu_long_term_residence",
        dt.date(2026, 10, 2),
    ),
    # Volha's three breaks total more than ten months in the five years; they shrink only once
    # the window's start passes into the first of them, a day at a time (no day count compared
    # on the date lands on that day).
    "breaks in total shrinking as the window leaves them": (
        _dossier(
            "volha",
            facts=NO_FACTS,
            titles=[_title("subsidiary_protection", "2021-03-01")],
            stays_abroad=[
                {"left": "2022-01-01", "returned": "2022-06-01"},
                {"left": "2023-01-01", "returned": "2023-06-01"},
                {"left": "2024-01-01", "returned": "2024-01-20"},
            ],
        ),
        dt.date(2026, 3, 1),
        "eligibility.permanent_residence",
        dt.date(2027, 1, 12),
    ),
    # Andrei waits on his protection case from Oct 2020. Art. 35 is researched from 1 Jan 2021
    # only: on that day nothing changes yet, but under it his six months end on 1 Apr 2021.
    "a threshold set by a rule that comes into force later": (
        _dossier(
            "andrei", applications=[{"kind": "international_protection", "filed": "2020-10-01"}]
        ),
        dt.date(2020, 10, 2),
        "right_to_work",
        dt.date(2021, 4, 2),
    ),
    # Maksim's next work permit, granted ahead, starts when the present one ends: his right to
    # work ends with the next one, whose end a condition already false on the date compares
    # (it has not started), so it was not looked at.
    "the end of a title not yet begun": (
        _dossier(
            "maksim",
            titles=[
                _title("temporary_residence", "2023-01-01", "2024-12-31", "work"),
                _title("temporary_residence", "2025-01-01", "2027-12-31", "work"),
            ],
        ),
        dt.date(2024, 6, 1),
        "right_to_work",
        dt.date(2028, 1, 1),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_changes_on_is_the_first_day_the_answer_differs(case: str) -> None:
    dossier, as_of, output, expected = CASES[case]
    item = _item(dossier, as_of, output)
    assert item["changes_on"] == expected.isoformat()
    before = _item(dossier, expected - dt.timedelta(days=1), output)["value"]
    assert before == item["value"]
    assert _item(dossier, expected, output)["value"] != item["value"]


def test_a_childs_answer_changes_when_the_parents_permit_ends() -> None:
    """Under the reform, Kira (born in Poland) may have a Polish identity document while her
    mother's permit lasts: the answer changes the day after it ends."""
    mother = {
        "format": "legalstay-dossier/1",
        "person": {"id": "kira-mother", "citizenships": ["BY"], "birth_date": "1980-01-01"},
        "titles": [_title("temporary_residence", "2025-01-01", "2026-12-31", "work")],
    }
    raw = {
        "format": "legalstay-dossier/1",
        "person": {
            "id": "kira",
            "citizenships": ["BY"],
            "birth_date": "2025-06-01",
            "birth_country": "PL",
            "facts": {"trafficking_victim": False, "stateless": False},
        },
        "family": [{"relation": "parent", "person": mother}],
    }
    item = _item(
        dossier_from_dict(raw),
        dt.date(2026, 5, 1),
        "eligibility.identity_document_for_foreigners",
        "pl-amnesty-2025",
    )
    assert item["value"] is True
    assert item["changes_on"] == "2027-01-01"


def test_the_explanation_cites_what_the_answer_cites() -> None:
    """Siarhei's stay rests on subsidiary protection: the explanation cites the provision the
    answer's ``legal_stay.reference`` gives, not nothing."""
    dossier = _dossier("siarhei", titles=[_title("subsidiary_protection", "2022-01-10")])
    assessment = load_rulebook().assess(dossier, dt.date(2024, 6, 1))
    item = next(i for i in assessment["explanation"] if i["output"] == "legal_stay")
    assert item["reference"] == assessment["legal_stay"]["reference"]
    assert item["reference"]


def test_a_travel_document_renewed_later_changes_the_answer_on_its_issue_day() -> None:
    """Daniil's second PDPdC, issued 20 Dec 2024, extends what he holds: the travel document's
    answer (valid until …) changes that day, though it stays valid."""
    dossier = _dossier(
        "daniil",
        titles=[_title("subsidiary_protection", "2022-01-01")],
        documents=[
            {"kind": "travel_document_for_foreigners", "issuer": "PL", "issued": "2024-01-10"},
            {"kind": "travel_document_for_foreigners", "issuer": "PL", "issued": "2024-12-20"},
        ],
    )
    item = _item(dossier, dt.date(2024, 6, 1), "travel_document")
    assert item["value"] is True
    assert item["changes_on"] == "2024-12-20"


def test_a_flag_says_the_day_it_would_no_longer_be_raised() -> None:
    """Yana, born 1 Mar 2010 and holding no document, is a child without an identity document
    until the day she turns 18."""
    dossier = _dossier("yana", titles=[_title("subsidiary_protection", "2020-01-01")])
    raw = dossier_to_dict(dossier)
    raw["person"]["birth_date"] = "2010-03-01"
    child = dossier_from_dict(raw)
    item = _item(child, dt.date(2026, 1, 15), "flag.child_without_identity_document")
    assert item["changes_on"] == "2028-03-01"
    flags_on = load_rulebook().assess(child, dt.date(2028, 3, 1))["flags"]
    assert "child_without_identity_document" not in flags_on
    assert (
        "child_without_identity_document"
        in load_rulebook().assess(child, dt.date(2028, 2, 29))["flags"]
    )


def test_a_deadline_says_the_day_it_would_change() -> None:
    """Ales's permit ends on Friday 9 Jan 2026: he must file by then. The deadline's item says
    it changes on 10 Jan, the day he is no longer in time (the stay is then irregular and no
    deadline to file is shown)."""
    dossier = _dossier(
        "ales", titles=[_title("temporary_residence", "2023-01-10", "2026-01-09", "work")]
    )
    item = _item(dossier, dt.date(2025, 12, 1), "deadline.file_temporary_residence")
    assert item["value"] == "2026-01-09"
    assert item["changes_on"] == "2026-01-10"
    later = load_rulebook().assess(dossier, dt.date(2026, 1, 10))["deadlines"]
    assert "file_temporary_residence" not in [deadline["kind"] for deadline in later]


def test_a_back_dated_answer_follows_the_procedure_steps_recorded_after_the_date() -> None:
    """Assessed on 6 Jul 2023, Marta meets the EU long-term stay condition. Her first permit
    ends on 30 Jul 2024, an application filed on 26 May 2024 carries her on the stamp, and the
    permit it gave ends on 25 Jul 2026: the answer changes on 26 Jul 2026, found through the
    steps recorded after the date (filed, issued, final)."""
    facts = {
        "stable_income_3_years": True,
        "health_insurance": True,
        "housing_and_registration": True,
        "polish_language": True,
    }
    dossier = _dossier(
        "marta",
        facts=facts,
        titles=[
            _title("temporary_residence", "2017-01-01", "2024-07-30", "work"),
            _title("temporary_residence", "2024-10-07", "2026-07-25", "work"),
        ],
        applications=[
            {
                "kind": "temporary_residence",
                "filed": "2024-05-26",
                "formally_complete": True,
                "decision": {
                    "outcome": "granted",
                    "issued": "2024-09-20",
                    "delivered": "2024-09-21",
                    "final": "2024-10-06",
                },
            }
        ],
        stays_abroad=[{"left": "2017-07-21", "returned": "2017-11-20"}],
    )
    item = _item(dossier, dt.date(2023, 7, 6), "eligibility.eu_long_term_residence")
    assert item["value"] is True
    assert item["changes_on"] == "2026-07-26"


def test_a_day_probed_for_a_change_answers_as_that_day_assessed_afresh() -> None:
    """``changes_on`` probes other days on the date's evaluation, which copies the derived
    columns that cannot differ on them: every worked case, on days before and after its date
    (a rule coming into force, a procedure step recorded later), answers as on its own."""
    from legalstay.engine.explain import answers_differ
    from legalstay.engine.interpreter import Evaluation
    from legalstay.rulebook.facts import dossier_facts
    from tests.core.rulebook.test_worked_cases import _jsonable, load_cases

    rulebook = load_rulebook()
    names = sorted(rulebook.rules.variables)
    shifts = (-3650, -400, -31, -1, 1, 14, 30, 183, 366, 1827)
    for param in load_cases()[::3]:
        case = param.values[0]
        facts = dossier_facts(dossier_from_dict(_jsonable(case["dossier"])))
        scenario = case.get("scenario", "pl-baseline")
        evaluation = rulebook.evaluation(facts, case["as_of"], scenario)
        for name in names:  # the date's rows, all columns worked out
            evaluation.value(name)
        for shift in shifts:
            day = case["as_of"] + dt.timedelta(days=shift)
            probed = evaluation.at(day)
            fresh = Evaluation(
                evaluation.rules, evaluation.parameters, evaluation.calendar, facts, day
            )
            differing = [n for n in names if answers_differ(probed.value(n), fresh.value(n))]
            assert not differing, (case["name"], day, differing)
