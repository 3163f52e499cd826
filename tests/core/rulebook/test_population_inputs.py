"""A population's stays abroad are refused when they overlap, exactly where one person's
dossier would be: the two readers must not judge the same absences two ways."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legalstay.dossier import DossierError, dossier_from_dict
from legalstay.engine.errors import EvaluationError
from legalstay.engine.population import PERSON_FACT_TYPES, TABLE_SCHEMAS
from legalstay.rulebook import load_rulebook
from legalstay.rulebook.inputs import check_population
from legalstay.synthetic import dossiers_to_population

FIRST = dt.date(2020, 1, 1)
AS_OF = dt.date(2026, 3, 1)
stays = st.lists(
    st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 30))), max_size=4
)


def _dossier_refuses(person: str, absences: list[tuple[dt.date, dt.date | None]]) -> bool:
    raw = {
        "format": "legalstay-dossier/1",
        "person": {"id": person, "citizenships": ["BY"], "birth_date": "1990-01-01", "sex": "F"},
        "stays_abroad": [
            {"left": left.isoformat(), "returned": returned and returned.isoformat()}
            for left, returned in absences
        ],
    }
    try:
        dossier_from_dict(raw)
    except DossierError:
        return True
    return False


def _population_refuses(absences: list[tuple[dt.date, dt.date | None]]) -> bool:
    table = pl.DataFrame(
        {
            "person_id": [7] * len(absences),
            "left": [left for left, _ in absences],
            "returned": [returned for _, returned in absences],
        },
        schema={"person_id": pl.Int64, "left": pl.Date, "returned": pl.Date},
    )
    try:
        check_population({"stays_abroad": table.lazy()})
    except EvaluationError:
        return True
    return False


@settings(max_examples=300, deadline=None)
@given(stays)
def test_a_population_refuses_the_stays_abroad_a_dossier_refuses(raw):
    absences = [
        (
            FIRST + dt.timedelta(days=start),
            None if length is None else FIRST + dt.timedelta(days=start + length),
        )
        for start, length in raw
    ]
    assert _population_refuses(absences) == _dossier_refuses("zoya", absences)


def test_stays_of_different_persons_may_share_days():
    table = pl.DataFrame(
        {
            "person_id": [1, 2],
            "left": [dt.date(2024, 1, 1), dt.date(2024, 1, 5)],
            "returned": [dt.date(2024, 2, 1), None],
        }
    )
    check_population({"stays_abroad": table})


def test_an_open_stay_followed_by_another_names_the_person():
    table = pl.DataFrame(
        {
            "person_id": [3, 3],
            "left": [dt.date(2024, 5, 1), dt.date(2024, 1, 1)],
            "returned": [dt.date(2024, 6, 1), None],
        }
    )
    with pytest.raises(
        EvaluationError,
        match="person 3: the stay abroad from 2024-05-01 falls "
        "within the one from 2024-01-01 to no return recorded",
    ):
        check_population({"stays_abroad": table})


# ---------------------------------------------------------------- row checks

HANNA = {
    "format": "legalstay-dossier/1",
    "person": {"id": "7", "citizenships": ["BY"], "birth_date": "1990-01-01", "sex": "F"},
    "family": [{"relation": "child", "person": {"id": "8", "citizenships": ["BY"]}}],
    "documents": [{"kind": "national_passport", "issued": "2020-01-10", "expires": "2030-01-09"}],
    "titles": [
        {
            "kind": "temporary_residence",
            "ground": "work",
            "valid_from": "2024-01-01",
            "valid_to": "2026-12-31",
        }
    ],
    "applications": [
        {
            "kind": "temporary_residence",
            "filed": "2023-11-01",
            "formally_complete": True,
            "decision": {
                "outcome": "granted",
                "issued": "2023-12-01",
                "delivered": "2023-12-05",
                "final": "2023-12-20",
            },
        }
    ],
    "stays_abroad": [{"left": "2025-07-01", "returned": "2025-07-20"}],
}
BROKEN = {
    "a title of a kind no rule knows": (
        "titles",
        pl.col("kind").cast(pl.String).replace("temporary_residence", "residence"),
        "kind",
        "titles: person 7: kind 'residence' is not one of temporary_residence",
    ),
    "a title ending before it starts": (
        "titles",
        pl.lit(dt.date(2023, 1, 1)),
        "valid_to",
        "titles: person 7: valid_to 2023-01-01 is before valid_from 2024-01-01",
    ),
    "a permit without its last day": (
        "titles",
        pl.lit(None, pl.Date),
        "valid_to",
        "titles: person 7: valid_to is required for a title of this kind",
    ),
    "a document of no kind": (
        "documents",
        pl.lit(None, pl.String),
        "kind",
        "documents: person 7: kind is required; one of",
    ),
    "a document expiring before its issue": (
        "documents",
        pl.lit(dt.date(2019, 1, 1)),
        "expires",
        "documents: person 7: expires 2019-01-01 is before the issue date 2020-01-10",
    ),
    "a decision delivered before it was issued": (
        "applications",
        pl.lit(dt.date(2023, 11, 20)),
        "delivered",
        "applications: person 7: delivered 2023-11-20 is before the decision 2023-12-01",
    ),
    "an incomplete application completed": (
        "applications",
        pl.lit(False),
        "formally_complete",
        "applications: person 7: formally_complete False is false, but completed_on",
    ),
    "a citizenship written in alpha-3": (
        "persons",
        pl.lit(["BLR"], pl.List(pl.String)),
        "citizenships",
        "persons: person 7: citizenships ['BLR'] holds a code that is not an upper-case ISO",
    ),
    "a relative's citizenship written in lower case on the link": (
        "family",
        pl.lit(["by"], pl.List(pl.String)),
        "other_citizenships",
        "family: person 7: other_citizenships ['by'] holds a code that is not an upper-case ISO",
    ),
    "a birth country written as empty text": (
        "persons",
        pl.lit(""),
        "birth_country",
        "persons: person 7: birth_country '' is not",
    ),
    "a stateless person with a citizenship": (
        "persons",
        pl.lit(True),
        "fact_stateless",
        "persons: person 7: fact_stateless True is true, but citizenships records a citizenship",
    ),
    "an issuer written in lower case": (
        "documents",
        pl.lit("pl"),
        "issuer",
        "documents: person 7: issuer 'pl' is not an issuing state as a dossier writes it",
    ),
    "a family relation no rule knows": (
        "family",
        pl.lit("cousin"),
        "relation",
        "family: person 7: relation 'cousin' is not one of",
    ),
    "decision days without an outcome": (
        "applications",
        pl.lit(None, pl.String),
        "outcome",
        "applications: person 7: outcome is required where the decision has a day (issued)",
    ),
    "a person linked as their own relative": (
        "family",
        pl.lit(7, pl.Int64),
        "other_id",
        "family: person 7: other_id 7 is the person",
    ),
    "a stay abroad of a reason no rule knows": (
        "stays_abroad",
        pl.lit("holiday"),
        "reason",
        "stays_abroad: person 7: reason 'holiday' is not one of",
    ),
    "a permit ending past the year 9999": (
        "titles",
        pl.lit(10_000_000).cast(pl.Date),
        "valid_to",
        "titles: person 7: valid_to +29349-01-26 is not a day of the years 1 to 9999",
    ),
    "a return before leaving": (
        "stays_abroad",
        pl.lit(dt.date(2025, 6, 1)),
        "returned",
        "stays_abroad: person 7: returned 2025-06-01 is before leaving on 2025-07-01",
    ),
    "a family link to no one": (
        "family",
        pl.lit(None, pl.Int64),
        "other_id",
        "family: person 7: other_id is required",
    ),
    "a birth before the year 1": (
        "persons",
        pl.lit(-800_000).cast(pl.Date),
        "birth_date",
        "persons: person 7: birth_date -0221-09-04 is not a day of the years 1 to 9999",
    ),
    "a citizenship list holding a null": (
        "persons",
        pl.lit(["BY", None], pl.List(pl.String)),
        "citizenships",
        "persons: person 7: citizenships ['BY', None] holds a code that is not",
    ),
    "an appeal filed before the decision was delivered": (
        "applications",
        pl.lit(dt.date(2023, 12, 3)),
        "appeal_filed",
        "applications: person 7: appeal_filed 2023-12-03 is before its delivery 2023-12-05",
    ),
}


def _hanna_tables() -> dict[str, pl.DataFrame]:
    tables = dossiers_to_population([dossier_from_dict(HANNA)])
    completed = pl.lit(dt.date(2023, 11, 15))
    tables["applications"] = tables["applications"].with_columns(completed_on=completed)
    return tables


def test_hannas_population_is_assessed():
    result = load_rulebook().assess_population(_hanna_tables(), AS_OF).collect()
    assert result["pl-baseline.legal_stay.status"].to_list()[0] == "legal"


@pytest.mark.parametrize("case", BROKEN)
def test_a_population_row_a_dossier_would_refuse_is_refused_naming_it(case):
    table, value, column, message = BROKEN[case]
    tables = _hanna_tables()
    if column not in tables[table].columns:  # an optional column, such as a fact
        tables[table] = tables[table].with_columns(pl.lit(None).alias(column))
    first = pl.int_range(pl.len()) == 0
    tables[table] = tables[table].with_columns(
        pl.when(first).then(value).otherwise(pl.col(column)).alias(column)
    )
    with pytest.raises(EvaluationError) as refused:
        load_rulebook().assess_population(tables, AS_OF).collect()
    assert str(refused.value).startswith(message)


def hanna_with(table: str, **columns: object) -> dict[str, pl.DataFrame]:
    tables = _hanna_tables()
    types = {**TABLE_SCHEMAS[table], **PERSON_FACT_TYPES}
    tables[table] = tables[table].with_columns(
        pl.lit(value, types[column]).alias(column) for column, value in columns.items()
    )
    return tables


def assessed(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return load_rulebook().assess_population(tables, AS_OF).collect()


@pytest.mark.parametrize("day", ["issued", "delivered", "final", "appeal_filed"])
def test_a_decision_day_without_an_outcome_is_refused_naming_the_day(day):
    undecided = dict.fromkeys(("outcome", "issued", "delivered", "final", "appeal_filed"))
    tables = hanna_with("applications", **{**undecided, day: dt.date(2023, 12, 5)})
    with pytest.raises(EvaluationError, match=rf"outcome is required where .* \({day}\)"):
        assessed(tables)


def test_a_marriage_date_is_refused_for_one_recorded_as_not_married_and_kept_if_not_known():
    since = dt.date(2020, 5, 5)
    married = "fact_married_to_polish_citizen"
    assessed(hanna_with("persons", **{married: None, f"{married}_since": since}))
    with pytest.raises(EvaluationError, match=f"person 7: {married}_since"):
        assessed(hanna_with("persons", **{married: False, f"{married}_since": since}))


def test_a_caller_whose_rows_were_checked_on_entry_may_leave_the_checks_out():
    """The casework scan reads rows the registry validated by its own rules, and judges them
    as stored (as the person page does) rather than stopping everyone's scan."""
    tables = _hanna_tables()
    tables["titles"] = tables["titles"].with_columns(valid_to=pl.lit(None, pl.Date))
    rulebook = load_rulebook()
    with pytest.raises(EvaluationError):
        rulebook.assess_population(tables, AS_OF).collect()
    result = rulebook.assess_population(tables, AS_OF, check_input=False).collect()
    assert result["pl-baseline.legal_stay.until"].to_list() == [None]


