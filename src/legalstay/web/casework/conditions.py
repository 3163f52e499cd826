"""What casework reads off an assessment on a date: the stored columns and the alert conditions.

Pure functions of an assessment (``legalstay-assessment/1``), the procedure deadlines and a
date; no database. An alert condition is a string key — ``kind:subject:date`` — that is true
on a date or not; an alert is raised when a key appears and resolved when it goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from legalstay.web.casework.models import AlertKind

# Deadlines the authority must meet, not the person: never "the person's next deadline".
AUTHORITY_DEADLINES = frozenset({"authority_decision"})
DEADLINE_ALERT_DAYS = 7

# Days before a document or a title's legal stay ends that an alert is raised, unless a
# LeadTime row says otherwise. Belarusian passports cannot be renewed abroad (Decree 278), so
# their holders need months to obtain a PDPdC; a title needs time to gather the documents for
# the next application, which must be filed by its last day.
DEFAULT_LEAD_DAYS = {
    "national_passport": 180,
    "new_belarus_passport": 180,
    "national_id_card": 90,
    "travel_document_for_foreigners": 90,
    "refugee_travel_document": 90,
    "identity_document_for_foreigners": 90,
    "temporary_travel_document_for_foreigners": 30,
    "temporary_identity_certificate": 30,
    "tolerated_stay_document": 60,
    "temporary_residence": 60,
    "visa": 30,
}
FALLBACK_LEAD_DAYS = 60

LeadDays = Callable[[str], int]


def default_lead_days(kind: str) -> int:
    return DEFAULT_LEAD_DAYS.get(kind, FALLBACK_LEAD_DAYS)


def person_deadlines(
    assessment: Mapping[str, Any], procedure_deadlines: Sequence[Mapping[str, Any]]
) -> list[tuple[dt.date, str]]:
    """(due, kind) of the deadlines the person (or their caseworker) must meet, by date."""
    found = [
        (dt.date.fromisoformat(item["due"]), item["kind"])
        for item in [*assessment["deadlines"], *procedure_deadlines]
        if item["kind"] not in AUTHORITY_DEADLINES
    ]
    return sorted(found)


def stored_columns(
    assessment: Mapping[str, Any],
    procedure_deadlines: Sequence[Mapping[str, Any]],
    as_of: dt.date,
) -> dict[str, Any]:
    """The PersonStatus columns an assessment gives on ``as_of`` (not the documents)."""
    stay, travel, identity = (
        assessment["legal_stay"],
        assessment["travel_document"],
        assessment["identity_document"],
    )
    flags = list(assessment["flags"])
    deadlines = person_deadlines(assessment, procedure_deadlines)
    upcoming = [item for item in deadlines if item[0] >= as_of]
    passed = [item for item in deadlines if item[0] < as_of]
    authority = next(
        (d["due"] for d in assessment["deadlines"] if d["kind"] in AUTHORITY_DEADLINES), None
    )
    return {
        "rulebook_version": assessment["rulebook_version"],
        "legal_stay_status": stay["status"],
        "legal_stay_basis": stay["basis"],
        "legal_stay_until": _date(stay["until"]),
        "travel_document_valid": travel["valid"],  # None: unknown, not "none valid"
        "travel_document_kind": travel["kind"] or "",
        "travel_document_until": _date(travel["until"]),
        "identity_document_valid": identity["valid"],
        "identity_document_kind": identity["kind"] or "",
        "identity_document_until": _date(identity["until"]),
        "right_to_work": assessment["right_to_work"]["status"] or "",
        "flags": flags,
        "irregular_stay": "irregular_stay" in flags,
        "no_valid_travel_document": "no_valid_travel_document" in flags,
        "child_without_identity_document": "child_without_identity_document" in flags,
        # The worklist and alerts take in the cases late only if the art. 100d suspension
        # ended on 4 Mar 2026 (not verified): a caseworker checks them; the person's page says
        # which it is (the flag's label).
        "authority_late": bool(
            {"authority_late", "authority_late_if_suspension_ended"} & set(flags)
        ),
        "next_deadline_kind": upcoming[0][1] if upcoming else "",
        "next_deadline_due": upcoming[0][0] if upcoming else None,
        "overdue_deadline_kind": passed[0][1] if passed else "",
        "overdue_deadline_due": passed[0][0] if passed else None,
        "authority_decision_due": _date(authority),
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# ---------------------------------------------------------------- alert conditions


def alert_conditions(
    assessment: Mapping[str, Any],
    procedure_deadlines: Sequence[Mapping[str, Any]],
    as_of: dt.date,
    lead_days: LeadDays = default_lead_days,
) -> list[str]:
    """The alert conditions true on ``as_of``, as sorted keys."""
    keys = [
        *_stay_ending(assessment, as_of, lead_days),
        *_documents_expiring(assessment, as_of, lead_days),
        *(
            key(AlertKind.DEADLINE_NEAR, kind, due)
            for due, kind in person_deadlines(assessment, procedure_deadlines)
            if 0 <= (due - as_of).days <= DEADLINE_ALERT_DAYS
        ),
        *(
            key(AlertKind.FLAG, name)
            for name in assessment["flags"]
            if name != "irregular_stay"  # raised as its own kind
        ),
    ]
    if assessment["legal_stay"]["status"] == "irregular":
        keys.append(key(AlertKind.IRREGULAR))
    return sorted(set(keys))


def key(kind: str, subject: str = "", due: dt.date | None = None) -> str:
    return ":".join([kind, subject, due.isoformat() if due else ""])


def parse_key(text: str) -> tuple[str, str, dt.date | None]:
    kind, subject, due = [*text.split(":"), "", ""][:3]
    return kind, subject, dt.date.fromisoformat(due) if due else None


def _within(until: str | None, as_of: dt.date, days: int) -> dt.date | None:
    if not until:
        return None
    end = dt.date.fromisoformat(until)
    return end if 0 <= (end - as_of).days <= days else None


def _stay_ending(assessment: Mapping[str, Any], as_of: dt.date, lead: LeadDays) -> list[str]:
    """A title's legal stay ends within its lead time and nothing filed continues it: the
    engine still asks for a new application (deadline ``file_temporary_residence``)."""
    stay = assessment["legal_stay"]
    must_file = any(d["kind"] == "file_temporary_residence" for d in assessment["deadlines"])
    end = _within(stay["until"], as_of, lead(stay["basis"] or ""))
    return [key(AlertKind.STAY_ENDING, stay["basis"], end)] if end and must_file else []


def _documents_expiring(assessment: Mapping[str, Any], as_of: dt.date, lead: LeadDays) -> list[str]:
    """The travel and the identity document, each within its kind's lead time. A residence
    card is left out: it ends with its title, which the stay-ending alert covers; a passport
    that is both documents is one alert."""
    found: list[str] = []
    seen: set[tuple[str, str]] = set()
    for output in ("travel_document", "identity_document"):
        document = assessment[output]
        kind = document["kind"] or ""
        if not document["valid"] or kind == "residence_card" or (kind, document["until"]) in seen:
            continue
        seen.add((kind, document["until"]))
        end = _within(document["until"], as_of, lead(kind))
        if end:
            found.append(key(AlertKind.DOCUMENT_EXPIRING, kind, end))
    return found
