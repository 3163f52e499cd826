"""The synthetic world at scale: a seeded population of millions, drawn with NumPy.

``generate_population(persons, seed, as_of=…)`` returns the tables of :mod:`.tables` for
exactly ``persons`` people. Nothing loops over persons: households, tracks, episodes, documents
and trips are drawn as arrays, track by track and slot by slot (see :mod:`.episodes`), and
become Polars frames at the end. Its mix, with sources, is :mod:`legalstay.synthetic.mix`;
the demo caseload (:mod:`.caseload`) is the same world, person for person.

Dates move with ``as_of`` (every story ends in the present) except the dates of law the
world respects: no pkt 9 TRP before 9 Jul 2022 and none for non-Belarusians, no PBH visa after
26 Jan 2024, no PDPdC on the art. 252a route before 1 Jul 2023, no passport renewal abroad
after Decree 278 (7 Sep 2023).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import polars as pl
from numpy.typing import NDArray

from legalstay.dossier import RELATIONS
from legalstay.synthetic import mix
from legalstay.synthetic.children import settle_children
from legalstay.synthetic.daycount import Days, day_number
from legalstay.synthetic.documents import Holders, draw_documents
from legalstay.synthetic.episodes import TRACK_NAMES, Episodes, draw_episodes, ground
from legalstay.synthetic.households import CHILD, SPOUSE, Households, draw_households
from legalstay.synthetic.stays import draw_stays_abroad
from legalstay.synthetic.tables import (
    ISSUERS,
    Slot,
    code,
    columns_to_frame,
    slots_to_frame,
)

__all__ = ["World", "build_world", "generate_population"]

_CITIZENSHIP_SETS: Final = tuple(mix.CITIZENSHIPS)
_BELARUSIAN: Final = np.array(["BY" in combination for combination in _CITIZENSHIP_SETS])
_NATIONALITY: Final = np.array(
    [code(ISSUERS, combination[0]) for combination in _CITIZENSHIP_SETS], np.int16
)
_BIRTH_COUNTRY_UNKNOWN: Final = 0.02  # assumed


@dataclass(frozen=True)
class World:
    """The population's tables and the person-level facts the caseload dresses them with."""

    households: Households
    citizenship: NDArray[np.intp]  # index into mix.CITIZENSHIPS
    arrival: Days
    born_in_poland: NDArray[np.bool_]
    has_title: NDArray[np.bool_]
    tables: dict[str, pl.DataFrame]


def generate_population(persons: int, seed: int, *, as_of: dt.date) -> dict[str, pl.DataFrame]:
    """Exactly ``persons`` synthetic people as the engine's tables; the same for the same seed."""
    return build_world(persons, seed, as_of=as_of).tables


def build_world(persons: int, seed: int, *, as_of: dt.date) -> World:
    """The population's tables with the person-level facts behind them (for the caseload)."""
    if persons < 0:
        raise ValueError(f"persons must be 0 or more, not {persons}")
    rng = np.random.default_rng(seed)
    today = day_number(as_of)
    households = draw_households(rng, persons, today)
    citizenship = _by_household(rng, households, mix.CITIZENSHIPS, mix.SPOUSE_SHARES_CITIZENSHIP)
    track = _by_household(rng, households, mix.TRACKS, mix.SPOUSE_SHARES_TRACK)
    # children's episodes are their parents' (settle_children): no track of their own
    episodes = draw_episodes(rng, np.where(households.role == CHILD, -1, track), today)
    born_in_poland = settle_children(rng, households, episodes, today)
    _respect_dates_of_law(episodes.titles, _BELARUSIAN[citizenship])
    # Applicants for protection do not travel: leaving ends the procedure (assumed).
    travellers = (households.role != CHILD) & (track != TRACK_NAMES.index("pending_protection"))
    tables = _tables(rng, households, citizenship, born_in_poland, episodes, travellers, today)
    has_title = np.logical_or.reduce([slot.present for slot in episodes.titles])
    return World(households, citizenship, episodes.arrival, born_in_poland, has_title, tables)


