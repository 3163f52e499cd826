"""The engine's explanation in plain language: what decided, on which provision, with which
parameter values (and how sure the research is of them), and when the answer would change.

Reads a ``legalstay-assessment/1`` with its ``explanation``; writes sentences through Django's
translations. The provisions themselves are quoted as the rulebook cites them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from legalstay.rulebook import load_rulebook
from legalstay.rulebook.references import NO_BASIS, WORK_NONE
from legalstay.web.casework import labels

# Why legal stay has the basis it has, by the rule (case) that decided it.
STAY_RULES: dict[str, Promise] = {
    "title": gettext_lazy("A residence title or protection grant covers this date."),
    "stamp": gettext_lazy(
        "An application filed on a day of legal stay is pending and formally complete (or no "
        "defect is recorded): the stay stays legal until the decision becomes final."
    ),
    "protection_pending": gettext_lazy(
        "An application for international protection is pending: the applicant may stay "
        "until the decision becomes final."
    ),
    "no_basis": gettext_lazy(
        "No residence title, timely application or pending protection case covers this date."
    ),
}

WORK_RULES: dict[str, Promise] = {
    "free_access_title": gettext_lazy("The title gives free access to the labour market."),
    "humanitarian_stay": gettext_lazy("Humanitarian stay gives access to work."),
    "humanitarian_visa_trp": gettext_lazy(
        "Temporary residence after a humanitarian visa for Belarusians gives free access to work."
    ),
    "spouse_of_polish_citizen_trp": gettext_lazy(
        "Temporary residence granted for marriage to a Polish citizen gives free access to work."
    ),
    "employment_trp": gettext_lazy("A single permit for residence and work allows that work."),
    "humanitarian_visa": gettext_lazy("A humanitarian visa gives access to work."),
    "protection_certificate": gettext_lazy(
        "The protection case has waited over six months for a first decision: work is "
        "allowed with a certificate issued on request."
    ),
    "no_ground": gettext_lazy("No recorded title or certificate gives access to work."),
}


@dataclass(frozen=True)
class ParameterUsed:
    name: str
    value: str
    since: dt.date | None
    reference: str
    confidence: str
    confidence_code: str


@dataclass
class Explained:
    """One answer on the person page with its reasons."""

    output: str
    heading: str
    value: str
    tone: str  # ok | warn | bad, for the badge
    because: str = ""
    reference: str = ""
    parameters: list[ParameterUsed] = field(default_factory=list)
    changes_on: dt.date | None = None
    reform: str | None = None  # the answer under the reform, when it differs


def days_from(due: dt.date | None, today: dt.date) -> str:
    """ "in 5 days", "today", "3 days ago"."""
    if due is None:
        return ""
    days = (due - today).days
    if days == 0:
        return _("today")
    if days > 0:
        return ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}
    return ngettext("%(days)d day ago", "%(days)d days ago", -days) % {"days": -days}


def day(value: str | dt.date | None) -> str:
    """A date in words in the active language: "4 May 2026", "4 maja 2026"."""
    if not value:
        return "—"
    parsed = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return _day_in(parsed, get_language())


# The month as "E" writes it in a date ("4 maja"). Django's Belarusian catalogue gives March
# in the nominative ("20 сакавік") and other months in the Taraškievica spelling ("траўня");
# the project's catalogues, read first, give each language's genitive in its usual spelling.
MONTHS_IN_A_DATE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)


@lru_cache(maxsize=4096)
def _day_in(date: dt.date, language: str) -> str:
    # A worklist page formats a hundred dates, most of them repeated; date_format is slow.
    return date_format(date, "j E Y")


def answers(assessment: Mapping[str, Any], differences: Mapping[str, Any]) -> list[Explained]:
    """Legal stay, the travel and the identity document and the right to work, explained."""
    items = {item["output"]: item for item in assessment.get("explanation") or []}
    result = [
        _legal_stay(assessment["legal_stay"], items.get("legal_stay"), assessment["flags"]),
        _document(assessment, "travel_document", _("Travel document"), items),
        _document(assessment, "identity_document", _("Identity document"), items),
        _work(assessment["right_to_work"], items.get("right_to_work")),
    ]
    for answer in result:
        if answer.output in differences:
            answer.reform = _reform_value(answer.output, differences[answer.output])
    return result


def legal_stay_ends(stay: Mapping[str, Any]) -> dt.date | None:
    """The last day of legal stay; None where it has no end: none recorded, or a title
    recorded until 9999-12-31, which has no day after it."""
    until = dt.date.fromisoformat(stay["until"]) if stay["until"] else None
    return until if until != dt.date.max else None


# Flags that say the rules give no answer for this person on this date (the rule is not
# researched, or another law applies): an "irregular" beside one is not the law's answer.
STAY_NOT_SETTLED_FLAGS = frozenset(
    {
        "child_born_here_stay_not_researched",
        "polish_citizen",
        "parent_polish_citizen",
        "eu_citizen",
        "ukrainian_special_act_not_modelled",
        "date_before_the_act_on_foreigners",
        "asylum_stay_not_modelled",
        "visa_not_recorded_as_title",
    }
)


def _legal_stay(
    stay: Mapping[str, Any], item: Mapping[str, Any] | None, flags: Sequence[str] = ()
) -> Explained:
    basis = labels.label(labels.BASES, stay["basis"])
    legal = stay["status"] == "legal"
    value = _("legal: %(basis)s") % {"basis": basis} if legal else _("irregular")
    if legal and legal_stay_ends(stay):
        value = _("legal until %(until)s: %(basis)s") % {
            "until": day(stay["until"]),
            "basis": basis,
        }
    answer = Explained(
        "legal_stay", _("Legal stay"), value, "ok" if legal else "bad", reference=stay["reference"]
    )
    answer = _with_reasons(answer, item, STAY_RULES)
    because = None if legal else _why_irregular_is_not_settled(stay, flags)
    if because is not None:
        _not_settled(answer, because)
    return answer


def flag_labels(assessment: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each flag raised, with its words: "irregular stay" where the rules do not settle the
    stay says so, as the stay's own answer does ("not established"), not only "irregular"."""
    not_settled = _why_irregular_is_not_settled(assessment["legal_stay"], assessment["flags"])
    return [
        (name, str(_IRREGULAR_NOT_SETTLED))
        if name == "irregular_stay" and not_settled is not None
        else (name, labels.label(labels.FLAGS, name))
        for name in assessment["flags"]
    ]


