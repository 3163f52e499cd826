"""What the one-person back-end answers, pinned on tiny synthetic rule sets: the cases where
a mutation audit of ``engine/interpreter.py`` found a change to its evaluation unnoticed by the
fast engine tests (or noticed only minutes later, by the random differential families).

Each test states one rule of the evaluation (three-valued logic, unknown facts, coverage with
no run, derived columns on another date, what a recorded evaluation cites); where the
population back-end must agree, the same rule set is evaluated there too and the answers are
required equal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from legalstay.engine.expressions import (
    Op,
    add_period,
    any_of_rows,
    asker,
    case,
    cases,
    coalesce,
    count_rows,
    family_any,
    field,
    lit,
    max_of,
    max_of_rows,
    min_of,
    min_of_rows,
    outer,
    param,
    period_end,
    var,
)
from legalstay.engine.interpreter import Evaluation, Facts, FamilyMember
from legalstay.engine.kernels import CoverageSpec, IntervalSource, coverage
from legalstay.engine.parameters import ParameterStore, parse_parameters
from legalstay.engine.periods import default_calendar
from legalstay.engine.population import TABLE_SCHEMAS, empty_table, evaluate_population
from legalstay.engine.rows import facts_from_tables
from legalstay.engine.rules import RuleSet, Variable

TODAY = dt.date(2026, 11, 26)
REFERENCE = {"act": "Test act", "article": "1"}


def _evaluation(
    rules: RuleSet,
    facts: Facts | None = None,
    *,
    record: bool = False,
    store: ParameterStore | None = None,
    day: dt.date = TODAY,
) -> Evaluation:
    facts = facts or Facts({"person_id": 1}, {})
    store = store if store is not None else ParameterStore({})
    return Evaluation(rules, store, default_calendar(), facts, day, record=record)


def _tables(persons: int, **episodes: list[dict[str, Any]]) -> dict[str, pl.DataFrame]:
    """Persons 1 … ``persons`` (each their own family) and the episode rows given by table."""
    ids = list(range(1, persons + 1))
    schema = TABLE_SCHEMAS["persons"]
    frame = pl.DataFrame({"person_id": ids, "family_id": ids}, schema_overrides=schema)
    frame = frame.with_columns(
        pl.lit(None, dtype=schema[c]).alias(c) for c in schema if c not in frame.columns
    )
    tables = {name: empty_table(name) for name in TABLE_SCHEMAS}
    tables["persons"] = frame.select(list(schema))
    for name, rows in episodes.items():
        full = [{c: row.get(c) for c in TABLE_SCHEMAS[name]} for row in rows]
        tables[name] = pl.DataFrame(full, schema=TABLE_SCHEMAS[name])
    return tables


def _both_back_ends(
    rules: RuleSet,
    tables: dict[str, pl.DataFrame],
    outputs: tuple[str, ...],
    day: dt.date = TODAY,
    store: ParameterStore | None = None,
) -> list[dict[str, Any]]:
    """Each person's answers, after requiring the two back-ends to give every one alike (equal
    and of the same type: unknown where the other is unknown, no 0 for False)."""
    store = store if store is not None else ParameterStore({})
    population = evaluate_population(
        rules, tables, {"s": store}, day, outputs, default_calendar()
    ).collect()
    facts = facts_from_tables(tables)
    found = []
    for row in population.iter_rows(named=True):
        one = _evaluation(rules, facts[row["person_id"]], store=store, day=day)
        mine = {name: one.value(name) for name in outputs}
        theirs = {name: row[f"s.{name}"] for name in outputs}
        assert {k: (v, type(v)) for k, v in mine.items()} == {
            k: (v, type(v)) for k, v in theirs.items()
        }, row["person_id"]
        found.append(mine)
    return found


# ---------------------------------------------------------------- coverage


def _stays() -> CoverageSpec:
    """Covered while staying on a title (open to the future where no end is recorded)."""
    source = IntervalSource("titles", lit(True), field("valid_from"), field("valid_to"), lit(1.0))
    return CoverageSpec("stays", (source,))


def test_days_counted_with_no_run_reaching_the_date_are_unknown_not_zero() -> None:
    # A person whose title ended before the date has no run: the count of days in it is
    # unknown ("not covered"), not zero days, in both back-ends.
    rules = RuleSet()
    rules.add(
        Variable("run_start", coverage(_stays(), "run_start", lit(None))),
        Variable("days", coverage(_stays(), "weighted_days", lit(dt.date(2021, 11, 26)))),
    )
    titles = [
        {
            "person_id": 1,
            "kind": "t",
            "valid_from": dt.date(2020, 1, 1),
            "valid_to": dt.date(2025, 1, 1),
        },
        {"person_id": 2, "kind": "t", "valid_from": dt.date(2026, 11, 1), "valid_to": None},
    ]
    found = _both_back_ends(rules, _tables(2, titles=titles), ("run_start", "days"))
    assert found[0] == {"run_start": None, "days": None}
    assert found[1] == {"run_start": dt.date(2026, 11, 1), "days": 26.0}


def test_rows_not_known_to_count_or_with_no_first_day_cover_nothing() -> None:
    # Only rows where the condition is known to hold count; a row with no first day is not
    # an interval "from the beginning of time" (nor from the date).
    kind_t = IntervalSource(
        "titles", field("kind") == "t", field("valid_from"), field("valid_to"), lit(1.0)
    )
    rules = RuleSet()
    rules.add(Variable("run_start", coverage(CoverageSpec("t", (kind_t,)), "run_start", lit(None))))
    titles: list[dict[str, Any]] = [
        {"person_id": 1, "kind": None, "valid_from": dt.date(2020, 1, 1), "valid_to": None},
        {"person_id": 1, "kind": "t", "valid_from": dt.date(2026, 1, 1), "valid_to": None},
        {"person_id": 2, "kind": "t", "valid_from": None, "valid_to": None},
    ]
    found = _both_back_ends(rules, _tables(2, titles=titles), ("run_start",))
    assert found == [{"run_start": dt.date(2026, 1, 1)}, {"run_start": None}]


# ---------------------------------------------------------------- another date


def _limit_changing_on(day: dt.date) -> ParameterStore:
    values = [
        {"valid_from": dt.date(2000, 1, 1), "value": 1},
        {"valid_from": day, "value": 2},
    ]
    spec = {
        "limit": {
            "description": "a limit the law changes",
            "unit": "count",
            "values": [value | {"reference": REFERENCE, "confidence": "high"} for value in values],
        }
    }
    return parse_parameters(spec, source="test")


def test_a_derived_column_reading_a_parameter_is_worked_out_again_on_the_day_it_changes() -> None:
    # The column reads no date itself: only the law changing between the two dates (here on
    # the later date itself) makes another date's rows differ from the ones worked out.
    change = dt.date(2027, 1, 1)
    rules = RuleSet()
    rules.add_row_variable("documents", "limit", param("limit"))
    rules.add(Variable("limit", max_of_rows("documents", field("limit"), lit(True))))
    facts = Facts({"person_id": 1}, {"documents": [{"person_id": 1, "kind": "x"}]})
    today = _evaluation(rules, facts, store=_limit_changing_on(change))
    assert today.value("limit") == 1
    assert today.at(change - dt.timedelta(days=1)).value("limit") == 1
    assert today.at(change).value("limit") == 2
    assert today.at(change).at(TODAY).value("limit") == 1


# ---------------------------------------------------------------- values


def test_a_known_false_or_zero_is_the_first_known_value_of_a_coalesce() -> None:
    # A fallback stands in for an unknown value only: "not suspended", a count of none, are
    # known answers and are kept.
    rules = RuleSet()
    rules.add(
        Variable("suspended", lit(False)),
        Variable("count", lit(0)),
        Variable("suspended_or_assumed", coalesce(var("suspended"), lit(True))),
        Variable("count_or_assumed", coalesce(var("count"), lit(5))),
    )
    outputs = ("suspended_or_assumed", "count_or_assumed")
    found = _both_back_ends(rules, _tables(1), outputs)
    assert found == [{"suspended_or_assumed": False, "count_or_assumed": 0}]


def test_the_latest_or_earliest_of_no_rows_is_unknown() -> None:
    rules = RuleSet()
    rules.add(
        Variable("latest", max_of_rows("documents", field("issued"), lit(True))),
        Variable("earliest", min_of_rows("documents", field("issued"), lit(True))),
    )
    documents = [{"person_id": 2, "kind": "x", "issued": dt.date(2025, 1, 1)}]
    found = _both_back_ends(rules, _tables(2, documents=documents), ("latest", "earliest"))
    assert found[0] == {"latest": None, "earliest": None}
    assert found[1] == {"latest": dt.date(2025, 1, 1), "earliest": dt.date(2025, 1, 1)}


def test_the_earliest_of_some_values_leaves_out_the_unknown_ones() -> None:
    # Unknown only when every value is: "the earlier of two deadlines, one not set".
    rules = RuleSet()
    rules.add(
        Variable("not_set", lit(None)),
        Variable("earlier", min_of(var("not_set"), lit(dt.date(2027, 1, 1)))),
        Variable("later", max_of(var("not_set"), lit(dt.date(2027, 1, 1)))),
        Variable("neither", min_of(var("not_set"), var("not_set"))),
    )
    outputs = ("earlier", "later", "neither")
    found = _both_back_ends(rules, _tables(1), outputs)
    assert found == [
        {"earlier": dt.date(2027, 1, 1), "later": dt.date(2027, 1, 1), "neither": None}
    ]


def test_whether_an_unknown_answer_is_true_is_no() -> None:
    rules = RuleSet()
    rules.add(
        Variable("unknown", field("birth_date") <= lit(dt.date(2000, 1, 1))),
        Variable("known_true", var("unknown").is_true()),
        Variable("not_unknown", ~var("unknown")),
    )
    found = _both_back_ends(rules, _tables(1), ("unknown", "known_true", "not_unknown"))
    assert found == [{"unknown": None, "known_true": False, "not_unknown": None}]


# ---------------------------------------------------------------- what a recorded evaluation cites


def _parameter(name: str, *values: dict[str, Any], unit: str = "year") -> ParameterStore:
    cited = [value | {"reference": REFERENCE, "confidence": "high"} for value in values]
    spec = {name: {"description": name, "unit": unit, "values": cited}}
    return parse_parameters(spec, source="test")


OLD_LAW = {"valid_from": dt.date(2000, 1, 1), "valid_to": dt.date(2019, 12, 31), "value": 1}
NEW_LAW = {"valid_from": dt.date(2020, 1, 1), "value": 3}


def test_a_variable_read_again_cites_what_it_read_the_first_time() -> None:
    rules = RuleSet()
    rules.add(
        Variable("validity", param("validity")),
        Variable("doubled", var("validity") + var("validity")),
    )
    evaluation = _evaluation(rules, record=True, store=_parameter("validity", NEW_LAW))
    assert evaluation.value("validity") == 3  # worked out (and recorded) before it is read
    assert evaluation.value("doubled") == 6
    assert evaluation.records["doubled"].parameters["validity"].value == 3


def _valid_until() -> Op:
    """A document's last day by the validity in force on its issue day."""
    return add_period(field("issued"), param("validity", on=field("issued")), "year")