@pytest.mark.parametrize(("person_id", "says"), [(None, "is missing"), (99, "99 is not in")])
def test_a_title_of_no_person_of_the_population_is_refused_not_left_out(person_id, says):
    # Hanna's permit, its person_id lost or mistyped, would leave her irregular unread.
    tables = _hanna_tables()
    tables["titles"] = tables["titles"].with_columns(person_id=pl.lit(person_id, pl.Int64))
    with pytest.raises(EvaluationError, match=f"titles: a row's person_id {says}"):
        check_population(tables)


def test_episode_rows_of_persons_numbered_with_gaps_are_checked_by_their_ids():
    persons = pl.DataFrame({"person_id": [3, 7, 11]})
    titles = pl.DataFrame({"person_id": [7, 5]})
    with pytest.raises(EvaluationError, match="titles: a row's person_id 5 is not in"):
        check_population({"persons": persons, "titles": titles})
    check_population({"persons": persons, "titles": titles.head(1)})


def test_a_relative_linked_twice_is_refused_as_a_dossier_refuses_it():
    family = pl.DataFrame(
        {"person_id": [1, 1], "relation": ["parent", "spouse"], "other_id": [2, 2]}
    )
    with pytest.raises(EvaluationError, match="family: person 1: other_id 2 is linked twice"):
        check_population({"family": family})
    check_population({"family": family.head(1)})


