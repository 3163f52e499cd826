"""``legalstay-assessment/1``: one person's status, documents, work, eligibility, deadlines and
flags on a date, with an explanation of each (the deciding rule or condition, the provision,
the parameter values used, and the date on which the result would change)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from legalstay.engine.calendars import DateOutsideCalendarError
from legalstay.engine.explain import next_change
from legalstay.engine.interpreter import Evaluation
from legalstay.rulebook import deadlines, flags

if TYPE_CHECKING:
    from legalstay.rulebook import Rulebook

__all__ = ["FORMAT", "build_assessment"]

FORMAT = "legalstay-assessment/1"


def build_assessment(
    rulebook: Rulebook, evaluation: Evaluation, person_id: str, scenario: str
) -> dict[str, Any]:
    from legalstay.rulebook import ELIGIBILITIES

    value = evaluation.value
    return {
        "format": FORMAT,
        "person": person_id,
        "as_of": evaluation.as_of.isoformat(),
        "scenario": scenario,
        "rulebook_version": rulebook.version,
        "legal_stay": {
            "status": value("legal_stay.status"),
            "basis": value("legal_stay.basis"),
            "until": _iso(value("legal_stay.until")),
            "reference": value("legal_stay.reference"),
        },
        "travel_document": _document(evaluation, "travel_document"),
        "identity_document": _document(evaluation, "identity_document"),
        "right_to_work": {
            "status": value("right_to_work.status"),
            "reference": value("right_to_work.reference"),
        },
        "eligibility": {name: _eligibility(rulebook, evaluation, name) for name in ELIGIBILITIES},
        "deadlines": _deadlines(evaluation),
        "flags": [name for name in flags.FLAGS if value(f"flag.{name}") is True],
        "explanation": _explanation(rulebook, evaluation),
    }


def _iso(day: Any) -> Any:
    return day.isoformat() if isinstance(day, dt.date) else day


def _document(evaluation: Evaluation, output: str) -> dict[str, Any]:
    # null: a document may be valid, but its expiry is neither recorded nor derivable.
    valid = evaluation.value(f"{output}.valid")
    return {
        "valid": valid,
        "kind": evaluation.value(f"{output}.kind") if valid else None,
        "until": _iso(evaluation.value(f"{output}.until")) if valid else None,
    }


def _eligibility(rulebook: Rulebook, evaluation: Evaluation, name: str) -> dict[str, Any]:
    item = rulebook.rules.eligibilities[name]
    eligible = evaluation.value(name)
    unmet: list[str] = []
    unknown: list[str] = []
    reference = item.reference
    route_taken = None
    for route in item.routes:
        if evaluation.value(item.in_force_variable(route)) is not True:
            continue
        if evaluation.value(item.route_variable(route)) is True and route_taken is None:
            route_taken, reference = route.name, route.reference
        for condition in route.conditions:
            result = evaluation.value(item.condition_variable(route, condition))
            if result is False and condition.name not in unmet:
                unmet.append(condition.name)
            elif result is None and condition.name not in unknown:
                unknown.append(condition.name)
    if route_taken is not None:
        unmet, unknown = [], []
    return {
        "eligible": eligible,
        "route": route_taken,
        "unmet": unmet,
        "unknown": unknown,
        "reference": reference,
    }


def _deadlines(evaluation: Evaluation) -> list[dict[str, Any]]:
    # The citation of the rule that gave this person's date (a protection appeal cites the
    # Refugee Board rule), the kind's general provision when none is given.
    found = [
        {
            "kind": kind,
            "due": evaluation.value(f"deadline.{kind}"),
            "reference": evaluation.value(f"deadline.{kind}.reference") or citation,
        }
        for kind, citation in deadlines.DEADLINE_REFERENCES.items()
        if evaluation.value(f"deadline.{kind}") is not None
    ]
    found.sort(key=lambda item: item["due"])
    return [{**item, "due": item["due"].isoformat()} for item in found]


# ---------------------------------------------------------------- explanation


def _explanation(rulebook: Rulebook, evaluation: Evaluation) -> list[dict[str, Any]]:
    from legalstay.rulebook import ELIGIBILITIES

    items = [
        _explain_output(evaluation, "legal_stay", "legal_stay.basis"),
        _explain_output(evaluation, "travel_document", "travel_document.valid"),
        _explain_output(evaluation, "identity_document", "identity_document.valid"),
        _explain_output(evaluation, "right_to_work", "right_to_work.status"),
    ]
    items.extend(_explain_eligibility(rulebook, evaluation, name) for name in ELIGIBILITIES)
    items.extend(_explain_deadlines(evaluation))
    return items


def _explain_deadlines(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Each deadline due: its citation and the parameter values it rests on, and in the text
    those not verified (an end of the art. 100d suspension after 4 Mar 2026 …)."""
    items = []
    for item in _deadlines(evaluation):
        name = f"deadline.{item['kind']}"
        parameters = _parameters(evaluation, name)
        doubtful = [p["name"] for p in parameters if p["confidence"] in ("low", "not_verified")]
        kind = item["kind"].replace("_", " ").capitalize()
        text = f"{kind} due {item['due']} ({item['reference']})"
        if doubtful:
            text += f"; it rests on values not verified: {', '.join(doubtful)}"
        moved_past = None
        if item["kind"] in MOVED_OFF_DAYS_OFF:
            moved_past = _unverified_day_off_moved_past(evaluation, name, item["due"])
        if moved_past is not None:
            day_off, otherwise = moved_past
            text += (
                f"; moved past {day_off.isoformat()}, a day off from 2025 (Dz.U. 2024 poz. "
                "1965) that the research did not verify: if it is a working day, the deadline "
                f"is {otherwise.isoformat()}"
            )
        items.append(
            {
                "output": name,
                "value": item["due"],
                "reference": item["reference"],
                "parameters": parameters,
                "text": text + ".",
            }
        )
    return items


