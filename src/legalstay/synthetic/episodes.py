"""Titles and applications of adults, drawn track by track for all of a track's persons at once.

A *track* (:data:`~legalstay.synthetic.mix.TRACKS`) is the story of a person's stay: arrived on a
humanitarian visa, applied for the art. 186 ust. 1 pkt 9 TRP, got it for three years, filed for
the next one on its last day... Each track fills the same slots so that the tables line up:

* titles: ``0`` an earlier title (the visa of arrival, an earlier TRP), ``1`` the main title,
  ``2`` the title that followed it;
* applications: ``0`` the application that led to the main title, ``1`` the one after it.

Dates are drawn backwards from ``as_of`` (the decision first, then the filing, then the
arrival), so every story ends in the present whatever ``as_of`` is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from legalstay.dossier import APPLICATION_KINDS, OUTCOMES, TITLE_KINDS
from legalstay.synthetic import mix
from legalstay.synthetic.daycount import NO_DATE, Days, add_years, day_number, days_between
from legalstay.synthetic.tables import GROUNDS, Slot, code

__all__ = [
    "APPLICATION_SLOTS",
    "TITLE_SLOTS",
    "TRACK_NAMES",
    "Draw",
    "Episodes",
    "LatestTitle",
    "absent_application",
    "absent_title",
    "application_kind",
    "draw_episodes",
    "ground",
    "latest_title",
    "pending",
    "title",
    "title_kind",
]

TITLE_SLOTS: Final = 3
APPLICATION_SLOTS: Final = 2
TRACK_NAMES: Final = tuple(mix.TRACKS)
_NO_CODE: Final = -1
_FIFTEEN_DAYS_AFTER_DELIVERY: Final = 15  # the 14-day appeal period has passed (KPA art. 129)
_COMPLETENESS_UNKNOWN: Final = 0.05  # the registry does not know (assumed)
_APPEAL_MEDIAN_DAYS: Final = 150  # 90-day deadline for the Head of UdSC (LR §1.2), overrun


def title_kind(name: str) -> int:
    return code(TITLE_KINDS, name)


def application_kind(name: str) -> int:
    return code(APPLICATION_KINDS, name)


def ground(name: str) -> int:
    return code(GROUNDS, name)


@dataclass
class Episodes:
    """The arrival day and the title and application slots of ``len(arrival)`` persons."""

    arrival: Days
    titles: list[Slot]
    applications: list[Slot]


class Draw:
    """Random spans for ``count`` persons around ``as_of``."""

    def __init__(self, rng: np.random.Generator, count: int, as_of: int) -> None:
        self.rng, self.count, self.as_of = rng, count, as_of

    def days(self, low: float, high: float) -> Days:
        """Whole days, uniformly from ``low`` to ``high``."""
        return self.rng.integers(int(low), int(high) + 1, self.count, dtype=np.int32)

    def years(self, low: float, high: float) -> Days:
        return self.days(days_between(low), days_between(high))

    def chance(self, share: float) -> NDArray[np.bool_]:
        return self.rng.random(self.count, dtype=np.float32) < share

    def among(self, shares: Mapping[str, float]) -> NDArray[np.intp]:
        """Codes (into :data:`GROUNDS`) of labels drawn with the given shares."""
        labels = np.array([ground(label) for label in shares])
        return labels[self.rng.choice(len(shares), size=self.count, p=list(shares.values()))]

    def processing(self, median: float = mix.PROCESSING_MEDIAN_DAYS) -> Days:
        return self.rng.lognormal(np.log(median), 0.5, self.count).astype(np.int32)


# ---------------------------------------------------------------- slots


def absent_title(count: int) -> Slot:
    return title(np.zeros(count, bool), _NO_CODE, _NO_CODE, _no_dates(count), _no_dates(count))


def title(present: Any, kind: Any, ground_code: Any, valid_from: Days, valid_to: Days) -> Slot:
    count = len(valid_from)
    return Slot(
        np.broadcast_to(present, count).copy(),
        {
            "kind": _full(count, kind, np.int16),
            "ground": _full(count, ground_code, np.int16),
            "valid_from": valid_from.astype(np.int32),
            "valid_to": valid_to.astype(np.int32),
        },
    )


def absent_application(count: int) -> Slot:
    return filed_application(np.zeros(count, bool), _NO_CODE, _no_dates(count))


def filed_application(present: Any, kind: Any, filed: Days) -> Slot:
    """An application without a decision, formally complete on filing."""
    count = len(filed)
    none = _no_dates(count)
    return Slot(
        np.broadcast_to(present, count).copy(),
        {
            "kind": _full(count, kind, np.int16),
            "filed": filed.astype(np.int32),
            "formally_complete": _full(count, 1, np.int8),
            "outcome": _full(count, _NO_CODE, np.int16),
            "issued": none,
            "delivered": none.copy(),
            "final": none.copy(),
            "completed_on": filed.astype(np.int32),
            "suspended_at_party_request": _full(count, 0, np.int8),
            "appeal_filed": none.copy(),
        },
    )


def granted(slot: Slot, issued: Days, delivered: Days, as_of: int) -> Slot:
    """The application was granted on ``issued``; final once the appeal period has passed."""
    final = delivered + _FIFTEEN_DAYS_AFTER_DELIVERY
    slot.columns["outcome"][:] = code(OUTCOMES, "granted")
    slot.columns["issued"] = issued.astype(np.int32)
    slot.columns["delivered"] = _unless_future(delivered, as_of)
    slot.columns["final"] = _unless_future(np.where(delivered > as_of, as_of + 1, final), as_of)
    return slot


def _full(count: int, value: Any, dtype: Any) -> NDArray[Any]:
    return np.broadcast_to(np.asarray(value, dtype=dtype), count).copy()


def _no_dates(count: int) -> Days:
    return np.full(count, NO_DATE, dtype=np.int32)


def _unless_future(days: NDArray[Any], as_of: int) -> Days:
    return np.where(days <= as_of, days, NO_DATE).astype(np.int32, copy=False)


def _one_year_visa(present: Any, visa_ground: Any, arrival: Days) -> Slot:
    return title(present, title_kind("visa"), visa_ground, arrival, add_years(arrival, 1) - 1)


# ---------------------------------------------------------------- pending and decided


def pending(
    draw: Draw, present: NDArray[np.bool_], kind: int | NDArray[np.int16], filed: Days
) -> Slot:
    """Filed, perhaps not (yet) formally complete, perhaps suspended at the party's request."""
    slot = filed_application(present, kind, filed)
    completed_on = filed + draw.days(0, 60)
    roll = draw.rng.random(draw.count)
    complete = (roll < mix.FORMALLY_COMPLETE) & (completed_on <= draw.as_of)
    unknown = roll > 1 - _COMPLETENESS_UNKNOWN
    slot.columns["formally_complete"] = np.where(unknown, -1, complete).astype(np.int8, copy=False)
    slot.columns["completed_on"] = np.where(complete, completed_on, NO_DATE).astype(
        np.int32, copy=False
    )
    suspended = draw.chance(mix.SUSPENDED_AT_PARTY_REQUEST)
    slot.columns["suspended_at_party_request"] = suspended.astype(np.int8)
    return slot