# Ids near the edges of 31 and 63 bits as well as small ones: the check packs two ids into
# one number where they fit, and must find a repeated pair either way.
_IDS = st.sampled_from([0, 1, 2, 7, (1 << 31) - 1, 1 << 31, -1, -(1 << 62), (1 << 62) + 3])


@settings(max_examples=150, deadline=None)  # the first example loads the country codes
@given(st.lists(st.tuples(_IDS, _IDS), max_size=12))
def test_a_relative_is_refused_exactly_when_some_pair_is_linked_twice(pairs):
    family = pl.DataFrame(
        {
            "person_id": [person for person, _ in pairs],
            "relation": ["spouse"] * len(pairs),
            "other_id": [other for _, other in pairs],
        },
        schema={"person_id": pl.Int64, "relation": pl.String, "other_id": pl.Int64},
    )
    if len(set(pairs)) < len(pairs):
        with pytest.raises(EvaluationError, match="is linked twice"):
            check_population({"family": family})
    else:
        check_population({"family": family})


def test_a_parent_born_after_their_child_is_refused_as_a_dossier_refuses_it():
    persons = pl.DataFrame(
        {
            "person_id": [1, 2, 3],
            "birth_date": [dt.date(2010, 1, 1), dt.date(2012, 1, 1), None],
        }
    )
    family = pl.DataFrame(
        {"person_id": [1, 1, 2], "relation": ["parent", "parent", "child"], "other_id": [2, 3, 1]}
    )
    with pytest.raises(EvaluationError, match="family: person 1: other_id 2 is their parent"):
        check_population({"persons": persons, "family": family})
    # A birth date not recorded, or a relative outside the population, is not compared.
    in_order = family.with_columns(relation=pl.Series(["child", "parent", "parent"]))
    check_population({"persons": persons, "family": in_order})
    outside = pl.DataFrame({"person_id": [1], "relation": ["parent"], "other_id": [99]})
    check_population({"persons": persons, "family": outside})
    # Persons in any order: their births are looked up by id, not by position.
    shuffled = persons.reverse()
    with pytest.raises(EvaluationError, match="family: person 1: other_id 2 is their parent"):
        check_population({"persons": shuffled, "family": family})
    check_population({"persons": shuffled, "family": in_order})


