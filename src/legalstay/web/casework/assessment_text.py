"""An assessment as plain text for a terminal (``legalstay assess --format text``), in the
words of the person page: the same labels and explanations, in the language asked for.

Each answer gives its value, why, what it cites, the values it read that the research could
not verify (or that a reform proposes), and the day it would change; then eligibility with
the conditions not met or not known (only those that could still decide), the deadlines with
the days left, and the flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from legalstay.rulebook.assessment import doubtful_parameters, no_new_pdpdc
from legalstay.web.casework.citations import cited
from legalstay.web.casework.explanations import (
    NOT_PROVISIONS,
    Explained,
    answers,
    changes_on,
    day,
    days_from,
    deadline_rows,
    eligibility_rows,
    flag_labels,
    parameter_value,
)

__all__ = ["render"]

INDENT = "    "
Items = Mapping[str, Mapping[str, Any]]


def render(assessment: Mapping[str, Any], language: str) -> str:
    """``assessment`` (``legalstay-assessment/1`` with its explanation) as lines of text."""
    with translation.override(language):
        return "\n".join(_lines(assessment))


def _lines(assessment: Mapping[str, Any]) -> Iterator[str]:
    as_of = dt.date.fromisoformat(assessment["as_of"])
    yield _("%(person)s on %(date)s (%(scenario)s)") % {
        "person": assessment["person"],
        "date": day(as_of),
        "scenario": assessment["scenario"],
    }
    # The explanation's items by output (``flag.currently_abroad``): each answer's reasons.
    items: Items = {item["output"]: item for item in assessment.get("explanation") or ()}
    for answer in answers(assessment, {}):
        yield from _answer(items, answer)
    yield from _eligibility(assessment, items)
    yield from _deadlines(assessment, items, as_of)
    yield from _flags(assessment, items)


def _answer(items: Items, answer: Explained) -> Iterator[str]:
    yield f"{answer.heading}: {answer.value}"
    if answer.because:
        yield INDENT + answer.because
    yield from _cited(answer.reference, INDENT)
    yield from _doubts(items.get(answer.output), INDENT)
    yield from _changes(answer.changes_on, INDENT)


def _eligibility(assessment: Mapping[str, Any], items: Items) -> Iterator[str]:
    yield _("Eligibility:")
    for row in eligibility_rows(assessment, {}):
        route = f" ({row.route})" if row.route else ""
        yield f"{INDENT}{_capitalised(row.label)}: {row.answer}{route}"
        for heading, conditions in ((_("not met"), row.unmet), (_("not known"), row.unknown)):
            for condition, provision in conditions:
                shown = f" [{cited(provision)}]" if provision and provision != row.reference else ""
                yield f"{INDENT * 2}{heading}: {condition}{shown}"
        yield from _cited(row.reference, INDENT * 2)
        yield from _doubts(items.get(f"eligibility.{row.name}"), INDENT * 2)
        yield from _changes(row.changes_on, INDENT * 2)


def _deadlines(assessment: Mapping[str, Any], items: Items, as_of: dt.date) -> Iterator[str]:
    rows = deadline_rows(assessment, [], as_of)
    yield _("Deadlines:") if rows else _("Deadlines: none")
    lateness = {
        "late": _("the authority is late"),
        "late_if_suspension_ended": _(
            "the authority is late if the suspension of deadlines ended (not verified)"
        ),
    }
    # A decision day passed that the flags do not call late: the period may be longer (a
    # complex case's second month, a suspension not recorded), which the citation says.
    not_called_late = _("not called late: the period may be longer (see the provision cited)")
    for row in rows:
        late = f"; {lateness[row.late]}" if row.late else ""
        if row.authority and not row.late and row.due < as_of:
            late = f"; {not_called_late}"
        yield f"{INDENT}{day(row.due)} ({days_from(row.due, as_of)}): {row.label}{late}"
        yield from _cited(row.reference, INDENT * 2)
        if row.kind == "renew_travel_document" and no_new_pdpdc(assessment):
            yield INDENT * 2 + _(
                "A new travel document for foreigners is not open on this date (see its "
                "eligibility)."
            )
        item = items.get(f"deadline.{row.kind}") or {}
        yield from _changes(changes_on(item), INDENT * 2)  # as the answers: met, moved or gone
        yield from _doubts(item, INDENT * 2)


def _flags(assessment: Mapping[str, Any], items: Items) -> Iterator[str]:
    flags = flag_labels(assessment)
    yield _("Flags:") if flags else _("Flags: none")
    for flag, words in flags:
        yield INDENT + words
        item = items.get(f"flag.{flag}") or {}
        if item.get("reference") not in NOT_PROVISIONS:  # the flag's words already say it
            yield from _cited(item.get("reference"), INDENT * 2)
        yield from _changes(changes_on(item), INDENT * 2)  # as the answers: the day it is lowered
        yield from _doubts(item, INDENT * 2)


def _capitalised(words: str) -> str:
    return words[:1].upper() + words[1:]


def _cited(reference: str | None, indent: str) -> Iterator[str]:
    if reference:
        yield indent + _("Cites: %(reference)s") % {"reference": cited(reference)}


def _changes(changes_on: dt.date | None, indent: str) -> Iterator[str]:
    if changes_on:
        yield indent + _("Would change on %(date)s, the facts unchanged.") % {
            "date": day(changes_on)
        }


def _doubts(item: Mapping[str, Any] | None, indent: str) -> Iterator[str]:
    """The values an explanation's item read that the research could not verify, and a
    reform's."""
    unverified, proposed = doubtful_parameters((item or {}).get("parameters") or ())
    if (item or {}).get("unverified_day_off"):  # a period's end moved past it: check by hand
        yield indent + _(
            "It rests on %(day)s being a day off, which the research did not verify: were it "
            "a working day, the answer or the day it changes would differ; check by hand."
        ) % {"day": day((item or {})["unverified_day_off"])}
    if unverified:
        yield indent + _("Among the values it reads, not verified: %(values)s") % {
            "values": _values(unverified)
        }
    if proposed:
        yield indent + _("Among the values it reads, a reform's proposal (not law): %(values)s") % {
            "values": _values(proposed)
        }


def _values(parameters: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(
        f"{p['name']} = {parameter_value(p.get('value'), p.get('unit') or '')}" for p in parameters
    )