_IRREGULAR_NOT_SETTLED = gettext_lazy(
    "irregular stay as the rules give it, but not established: check the stay by hand"
)


def _why_irregular_is_not_settled(stay: Mapping[str, Any], flags: Sequence[str]) -> str | None:
    """Why an "irregular" is not the law's answer: the research does not support it (the
    stamp rule before 2014, a finality not known, a filing on a protection stay: the citation
    says why), or a flag says the rules do not settle this person's stay; None otherwise."""
    if stay["reference"] != NO_BASIS:
        return _(
            "No title or pending application is known to make the stay legal, but the "
            "research does not settle it here: check by hand (see the provision cited)."
        )
    if STAY_NOT_SETTLED_FLAGS.intersection(flags):
        return _(
            "No title or pending application is known to make the stay legal, but the "
            "rules do not settle this person's stay: check by hand (see the flags)."
        )
    return None


def _document(
    assessment: Mapping[str, Any], output: str, heading: str, items: Mapping[str, Any]
) -> Explained:
    document = assessment[output]
    if document["valid"]:
        value = _("%(kind)s, valid until %(until)s") % {
            "kind": labels.label(labels.DOCUMENTS, document["kind"]),
            "until": day(document["until"]),
        }
        because = _("It is among the documents the law accepts for this purpose.")
    elif document["valid"] is None:  # the engine's null: valid or not, no one can tell
        value = _("unknown")
        because = _(
            "A document accepted for this purpose is recorded without its expiry, which the "
            "law does not let us work out: check it."
        )
    else:
        value = _("none valid")
        because = _(
            "None of the recorded documents accepted for this purpose is valid on the date "
            "assessed."
        )
    tone = {True: "ok", None: "warn"}.get(document["valid"], "bad")
    answer = Explained(output, heading, value, tone, because)
    return _with_reasons(answer, items.get(output), {})


