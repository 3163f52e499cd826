"""The demo caseload: the synthetic world as the dossiers an NGO would hold.

``generate_caseload(persons, seed, as_of=…)`` is the population of
:func:`~legalstay.synthetic.population.generate_population` for the same arguments, person for
person (so the two never disagree), dressed as a registry would know each person:

* ``names``: Belarusian or Russian forms in Cyrillic, a household sharing the surname (a woman's
  form for women), with the ICAO 9303 Latin transliteration of
  :func:`legalstay.identity.transliteration.to_latin`;
* ``pesel`` for about 60 % (never for a child born in Poland who has no title: those children
  are the "invisible" ones), valid and matching birth date and sex;
* ``languages``, ``contact`` (obviously fake: ``+48 500 000 xxx``, ``…@example.org``; none for
  children under 16), ``arrived_on`` (none for those born in Poland);
* a number on each national passport (``MP`` and seven digits).

Its mix, with sources, is :mod:`legalstay.synthetic.mix`. Only synthetic people, ever.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any, Final

import numpy as np
from stdnum.pl import pesel as stdnum_pesel

from legalstay.dossier import Dossier
from legalstay.identity.transliteration import to_latin
from legalstay.synthetic import mix
from legalstay.synthetic.convert import population_to_dossiers
from legalstay.synthetic.daycount import NO_DATE, from_day_number
from legalstay.synthetic.households import CHILD
from legalstay.synthetic.names import FEMALE_NAMES, MALE_NAMES, SURNAMES, feminine, in_language
from legalstay.synthetic.population import World, build_world
from legalstay.synthetic.tables import SEXES

__all__ = ["generate_caseload", "pesel_for"]

_PESEL_CENTURY_OFFSET: Final = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}


def generate_caseload(persons: int, seed: int, *, as_of: dt.date) -> Iterator[Dossier]:
    """Exactly ``persons`` synthetic dossiers, families linked both ways; the same per seed."""
    world = build_world(persons, seed, as_of=as_of)
    rng = np.random.default_rng([seed, 1])  # its own stream: names never shift the world
    languages = _family_languages(rng, world)
    surnames = rng.integers(0, len(SURNAMES), world.households.size)
    issued: Counter[tuple[dt.date, str]] = Counter()  # PESELs given per birth date and sex
    for dossier in population_to_dossiers(world.tables):
        person_id = int(dossier.person.id)
        extra = _identity(rng, world, person_id, languages, surnames, as_of, issued)
        yield dataclasses.replace(
            dossier,
            person=dataclasses.replace(dossier.person, extra=extra),
            documents=tuple(_numbered(rng, document) for document in dossier.documents),
        )


def _family_languages(rng: np.random.Generator, world: World) -> np.ndarray[Any, Any]:
    """``be`` or ``ru`` by household: Russian and Ukrainian citizens write Russian forms."""
    belarusian = rng.random(world.households.size) < mix.NAMES_IN_BELARUSIAN
    by_citizen = np.array(["BY" in combination for combination in mix.CITIZENSHIPS])
    writes_be = belarusian & by_citizen[world.citizenship]
    return np.where(writes_be[world.households.principal], "be", "ru")


def _identity(
    rng: np.random.Generator,
    world: World,
    person_id: int,
    languages: np.ndarray[Any, Any],
    surnames: np.ndarray[Any, Any],
    as_of: dt.date,
    issued: Counter[tuple[dt.date, str]],
) -> dict[str, Any]:
    households = world.households
    language = str(languages[person_id])
    sex = SEXES[households.sex[person_id]]
    birth = from_day_number(int(households.birth[person_id]))
    names = _names(rng, sex, language, SURNAMES[surnames[households.principal[person_id]]])
    extra: dict[str, Any] = {"names": names, "languages": _languages(rng, language)}
    if _holds_pesel(rng, world, person_id):
        # A PESEL is unique: the n-th person of a birth date and sex gets ordinal n (at most
        # 5,000 per day and sex, as in the real numbering).
        extra["pesel"] = pesel_for(birth, sex, issued[(birth, sex)])
        issued[(birth, sex)] += 1
    if (as_of - birth).days >= 16 * 365:
        extra["contact"] = _contact(rng, person_id, names)
    if world.arrival[person_id] != NO_DATE:
        extra["arrived_on"] = from_day_number(int(world.arrival[person_id])).isoformat()
    return extra


def _names(rng: np.random.Generator, sex: str, language: str, surname_entry: str) -> dict[str, str]:
    given_names = MALE_NAMES if sex == "M" else FEMALE_NAMES
    given = in_language(given_names[int(rng.integers(0, len(given_names)))], language)
    surname = in_language(surname_entry, language)
    if sex == "F":
        surname = feminine(surname, language)
    return {
        "surname": surname,
        "given_names": given,
        "surname_latin": to_latin(surname, language),
        "given_names_latin": to_latin(given, language),
    }


def _languages(rng: np.random.Generator, language: str) -> list[str]:
    spoken = ["be", "ru"] if language == "be" else ["ru"]
    spoken += [extra for extra, share in (("pl", 0.5), ("en", 0.3)) if rng.random() < share]
    return spoken


def _holds_pesel(rng: np.random.Generator, world: World, person_id: int) -> bool:
    """About 60 %, never a child born in Poland without any title (the 'invisible' ones)."""
    invisible = world.born_in_poland[person_id] and world.households.role[person_id] == CHILD
    invisible = invisible and not world.has_title[person_id]
    return not invisible and rng.random() < mix.PESEL_HOLDERS


def pesel_for(birth: dt.date, sex: str, ordinal: int) -> str:
    """A valid PESEL for a birth date, sex (``F``: even 10th digit, ``M``: odd) and ordinal
    0–4999: distinct ordinals give distinct numbers for the same birth date and sex."""
    month = birth.month + _PESEL_CENTURY_OFFSET[birth.year // 100]
    serial, sex_choice = divmod(ordinal % 5000, 5)
    sex_digit = sex_choice * 2 + (1 if sex == "M" else 0)
    body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial:03d}{sex_digit}"
    return body + stdnum_pesel.calc_check_digit(body)


def _contact(rng: np.random.Generator, person_id: int, names: dict[str, str]) -> dict[str, str]:
    """Obviously fake: a +48 500 000 number and an example.org address."""
    local = f"{names['given_names_latin']}.{names['surname_latin']}".lower()
    local = "".join(char for char in local.replace(" ", "-") if char.isalnum() or char in ".-")
    return {
        "phone": f"+48 500 000 {int(rng.integers(0, 1000)):03d}",
        "email": f"{local}.{person_id}@example.org",
    }


def _numbered(rng: np.random.Generator, document: Any) -> Any:
    """A national passport gets a Belarusian-style number, MP and seven digits."""
    if document.kind != "national_passport":
        return document
    return dataclasses.replace(document, number=f"MP{int(rng.integers(0, 10_000_000)):07d}")