def decided(draw: Draw, slot: Slot) -> Slot:
    """Decides the complete applications whose processing time has run by ``as_of``."""
    columns = slot.columns
    issued = columns["completed_on"] + draw.processing()
    refused = ~draw.chance(mix.POSITIVE_DECISIONS)
    recently = refused & draw.chance(mix.REFUSALS_DELIVERED_RECENTLY)
    recent_day = np.maximum(draw.as_of - draw.days(3, 25), columns["completed_on"])
    issued = np.where(recently, recent_day, issued)
    decision = (columns["formally_complete"] == 1) & (issued <= draw.as_of)
    decision &= columns["suspended_at_party_request"] == 0
    _record_decision(draw, columns, decision, issued, refused)
    return slot


def _record_decision(
    draw: Draw,
    columns: dict[str, NDArray[Any]],
    decision: NDArray[np.bool_],
    issued: Days,
    refused: NDArray[np.bool_],
) -> None:
    outcome = np.where(refused, code(OUTCOMES, "refused"), code(OUTCOMES, "granted"))
    delivered = np.minimum(issued + draw.days(2, 14), draw.as_of + 1)
    appeal = np.where(refused & draw.chance(mix.APPEALED), delivered + draw.days(1, 14), NO_DATE)
    appeal_decided = appeal + draw.processing(_APPEAL_MEDIAN_DAYS)
    final = np.where(appeal == NO_DATE, delivered + _FIFTEEN_DAYS_AFTER_DELIVERY, appeal_decided)
    columns["outcome"] = np.where(decision, outcome, _NO_CODE).astype(np.int16, copy=False)
    columns["issued"] = np.where(decision, issued, NO_DATE).astype(np.int32, copy=False)
    delivered_by_now = decision & (delivered <= draw.as_of)
    columns["delivered"] = np.where(delivered_by_now, delivered, NO_DATE).astype(
        np.int32, copy=False
    )
    appealed = delivered_by_now & (appeal != NO_DATE) & (appeal <= draw.as_of)
    columns["appeal_filed"] = np.where(appealed, appeal, NO_DATE).astype(np.int32, copy=False)
    final_by_now = delivered_by_now & (appeal == NO_DATE) | appealed
    columns["final"] = _unless_future(np.where(final_by_now, final, draw.as_of + 1), draw.as_of)