def _until_and_the_validity_cited(rules: RuleSet, issued: list[dt.date]) -> tuple[Any, Any]:
    documents = [{"person_id": 1, "kind": "x", "issued": day} for day in issued]
    facts = Facts({"person_id": 1}, {"documents": documents})
    store = _parameter("validity", OLD_LAW, NEW_LAW)
    evaluation = _evaluation(rules, facts, record=True, store=store)
    return evaluation.value("until"), evaluation.records["until"].parameters["validity"].value


def test_a_derived_column_read_by_a_variable_cites_the_value_it_was_derived_from() -> None:
    rules = RuleSet()
    rules.add_row_variable("documents", "until", _valid_until())
    rules.add(Variable("until", max_of_rows("documents", field("until"), lit(True))))
    found = _until_and_the_validity_cited(rules, [dt.date(2021, 3, 1)])
    assert found == (dt.date(2024, 3, 1), 3)


def test_the_latest_of_several_rows_cites_only_the_value_the_latest_rests_on() -> None:
    # Issued under the new law, the first document lasts longest: the old law, which the
    # second document's shorter validity rests on, did not decide the answer.
    rules = RuleSet()
    rules.add(Variable("until", max_of_rows("documents", _valid_until(), lit(True))))
    found = _until_and_the_validity_cited(rules, [dt.date(2021, 3, 1), dt.date(2019, 3, 1)])
    assert found == (dt.date(2024, 3, 1), 3)


