"""Stays abroad of adults: mostly short trips, a few breaks over six months, a few still away.

The law counts breaks in residence (LTR and PR continuity: no single break over six months,
LR §1.3), so the world holds some trips just over that line. Each adult makes none, one or two
trips after arriving (:data:`~legalstay.synthetic.mix.TRAVELLERS`): the first in the first half
of the time since arrival, the second in the second half, so trips never overlap.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from legalstay.synthetic import mix
from legalstay.synthetic.daycount import NO_DATE, Days
from legalstay.synthetic.episodes import Draw
from legalstay.synthetic.tables import Slot

__all__ = ["draw_stays_abroad"]


def draw_stays_abroad(
    rng: np.random.Generator, travellers: NDArray[np.bool_], arrival: Days, as_of: int
) -> list[Slot]:
    """Two slots of trips: one in each half of every traveller's time in Poland."""
    draw = Draw(rng, len(arrival), as_of)
    trips = draw.rng.choice(list(mix.TRAVELLERS), draw.count, p=list(mix.TRAVELLERS.values()))
    travels = travellers & (arrival != NO_DATE)
    half = np.where(travels, (as_of - arrival) // 2, 0)
    first = _trip(draw, travels & (trips >= 1), arrival + 1, half)
    second = _trip(draw, travels & (trips == 2), arrival + half + 1, half)
    _still_abroad(draw, second, travels & (half > 30), arrival + half + 1)
    return [first, second]


def _trip(draw: Draw, travels: NDArray[np.bool_], earliest: Days, window: Days) -> Slot:
    length = _length(draw)
    room = window - length - 1
    left = earliest + (draw.rng.random(draw.count) * np.maximum(room, 0)).astype(np.int32)
    columns = {"left": left.astype(np.int32), "returned": (left + length).astype(np.int32)}
    return Slot(travels & (room > 0), columns)


def _length(draw: Draw) -> Days:
    """Days away: a short trip, a longer one, or (rarely) a break over six months."""
    roll = draw.rng.random(draw.count)
    short, medium, long = draw.days(2, 30), draw.days(31, 180), draw.days(184, 300)
    medium_share = 0.05
    length = np.where(roll < mix.BREAK_OVER_SIX_MONTHS, long, short)
    return np.where((roll > 1 - medium_share), medium, length).astype(np.int32, copy=False)


def _still_abroad(draw: Draw, second: Slot, can: NDArray[np.bool_], earliest: Days) -> None:
    """A few left lately and have not come back: the second trip has no return yet."""
    away = can & draw.chance(mix.STILL_ABROAD)
    left = np.maximum(draw.as_of - draw.days(0, 20), earliest)
    second.present |= away
    second.columns["left"] = np.where(away, left, second.columns["left"]).astype(
        np.int32, copy=False
    )
    second.columns["returned"] = np.where(away, NO_DATE, second.columns["returned"]).astype(
        np.int32
    )