@dataclass(frozen=True)
class LatestTitle:
    """Each person's last present title slot (``present`` false for those with none)."""

    present: NDArray[np.bool_]
    kind: NDArray[np.int16]
    ground: NDArray[np.int16]
    valid_from: Days
    valid_to: Days


def latest_title(titles: list[Slot]) -> LatestTitle:
    count = len(titles[0].present)
    picked = {name: np.full(count, _NO_CODE, np.int32) for name in ("kind", "ground")}
    picked |= {name: _no_dates(count) for name in ("valid_from", "valid_to")}
    present = np.zeros(count, bool)
    for slot in titles:
        for name, values in picked.items():
            values[slot.present] = slot.columns[name][slot.present]
        present |= slot.present
    return LatestTitle(
        present,
        picked["kind"].astype(np.int16),
        picked["ground"].astype(np.int16),
        picked["valid_from"],
        picked["valid_to"],
    )


# ---------------------------------------------------------------- tracks


def _temporary_residence(draw: Draw) -> Episodes:
    """Visa, TRP application granted, TRP; after its end, the next application and TRP."""
    trp_ground = draw.among(mix.TRP_GROUNDS)
    humanitarian = trp_ground == ground("humanitarian_visa_belarus")
    years = np.where(humanitarian, 3, draw.rng.choice([1, 2, 3], draw.count, p=[0.2, 0.3, 0.5]))
    start = draw.as_of - _since(draw, humanitarian)
    end = add_years(start, years) - 1
    filed = start - draw.days(60, 400)
    arrival = filed - draw.days(30, 330)
    trp = application_kind("temporary_residence")
    first = granted(
        filed_application(True, trp, filed), start, start + draw.days(2, 14), draw.as_of
    )
    renewal, next_title = _renewal(draw, start, end, np.where(humanitarian, -1, trp_ground))
    visa = _one_year_visa(True, _visa_ground_of(trp_ground), arrival)
    main = title(True, title_kind("temporary_residence"), trp_ground, start, end)
    return Episodes(arrival, [visa, main, next_title], [first, renewal])


def _since(draw: Draw, humanitarian: NDArray[np.bool_]) -> Days:
    """Days since the TRP started: up to 4.4 years, not before the pkt 9 TRP existed."""
    law_since = max(draw.as_of - day_number(mix.HUMANITARIAN_TRP_FROM), 0)
    span = np.where(humanitarian, min(law_since, days_between(4.4)), days_between(4.4))
    since: Days = (draw.rng.random(draw.count) * (span + 1)).astype(np.int32)
    return since


def _visa_ground_of(trp_ground: NDArray[np.intp]) -> NDArray[np.intp]:
    """The visa on which a TRP holder came: humanitarian, work, PBH for business, else other."""
    by_trp = {
        "humanitarian_visa_belarus": "humanitarian",
        "work": "work",
        "business": "pbh",
        "family": "other",
    }
    lookup = np.full(len(GROUNDS), ground("other"))
    for trp_name, visa_name in by_trp.items():
        lookup[ground(trp_name)] = ground(visa_name)
    return lookup[trp_ground]


def _renewal(
    draw: Draw, start: Days, end: Days, next_ground: NDArray[np.intp]
) -> tuple[Slot, Slot]:
    """After the TRP ended: a new application, on time or late; its decision; the next TRP.

    The humanitarian-visa TRP is granted once (UoC art. 186 ust. 1 pkt 9), so its holders'
    next TRP is for work, family or business (``next_ground`` -1 draws one).
    """
    on_time = draw.chance(mix.FILED_ON_TIME)
    filed = np.maximum(np.where(on_time, end - draw.days(0, 90), end + draw.days(1, 120)), start)
    present = (end < draw.as_of) & (filed <= draw.as_of)
    application = decided(
        draw, pending(draw, present, application_kind("temporary_residence"), filed)
    )
    columns = application.columns
    got_it = (
        present & (columns["outcome"] == code(OUTCOMES, "granted")) & (columns["final"] != NO_DATE)
    )
    drawn = draw.among({"work": 0.6, "family": 0.2, "business": 0.2})
    years = draw.rng.choice([2, 3], draw.count)
    valid_from = columns["issued"]
    valid_to = add_years(np.where(got_it, valid_from, 0), years) - 1
    kind = title_kind("temporary_residence")
    next_title = title(
        got_it, kind, np.where(next_ground < 0, drawn, next_ground), valid_from, valid_to
    )
    return application, next_title