def test_a_list_not_in_force_on_a_rows_day_is_told_apart_from_one_that_is() -> None:
    # "No list of kinds in force on the filing day" (the stamp flag's question): before the
    # first value, in a gap between values, and with no day recorded there is none; an
    # empty list in force is a list. The population back-end asks it without building a
    # list per row, and must still agree.
    store = _parameter(
        "kinds",
        {"valid_from": dt.date(2000, 1, 1), "valid_to": dt.date(2009, 12, 31), "value": ["a"]},
        {"valid_from": dt.date(2012, 1, 1), "valid_to": dt.date(2014, 12, 31), "value": []},
        {"valid_from": dt.date(2015, 1, 1), "value": ["a", "b"]},
        unit="codes",
    )
    rules = RuleSet()
    unlisted = param("kinds", on=field("issued")).is_null()
    rules.add(Variable("unlisted", any_of_rows("documents", unlisted)))
    issued = [dt.date(1999, 6, 1), dt.date(2005, 6, 1), dt.date(2010, 6, 1), None]
    issued += [dt.date(2013, 6, 1), dt.date(2020, 6, 1)]
    documents = [
        {"person_id": person, "kind": "x", "issued": day}
        for person, day in enumerate(issued, start=1)
    ]
    found = _both_back_ends(rules, _tables(6, documents=documents), ("unlisted",), store=store)
    assert [answer["unlisted"] for answer in found] == [True, False, True, True, False, False]


