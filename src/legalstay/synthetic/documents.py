"""Documents: passports, PDPdCs, residence cards, visas, TZCs, refugee travel documents, birth
certificates, all derived from the persons' titles and applications so that they agree.

* a national passport for everyone born abroad, valid on arrival: 5 years if issued before 14,
  10 years from 14, to age 99 from 64 (MC §5); renewed when it expired before Decree 278 took
  effect (7 Sep 2023), never after, since consulates stopped renewing them (LR §3);
* a PDPdC (``travel_document_for_foreigners``), issuer PL, 1 year from issue (UoC art. 253
  ust. 2), for those without a valid passport who hold a TRP (Belarusians, art. 252a, from
  1 Jul 2023), PR, LTR or subsidiary protection (art. 252); many renewed once or more;
* a document per title: the TRP card for the title's period; subsidiary 2 years, refugee 3
  (UOchr art. 89i), PR 10, LTR 5 years, re-issued in cycles; a visa sticker for a visa;
* a TZC (``temporary_identity_certificate``) while protection is pending: 90 days, then 6
  months each (UOchr art. 55a);
* a refugee travel document, 2 years (UOchr art. 89i ust. 3);
* a Polish birth certificate, without expiry, for some children born in Poland.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from legalstay.dossier import DOCUMENT_KINDS, DOCUMENT_STATUSES
from legalstay.synthetic import mix
from legalstay.synthetic.daycount import (
    NO_DATE,
    Days,
    add_months,
    add_years,
    day_number,
    days_between,
)
from legalstay.synthetic.episodes import (
    Draw,
    Episodes,
    LatestTitle,
    application_kind,
    latest_title,
    title_kind,
)
from legalstay.synthetic.tables import ISSUERS, Slot, code

__all__ = ["Holders", "draw_documents"]

_POLAND: Final = code(ISSUERS, "PL")
_TEN_YEARS: Final = days_between(10)
_YEAR_AND_A_MONTH: Final = 395
_LONG_YEAR: Final = 366  # counting cycles in long years never puts the last one after as_of
_CARD_YEARS: Final = {
    "subsidiary_protection": 2,
    "refugee_status": 3,
    "permanent_residence": 10,
    "eu_long_term_residence": 5,
}


def document_kind(name: str) -> int:
    return code(DOCUMENT_KINDS, name)


@dataclass(frozen=True)
class Holders:
    """Person-level facts the documents depend on."""

    birth: Days
    arrival: Days
    born_in_poland: NDArray[np.bool_]
    nationality: NDArray[np.int16]  # issuer code of the first citizenship
    belarusian: NDArray[np.bool_]


def draw_documents(
    rng: np.random.Generator, holders: Holders, episodes: Episodes, as_of: int
) -> list[Slot]:
    """Every person's documents, one slot per kind of document, in a fixed order."""
    draw = Draw(rng, len(holders.birth), as_of)
    passport = _passport(draw, holders)
    previous, current = _travel_documents(draw, holders, passport, episodes)
    cards = [_title_document(draw, slot) for slot in episodes.titles]
    return [
        _birth_certificate(draw, holders),
        passport,
        *cards,
        previous,
        current,
        _temporary_identity_certificate(draw, episodes),
        _refugee_travel_document(draw, episodes),
    ]


def document(present: Any, kind: Any, issuer: Any, issued: Days, expires: Days) -> Slot:
    """A slot of documents; ``kind`` and ``issuer`` may be one value for all (a 0-d array)."""
    return Slot(
        np.broadcast_to(present, len(issued)).copy(),
        {
            "kind": np.asarray(kind, np.int16),
            "issuer": np.asarray(issuer, np.int16),
            "issued": issued.astype(np.int32, copy=False),
            "expires": expires.astype(np.int32, copy=False),
            "status": np.asarray(code(DOCUMENT_STATUSES, "valid"), np.int16),
        },
    )


# ---------------------------------------------------------------- passports


def _passport(draw: Draw, holders: Holders) -> Slot:
    """Valid on arrival; renewed while consulates still renewed passports (before Decree 278)."""
    has = ~holders.born_in_poland
    latest = np.maximum(holders.arrival - 1, holders.birth)
    earliest = np.maximum(holders.arrival - _TEN_YEARS + 30, holders.birth)
    spread = draw.rng.random(draw.count) * np.maximum(latest - earliest, 0)
    issued = earliest + spread.astype(np.int32)
    expires = _passport_expiry(issued, holders.birth, has)
    renewable_until = min(draw.as_of, day_number(mix.DECREE_278))
    renewed = has & (expires < renewable_until)
    while renewed.any():  # a child's 5-year passports may have needed several renewals
        issued = np.where(renewed, np.maximum(expires - draw.days(0, 180), issued), issued)
        expires = np.where(renewed, _passport_expiry(issued, holders.birth, renewed), expires)
        renewed = has & (expires < renewable_until)
    kind = document_kind("national_passport")
    passport = document(has, kind, holders.nationality, issued, expires)
    passport.columns["status"] = _lost_or_stolen(draw)
    return passport