def _work(work: Mapping[str, Any], item: Mapping[str, Any] | None) -> Explained:
    status = work["status"]
    tone = {"yes": "ok", "on_request": "warn"}.get(status, "bad")
    value = labels.label(labels.WORK, status)
    answer = Explained(
        "right_to_work", _("Right to work"), value, tone, reference=work["reference"]
    )
    answer = _with_reasons(answer, item, WORK_RULES)
    # A "no" the research does not support cites why (a title it is silent on, the stamp, an
    # undated decision): the law's "no ground" sentence would state what is not known.
    if status == "no" and work["reference"] != WORK_NONE:
        _not_settled(
            answer,
            _(
                "No recorded title or certificate is known to give access to work, but the "
                "research does not settle it here: check by hand (see the provision cited)."
            ),
        )
    return answer


def _not_settled(answer: Explained, because: str) -> None:
    """An answer the contract states ("irregular", "no") that the research does not settle:
    the page says so and why, not the law's answer (the stored JSON keeps the contract's)."""
    answer.value = str(_("not established (check by hand)"))
    answer.tone = "warn"
    answer.because = str(because)


# What the rulebook "cites" where no provision decides (no basis of stay, no ground to work):
# a sentence in English that the answer's own words already say in the page's language.
NOT_PROVISIONS = frozenset({NO_BASIS, WORK_NONE})


def _with_reasons(
    answer: Explained, item: Mapping[str, Any] | None, rules: Mapping[str, Promise]
) -> Explained:
    if item is None:
        return answer
    rule = str(item.get("rule"))
    if rule in rules:
        answer.because = str(rules[rule])
    answer.reference = answer.reference or item.get("reference") or ""
    if answer.reference in NOT_PROVISIONS and answer.because:
        answer.reference = ""
    answer.parameters = parameters_used(item.get("parameters") or [])
    answer.changes_on = changes_on(item)
    return answer


def changes_on(item: Mapping[str, Any]) -> dt.date | None:
    """The day an explanation item's answer would change, the facts unchanged (None: no
    change found)."""
    found = item.get("changes_on")
    return dt.date.fromisoformat(found) if found else None


def parameters_used(parameters: Sequence[Mapping[str, Any]]) -> list[ParameterUsed]:
    return [
        ParameterUsed(
            name=parameter["name"],
            value=parameter_value(parameter.get("value"), parameter.get("unit") or ""),
            since=dt.date.fromisoformat(parameter["valid_from"])
            if parameter.get("valid_from")
            else None,
            reference=str(parameter.get("reference") or ""),
            confidence=labels.label(labels.CONFIDENCE, parameter.get("confidence")),
            confidence_code=str(parameter.get("confidence") or ""),
        )
        for parameter in parameters
    ]


def parameter_value(value: Any, unit: str) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(labels.any_label(str(item)) for item in value) or "—"
    if isinstance(value, int | float) and unit in labels.UNITS:
        return labels.amount(value, unit)
    if unit == "date" and isinstance(value, str):
        return day(value)
    return str(value)


def _reform_value(output: str, answer: Mapping[str, Any]) -> str:
    if output == "legal_stay":
        return _legal_stay(answer, None).value
    if output == "right_to_work":
        return labels.label(labels.WORK, answer["status"])
    return _document({output: answer}, output, "", {}).value


# ---------------------------------------------------------------- eligibility


@dataclass
class EligibilityRow:
    name: str
    label: str
    answer: str
    tone: str
    route: str
    reference: str
    unmet: list[tuple[str, str]]  # (label, provision)
    unknown: list[tuple[str, str]]
    reform: str | None = None  # the reform's answer, when it differs
    reform_unmet: list[str] = field(default_factory=list)  # when only the reasons differ
    changes_on: dt.date | None = None  # the day the answer would change, facts unchanged