def test_a_rule_no_longer_in_force_is_unknown_and_cites_the_value_that_ended() -> None:
    rules = RuleSet()
    rules.add(Variable("validity", param("validity")))
    evaluation = _evaluation(rules, record=True, store=_parameter("validity", OLD_LAW))
    assert evaluation.value("validity") is None
    cited = evaluation.records["validity"].parameters["validity"]
    assert (cited.value, cited.valid_to) == (1, dt.date(2019, 12, 31))


def test_an_answer_given_by_no_case_cites_the_otherwise_case() -> None:
    rules = RuleSet()
    rules.add(
        Variable(
            "route",
            cases(
                case("unknown birth", field("birth_date").is_null() & lit(False), "a"),
                otherwise="b",
                label="general rule",
                reference="art. 1",
            ),
        )
    )
    evaluation = _evaluation(rules, record=True)
    assert evaluation.value("route") == "b"
    assert evaluation.records["route"].cases == [("general rule", "art. 1")]


def test_a_question_about_a_parent_cites_what_the_parents_answer_rests_on() -> None:
    rules = RuleSet()
    rules.add(Variable("parent_valid", family_any("parent", param("validity") >= lit(2))))
    parent = Facts({"person_id": 2}, {})
    facts = Facts({"person_id": 1}, {}, (FamilyMember("parent", 2, parent),))
    evaluation = _evaluation(rules, facts, record=True, store=_parameter("validity", NEW_LAW))
    assert evaluation.value("parent_valid") is True
    assert evaluation.records["parent_valid"].parameters["validity"].value == 3