# Days off the calendar keeps that legal-rules.md marks NOT VERIFIED: (month, day, first year).
UNVERIFIED_DAYS_OFF = ((12, 24, 2025),)
# Deadlines that are KPA art. 57 periods, whose end moves off days off (§ 4); the others are
# dates the law fixes (the last day of legal stay, a document's expiry).
MOVED_OFF_DAYS_OFF = ("appeal", "authority_decision")


def _unverified_day_off_moved_past(
    evaluation: Evaluation, name: str, due_text: str
) -> tuple[dt.date, dt.date] | None:
    """The unverified day off a due date was moved past (KPA art. 57 § 4), and the due date if
    it were a working day: the deadline worked out again with it as one. None when the due
    date does not depend on it (the period ended after it, or there is none before it)."""
    due = dt.date.fromisoformat(due_text)
    for day_off in _unverified_days_off_before(evaluation, due):
        calendar = evaluation.calendar.with_working_days((day_off,))
        again = Evaluation(
            evaluation.rules, evaluation.parameters, calendar, evaluation.facts, evaluation.as_of
        )
        otherwise = again.value(name)
        if otherwise != due and isinstance(otherwise, dt.date):
            return day_off, otherwise
    return None


def _unverified_days_off_before(evaluation: Evaluation, due: dt.date) -> list[dt.date]:
    """Unverified days off from which every day up to the due date is a day off: only past
    those can the due date have been moved."""
    found = []
    for month, day, first_year in UNVERIFIED_DAYS_OFF:
        for year in (due.year - 1, due.year):
            off = dt.date(year, month, day)
            if year >= first_year and off < due and _all_days_off(evaluation, off, due):
                found.append(off)
    return found


def _all_days_off(evaluation: Evaluation, first: dt.date, before: dt.date) -> bool:
    days = (first + dt.timedelta(days=n) for n in range((before - first).days))
    try:
        return all(evaluation.calendar.is_day_off(d, saturday_is_day_off=True) for d in days)
    except DateOutsideCalendarError:
        return False


# What else an output answers: it changes when any of them does (a document renewed: its
# ``until``; a stay on a new title: its ``until``).
_ANSWERED_WITH = {
    "legal_stay": ("legal_stay.status", "legal_stay.until"),
    "travel_document": ("travel_document.kind", "travel_document.until"),
    "identity_document": ("identity_document.kind", "identity_document.until"),
}


def _first_change(evaluation: Evaluation, *variables: str) -> dt.date | None:
    changes = [day for name in variables if (day := next_change(evaluation, name)) is not None]
    return min(changes, default=None)