def test_a_person_linked_to_themself_is_refused_as_such_not_as_born_too_late():
    # Birth dates recorded, the self-link was named under the birth-order rule ("a parent
    # must be born before their child"); the row checks name it for what it is.
    persons = pl.DataFrame({"person_id": [7], "birth_date": [dt.date(2015, 6, 1)]})
    family = pl.DataFrame({"person_id": [7], "relation": ["parent"], "other_id": [7]})
    check_population({"persons": persons, "family": family})  # left to the row checks
    tables = _hanna_tables()
    hanna = tables["persons"]["person_id"][0]
    tables["family"] = pl.DataFrame(
        {
            "person_id": [hanna],
            "relation": ["parent"],
            "other_id": [hanna],
            "other_citizenships": [None],
        },
        schema=TABLE_SCHEMAS["family"],
    )
    with pytest.raises(
        EvaluationError, match=f"family: person {hanna}: other_id {hanna} is the person"
    ):
        check_population(tables)
        assessed(tables)


def test_a_persons_table_without_any_person_id_is_refused_not_a_crash():
    persons = pl.DataFrame({"person_id": [None]}, schema={"person_id": pl.Int64})
    with pytest.raises(EvaluationError, match="persons without a person_id"):
        check_population({"persons": persons, "titles": pl.DataFrame({"person_id": [1]})})


def test_stays_abroad_are_judged_alike_in_any_order():
    # A stay of no days on the day another begins: accepted whichever is listed first.
    day, later = dt.date(2026, 1, 10), dt.date(2026, 2, 10)
    for absences in ([(day, day), (day, later)], [(day, later), (day, day)]):
        assert not _population_refuses(absences)
        assert not _dossier_refuses("zoya", absences)


def test_a_ground_written_as_empty_text_is_a_ground_not_recorded_as_in_a_dossier():
    # Hanna's permit with its ground written "": as a dossier reads it, not recorded, so
    # whether she stays for studies (EU long-term residence) is not known.
    tables = _hanna_tables()
    rulebook = load_rulebook()
    empty = tables | {"titles": tables["titles"].with_columns(ground=pl.lit(""))}
    unrecorded = tables | {"titles": tables["titles"].with_columns(ground=pl.lit(None, pl.String))}
    column = "pl-baseline.eu_long_term_residence"
    answers = [
        rulebook.assess_population(t, AS_OF).collect()[f"{column}.unknown_mask"].to_list()
        for t in (empty, unrecorded)
    ]
    assert answers[0] == answers[1]


@pytest.mark.parametrize(
    ("ids", "stray"),
    [([1, 2, 4], 3), ([1, 2, 3], 4), ([1, 2, 3], 0)],
    ids=["gap", "next", "before"],
)
def test_a_row_of_an_id_just_outside_the_persons_is_refused_not_left_out(ids, stray):
    persons = pl.DataFrame({"person_id": ids})
    titles = pl.DataFrame({"person_id": [stray]})
    with pytest.raises(EvaluationError, match=f"a row's person_id {stray} is not in"):
        check_population({"persons": persons, "titles": titles})


def test_a_parent_born_on_the_childs_birthday_is_named_by_the_same_row_in_any_file_order():
    born = dt.date(1990, 1, 1)
    persons = pl.DataFrame({"person_id": [1, 2, 3], "birth_date": [born] * 3})
    links = [(3, "parent", 1), (2, "parent", 1)]
    messages = set()
    for rows in (links, links[::-1]):
        family = pl.DataFrame(rows, schema=["person_id", "relation", "other_id"], orient="row")
        with pytest.raises(EvaluationError) as refused:
            check_population({"persons": persons, "family": family})
        messages.add(str(refused.value))
    assert len(messages) == 1
    assert messages.pop().startswith("family: person 2: other_id 1 is their parent")