def _passport_expiry(issued: Days, birth: Days, where: NDArray[np.bool_]) -> Days:
    """5 years if issued before 14, 10 from 14, to age 99 from 64 (ages counted in days)."""
    age = issued - birth
    years = np.where(age < days_between(14), 5, 10)
    expires = add_years(issued, years, where) - 1
    senior = where & (age >= days_between(64))
    return np.where(senior, add_years(birth, 99, senior), expires).astype(np.int32, copy=False)


def _lost_or_stolen(draw: Draw) -> NDArray[np.int16]:
    roll = draw.rng.random(draw.count)
    status = np.full(draw.count, code(DOCUMENT_STATUSES, "valid"), np.int16)
    status[roll < mix.PASSPORT_LOST] = code(DOCUMENT_STATUSES, "lost")
    stolen = (roll >= mix.PASSPORT_LOST) & (roll < mix.PASSPORT_LOST + mix.PASSPORT_STOLEN)
    status[stolen] = code(DOCUMENT_STATUSES, "stolen")
    return status


# ---------------------------------------------------------------- PDPdC


def _travel_documents(
    draw: Draw, holders: Holders, passport: Slot, episodes: Episodes
) -> tuple[Slot, Slot]:
    """The previous and the current PDPdC of those eligible who applied."""
    latest = latest_title(episodes.titles)
    first = _first_pdpdc(draw, holders, passport, latest)
    take_up = np.where(
        holders.born_in_poland, mix.PDPDC_TAKE_UP_CHILDREN_BORN_IN_POLAND, mix.PDPDC_TAKE_UP
    )
    has = (first != NO_DATE) & (draw.rng.random(draw.count) < take_up)
    renewed = draw.chance(mix.PDPDC_RENEWED)
    renewals = np.where(renewed, (draw.as_of - first) // _YEAR_AND_A_MONTH, 0)
    issued = first + renewals * _YEAR_AND_A_MONTH
    return _pdpdc(has & (renewals > 0), issued - _YEAR_AND_A_MONTH), _pdpdc(has, issued)


def _first_pdpdc(draw: Draw, holders: Holders, passport: Slot, latest: LatestTitle) -> Days:
    """When the first PDPdC could be had (art. 252/252a), or NO_DATE for the ineligible."""
    expires = passport.columns["expires"]
    without_passport = ~passport.present | (expires < draw.as_of)
    without_passport |= passport.columns["status"] != code(DOCUMENT_STATUSES, "valid")
    trp = latest.kind == title_kind("temporary_residence")
    eligible = np.isin(latest.kind, _PDPDC_TITLES) & (holders.belarusian | ~trp)
    since = np.where(passport.present, expires + 1, holders.birth)
    since = np.maximum(since, latest.valid_from)
    since = np.where(trp, np.maximum(since, day_number(mix.ART_252A_FROM)), since)
    first = since + draw.days(20, 120)
    in_time = (first <= draw.as_of) & ((latest.valid_to == NO_DATE) | (first <= latest.valid_to))
    return np.where(latest.present & without_passport & eligible & in_time, first, NO_DATE)


_PDPDC_TITLES: Final = [
    title_kind(name)
    for name in (
        "temporary_residence",
        "permanent_residence",
        "eu_long_term_residence",
        "subsidiary_protection",
        "humanitarian_stay",
    )
]


def _pdpdc(present: NDArray[np.bool_], issued: Days) -> Slot:
    kind = document_kind("travel_document_for_foreigners")
    # The day corresponding to the issue day, as the rulebook derives it (UoC art. 253 ust. 2).
    return document(present, kind, _POLAND, issued, add_years(issued, 1, present))


# ---------------------------------------------------------------- title documents


def _title_document(draw: Draw, slot: Slot) -> Slot:
    """A visa sticker for a visa; a residence card for a TRP (its period) or a status (cycles).

    Drawn only for the persons who hold the title (most slots are sparse), then spread out.
    """
    rows = np.flatnonzero(slot.present)
    held = Draw(draw.rng, len(rows), draw.as_of)
    kind, valid_from, valid_to = (
        slot.columns[name][rows] for name in ("kind", "valid_from", "valid_to")
    )
    visa, trp = kind == title_kind("visa"), kind == title_kind("temporary_residence")
    first = valid_from + held.days(7, 45)
    cycle_issued, cycle_expires, cycled = _card_cycle(held, kind, first)
    # A visa sticker is dated the first day of the visa: never before a child's birth, which
    # is where a child's titles start when it was born while a parent's visa ran.
    issued = np.where(visa, valid_from, np.where(trp, first, cycle_issued))
    expires = np.where(visa | trp, valid_to, cycle_expires)
    present = (visa | trp | cycled) & (issued <= draw.as_of) & (issued <= expires)
    document_kind_of = np.where(visa, document_kind("visa"), document_kind("residence_card"))
    card = document(present, 0, _POLAND, issued, expires)
    card.columns["kind"] = document_kind_of.astype(np.int16)
    return _spread(card, rows, draw.count)


def _spread(part: Slot, rows: NDArray[np.intp], count: int) -> Slot:
    """A slot of ``count`` persons holding ``part`` at ``rows`` and nothing elsewhere."""
    whole = Slot(np.zeros(count, bool), {})
    whole.present[rows] = part.present
    for name, values in part.columns.items():
        if values.ndim == 0:  # one value for all stays one value
            whole.columns[name] = values
            continue
        whole.columns[name] = np.zeros(count, values.dtype)
        whole.columns[name][rows] = values
    return whole


def _card_cycle(
    draw: Draw, kind: NDArray[np.int16], first: Days
) -> tuple[Days, Days, NDArray[np.bool_]]:
    """The current card of an indefinite status: re-issued every few years, or not renewed."""
    years = np.zeros(draw.count, np.int32)
    for name, validity in _CARD_YEARS.items():
        years[kind == title_kind(name)] = validity
    cycled = years > 0
    elapsed = (draw.as_of - first) // np.maximum(years * _LONG_YEAR, 1)
    cycles = np.maximum(elapsed.astype(np.int32) - ~draw.chance(mix.CARD_RENEWED), 0)
    issued = add_years(first, cycles * years, cycled)
    return issued, add_years(issued, years, cycled) - 1, cycled


# ---------------------------------------------------------------- protection


def _temporary_identity_certificate(draw: Draw, episodes: Episodes) -> Slot:
    """The current TZC of a pending protection applicant: 90 days, then 6 months each."""
    present, filed = _pending_protection(episodes)
    renewed = draw.as_of >= filed + 90
    periods = np.maximum(draw.as_of - filed - 90, 0) // 182
    issued = np.where(renewed, filed + 90 + 182 * periods, filed)
    expires = np.where(renewed, add_months(issued, 6, present) - 1, filed + 89)
    return document(
        present, document_kind("temporary_identity_certificate"), _POLAND, issued, expires
    )


def _pending_protection(episodes: Episodes) -> tuple[NDArray[np.bool_], Days]:
    count = len(episodes.arrival)
    present, filed = np.zeros(count, bool), np.full(count, NO_DATE, np.int32)
    for slot in reversed(episodes.applications):
        columns = slot.columns
        waiting = slot.present & (columns["kind"] == application_kind("international_protection"))
        waiting &= columns["final"] == NO_DATE
        filed = np.where(waiting, columns["filed"], filed)
        present |= waiting
    return present, filed


def _refugee_travel_document(draw: Draw, episodes: Episodes) -> Slot:
    """Most refugees hold the Geneva travel document, re-issued every 2 years."""
    status = episodes.titles[1]
    refugee = status.present & (status.columns["kind"] == title_kind("refugee_status"))
    first = status.columns["valid_from"] + draw.days(30, 200)
    cycles = np.maximum((draw.as_of - first) // (2 * _LONG_YEAR), 0)
    present = refugee & draw.chance(mix.REFUGEES_WITH_TRAVEL_DOCUMENT) & (first <= draw.as_of)
    issued = add_years(first, cycles * 2, present)
    kind = document_kind("refugee_travel_document")
    return document(present, kind, _POLAND, issued, add_years(issued, 2, present) - 1)


def _birth_certificate(draw: Draw, holders: Holders) -> Slot:
    """A Polish birth certificate (no expiry) for some children born in Poland."""
    issued = np.minimum(holders.birth + draw.days(3, 30), draw.as_of)
    present = holders.born_in_poland & draw.chance(mix.CHILD_BORN_IN_POLAND_HAS_BIRTH_CERTIFICATE)
    no_expiry = np.full(draw.count, NO_DATE, np.int32)
    return document(present, document_kind("birth_certificate"), _POLAND, issued, no_expiry)