def _tables(
    rng: np.random.Generator,
    households: Households,
    citizenship: NDArray[np.intp],
    born_in_poland: NDArray[np.bool_],
    episodes: Episodes,
    travellers: NDArray[np.bool_],
    today: int,
) -> dict[str, pl.DataFrame]:
    """Documents and trips follow from the episodes; then every table becomes a frame."""
    holders = Holders(
        households.birth,
        episodes.arrival,
        born_in_poland,
        _NATIONALITY[citizenship],
        _BELARUSIAN[citizenship],
    )
    documents = draw_documents(rng, holders, episodes, today)
    stays = draw_stays_abroad(rng, travellers, episodes.arrival, today)
    ids = np.arange(households.size, dtype=np.int64)
    return {
        "persons": _persons(rng, households, citizenship, born_in_poland),
        "family": _family(households),
        "documents": slots_to_frame("documents", ids, documents),
        "titles": slots_to_frame("titles", ids, episodes.titles),
        "applications": slots_to_frame("applications", ids, episodes.applications),
        "stays_abroad": slots_to_frame("stays_abroad", ids, stays),
    }


def _draw(rng: np.random.Generator, shares: Mapping[Any, float], count: int) -> NDArray[np.intp]:
    """Exactly the shares, rounded (largest remainder), in random order.

    Unlike independent draws this keeps rare groups (refugees, irregular persons) in a small
    demo caseload: a group with half a person's share or more is there.
    """
    if not np.isclose(sum(shares.values()), 1.0):
        raise ValueError(f"shares must add up to 1, not {sum(shares.values())}")
    quotas = np.array(list(shares.values())) * count
    counts = np.floor(quotas).astype(np.int64)
    largest_remainders = np.argsort(counts - quotas, kind="stable")[: count - counts.sum()]
    counts[largest_remainders] += 1
    return rng.permutation(np.repeat(np.arange(len(shares)), counts))


def _by_household(
    rng: np.random.Generator,
    households: Households,
    shares: Mapping[Any, float],
    spouse_shares: float,
) -> NDArray[np.intp]:
    """Children take the principal's value, a spouse too with the given chance; everyone
    else draws from ``shares`` (exactly, see :func:`_draw`)."""
    role, principal = households.role, households.principal
    shares_it = (role == CHILD) | ((role == SPOUSE) & (rng.random(households.size) < spouse_shares))
    value = np.zeros(households.size, np.intp)
    value[~shares_it] = _draw(rng, shares, int((~shares_it).sum()))
    return np.where(shares_it, value[principal], value)


def _respect_dates_of_law(titles: list[Slot], belarusian: NDArray[np.bool_]) -> None:
    """No pkt 9 TRP before it existed or for non-Belarusians; no PBH visa after it closed."""
    pkt9_from = day_number(mix.HUMANITARIAN_TRP_FROM)
    pbh_until = day_number(mix.PBH_CLOSED)
    for slot in titles:
        reason, valid_from = slot.columns["ground"], slot.columns["valid_from"]
        pkt9 = reason == ground("humanitarian_visa_belarus")
        reason[pkt9 & (~belarusian | (valid_from < pkt9_from))] = ground("work")
        reason[(reason == ground("pbh")) & (valid_from > pbh_until)] = ground("humanitarian")


def _persons(
    rng: np.random.Generator,
    households: Households,
    citizenship: NDArray[np.intp],
    born_in_poland: NDArray[np.bool_],
) -> pl.DataFrame:
    sets = pl.Series("citizenships", [list(s) for s in _CITIZENSHIP_SETS], dtype=pl.List(pl.String))
    country = np.where(born_in_poland, code(ISSUERS, "PL"), _NATIONALITY[citizenship])
    unknown = ~born_in_poland & (rng.random(households.size) < _BIRTH_COUNTRY_UNKNOWN)
    raw: dict[str, NDArray[Any] | pl.Series] = {
        "person_id": np.arange(households.size),
        "family_id": households.family,
        "birth_date": households.birth,
        "sex": households.sex,
        "citizenships": sets.gather(pl.Series(citizenship.astype(np.uint32))),
        "birth_country": np.where(unknown, -1, country),
    }
    return columns_to_frame("persons", raw)


def _family(households: Households) -> pl.DataFrame:
    """Both directions of every link: child→parent, parent→child, spouse→spouse."""
    child, parent = households.parents()
    married = np.flatnonzero(households.spouse >= 0)
    person = np.concatenate([child, parent, married])
    other = np.concatenate([parent, child, households.spouse[married]])
    relation = np.concatenate(
        [
            np.full(len(child), code(RELATIONS, "parent")),
            np.full(len(parent), code(RELATIONS, "child")),
            np.full(len(married), code(RELATIONS, "spouse")),
        ]
    )
    order = np.argsort(person, kind="stable")
    raw = {"person_id": person[order], "relation": relation[order], "other_id": other[order]}
    return columns_to_frame("family", raw)