def eligibility_rows(
    assessment: Mapping[str, Any], differences: Mapping[str, Any]
) -> list[EligibilityRow]:
    provisions = _condition_provisions(assessment)
    changes = _eligibility_changes(assessment)
    reform = differences.get("eligibility") or {}
    rows = []
    for name, answer in assessment["eligibility"].items():
        row = EligibilityRow(
            name,
            labels.label(labels.ELIGIBILITIES, name),
            *_eligible(answer["eligible"]),
            route=labels.label(labels.ROUTES, answer["route"]) if answer["route"] else "",
            reference=answer["reference"] or "",
            unmet=[_condition(c, name, provisions) for c in answer["unmet"]],
            unknown=[
                _condition(c, name, provisions)
                for c in load_rulebook().deciding_unknowns(name, answer["unmet"], answer["unknown"])
            ],
            changes_on=changes.get(name),
        )
        if name in reform:
            _with_reform(row, answer, reform[name])
        rows.append(row)
    return rows


def _with_reform(
    row: EligibilityRow, answer: Mapping[str, Any], reformed: Mapping[str, Any]
) -> None:
    if reformed["eligible"] != answer["eligible"]:
        row.reform = _eligible(reformed["eligible"])[0]
    if reformed["unmet"] != answer["unmet"]:
        row.reform_unmet = [labels.label(labels.CONDITIONS, c) for c in reformed["unmet"]]


def _eligible(value: bool | None) -> tuple[str, str]:
    if value is True:
        return _("eligible"), "ok"
    if value is False:
        return _("not eligible"), "bad"
    return _("cannot tell yet"), "warn"


def _eligibility_changes(assessment: Mapping[str, Any]) -> dict[str, dt.date]:
    return {
        item["output"].removeprefix("eligibility."): dt.date.fromisoformat(item["changes_on"])
        for item in assessment.get("explanation") or []
        if item["output"].startswith("eligibility.") and item.get("changes_on")
    }


def _condition_provisions(assessment: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for item in assessment.get("explanation") or []:
        name = item["output"].removeprefix("eligibility.")
        for condition in item.get("conditions") or []:
            found.setdefault((name, condition["condition"]), condition.get("reference") or "")
    return found


def _condition(
    condition: str, eligibility: str, provisions: Mapping[tuple[str, str], str]
) -> tuple[str, str]:
    return labels.label(labels.CONDITIONS, condition), provisions.get((eligibility, condition), "")


# ---------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class DeadlineRow:
    kind: str
    label: str
    due: dt.date
    reference: str
    days_left: int
    authority: bool
    detail: str = ""
    # "late", "late_if_suspension_ended" (past 4 Mar 2026: not verified) or "": the engine's
    # flags say it, not the due day alone (a KPA month is no lateness before two months).
    late: str = ""


def deadline_rows(
    assessment: Mapping[str, Any],
    procedures: Sequence[Mapping[str, Any]],
    today: dt.date,
) -> list[DeadlineRow]:
    rows = []
    for item in [*assessment["deadlines"], *procedures]:
        due = dt.date.fromisoformat(item["due"])
        detail = ""
        if item.get("period_days") is not None:
            detail = _("%(days)s days from the summons delivered on %(date)s") % {
                "days": item["period_days"],
                "date": day(item["from"]),
            }
        rows.append(
            DeadlineRow(
                item["kind"],
                labels.label(labels.DEADLINES, item["kind"]),
                due,
                item.get("reference") or "",
                (due - today).days,
                item["kind"] == "authority_decision",
                detail,
                _lateness(assessment) if item["kind"] == "authority_decision" else "",
            )
        )
    return sorted(rows, key=lambda row: (row.due, row.kind))


def _lateness(assessment: Mapping[str, Any]) -> str:
    flags = assessment.get("flags", ())
    if "authority_late" in flags:
        return "late"
    return "late_if_suspension_ended" if "authority_late_if_suspension_ended" in flags else ""