def test_a_recorded_evaluation_on_another_date_records() -> None:
    rules = RuleSet()
    rules.add(Variable("validity", param("validity")))
    evaluation = _evaluation(rules, store=_parameter("validity", OLD_LAW, NEW_LAW))
    earlier = evaluation.recording_at(dt.date(2019, 6, 1))
    assert earlier is evaluation.recording_at(dt.date(2019, 6, 1))
    assert earlier.value("validity") == 1
    assert earlier.records["validity"].parameters["validity"].value == 1


def test_an_evaluation_without_recording_leaves_the_recorded_one_recording() -> None:
    # Answers worked out by the unrecorded twin are not taken back as recorded ones.
    rules = RuleSet()
    rules.add(
        Variable("validity", param("validity")),
        Variable("long", var("validity") >= lit(2)),
    )
    recorded = _evaluation(rules, record=True, store=_parameter("validity", NEW_LAW))
    recorded.value("validity")
    twin = recorded.without_recording()
    assert twin.value("long") is True
    assert "long" not in recorded.values
    assert recorded.value("long") is True
    assert recorded.records["long"].parameters["validity"].value == 3


# ---------------------------------------------------------------- relatives


def test_a_question_about_parents_one_of_whom_is_not_in_the_files_is_unknown_unless_yes() -> None:
    # Person 1's known parent (2) is no resident; the other (99) is not in the files, and may
    # be: unknown. Person 3's known parent (4) is: yes, whatever the other.
    rules = RuleSet()
    rules.add(
        Variable("born_here", field("birth_country") == "PL"),
        Variable("parent_resident", family_any("parent", var("born_here"))),
    )
    tables = _tables(4)
    tables["persons"] = tables["persons"].with_columns(
        pl.Series("birth_country", [None, "BY", None, "PL"], dtype=pl.String)
    )
    links = [(1, "parent", 2), (1, "parent", 99), (3, "parent", 4), (3, "parent", 99)]
    tables["family"] = pl.DataFrame(
        [{"person_id": p, "relation": r, "other_id": o} for p, r, o in links],
        schema=TABLE_SCHEMAS["family"],
    )
    found = _both_back_ends(rules, tables, ("parent_resident",))
    assert [answer["parent_resident"] for answer in found] == [None, False, True, False]


def test_a_parents_title_is_looked_up_on_each_childs_own_birth_day_in_both_back_ends() -> None:
    # Anna (2) held a permit from 2015 to 2018 and another from 2020. Her children: Olek (1),
    # born 2016 on the first; Ola (3), born 2019 between the two; Ida (4), born 2021 on the
    # second. Jan (5)'s parent (6) has no title; Kim (7)'s parent (99) is not in the files.
    rules = RuleSet()
    covering = (field("valid_from") <= asker("birth_date")) & (
        field("valid_to") >= asker("birth_date")
    )
    rules.add(Variable("titled_at_birth", family_any("parent", any_of_rows("titles", covering))))
    titles = [
        {
            "person_id": 2,
            "kind": "temporary_residence",
            "valid_from": dt.date(2015, 1, 1),
            "valid_to": dt.date(2018, 1, 1),
        },
        {
            "person_id": 2,
            "kind": "temporary_residence",
            "valid_from": dt.date(2020, 1, 1),
            "valid_to": dt.date(2023, 1, 1),
        },
        {
            "person_id": 5,
            "kind": "temporary_residence",
            "valid_from": dt.date(2000, 1, 1),
            "valid_to": dt.date(2030, 1, 1),
        },
    ]
    tables = _tables(7, titles=titles)
    born = dt.date(2016, 5, 1)
    births = [born, None, dt.date(2019, 5, 1), dt.date(2021, 5, 1), born, None, born]
    tables["persons"] = tables["persons"].with_columns(
        pl.Series("birth_date", births, dtype=pl.Date)
    )
    links = [(1, "parent", 2), (3, "parent", 2), (4, "parent", 2), (5, "parent", 6)]
    links += [(7, "parent", 99), (2, "child", 1)]
    tables["family"] = pl.DataFrame(
        [{"person_id": p, "relation": r, "other_id": o} for p, r, o in links],
        schema=TABLE_SCHEMAS["family"],
    )
    found = [
        answer["titled_at_birth"] for answer in _both_back_ends(rules, tables, ("titled_at_birth",))
    ]
    # The child's birth day is read, not the parent's (Anna was born on no recorded day), nor
    # another relative's (Jan's own title covers his birth, his parent's none).
    assert found == [True, False, False, True, False, False, None]