def _protection(kind: str) -> Callable[[Draw], Episodes]:
    def track(draw: Draw) -> Episodes:
        """Perhaps a visa; an application for protection granted; the status, indefinite."""
        decided_on = draw.as_of - draw.days(30, days_between(4.5))
        filed = decided_on - draw.days(45, 270)
        arrival = filed - draw.days(0, 90)
        application = filed_application(True, application_kind("international_protection"), filed)
        application.columns["formally_complete"][:] = -1  # not a notion of UOchr
        application.columns["completed_on"][:] = NO_DATE
        application.columns["suspended_at_party_request"][:] = -1
        first = granted(application, decided_on, decided_on + draw.days(2, 14), draw.as_of)
        status = title(True, title_kind(kind), _NO_CODE, decided_on, _no_dates(draw.count))
        visa = _one_year_visa(
            draw.chance(mix.PROTECTED_CAME_ON_VISA), ground("humanitarian"), arrival
        )
        return Episodes(arrival, [visa, status, absent_title(draw.count)], [first, _none(draw)])

    return track


def _pending_protection(draw: Draw) -> Episodes:
    """Applied for protection: waiting (with a TZC), or refused lately with an appeal running."""
    filed = draw.as_of - draw.days(1, 450)
    arrival = filed - draw.days(0, 60)
    application = filed_application(True, application_kind("international_protection"), filed)
    for name, value in (("formally_complete", -1), ("suspended_at_party_request", -1)):
        application.columns[name][:] = value
    application.columns["completed_on"][:] = NO_DATE
    _refuse_lately(draw, application, draw.chance(mix.PROTECTION_REFUSED_LATELY))
    visa = _one_year_visa(
        draw.chance(mix.PENDING_PROTECTION_CAME_ON_VISA), ground("humanitarian"), arrival
    )
    none = absent_title(draw.count)
    return Episodes(arrival, [visa, none, absent_title(draw.count)], [application, _none(draw)])


def _refuse_lately(draw: Draw, application: Slot, refused: NDArray[np.bool_]) -> None:
    columns = application.columns
    issued = np.maximum(draw.as_of - draw.days(3, 25), columns["filed"])
    delivered = np.minimum(issued + draw.days(1, 5), draw.as_of)
    appeal = delivered + draw.days(1, 14)
    appealed = refused & draw.chance(mix.PROTECTION_APPEALED) & (appeal <= draw.as_of)
    columns["outcome"] = np.where(refused, code(OUTCOMES, "refused"), _NO_CODE).astype(
        np.int16, copy=False
    )
    columns["issued"] = np.where(refused, issued, NO_DATE).astype(np.int32, copy=False)
    columns["delivered"] = np.where(refused, delivered, NO_DATE).astype(np.int32, copy=False)
    columns["appeal_filed"] = np.where(appealed, appeal, NO_DATE).astype(np.int32, copy=False)


def _permanent_residence(draw: Draw) -> Episodes:
    """Perhaps a visa; a PR application (Polish origin, Karta Polaka) granted; PR, indefinite."""
    decided_on = draw.as_of - draw.days(30, days_between(12))
    filed = decided_on - draw.days(90, 400)
    arrival = filed - draw.days(10, 300)
    kind = application_kind("permanent_residence")
    first = granted(
        filed_application(True, kind, filed), decided_on, decided_on + draw.days(2, 14), draw.as_of
    )
    pr_ground = draw.among(mix.PERMANENT_GROUNDS)
    status = title(
        True, title_kind("permanent_residence"), pr_ground, decided_on, _no_dates(draw.count)
    )
    visa = _one_year_visa(draw.chance(mix.PERMANENT_CAME_ON_VISA), ground("other"), arrival)
    return Episodes(arrival, [visa, status, absent_title(draw.count)], [first, _none(draw)])


