"""Households: who lives with whom, their sex and birth dates, drawn for all persons at once.

A household is a principal (the first member), perhaps a spouse, and perhaps children; its
members have consecutive person ids and the household's ``family_id`` is the principal's id.
The mix of households and ages is :mod:`legalstay.synthetic.mix`. A child is born at least
18 years after its younger parent (and before ``as_of``); parents of children are 22–50.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from legalstay.synthetic.daycount import Days, add_years, days_between
from legalstay.synthetic.mix import ADULT_AGE_BANDS, CHILDREN_PER_FAMILY, HOUSEHOLDS
from legalstay.synthetic.tables import SEXES, code

__all__ = ["CHILD", "PRINCIPAL", "SPOUSE", "Households", "draw_households"]

PRINCIPAL: Final = 0
SPOUSE: Final = 1
CHILD: Final = 2

_KINDS: Final = tuple(HOUSEHOLDS)
_COUPLES: Final = np.array([kind.startswith("couple") for kind in _KINDS])
_WITH_CHILDREN: Final = np.array([kind.endswith(("children", "mother")) for kind in _KINDS])
_PRINCIPAL_IS_WOMAN: Final = np.array(
    [kind in ("single_woman", "single_mother") for kind in _KINDS]
)
_MEAN_SIZE: Final = 1.5


@dataclass(frozen=True)
class Households:
    """Person-level arrays; ``spouse`` is the spouse's index or -1."""

    family: NDArray[np.int64]
    principal: NDArray[np.int64]
    role: NDArray[np.int8]
    spouse: NDArray[np.int64]
    sex: NDArray[np.int8]
    birth: Days

    @property
    def size(self) -> int:
        return len(self.family)

    def parents(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Indices of every (child, parent) pair."""
        child = np.flatnonzero(self.role == CHILD)
        mother_or_father = self.principal[child]
        other = self.spouse[mother_or_father]
        with_other = other >= 0
        return (
            np.concatenate([child, child[with_other]]),
            np.concatenate([mother_or_father, other[with_other]]),
        )


def draw_households(rng: np.random.Generator, persons: int, as_of: int) -> Households:
    """Exactly ``persons`` people in households; the last household may be cut short."""
    kinds, sizes = _household_sizes(rng, persons)
    starts = np.cumsum(sizes) - sizes
    kept = np.flatnonzero(starts < persons)
    household = np.repeat(kept, sizes[kept])[:persons]
    position = np.arange(persons) - starts[household]
    principal = starts[household]
    role = _roles(position, _COUPLES[kinds[household]])
    spouse = _spouses(role, principal)
    sex = _sexes(rng, role, _PRINCIPAL_IS_WOMAN[kinds[household]])
    with_children = _WITH_CHILDREN[kinds[household]]
    birth = _births(rng, role, principal, spouse, with_children, as_of)
    return Households(principal, principal, role, spouse, sex, birth)


def _household_sizes(
    rng: np.random.Generator, persons: int
) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Enough households for ``persons``: their kinds and sizes."""
    count = int(persons / _MEAN_SIZE) + 8
    kinds = rng.choice(len(_KINDS), size=count, p=list(HOUSEHOLDS.values()))
    children = rng.choice(
        list(CHILDREN_PER_FAMILY), size=count, p=list(CHILDREN_PER_FAMILY.values())
    )
    sizes = 1 + _COUPLES[kinds] + np.where(_WITH_CHILDREN[kinds], children, 0)
    if sizes.sum() < persons:  # never for the mix's mean size; kept for odd mixes
        more_kinds, more_sizes = _household_sizes(rng, persons - int(sizes.sum()))
        return np.concatenate([kinds, more_kinds]), np.concatenate([sizes, more_sizes])
    return kinds, sizes.astype(np.int64)


def _roles(position: NDArray[np.int64], couple: NDArray[np.bool_]) -> NDArray[np.int8]:
    role = np.full(len(position), CHILD, dtype=np.int8)
    role[position == 0] = PRINCIPAL
    role[(position == 1) & couple] = SPOUSE
    return role


def _spouses(role: NDArray[np.int8], principal: NDArray[np.int64]) -> NDArray[np.int64]:
    """Each spouse's partner, both ways; -1 for the unmarried and for children."""
    spouse = np.full(len(role), -1, dtype=np.int64)
    wives = np.flatnonzero(role == SPOUSE)
    spouse[wives] = principal[wives]
    spouse[principal[wives]] = wives
    return spouse


def _sexes(
    rng: np.random.Generator, role: NDArray[np.int8], principal_is_woman: NDArray[np.bool_]
) -> NDArray[np.int8]:
    """Principals of couples are men, their spouses women, children 51 % boys (assumed)."""
    woman = np.where(role == CHILD, rng.random(len(role)) < 0.49, principal_is_woman)
    woman |= role == SPOUSE
    return np.where(woman, code(SEXES, "F"), code(SEXES, "M")).astype(np.int8, copy=False)


def _births(
    rng: np.random.Generator,
    role: NDArray[np.int8],
    principal: NDArray[np.int64],
    spouse: NDArray[np.int64],
    with_children: NDArray[np.bool_],
    as_of: int,
) -> Days:
    adult_limit = int(add_years(np.array([as_of]), -18)[0]) - 2
    birth = np.minimum(as_of - _adult_ages(rng, len(role), with_children), adult_limit)
    partner_gap = rng.normal(0, days_between(3), len(role)).astype(np.int32)
    spouses = role == SPOUSE
    birth[spouses] = np.minimum(birth[principal[spouses]] + partner_gap[spouses], adult_limit)
    return _child_births(rng, birth, role, principal, spouse, as_of)


def _adult_ages(rng: np.random.Generator, count: int, with_children: NDArray[np.bool_]) -> Days:
    """Ages in days: by the mix's bands, or 22–50 for parents."""
    bands = rng.choice(len(ADULT_AGE_BANDS), size=count, p=[b[2] for b in ADULT_AGE_BANDS])
    low = np.array([b[0] for b in ADULT_AGE_BANDS], np.float32)[bands]
    high = np.array([b[1] for b in ADULT_AGE_BANDS], np.float32)[bands]
    low, high = np.where(with_children, 22, low), np.where(with_children, 50, high)
    years = low + rng.random(count, dtype=np.float32) * (high - low)
    return (years * 365.25).astype(np.int32)


def _child_births(
    rng: np.random.Generator,
    birth: Days,
    role: NDArray[np.int8],
    principal: NDArray[np.int64],
    spouse: NDArray[np.int64],
    as_of: int,
) -> Days:
    """A child is born 18+ years after its younger parent, under 18 years before ``as_of``."""
    children = np.flatnonzero(role == CHILD)
    parent = principal[children]
    other = spouse[parent]
    younger = np.where(other >= 0, np.maximum(birth[parent], birth[other]), birth[parent])
    earliest = np.maximum(add_years(younger, 18), add_years(np.full_like(younger, as_of), -18)) + 1
    span = np.maximum(as_of - earliest, 0)
    birth[children] = earliest + (rng.random(len(children)) * (span + 1)).astype(np.int32)
    return birth
