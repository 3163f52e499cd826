"""Hand-written persons on the edges of the rules, around ``as_of``.

Random populations rarely hit a deadline to the day; these persons do, one edge each, so
that both back-ends of the engine are tested where an off-by-one error would show. Each is
written as a dossier (readable) and turned into tables by
:func:`~legalstay.synthetic.convert.dossiers_to_population`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from legalstay.dossier import (
    Application,
    Decision,
    Document,
    Dossier,
    FamilyLink,
    Person,
    StayAbroad,
    Title,
)
from legalstay.synthetic.convert import dossiers_to_population
from legalstay.synthetic.daycount import add_months, day_number, from_day_number

__all__ = ["boundary_dossiers", "generate_boundary_population"]

_TRP = "temporary_residence"


def generate_boundary_population(as_of: dt.date) -> dict[str, pl.DataFrame]:
    """The edge persons as the population's tables (ids 0, 1, 2, … in the order below)."""
    return dossiers_to_population(boundary_dossiers(as_of))


def boundary_dossiers(as_of: dt.date) -> list[Dossier]:
    """The edge persons as dossiers."""
    people: list[Dossier] = []
    for make in _EDGES:
        people.extend(make(as_of, len(people)))
    return people


def _days(as_of: dt.date, offset: int) -> dt.date:
    return as_of + dt.timedelta(days=offset)


def _months(date: dt.date, months: int) -> dt.date:
    return from_day_number(int(add_months(np.array([day_number(date)]), months)[0]))


def _someone(
    person_id: int,
    born: dt.date = dt.date(1990, 5, 17),
    sex: str = "M",
    birth_country: str = "BY",
    **dossier: Any,
) -> Dossier:
    """A Belarusian (by default an adult man born in Belarus) with the given episodes."""
    return Dossier(person=Person(str(person_id), ("BY",), born, birth_country, sex), **dossier)


def _passport(as_of: dt.date) -> Document:
    return Document("national_passport", "BY", None, _days(as_of, -2000), _days(as_of, 1600))


def _trp_until(as_of: dt.date, valid_to: dt.date) -> Title:
    return Title(_TRP, "work", _months(valid_to, -24) + dt.timedelta(days=1), valid_to)


# ---------------------------------------------------------------- the edges


def _title_ends(as_of: dt.date, first_id: int) -> list[Dossier]:
    return [
        # The TRP's last day is as_of: still lawful today, filing today is still on time.
        _someone(first_id, titles=(_trp_until(as_of, as_of),), documents=(_passport(as_of),)),
        # The TRP ended the day before as_of: no title today, and too late to file on time.
        _someone(
            first_id + 1,
            titles=(_trp_until(as_of, _days(as_of, -1)),),
            documents=(_passport(as_of),),
        ),
    ]


def _filing_on_the_last_day(as_of: dt.date, first_id: int) -> list[Dossier]:
    last_day = _days(as_of, -10)
    on_time = Application(_TRP, last_day, True, extra={"completed_on": last_day.isoformat()})
    late = Application(_TRP, _days(last_day, 1), True)
    title = _trp_until(as_of, last_day)
    return [
        # Filed on the last day of the TRP, formally complete: the art. 108 stamp applies.
        _someone(first_id, titles=(title,), applications=(on_time,), documents=(_passport(as_of),)),
        # Filed one day after the TRP ended: no stamp, the stay is unlawful since.
        _someone(
            first_id + 1, titles=(title,), applications=(late,), documents=(_passport(as_of),)
        ),
    ]


def _passport_expires_today(as_of: dt.date, first_id: int) -> list[Dossier]:
    passport = Document(
        "national_passport", "BY", None, _months(as_of, -120) + dt.timedelta(days=1), as_of
    )
    # The passport's last valid day is as_of (tomorrow it has expired, and Decree 278 bars renewal).
    return [
        _someone(first_id, titles=(_trp_until(as_of, _days(as_of, 400)),), documents=(passport,))
    ]