def _explain_output(evaluation: Evaluation, output: str, variable: str) -> dict[str, Any]:
    """What decided ``output``: the rule (case) that gave its value and the provision it cites
    — the output's own citation where it has one (legal stay, the right to work), so the
    explanation never cites another rule than the answer."""
    value = evaluation.value(variable)
    record = evaluation.records[variable]
    rule, reference = record.cases[-1] if record.cases else (None, None)
    if f"{output}.reference" in evaluation.rules.variables:
        reference = evaluation.value(f"{output}.reference")
    return {
        "output": output,
        "value": _iso(value),
        "rule": rule,
        "reference": reference or evaluation.rules[variable].reference,
        "parameters": _parameters(evaluation, variable),
        "changes_on": _iso(_first_change(evaluation, variable, *_ANSWERED_WITH.get(output, ()))),
        "text": _text(output, evaluation),
    }


def _explain_eligibility(rulebook: Rulebook, evaluation: Evaluation, name: str) -> dict[str, Any]:
    """The eligibility's conditions in force, and what decided it — the route that gave it, a
    condition not met, or, for an open answer, an unknown condition of a route still open —
    cited by its own provision (art. 252a, a reform's proposal …), not only the eligibility's
    general one."""
    item = rulebook.rules.eligibilities[name]
    conditions = [
        {
            "route": route.name,
            "condition": condition.name,
            "value": evaluation.value(item.condition_variable(route, condition)),
            "reference": condition.reference,
        }
        for route, condition in item.conditions()
        if evaluation.value(item.in_force_variable(route)) is True
    ]
    eligible = evaluation.value(name)
    decided_by, reference = None, item.reference
    if eligible is True:
        route = next(
            route
            for route in item.routes
            if evaluation.value(item.route_variable(route)) is True
            and evaluation.value(item.in_force_variable(route)) is True
        )
        decided_by, reference = route.name, route.reference
    else:
        decider = _deciding_condition(conditions, open_answer=eligible is None)
        if decider is not None:
            decided_by = f"{decider['route']}.{decider['condition']}"
            reference = decider["reference"]
    return {
        "output": f"eligibility.{name}",
        "value": eligible,
        "decided_by": decided_by,
        "reference": reference,
        "conditions": conditions,
        "parameters": _parameters(evaluation, name),
        "changes_on": _iso(next_change(evaluation, name)),
    }


def _deciding_condition(
    conditions: list[dict[str, Any]], *, open_answer: bool
) -> dict[str, Any] | None:
    """A "no" is decided by a condition not met; an open answer by an unknown condition of a
    route that no condition closes."""
    if not open_answer:
        return next((c for c in conditions if c["value"] is False), None)
    closed = {c["route"] for c in conditions if c["value"] is False}
    return next((c for c in conditions if c["value"] is None and c["route"] not in closed), None)


def _parameters(evaluation: Evaluation, variable: str) -> list[dict[str, Any]]:
    record = evaluation.records[variable]
    return [{"name": name, **value.to_json()} for name, value in sorted(record.parameters.items())]


def _text(output: str, evaluation: Evaluation) -> str:
    value = evaluation.value
    if output == "legal_stay":
        if value("legal_stay.status") is None:
            return f"Unknown whether the stay is legal: {value('legal_stay.reference')}."
        if value("legal_stay.status") == "irregular":
            return "No legal basis of stay on this date."
        until = value("legal_stay.until")
        basis = str(value("legal_stay.basis")).replace("_", " ")
        tail = f" until {until.isoformat()}" if until else " with no end date recorded"
        return f"Stay is legal on the basis of {basis}{tail} ({value('legal_stay.reference')})."
    if output in ("travel_document", "identity_document"):
        noun = output.replace("_", " ")
        if value(f"{output}.valid") is None:
            return (
                f"Unknown whether a valid {noun} is held: one is recorded without an expiry, "
                "and none can be derived from the law in force on its issue date."
            )
        if value(f"{output}.valid") is not True:
            return f"No valid {noun} on this date."
        kind = str(value(f"{output}.kind")).replace("_", " ")
        return f"Valid {noun}: {kind} until {value(f'{output}.until').isoformat()}."
    status = value("right_to_work.status") or "unknown"
    return f"Right to work: {status} ({value('right_to_work.reference')})."