# ---------------------------------------------------------------- periods, columns, branches


def test_a_period_ending_on_a_day_off_ends_on_the_next_working_day_in_both_back_ends() -> None:
    # A month from 28 October ends on Saturday 28 November: the period runs to Monday; a
    # month from 11 October ends on Independence Day: to the 12th. Added, the month is not moved.
    rules = RuleSet()
    rules.add(
        Variable(
            "ends", max_of_rows("documents", period_end(field("issued"), 1, "month"), lit(True))
        ),
        Variable(
            "month_on", max_of_rows("documents", add_period(field("issued"), 1, "month"), lit(True))
        ),
    )
    documents = [
        {"person_id": 1, "kind": "x", "issued": dt.date(2026, 10, 28)},
        {"person_id": 2, "kind": "x", "issued": dt.date(2026, 10, 11)},
    ]
    found = _both_back_ends(rules, _tables(2, documents=documents), ("ends", "month_on"))
    assert found == [
        {"ends": dt.date(2026, 11, 30), "month_on": dt.date(2026, 11, 28)},
        {"ends": dt.date(2026, 11, 12), "month_on": dt.date(2026, 11, 11)},
    ]


def test_a_derived_column_looking_up_the_persons_other_rows_reads_their_earlier_columns() -> None:
    # "until" is added to every row before "outlasted" is worked out on any: the first
    # document, outlasted by the second, must see the second's end.
    rules = RuleSet()
    rules.add_row_variable("documents", "until", add_period(field("issued"), 1, "year"))
    outlasted = any_of_rows("documents", field("until") > outer("until"))
    rules.add_row_variable("documents", "outlasted", outlasted)
    rules.add(Variable("outlasted", count_rows("documents", field("outlasted"))))
    documents = [
        {"person_id": 1, "kind": "x", "issued": dt.date(2025, 1, 1)},
        {"person_id": 1, "kind": "x", "issued": dt.date(2026, 1, 1)},
    ]
    found = _both_back_ends(rules, _tables(1, documents=documents), ("outlasted",))
    assert found == [{"outlasted": 1}]


def test_an_if_else_whose_condition_is_unknown_takes_the_else_branch() -> None:
    rules = RuleSet()
    rules.add(
        Variable("unknown", field("birth_date") <= lit(dt.date(2000, 1, 1))),
        Variable("chosen", Op("if_else", (var("unknown"), lit("then"), lit("else")))),
    )
    assert _both_back_ends(rules, _tables(1), ("chosen",)) == [{"chosen": "else"}]


def test_an_and_or_an_or_of_three_operands_reads_every_one_in_both_back_ends() -> None:
    # all_of and any_of nest pairs; an and/or written with more operands must not lose them.
    def holds(kind: str) -> Any:
        return any_of_rows("titles", field("kind") == kind)

    rules = RuleSet()
    rules.add(
        Variable("all_but_last", Op("and", (holds("a"), holds("b"), holds("c")))),
        Variable("any_but_last", Op("or", (holds("c"), holds("c"), holds("a")))),
        Variable("last_unknown", Op("and", (holds("a"), holds("b"), lit(None)))),
    )
    titles = [{"person_id": 1, "kind": kind, "valid_from": TODAY} for kind in ("a", "b")]
    outputs = ("all_but_last", "any_but_last", "last_unknown")
    (found,) = _both_back_ends(rules, _tables(1, titles=titles), outputs)
    assert found == {"all_but_last": False, "any_but_last": True, "last_unknown": None}
