"""What the casework page of one person shows, gathered in one place for the view.

The stored status answers when it holds today and carries its explanation; otherwise the page
asks the engine for this person now (a few milliseconds) and shows that, saying so when the
stored status differs. The explanation, once computed, is kept with the stored status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from legalstay.dossier import Dossier
from legalstay.engine.periods import add_period
from legalstay.rulebook import load_rulebook
from legalstay.rulebook.facts import dossier_facts
from legalstay.web.casework import services
from legalstay.web.casework.assessment import Derived, assess_dossier, reform_differences
from legalstay.web.casework.explanations import (
    DeadlineRow,
    EligibilityRow,
    Explained,
    answers,
    day,
    deadline_rows,
    eligibility_rows,
    flag_labels,
    legal_stay_ends,
)
from legalstay.web.casework.labels import FLAGS, label
from legalstay.web.casework.models import PersonStatus
from legalstay.web.casework.procedures import procedure_deadlines, steps_of
from legalstay.web.casework.timeline import Timeline, build_timeline, legal_stay_periods
from legalstay.web.registry.dossiers import person_to_dossier
from legalstay.web.registry.models import Person


@dataclass
class StatusView:
    as_of: dt.date
    answers: list[Explained]
    then: tuple[dt.date, str] | None  # the basis of legal stay after the current one ends
    deadlines: list[DeadlineRow]
    eligibility: list[EligibilityRow]
    flags: list[tuple[str, str]]
    reform_flags: list[tuple[str, str]] | None
    live: bool  # computed for this page, not read from the stored status
    stale: bool  # the stored status says something else (the next scan updates worklists)


def status_view(
    person: Person, status: PersonStatus | None, today: dt.date
) -> tuple[StatusView, Timeline]:
    dossier = person_to_dossier(person)
    assessment, differences, live, stale = _assessment(person, dossier, status, today)
    procedures = procedure_deadlines(steps_of([person.pk]).get(person.pk, []), today)
    facts = dossier_facts(dossier)
    as_of = dt.date.fromisoformat(assessment["as_of"]) if not live else today
    view = StatusView(
        as_of=as_of,
        answers=answers(assessment, differences),
        then=_then(facts, assessment),
        deadlines=_with_authority(
            deadline_rows(assessment, procedures, today), person, facts, as_of
        ),
        eligibility=eligibility_rows(assessment, differences),
        flags=flag_labels(assessment),
        reform_flags=[(name, label(FLAGS, name)) for name in differences["flags"]]
        if "flags" in differences
        else None,
        live=live,
        stale=stale,
    )
    anchor = _first_day_in_poland(person)
    periods = legal_stay_periods(facts, anchor, add_period(today, 2, "year")) if anchor else []
    return view, build_timeline(person, periods, today, _derived_expiry(person, facts, today))


def _derived_expiry(person: Person, facts: Any, today: dt.date) -> dict[int, dt.date]:
    """By document pk, the expiry the rules work out for a document recorded without one
    (the dossier lists documents in pk order, and the rules' rows follow it)."""
    rows = load_rulebook().evaluation(facts, today, record=False).rows("documents")
    documents = sorted(person.documents.all(), key=lambda document: document.pk)
    return {
        document.pk: row["expires_effective"]
        for document, row in zip(documents, rows, strict=True)
        if document.expires is None
        and isinstance(row.get("expires_effective"), dt.date)
        and row["expires_effective"] < dt.date.max
    }


def _assessment(
    person: Person, dossier: Dossier, status: PersonStatus | None, today: dt.date
) -> tuple[dict[str, Any], dict[str, Any], bool, bool]:
    current = status is not None and status.rulebook_version == load_rulebook().version
    if status is not None and current and status.as_of == today and status.explained:
        # Stored today under the rulebook in force: shown as stored. A status stored under an
        # older rulebook is worked out again (the law it rests on has changed).
        return status.assessment, status.reform_differences, False, False
    derived: Derived = assess_dossier(dossier, person.pk, today)
    stale = not current or status is None or status.fingerprint != derived.fingerprint
    if status is not None and not stale:
        # The same answer, now with its explanation: keep it for the next reader.
        services.do_store_explanation(derived)
    differences = reform_differences(derived.baseline, derived.reform)
    return derived.baseline, differences, True, stale


def _with_authority(
    rows: list[DeadlineRow], person: Person, facts: Any, as_of: dt.date
) -> list[DeadlineRow]:
    """Names the authority that must decide: that of the application the engine's decision
    deadline is about (its kind and filing day; of several alike, the latest recorded)."""
    if not any(row.authority for row in rows):
        return rows
    evaluation = load_rulebook().evaluation(facts, as_of, record=False)
    kind = evaluation.value("deadline.authority_decision.kind")
    filed = evaluation.value("deadline.authority_decision.filed")
    about = [
        application
        for application in person.applications.all()
        if application.kind == kind and application.filed == filed
    ]
    if not about:
        return rows
    latest = max(about, key=lambda application: application.pk)
    who = _("%(authority)s, application for %(kind)s filed on %(filed)s") % {
        "authority": latest.authority or _("authority not recorded"),
        "kind": latest.get_kind_display(),
        "filed": day(latest.filed),
    }
    return [replace(row, detail=who) if row.authority else row for row in rows]


def _then(facts: Any, assessment: dict[str, Any]) -> tuple[dt.date, str] | None:
    until = legal_stay_ends(assessment["legal_stay"])
    if until is None:
        return None
    after = until + dt.timedelta(days=1)
    basis = load_rulebook().evaluation(facts, after, record=False).value("legal_stay.basis")
    return after, str(basis)


def _first_day_in_poland(person: Person) -> dt.date | None:
    born_here = person.birth_date if person.birth_country == "PL" else None
    days = [
        person.arrived_on,
        born_here,  # a child born in Poland is here from birth, title or not
        *(title.valid_from for title in person.titles.all()),
        *(application.filed for application in person.applications.all()),
    ]
    known = [value for value in days if value]
    return min(known) if known else None