def _six_months_abroad(as_of: dt.date, first_id: int) -> list[Dossier]:
    left = _months(as_of, -12)
    permanent = (Title("permanent_residence", "karta_polaka", _months(as_of, -60), None),)
    exactly = StayAbroad(left, _months(left, 6))
    one_day_more = StayAbroad(left, _months(left, 6) + dt.timedelta(days=1))
    return [
        # A break of exactly six months: still continuous residence (no single break over 6 months).
        _someone(
            first_id, titles=permanent, stays_abroad=(exactly,), documents=(_passport(as_of),)
        ),
        # Six months and one day: the break is over six months, continuity is broken.
        _someone(
            first_id + 1,
            titles=permanent,
            stays_abroad=(one_day_more,),
            documents=(_passport(as_of),),
        ),
    ]


def _appeal_deadline_today(as_of: dt.date, first_id: int) -> list[Dossier]:
    delivered = _days(as_of, -14)
    refusal = Decision("refused", _days(delivered, -5), delivered, None)
    application = Application(_TRP, _days(as_of, -200), True, refusal)
    title = _trp_until(as_of, _days(as_of, -190))
    # Refusal delivered 14 days before as_of: the 14-day appeal period (KPA art. 129) ends today.
    return [
        _someone(
            first_id, titles=(title,), applications=(application,), documents=(_passport(as_of),)
        )
    ]


def _turns_eighteen(as_of: dt.date, first_id: int) -> list[Dossier]:
    child_id, parent_id = str(first_id + 1), str(first_id)
    birth = _months(as_of, -18 * 12)
    permanent = (Title("permanent_residence", "karta_polaka", _months(as_of, -60), None),)
    parent = _someone(
        first_id,
        titles=permanent,
        family=(FamilyLink("child", child_id),),
        documents=(_passport(as_of),),
    )
    child = _someone(
        first_id + 1,
        birth,
        "F",
        family=(FamilyLink("parent", parent_id),),
        titles=(Title("permanent_residence", "child_of_resident", _months(as_of, -60), None),),
    )
    # The child turns 18 on as_of: born 18 years before to the day (on a 29 Feb as_of, the
    # 28th: that year had no 29 Feb, so the child turned 18 the day before).
    return [parent, child]


def _born_on_29_february(as_of: dt.date, first_id: int) -> list[Dossier]:
    leap_days = (
        dt.date(year, 2, 29) for year in range(as_of.year - 8, as_of.year + 1) if _leap(year)
    )
    youngest = max(day for day in leap_days if day <= as_of)
    return [
        # An adult born on 29 Feb: birthdays and PESEL dates must not fail in common years.
        _someone(
            first_id,
            dt.date(1996, 2, 29),
            "F",
            documents=(_passport(as_of),),
            titles=(_trp_until(as_of, _days(as_of, 300)),),
        ),
        # A child born on the last 29 Feb before as_of, in Poland, with nothing at all.
        _someone(first_id + 1, youngest, "M", "PL"),
    ]


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _no_expiry(as_of: dt.date, first_id: int) -> list[Dossier]:
    pdpdc = Document("travel_document_for_foreigners", "PL", None, _days(as_of, -364), None)
    certificate = Document("birth_certificate", "PL", None, dt.date(2020, 3, 3), None)
    subsidiary = (Title("subsidiary_protection", None, _months(as_of, -30), None),)
    return [
        # A PDPdC without an expiry date: the rule in force on its issue gives 1 year (art. 253),
        # so it is valid today and lapses in a day.
        _someone(first_id, titles=subsidiary, documents=(pdpdc,)),
        # A birth certificate never expires.
        _someone(
            first_id + 1,
            dt.date(2020, 2, 20),
            "F",
            "PL",
            documents=(certificate,),
            titles=subsidiary,
        ),
    ]


def _no_documents(as_of: dt.date, first_id: int) -> list[Dossier]:
    # A person with a title and no document at all: nothing proves identity or allows travel.
    return [_someone(first_id, titles=(_trp_until(as_of, _days(as_of, 500)),))]


_EDGES: list[Callable[[dt.date, int], list[Dossier]]] = [
    _title_ends,
    _filing_on_the_last_day,
    _passport_expires_today,
    _six_months_abroad,
    _appeal_deadline_today,
    _turns_eighteen,
    _born_on_29_february,
    _no_expiry,
    _no_documents,
]
