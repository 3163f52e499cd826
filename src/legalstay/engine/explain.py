"""Explanations from the one-person back-end: what decided, and when it would change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from legalstay.engine.interpreter import Evaluation, Record
from legalstay.engine.periods import add_days, add_period

__all__ = ["HORIZON_YEARS", "answers_differ", "candidate_dates", "next_change"]

HORIZON_YEARS = 15
# Candidates probed before giving up (None). Each past stay abroad brings the days it leaves
# the five years: a person travelling monthly for five years has some 150, and the day the
# answer turns may lie beyond the first 40 (found by an audit; 200 covers it). Stays abroad
# recorded after the date bring their own days too (left, returned, and the day after each;
# the days they leave the count): the budget grows by PROBES_PER_STAY for each stay recorded,
# so a frequent traveller assessed back-dated is followed to the day the five years are met
# (an audit found 28–77 trips after the date exhausting 200).
MAX_PROBES = 200
PROBES_PER_STAY = 8


def candidate_dates(
    record: Record,
    as_of: dt.date,
    extra: Iterable[dt.date] = (),
    law_changes: frozenset[dt.date] = frozenset(),
) -> list[dt.date]:
    """Dates on which a result may change: the dates its rules compared (and the day after),
    the days on which the parameters it read change, and — for day counts compared with a
    threshold — the day the count would reach it.

    A count crossing a threshold (``<``, ``>`` …) is probed two days on, so an answer that
    two such crossings turn and turn back within two days is not seen (a count between 100
    and 101; no rule of the rulebook has one); equality with a count (turning back the next
    day) is probed on that day and the next."""
    # Date arithmetic saturates at 9999-12-31 (engine.periods): no candidate lies past it, and
    # 15 years from 29 Feb end on 28 Feb, as the law counts years (KPA art. 57 §3a).
    horizon = add_period(as_of, HORIZON_YEARS, "year")
    days: set[dt.date] = set(extra)
    for day in record.dates:
        # A date compared turns an answer on itself or on the next day, and a title of one
        # day turns it on both (on, then off): both are looked at.
        days.update((day, add_days(day, 1)))
    for value in record.parameters.values():
        days.add(value.valid_from)
        if value.valid_to is not None:
            days.add(add_days(value.valid_to, 1))
    for day in _days_counts_reach(record, as_of):
        # The day a count reaches its threshold, or a moving date a fixed one, is where the
        # answer turns, or the next day (``<`` or ``<=``), or one more (five years from 29
        # Feb end on 28 Feb): one probe two days on, and ``next_change`` looks back from the
        # first that differs, day by day, to where it turned.
        days.add(min(add_days(day, _COUNT_SLACK), horizon))
        if day in law_changes:  # a rule coming into force there brings days of its own
            days.add(day)
    return sorted(day for day in days if as_of < day <= horizon)


def _days_counts_reach(record: Record, as_of: dt.date) -> set[dt.date]:
    """The days a moving date reaches a fixed one ("five years before the date" a title's
    start), and a day count a threshold it was compared with (one a day)."""
    days = {add_days(as_of, ahead) for ahead in record.gaps if ahead < 366 * HORIZON_YEARS}
    for left, right in record.numbers:
        gap = abs(right - left)
        if gap < 366 * HORIZON_YEARS:
            days.add(add_days(as_of, int(gap)))
    return days


# Days after the day a count reaches its threshold on which it is probed (see above), and as
# many looked at back from a day that differs before searching by halving.
_COUNT_SLACK = 2


def next_change(evaluation: Evaluation, name: str, extra: Iterable[dt.date] = ()) -> dt.date | None:
    """The first candidate date on which ``name`` has another value, if nothing else changes.

    Candidates come from :func:`candidate_dates`; each is checked by evaluating again, so a
    date returned is a real change, and the days between the last candidate unchanged and the
    first that differs are searched for the first that does (the answer is taken to change
    once between them). A change with no differing candidate after it would be missed; None
    means no change was found within the horizon.
    """
    if not evaluation.record:  # the candidates come from what the rules read: record it
        evaluation = evaluation.recording_at(evaluation.as_of)
    current = evaluation.value(name)
    record = evaluation.records[name]
    # Each probe evaluates only ``name`` (and what it reads) on that date; the evaluation of a
    # date is kept by ``evaluation.at``, so other outputs probing the same date share it.
    unchanged_until = evaluation.as_of
    # A fact recorded for a day after the date (a back-dated assessment) becomes known on
    # that day, as a rule comes into force on its own: both are looked at, and what the
    # answer compares from then on is looked at too.
    known_later = _facts_known_later(evaluation)
    later = (day for known in known_later for day in (known, add_days(known, 1)))
    law_changes = evaluation.parameters.change_day_set
    if known_later:  # most assessments are of today: nothing recorded happens later
        law_changes = law_changes | known_later
    candidates = candidate_dates(record, evaluation.as_of, (*extra, *later), law_changes)
    # Each step known later brings the days it leads to: a back-dated assessment probes more.
    stays = len(evaluation.facts.tables.get("stays_abroad", ()))
    limit = (MAX_PROBES + PROBES_PER_STAY * stays) * (2 if known_later else 1)
    probe = 0
    while probe < len(candidates):
        if probe >= limit:
            return None
        day = candidates[probe]
        if answers_differ(evaluation.at(day).value(name), current):
            return _first_of_change(evaluation, name, current, day, unchanged_until)
        if day in law_changes:
            candidates = _with_candidates_from(evaluation, name, day, candidates)
        unchanged_until = day
        probe += 1
    return None


def _with_candidates_from(
    evaluation: Evaluation, name: str, day: dt.date, candidates: list[dt.date]
) -> list[dt.date]:
    """A rule that came into force on ``day`` without changing the answer may set a later
    day that does (art. 35's six months, from the day it applies): the days the answer
    compares under it are candidates too."""
    under_it = evaluation.recording_at(day)
    under_it.value(name)
    law_changes = evaluation.parameters.change_day_set
    later = candidate_dates(under_it.records[name], day, law_changes=law_changes)
    horizon = add_period(evaluation.as_of, HORIZON_YEARS, "year")
    return sorted({*candidates, *(found for found in later if found <= horizon)})


# The steps of a procedure: a rule reads one only once it has happened (as of the date).
_PROCEDURE_STEPS = ("filed", "completed_on", "issued", "delivered", "appeal_filed", "final")


def _facts_known_later(evaluation: Evaluation) -> frozenset[dt.date]:
    """The days after the date on which a step of a recorded procedure happens (filed, a
    decision issued, delivered, final …), or a title recorded to start later begins: on
    each, the facts known change. A title's first day may turn no answer, yet start a count
    (five years on it) whose day is found only from what the rules compare on it."""
    as_of = evaluation.as_of
    steps = (
        row.get(step)
        for row in evaluation.facts.tables.get("applications", ())
        for step in _PROCEDURE_STEPS
    )
    starts = (row.get("valid_from") for row in evaluation.facts.tables.get("titles", ()))
    return frozenset(
        value for value in (*steps, *starts) if isinstance(value, dt.date) and value > as_of
    )


def _first_of_change(
    evaluation: Evaluation, name: str, current: Any, day: dt.date, unchanged_until: dt.date
) -> dt.date:
    """``day`` differs: the days after ``unchanged_until`` that no probe looked at may differ
    already. A count's candidate lies a day or two after the day it turns on, and lands far
    late where the count does not move one a day (a break counted only once the five-year
    window reaches it, time counted half): the days before are looked at one by one, and
    only if they differ too is the first differing day searched for by halving."""
    for _ in range(_COUNT_SLACK + 1):
        before = add_days(day, -1)
        if before <= unchanged_until or not answers_differ(
            evaluation.at(before).value(name), current
        ):
            return day
        day = before
    low, high = unchanged_until, day  # ``low`` is unchanged, ``high`` differs
    while (high - low).days > 1:
        middle = add_days(low, (high - low).days // 2)
        if answers_differ(evaluation.at(middle).value(name), current):
            high = middle
        else:
            low = middle
    return high


def answers_differ(left: Any, right: Any) -> bool:
    """Two answers differ: by value, or by type (a date and no date, 0 and False)."""
    return bool(left != right) or type(left) is not type(right)
