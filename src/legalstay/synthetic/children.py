"""What children hold: their parents' titles, or, when born in Poland, often nothing.

A child born before the family arrived came with it and shares the principal's story: the same
visas, applications and titles, on the grounds the law gives a child (a TRP for ``family``, a
PR as ``child_of_resident``, which is also what a child of an LTR holder gets, UoC art. 195
ust. 1 pkt 1). A child born in Poland holds no Belarusian passport (consulates issue none
since Decree 278; that none got one earlier either is assumed) and gets a title only if
someone applied for one: some have a title, some a pending application, the rest nothing at
all (Amnesty, Aug 2025; shares in :mod:`legalstay.synthetic.mix`).
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

from legalstay.dossier import TITLE_KINDS
from legalstay.synthetic import mix
from legalstay.synthetic.daycount import NO_DATE, Days
from legalstay.synthetic.episodes import (
    Draw,
    Episodes,
    LatestTitle,
    application_kind,
    ground,
    latest_title,
    pending,
    title,
    title_kind,
)
from legalstay.synthetic.households import CHILD, Households
from legalstay.synthetic.tables import Slot

__all__ = ["settle_children"]

_TRP: Final = title_kind("temporary_residence")
_PR: Final = title_kind("permanent_residence")
_LTR: Final = title_kind("eu_long_term_residence")
_VISA: Final = title_kind("visa")


def settle_children(
    rng: np.random.Generator, households: Households, episodes: Episodes, as_of: int
) -> NDArray[np.bool_]:
    """Gives children their episodes (in place); returns who was born in Poland."""
    children = np.flatnonzero(households.role == CHILD)
    parent = households.principal[children]
    other = households.spouse[parent]
    arrival = episodes.arrival
    # Born in Poland when both parents were here; else the child came with the later one.
    came = np.where(
        other >= 0, np.maximum(arrival[parent], arrival[np.maximum(other, 0)]), arrival[parent]
    )
    born_in_poland = np.zeros(households.size, bool)
    born_in_poland[children] = households.birth[children] > came
    _copy_from_parents(episodes, children, parent)
    _not_before_birth(episodes, children, households.birth[children])
    arrival[children] = came
    _as_a_child(episodes.titles, children, born_in_poland[children])
    born_here = children[born_in_poland[children]]
    _start_afresh(Draw(rng, len(born_here), as_of), episodes, born_here, households.birth)
    episodes.arrival[born_in_poland] = NO_DATE
    return born_in_poland


def _copy_from_parents(
    episodes: Episodes, children: NDArray[np.intp], parent: NDArray[np.int64]
) -> None:
    for slot in [*episodes.titles, *episodes.applications]:
        slot.present[children] = slot.present[parent]
        for values in slot.columns.values():
            values[children] = values[parent]


def _not_before_birth(episodes: Episodes, children: NDArray[np.intp], birth: Days) -> None:
    """A child shares no episode from before its birth: titles ending earlier are dropped, a
    title running across the birth starts on the birth date, applications filed earlier are
    the parent's alone."""
    for slot in episodes.titles:
        start, end = slot.columns["valid_from"], slot.columns["valid_to"]
        ended = (end[children] != NO_DATE) & (end[children] < birth)
        slot.present[children] &= ~ended
        start[children] = np.maximum(start[children], birth).astype(start.dtype)
    for slot in episodes.applications:
        slot.present[children] &= slot.columns["filed"][children] >= birth


def _as_a_child(
    titles: list[Slot], children: NDArray[np.intp], born_in_poland: NDArray[np.bool_]
) -> None:
    """A child's grounds: TRP for family (the pkt 9 TRP only for those who came on a visa)."""
    for slot in titles:
        kind, reason = slot.columns["kind"], slot.columns["ground"]
        trp = kind[children] == _TRP
        keeps_pkt9 = (reason[children] == ground("humanitarian_visa_belarus")) & ~born_in_poland
        reason[children] = np.where(trp & ~keeps_pkt9, ground("family"), reason[children])
        resident = np.isin(kind[children], (_PR, _LTR))
        reason[children] = np.where(resident, ground("child_of_resident"), reason[children])
        kind[children] = np.where(resident, _PR, kind[children])


def _start_afresh(draw: Draw, episodes: Episodes, born_here: NDArray[np.intp], birth: Days) -> None:
    """Born here: none of the parents' past; a title like theirs, an application, or nothing."""
    latest = latest_title([_rows(slot, born_here) for slot in episodes.titles])
    for slot in [*episodes.titles, *episodes.applications]:
        slot.present[born_here] = False
    child_title = _title_since_birth(draw, latest, birth[born_here])
    _put(episodes.titles[1], born_here, child_title)
    application = _application_since_birth(draw, latest, birth[born_here], ~child_title.present)
    _put(episodes.applications[1], born_here, application)


def _rows(slot: Slot, rows: NDArray[np.intp]) -> Slot:
    return Slot(slot.present[rows], {name: values[rows] for name, values in slot.columns.items()})


def _put(into: Slot, rows: NDArray[np.intp], part: Slot) -> None:
    into.present[rows] = part.present
    for name, values in part.columns.items():
        into.columns[name][rows] = values


def _title_since_birth(draw: Draw, latest: LatestTitle, birth: Days) -> Slot:
    """The parents' latest title (never a visa: it is issued abroad), some months after birth."""
    valid_from = np.maximum(latest.valid_from, birth + draw.days(90, 400))
    valid_to = latest.valid_to
    in_force = (valid_from <= draw.as_of) & ((valid_to == NO_DATE) | (valid_from <= valid_to))
    has = latest.present & (latest.kind != _VISA) & in_force
    has &= draw.chance(mix.CHILD_BORN_IN_POLAND_HAS_TITLE)
    return title(has, latest.kind, latest.ground, valid_from, valid_to)


def _application_since_birth(
    draw: Draw, latest: LatestTitle, birth: Days, without_title: NDArray[np.bool_]
) -> Slot:
    """Some who have no title have applied for one like their parents'; protection by default."""
    kind = _APPLICATION_FOR_TITLE[np.where(latest.present, latest.kind, len(TITLE_KINDS))]
    filed = birth + draw.days(30, 700)
    applied = without_title & (filed <= draw.as_of)
    applied &= draw.chance(mix.CHILD_BORN_IN_POLAND_HAS_APPLICATION)
    return pending(draw, applied, kind, filed)


def _application_kind_for_titles() -> NDArray[np.int16]:
    """The application that would give a child each title kind (last entry: no title)."""
    by_title = {
        "visa": "temporary_residence",
        "eu_long_term_residence": "permanent_residence",
        "refugee_status": "international_protection",
        "subsidiary_protection": "international_protection",
    }
    kinds = [by_title.get(kind, kind) for kind in TITLE_KINDS]
    return np.array(
        [*map(application_kind, kinds), application_kind("international_protection")], np.int16
    )


_APPLICATION_FOR_TITLE: Final = _application_kind_for_titles()