def _eu_long_term_residence(draw: Draw) -> Episodes:
    """Two TRPs for work covering five years, then the LTR, indefinite."""
    decided_on = draw.as_of - draw.days(30, days_between(8))
    arrival = decided_on - draw.years(5.0, 5.8)
    middle = arrival + (decided_on - arrival) // 2
    trp, work = title_kind("temporary_residence"), ground("work")
    kind = application_kind("eu_long_term_residence")
    filed = decided_on - draw.days(120, 360)
    first = granted(
        filed_application(True, kind, filed), decided_on, decided_on + draw.days(2, 14), draw.as_of
    )
    ltr = title(
        True, title_kind("eu_long_term_residence"), _NO_CODE, decided_on, _no_dates(draw.count)
    )
    titles = [
        title(True, trp, work, arrival, middle - 1),
        title(True, trp, work, middle, decided_on - 1),
        ltr,
    ]
    return Episodes(arrival, titles, [first, _none(draw)])


def _recent_visa(draw: Draw) -> Episodes:
    """Came lately on a humanitarian or PBH visa; some have filed for a TRP already."""
    arrival = draw.as_of - draw.days(1, 330)
    visa = _one_year_visa(True, draw.among(mix.VISA_GROUNDS_OF_ARRIVALS), arrival)
    filed = arrival + draw.days(30, 300)
    applied = draw.chance(mix.RECENT_ARRIVALS_APPLIED) & (filed <= draw.as_of)
    application = pending(draw, applied, application_kind("temporary_residence"), filed)
    none = absent_title(draw.count)
    return Episodes(arrival, [none, visa, absent_title(draw.count)], [_none(draw), application])


def _irregular(draw: Draw) -> Episodes:
    """The TRP ended two months to two and a half years ago: no application, or a final refusal."""
    end = draw.as_of - draw.days(60, 900)
    start = add_years(end + 1, -2)
    arrival = start - draw.days(30, 300)
    filed = np.maximum(end - draw.days(0, 60), start)
    applied = draw.chance(mix.IRREGULAR_AFTER_FINAL_REFUSAL)
    application = filed_application(applied, application_kind("temporary_residence"), filed)
    room = np.maximum(draw.as_of - 61 - filed, 0)
    issued = filed + 1 + (draw.rng.random(draw.count) * room).astype(np.int32)
    _record_decision(draw, application.columns, applied, issued, np.ones(draw.count, bool))
    application.columns["appeal_filed"][:] = NO_DATE
    application.columns["final"] = np.where(applied, application.columns["delivered"] + 15, NO_DATE)
    visa = _one_year_visa(True, ground("work"), arrival)
    trp = title(True, title_kind("temporary_residence"), ground("work"), start, end)
    return Episodes(arrival, [visa, trp, absent_title(draw.count)], [_none(draw), application])


def _none(draw: Draw) -> Slot:
    return absent_application(draw.count)


_TRACKS: Final[dict[str, Callable[[Draw], Episodes]]] = {
    "temporary_residence": _temporary_residence,
    "subsidiary_protection": _protection("subsidiary_protection"),
    "refugee_status": _protection("refugee_status"),
    "permanent_residence": _permanent_residence,
    "eu_long_term_residence": _eu_long_term_residence,
    "pending_protection": _pending_protection,
    "recent_visa": _recent_visa,
    "irregular": _irregular,
}


def draw_episodes(
    rng: np.random.Generator, track: NDArray[np.integer[Any]], as_of: int
) -> Episodes:
    """Every person's episodes, by the person's track (an index into :data:`TRACK_NAMES`)."""
    episodes = _empty(len(track))
    for index, name in enumerate(TRACK_NAMES):
        members = np.flatnonzero(track == index)
        part = _TRACKS[name](Draw(rng, len(members), as_of))
        _scatter(episodes, members, part)
    return episodes


def _empty(count: int) -> Episodes:
    return Episodes(
        _no_dates(count),
        [absent_title(count) for _ in range(TITLE_SLOTS)],
        [absent_application(count) for _ in range(APPLICATION_SLOTS)],
    )


def _scatter(into: Episodes, members: NDArray[np.intp], part: Episodes) -> None:
    into.arrival[members] = part.arrival
    for whole, piece in zip(
        [*into.titles, *into.applications], [*part.titles, *part.applications], strict=True
    ):
        if not piece.present.any():
            continue  # the slot stays absent, as it was made
        whole.present[members] = piece.present
        for name, values in piece.columns.items():
            whole.columns[name][members] = values
