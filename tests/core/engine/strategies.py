"""Hypothesis strategies for random persons' facts, dense around the evaluation date so that
boundaries (a title ending the day before, a period ending on a holiday) are hit often."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from legalstay.dossier import APPLICATION_KINDS, DOCUMENT_KINDS, TITLE_KINDS, YES_NO_FACTS
from legalstay.engine.interpreter import Facts, FamilyMember

AS_OF = dt.date(2026, 5, 4)
GROUNDS = (
    None,
    "humanitarian_visa_belarus",
    "spouse_of_polish_citizen",
    "work",
    "study",
    "family",
    "humanitarian",
    "other",
)


def days_around(anchor: dt.date = AS_OF, spread: int = 3000) -> st.SearchStrategy[dt.date]:
    near = st.integers(-40, 40)
    far = st.integers(-spread, spread)
    return st.one_of(near, far).map(lambda offset: anchor + dt.timedelta(days=offset))


def maybe(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), strategy)


@st.composite
def intervals(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    start = draw(days_around())
    end = draw(maybe(days_around(start, 2000)))
    if end is not None and end < start:
        start, end = end, start
    return start, end  # type: ignore[return-value]


@st.composite
def document_rows(draw: st.DrawFn) -> dict[str, object]:
    issued, expires = draw(intervals())
    return {
        "kind": draw(st.sampled_from(DOCUMENT_KINDS)),
        "issuer": draw(st.sampled_from((None, "BY", "PL", "UA"))),
        "issued": draw(maybe(st.just(issued))),
        "expires": expires,
        "status": draw(st.sampled_from(("valid", "valid", "valid", "lost", "withdrawn"))),
    }


@st.composite
def title_rows(draw: st.DrawFn) -> dict[str, object]:
    start, end = draw(intervals())
    return {
        "kind": draw(st.sampled_from(TITLE_KINDS)),
        "ground": draw(st.sampled_from(GROUNDS)),
        "valid_from": start,
        "valid_to": end,
    }


@st.composite
def application_rows(draw: st.DrawFn) -> dict[str, object]:
    filed = draw(days_around())
    decided = draw(st.booleans())
    issued = draw(days_around(filed, 400)) if decided else None
    if issued is not None and issued < filed:
        issued = filed
    delivered = None
    if issued is not None:
        delivered = draw(maybe(st.just(issued + dt.timedelta(days=draw(st.integers(0, 20))))))
    final = draw(maybe(st.just((delivered or filed) + dt.timedelta(days=draw(st.integers(0, 60))))))
    return {
        "kind": draw(st.sampled_from(APPLICATION_KINDS)),
        "filed": filed,
        "formally_complete": draw(st.sampled_from((True, True, False, None))),
        "outcome": draw(st.sampled_from(("granted", "refused", "discontinued")))
        if decided
        else None,
        "issued": issued,
        "delivered": delivered if decided else None,
        "final": final if decided else None,
        "completed_on": draw(maybe(st.just(filed + dt.timedelta(days=draw(st.integers(0, 90)))))),
        "suspended_at_party_request": draw(st.sampled_from((None, None, True, False))),
        "appeal_filed": draw(maybe(days_around(filed, 100))) if decided else None,
        "channel": draw(st.sampled_from((None, "mos", "paper", "in_person", "by fax"))),
    }


@st.composite
def stay_rows(draw: st.DrawFn) -> dict[str, object]:
    left = draw(days_around())
    length = draw(st.sampled_from((0, 10, 180, 181, 182, 183, 184, 300, 400)))
    returned = draw(maybe(st.just(left + dt.timedelta(days=length))))
    reasons = (None, "work_for_employer_in_poland", "special_personal_situation", "other")
    return {"left": left, "returned": returned, "reason": draw(st.sampled_from(reasons))}


FACT_VALUES = st.sampled_from((None, None, True, False))


@st.composite
def person_facts(draw: st.DrawFn, person_id: int) -> Facts:
    person = {
        "person_id": person_id,
        "family_id": person_id,
        "birth_date": draw(maybe(days_around(AS_OF - dt.timedelta(days=18 * 365), 9000))),
        "sex": draw(st.sampled_from(("F", "M", None))),
        "citizenships": tuple(
            draw(st.lists(st.sampled_from(("BY", "UA", "RU")), max_size=2, unique=True))
        ),
        "birth_country": draw(st.sampled_from((None, "PL", "BY"))),
        **{f"fact_{name}": draw(FACT_VALUES) for name in YES_NO_FACTS},
        "fact_married_to_polish_citizen_since": draw(maybe(days_around(AS_OF, 2000))),
    }

    def rows(strategy: st.SearchStrategy[dict[str, object]], most: int) -> list[dict[str, object]]:
        return [{"person_id": person_id, **row} for row in draw(st.lists(strategy, max_size=most))]

    return Facts(
        person,
        {
            "documents": rows(document_rows(), 4),
            "titles": rows(title_rows(), 3),
            "applications": rows(application_rows(), 3),
            "stays_abroad": rows(stay_rows(), 2),
            "family": [],
        },
    )


@st.composite
def families(draw: st.DrawFn, size: int = 6) -> dict[int, Facts]:
    """Persons 0..size-1; person 0 is a child of persons 1 and 2, who are spouses."""
    people = {pid: draw(person_facts(pid)) for pid in range(size)}
    links = [
        (0, "parent", 1),
        (0, "parent", 2),
        (1, "child", 0),
        (2, "child", 0),
        (1, "spouse", 2),
        (2, "spouse", 1),
        (3, "parent", 99),
    ]  # 99: not in the population
    for pid, relation, other in links:
        if pid in people:
            people[pid].tables["family"].append(  # type: ignore[attr-defined]
                {"person_id": pid, "relation": relation, "other_id": other}
            )
    return {
        pid: Facts(
            f.person,
            f.tables,
            [
                FamilyMember(link["relation"], link["other_id"], people.get(link["other_id"]))
                for link in f.tables["family"]
            ],
        )
        for pid, f in people.items()
    }
