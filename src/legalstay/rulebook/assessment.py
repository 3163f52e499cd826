"""``legalstay-assessment/1``: one person's status, documents, work, eligibility, deadlines and
flags on a date, with an explanation of each (the deciding rule or condition, the provision,
the parameter values used, and the date on which the result would change)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from legalstay.engine.calendars import DateOutsideCalendarError, PolishCalendar
from legalstay.engine.explain import answers_differ, next_change
from legalstay.engine.interpreter import Evaluation
from legalstay.engine.periods import SATURDAY_RULE_FROM
from legalstay.engine.rules import Route
from legalstay.rulebook import deadlines, flags
from legalstay.rulebook import references as ref

if TYPE_CHECKING:
    from legalstay.rulebook import Rulebook

__all__ = ["FORMAT", "build_assessment", "doubtful_parameters", "route_citation"]

FORMAT = "legalstay-assessment/1"


def build_assessment(
    rulebook: Rulebook, evaluation: Evaluation, person_id: str, scenario: str
) -> dict[str, Any]:
    from legalstay.rulebook import ELIGIBILITIES

    value = evaluation.value
    answers = {
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
    }
    # Which deadlines are due and which flags raised is read without recording (the same
    # answers, at a fraction of the cost): only those are explained.
    unrecorded = evaluation.without_recording()
    due = _deadlines(unrecorded)
    raised = [name for name in flags.FLAGS if unrecorded.value(f"flag.{name}") is True]
    return {
        "format": FORMAT,
        "person": person_id,
        "as_of": evaluation.as_of.isoformat(),
        "scenario": scenario,
        "rulebook_version": rulebook.version,
        **answers,
        "deadlines": [{**item, "due": item["due"].isoformat()} for item in due],
        "flags": raised,
        "explanation": _explanation(rulebook, evaluation, due, raised, answers),
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
            route_taken, reference = route.name, route_citation(route)
        for condition in route.conditions:
            result = evaluation.value(item.condition_variable(route, condition))
            if result is False and condition.name not in unmet:
                unmet.append(condition.name)
            elif result is None and condition.name not in unknown:
                unknown.append(condition.name)
    if route_taken is not None:
        unmet, unknown = [], []
    else:  # the deciding condition's own provision, as the explanation cites (art. 252a …)
        decider = _deciding_condition(
            _conditions_in_force(rulebook, evaluation, name), open_answer=eligible is None
        )
        reference = decider["reference"] if decider is not None else reference
    return {
        "eligible": eligible,
        "route": route_taken,
        "unmet": unmet,
        "unknown": unknown,
        "reference": reference,
    }


def route_citation(route: Route) -> str:
    """The provision of the route that gave a "yes", with the caveats of its conditions that
    could make a yes wrong (`references.CAVEATS_OF_A_YES`: a reading not verified that opens
    the route, a weighing not assessed); one that restates the route's provision with more
    words replaces it."""
    citations = [route.reference]
    for condition in route.conditions:
        cited = condition.reference
        if cited in citations or cited not in ref.CAVEATS_OF_A_YES:
            continue
        if cited.startswith(route.reference) and route.reference in citations:
            citations[citations.index(route.reference)] = cited
        else:
            citations.append(cited)
    return "; ".join(citations)


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
    return found


# ---------------------------------------------------------------- explanation


def _explanation(
    rulebook: Rulebook,
    evaluation: Evaluation,
    due: list[dict[str, Any]],
    raised: list[str],
    answers: Mapping[str, Any],
) -> list[dict[str, Any]]:
    from legalstay.rulebook import ELIGIBILITIES

    items = [
        _explain_output(evaluation, "legal_stay", "legal_stay.basis"),
        _explain_output(evaluation, "travel_document", "travel_document.valid"),
        _explain_output(evaluation, "identity_document", "identity_document.valid"),
        _explain_output(evaluation, "right_to_work", "right_to_work.status"),
    ]
    # Titles starting later are looked at by ``next_change`` itself (facts known later).
    looked_at = _continuity_mended_on(evaluation)
    items.extend(
        _explain_eligibility(rulebook, evaluation, name, looked_at) for name in ELIGIBILITIES
    )
    items.extend(_explain_deadlines(evaluation, due, no_new_pdpdc(answers)))
    items.extend(_explain_flags(evaluation, raised))
    _note_unverified_days_off(evaluation, items)
    return items


# A lateness flag cites what the case's own deadline cites (KPA before 2022, UOchr for
# protection, art. 100d where its period ran in it); a protection case with no due day
# shown, the rule that leaves it open.
_LATE_FLAGS = ("authority_late", "authority_late_if_suspension_ended")
_PROTECTION_IN_100DA = f"{ref.UOCHR_DECISION}; {ref.MAY_HAVE_BEEN_SUSPENDED_BY_100DA}"


def _flag_citation(evaluation: Evaluation, name: str) -> str | None:
    if name in _LATE_FLAGS:
        return evaluation.value("deadline.authority_decision.reference") or _PROTECTION_IN_100DA
    if name == "work_rule_not_researched":  # the rule not researched for this person
        return str(evaluation.value("right_to_work.reference"))
    if name == "irregular_stay":  # "no basis", or why the research does not settle it
        return str(evaluation.value("legal_stay.reference"))
    if name == "stay_rule_not_researched" and evaluation.value("legal_stay.basis") in (
        "none",
        "pending_protection_application",
    ):
        return str(evaluation.value("legal_stay.reference"))  # the rule not researched
    if name in ("decision_finality_inferred", "pending_application_without_stamp"):
        return str(evaluation.value(f"flag.{name}.reference"))  # why, for this person
    reference: str | None = evaluation.rules[f"flag.{name}"].reference
    return reference


def _explain_flags(evaluation: Evaluation, raised: list[str]) -> list[dict[str, Any]]:
    """Each flag raised, with the provision it rests on (its confidence said there: the stamp
    gives no right to re-enter, medium; Decree No. 278's day of entry into force …)."""
    items = []
    for name in raised:
        variable = f"flag.{name}"
        evaluation.value(variable)  # recorded: what it read is explained
        reference = _flag_citation(evaluation, name)
        label = name.replace("_", " ").capitalize()
        cited = f" ({reference})" if reference else ""
        # The values it read: a lost PDPdC still "valid" only under a reform's three years.
        parameters = _parameters(evaluation, variable)
        items.append(
            {
                "output": variable,
                "value": True,
                "reference": reference,
                "parameters": parameters,
                "changes_on": _iso(next_change(evaluation, variable)),
                "text": f"{label}{cited}{_doubts(parameters)}.",
            }
        )
    return items


def _explain_deadlines(
    evaluation: Evaluation, due: list[dict[str, Any]], no_new_travel_document: bool
) -> list[dict[str, Any]]:
    """Each deadline due: its citation and the parameter values it rests on, and in the text
    those not verified (an end of the art. 100d suspension after 4 Mar 2026 …) and those a
    reform proposes."""
    items = []
    for item in due:
        name = f"deadline.{item['kind']}"
        evaluation.value(name)  # recorded: what it read is explained
        parameters = _parameters(evaluation, name)
        kind = item["kind"].replace("_", " ").capitalize().replace("poland", "Poland")
        due_on = item["due"].isoformat()
        passed = ", passed" if item["due"] < evaluation.as_of else ""  # a past day stays listed
        text = f"{kind} due {due_on}{passed} ({item['reference']})" + _doubts(parameters)
        text += _not_moved_off_a_day_off(evaluation.calendar, item["kind"], item["due"])
        if item["kind"] == "renew_travel_document" and no_new_travel_document:
            text += (
                "; the document lapses then, and a new one is not open on this date (see the "
                "travel document for foreigners' eligibility)"
            )
        items.append(
            {
                "output": name,
                "value": due_on,
                "reference": item["reference"],
                "parameters": parameters,
                "changes_on": _iso(next_change(evaluation, name)),
                "text": text + ".",
            }
        )
    return items


# The PDPdC routes' conditions on the title held (art. 252, 252a): unmet, no new PDPdC is
# open whatever becomes of the passport.
_PDPDC_TITLE_CONDITIONS = frozenset({"holds_qualifying_title", "holds_qualifying_title_252a"})


def no_new_pdpdc(answers: Mapping[str, Any]) -> bool:
    """Of an assessment's answers: the PDPdC in hand lapses, and no new one is given on the
    date (on a stamp, say, where art. 252 and 252a ask for a title held); not said where only
    a valid passport closes the routes, since the passport may lapse first."""
    holds_a_pdpdc = answers["travel_document"]["kind"] == "travel_document_for_foreigners"
    pdpdc = answers["eligibility"]["travel_document_for_foreigners"]
    if not holds_a_pdpdc or pdpdc["eligible"] is not False:
        return False
    unmet = set(pdpdc["unmet"])
    return "no_valid_national_passport" not in unmet or bool(unmet & _PDPDC_TITLE_CONDITIONS)


# Deadlines on a day the law fixes (the last day of legal stay; 30 days before a card expires;
# the end of an art. 252a window or of the title it asks for),
# which KPA art. 57 § 4 does not move, as it moves the end of a period counted from an event.
_FIXED_DATES = ("file_temporary_residence", "residence_card_exchange", "apply_for_travel_document")


def _not_moved_off_a_day_off(calendar: PolishCalendar, kind: str, due: dt.date) -> str:
    """A fixed date on a Sunday, a public holiday or (from 1 Jun 2017) a Saturday: the text says
    it is not moved, where a caseworker may take KPA art. 57 § 4 to move it."""
    if kind not in _FIXED_DATES:
        return ""
    try:
        day_off = calendar.is_day_off(due, saturday_is_day_off=due >= SATURDAY_RULE_FROM)
    except DateOutsideCalendarError:
        return ""
    if not day_off:
        return ""
    unverified = _unverified_day_off(due)
    which = f" ({unverified.known_as}, which the research did not verify)" if unverified else ""
    return (
        f"; a day off{which}, and not moved to the next working day: KPA art. 57 § 4 moves the "
        "end of a period, and this is a date (legal-rules.md §1.2, §1.5)"
    )


def doubtful_parameters(
    parameters: Sequence[Mapping[str, Any]],
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Of the values an answer read, those not verified (or of low confidence, or whose note
    says part of them is not verified), and those a reform proposes (a proposal, not law)."""
    doubtful = [
        p
        for p in parameters
        if p["confidence"] in ("low", "not_verified") or "NOT VERIFIED" in (p.get("note") or "")
    ]
    proposed = [p for p in doubtful if p.get("status") == "proposed"]
    return [p for p in doubtful if p.get("status") != "proposed"], proposed


def _doubts(parameters: list[dict[str, Any]]) -> str:
    """What an answer's text must add about the values it rests on."""
    unverified, proposed = doubtful_parameters(parameters)
    text = ""
    # "Read", not "rests on": the values listed are those read in working the answer out,
    # and one read to choose the rows looked at may not have decided it.
    if unverified:
        text += "; among the values it reads, not verified: " + _names(unverified)
    if proposed:
        text += "; among the values it reads, a reform's proposal (not law): " + _names(proposed)
    return text


def _names(parameters: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(p["name"] for p in parameters)


@dataclass(frozen=True)
class UnverifiedDayOff:
    """A day off the calendar (``holidays.Poland``) keeps that legal-rules.md §1.5 does not list
    or marks NOT VERIFIED: a date resting on it says so."""

    month: int
    day: int
    first_year: int
    last_year: int | None  # None: every year from the first
    known_as: str

    def on(self, day: dt.date) -> bool:
        return (day.month, day.day) == (self.month, self.day) and bool(self.years((day.year,)))

    def years(self, among: Iterable[int]) -> list[int]:
        """The years among these in which it is a day off."""
        return [
            year
            for year in among
            if self.first_year <= year and (self.last_year is None or year <= self.last_year)
        ]


UNVERIFIED_DAYS_OFF = (
    UnverifiedDayOff(12, 24, 2025, None, "from 2025, by general knowledge"),
    # Not in the research's list of the 1951 Act's days off: a one-off day off of 2018.
    UnverifiedDayOff(11, 12, 2018, 2018, "a one-off day off of 2018"),
)


def _unverified_day_off(day: dt.date) -> UnverifiedDayOff | None:
    return next((off for off in UNVERIFIED_DAYS_OFF if off.on(day)), None)


def _note_unverified_days_off(evaluation: Evaluation, items: list[dict[str, Any]]) -> None:
    """Where an answer rests on a day off the research did not verify (24 Dec, from 2025: a
    period ending on it moved to the next working day, and what follows from that — a decision
    final, a stay, a date to leave), the answer is worked out again with that day a working
    day, and where it differs the item's text says so and gives it."""
    for day_off, known_as in _unverified_days_off_compared(evaluation):
        calendar = evaluation.calendar.with_working_days((day_off,))
        again = Evaluation(
            evaluation.rules, evaluation.parameters, calendar, evaluation.facts, evaluation.as_of
        )
        for item in items:
            if "text" not in item:
                continue
            otherwise = _otherwise(item["output"], evaluation, again) or _changes_otherwise(
                item, again
            )
            if otherwise is not None:
                item["unverified_day_off"] = day_off.isoformat()  # for a page to say it too
                item["text"] = (
                    f"{item['text'].removesuffix('.')}; it rests on {day_off.isoformat()} being "
                    f"a day off ({known_as}), which the research did not "
                    f"verify: were it a working day, {otherwise}."
                )


def _changes_otherwise(item: dict[str, Any], again: Evaluation) -> str | None:
    """The answer on the date does not rest on the day off, but the day it changes may (a
    decision final a day later, so the stay on its stamp ends a day later)."""
    if not item.get("changes_on"):
        return None
    changes = _first_change(again, *_item_variables(item["output"]))
    if changes is not None and changes.isoformat() == item["changes_on"]:
        return None
    return f"the answer would change on {changes.isoformat()}" if changes else None


def _unverified_days_off_compared(evaluation: Evaluation) -> list[tuple[dt.date, str]]:
    """The unverified days off (and how they are known) that a date the answers compared may
    have been moved past: the first working day after a run of days off that begins with one."""
    compared = {day for record in evaluation.records.values() for day in record.dates}
    years = sorted({d.year for d in compared} | {d.year - 1 for d in compared})
    calendar = evaluation.calendar
    found = []
    for unverified in UNVERIFIED_DAYS_OFF:
        for year in unverified.years(y for y in years if y <= calendar.last_year):
            off = dt.date(year, unverified.month, unverified.day)
            if off < calendar.last_day and _moved_past(calendar, off) in compared:
                found.append((off, unverified.known_as))
    return found


def _moved_past(calendar: PolishCalendar, off: dt.date) -> dt.date | None:
    """The day a period ending on ``off`` ends (KPA art. 57 § 4), if it is moved at all."""
    if not calendar.is_day_off(off, saturday_is_day_off=True):
        return None
    try:
        return calendar.next_working_day(off, saturday_is_day_off=True)
    except DateOutsideCalendarError:
        return None


def _otherwise(output: str, evaluation: Evaluation, again: Evaluation) -> str | None:
    """What ``output`` would say under ``again``, where that differs; None where it does not."""
    variables = _item_variables(output)
    if all(not answers_differ(evaluation.value(v), again.value(v)) for v in variables):
        return None
    value = again.value
    if output.startswith("eligibility."):
        return f"the answer would be: {_VERDICTS[value(variables[0])]}"
    if output.startswith("deadline."):
        due = value(output)
        return f"the deadline would be {due.isoformat()}" if due else "it would not be due"
    if output == "legal_stay":
        basis, until = value("legal_stay.basis"), value("legal_stay.until")
        on = f" on the basis of {basis}" if basis not in (None, "none") else ""
        return f"the stay would be {value('legal_stay.status')}{on}" + (
            f" until {until.isoformat()}" if until else ""
        )
    shown = ", ".join(f"{v.split('.', 1)[1]} {_iso(value(v))}" for v in variables)
    return f"the answer would be: {shown}"


# What else an output answers: it changes when any of them does (a document renewed: its
# ``until``; a stay on a new title: its ``until``).
_ANSWERED_WITH = {
    "legal_stay": ("legal_stay.status", "legal_stay.basis", "legal_stay.until"),
    "travel_document": ("travel_document.valid", "travel_document.kind", "travel_document.until"),
    "identity_document": (
        "identity_document.valid",
        "identity_document.kind",
        "identity_document.until",
    ),
    "right_to_work": ("right_to_work.status",),
}


def _item_variables(output: str) -> tuple[str, ...]:
    """The variables an explanation item's answer is: an eligibility's is its own name."""
    return _ANSWERED_WITH.get(output, (output.removeprefix("eligibility."),))


_VERDICTS = {True: "eligible", False: "not eligible", None: "not known"}


def _answered_with(output: str, variable: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((variable, *_ANSWERED_WITH.get(output, ()))))


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
        "changes_on": _iso(_first_change(evaluation, *_answered_with(output, variable))),
        "text": _with_doubts(_text(output, evaluation), _parameters(evaluation, variable)),
    }


def _with_doubts(text: str, parameters: list[dict[str, Any]]) -> str:
    """The values not verified and a reform's values named in the text, as a deadline's and an
    eligibility's are: the answer may rest on a value the research did not verify, or on a
    proposal, not on law."""
    doubts = _doubts(parameters)
    return f"{text.rstrip('.')}{doubts}." if doubts else text


# Changes of the continuity followed: from broken, not known (breaks over ten months only by
# the days of a month), then whole; from whole (abroad on the date or later), not known,
# broken, not known again and whole, four.
_CONTINUITY_STEPS = 4


def _continuity_mended_on(evaluation: Evaluation) -> tuple[dt.date, ...]:
    """The days the continuity of stay changes on, for a person whose continuity is not whole
    (until it is whole again: the breaks leave the five years), or whole but abroad on the
    date or recorded abroad later (from the day the break grows too long, or ends so): a
    route whose count is also short does not read the continuity on the date (its conditions
    stop at the first not met), so those days are not among the days its answer compares,
    and are looked at besides. From broken it may turn not known first, and whole only later."""
    if evaluation.value("continuity.ok") is True and not _abroad_on_or_after(evaluation):
        return ()
    days: list[dt.date] = []
    at = evaluation
    while len(days) < _CONTINUITY_STEPS:
        changed = next_change(at, "continuity.ok")
        if changed is None:
            break
        days.append(changed)
        at = evaluation.recording_at(changed)
        if at.value("continuity.ok") is True:
            break
    return tuple(days)


def _abroad_on_or_after(evaluation: Evaluation) -> bool:
    """A stay abroad not over by the date: under way (no return, or one recorded later), or
    begun later (its return, if recorded, is later still)."""
    returns = (row.get("returned") for row in evaluation.facts.tables.get("stays_abroad", ()))
    return any(back is None or back > evaluation.as_of for back in returns)


def _explain_eligibility(
    rulebook: Rulebook, evaluation: Evaluation, name: str, extra: tuple[dt.date, ...] = ()
) -> dict[str, Any]:
    """The eligibility's conditions in force, and what decided it — the route that gave it, a
    condition not met, or, for an open answer, an unknown condition of a route still open —
    cited by its own provision (art. 252a, a reform's proposal …), not only the eligibility's
    general one."""
    item = rulebook.rules.eligibilities[name]
    conditions = _conditions_in_force(rulebook, evaluation, name)
    eligible = evaluation.value(name)
    decided_by, reference = None, item.reference
    if eligible is True:
        route = next(
            route
            for route in item.routes
            if evaluation.value(item.route_variable(route)) is True
            and evaluation.value(item.in_force_variable(route)) is True
        )
        decided_by, reference = route.name, route_citation(route)
    else:
        decider = _deciding_condition(conditions, open_answer=eligible is None)
        if decider is not None:
            decided_by = f"{decider['route']}.{decider['condition']}"
            reference = decider["reference"]
    parameters = _parameters(evaluation, name)
    return {
        "output": f"eligibility.{name}",
        "value": eligible,
        "decided_by": decided_by,
        "reference": reference,
        "conditions": conditions,
        "parameters": parameters,
        "changes_on": _iso(next_change(evaluation, name, extra)),
        "text": _eligibility_text(item.label, eligible, decided_by, reference, conditions)
        + _doubts(parameters)
        + ".",
    }


def _eligibility_text(
    label: str,
    eligible: bool | None,
    decided_by: str | None,
    reference: str,
    conditions: list[dict[str, Any]],
) -> str:
    """The answer in words: the route that gave it, or for each route in force what closes it
    (its first condition not met) or leaves it open (its first condition not known)."""
    if eligible is True:
        return f"{label}: eligible by the route {decided_by} ({reference})"
    why = "; ".join(_route_reasons(conditions))
    return f"{label}: {_VERDICTS[eligible]} ({reference})" + (f": {why}" if why else "")


def _route_reasons(conditions: list[dict[str, Any]]) -> list[str]:
    reasons: dict[str, str] = {}
    for condition in conditions:  # in route order, each route's conditions in order
        route, value = condition["route"], condition["value"]
        if value is False and "not met" not in reasons.get(route, ""):
            reasons[route] = f"route {route}, {condition['condition']} not met"
        elif value is None and route not in reasons:
            reasons[route] = f"route {route}, {condition['condition']} not known"
    return list(reasons.values())


def _conditions_in_force(
    rulebook: Rulebook, evaluation: Evaluation, name: str
) -> list[dict[str, Any]]:
    """The eligibility's conditions of the routes in force, with their values and provisions."""
    item = rulebook.rules.eligibilities[name]
    return [
        {
            "route": route.name,
            "condition": condition.name,
            "value": evaluation.value(item.condition_variable(route, condition)),
            "reference": condition.reference,
        }
        for route, condition in item.conditions()
        if evaluation.value(item.in_force_variable(route)) is True
    ]


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


def _why_document_unknown(evaluation: Evaluation) -> str:
    if evaluation.value("flag.date_before_the_act_on_foreigners") is True:
        return "which documents count is not researched for this date (before 1 May 2014)"
    return (
        "a document is recorded without its expiry, and none can be derived (a passport or "
        "another state's document, whose validity is that state's; or a Polish document whose "
        "validity the law in force on its issue date does not give)"
    )


def _irregular_text(evaluation: Evaluation) -> str:
    """An "irregular" cited otherwise than "no basis" cites a question the research leaves
    open (the stamp before 2014, a finality not known, a child born here …), as the person
    page reads it too."""
    reference = evaluation.value("legal_stay.reference")
    if reference != ref.NO_BASIS:
        return (
            "No basis of stay the rules give on this date, but the research does not settle "
            f"it: {reference} (check by hand)."
        )
    return f"No legal basis of stay on this date ({reference})."


def _text(output: str, evaluation: Evaluation) -> str:
    value = evaluation.value
    if output == "legal_stay":
        if value("legal_stay.status") is None:
            return f"Unknown whether the stay is legal: {value('legal_stay.reference')}."
        if value("legal_stay.status") == "irregular":
            return _irregular_text(evaluation)
        until = value("legal_stay.until")
        basis = str(value("legal_stay.basis")).replace("_", " ")
        tail = f" until {until.isoformat()}" if until else " with no end date recorded"
        return f"Stay is legal on the basis of {basis}{tail} ({value('legal_stay.reference')})."
    if output in ("travel_document", "identity_document"):
        noun = output.replace("_", " ")
        if value(f"{output}.valid") is None:
            return f"Unknown whether a valid {noun} is held: {_why_document_unknown(evaluation)}."
        if value(f"{output}.valid") is not True:
            return f"No valid {noun} on this date."
        kind = str(value(f"{output}.kind")).replace("_", " ")
        return f"Valid {noun}: {kind} until {value(f'{output}.until').isoformat()}."
    status = value("right_to_work.status") or "unknown"
    return f"Right to work: {status} ({value('right_to_work.reference')})."
