"""The population back-end on small rule sets: scenarios that differ only through a derived
episode column, person order, rows of unknown persons, and duplicate persons."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from legalstay.engine.aggregates import outer_conjuncts
from legalstay.engine.errors import EvaluationError
from legalstay.engine.expressions import (
    FAR_FUTURE,
    add_days,
    add_period,
    any_of_rows,
    as_of,
    asker,
    case,
    cases,
    coalesce,
    count_rows,
    family_any,
    field,
    in_windows,
    lit,
    max_of_rows,
    outer,
    param,
    sum_of_rows,
    value_at_max,
)
from legalstay.engine.interpreter import Evaluation
from legalstay.engine.parameters import parse_parameters
from legalstay.engine.periods import default_calendar
from legalstay.engine.population import TABLE_SCHEMAS, empty_table, evaluate_population
from legalstay.engine.rows import facts_from_tables
from legalstay.engine.rules import RuleError, RuleSet, Variable

AS_OF = dt.date(2026, 5, 4)
REFERENCE = {"act": "Test act", "article": "1"}


def _store(years: int):
    spec = {
        "validity": {
            "description": "validity",
            "unit": "year",
            "values": [
                {
                    "valid_from": dt.date(2000, 1, 1),
                    "value": years,
                    "reference": REFERENCE,
                    "confidence": "high",
                }
            ],
        }
    }
    return parse_parameters(spec, source="test")


def _rules() -> RuleSet:
    rules = RuleSet()
    derived = add_period(field("issued"), param("validity", on=field("issued")), "year")
    rules.add_row_variable("documents", "until", coalesce(field("expires"), derived))
    valid = (field("until") >= as_of()) & (field("status") == "valid")
    rules.add(
        # Reads no patched parameter itself: only the derived column differs.
        Variable("valid", any_of_rows("documents", valid)),
        Variable("until", max_of_rows("documents", field("until"), valid)),
        Variable("kind", value_at_max("documents", field("kind"), field("until"), valid)),
    )
    return rules


def _tables(person_ids: list[int], documents: list[dict]) -> dict[str, pl.DataFrame]:
    persons = pl.DataFrame(
        {"person_id": person_ids, "family_id": person_ids}, schema_overrides={"person_id": pl.Int64}
    )
    persons = persons.with_columns(
        pl.lit(None, dtype=TABLE_SCHEMAS["persons"][c]).alias(c)
        for c in TABLE_SCHEMAS["persons"]
        if c not in persons.columns
    )
    rows = [{c: row.get(c) for c in TABLE_SCHEMAS["documents"]} for row in documents]
    tables = {name: empty_table(name) for name in TABLE_SCHEMAS}
    tables["persons"] = persons.select(list(TABLE_SCHEMAS["persons"]))
    tables["documents"] = pl.DataFrame(rows, schema=TABLE_SCHEMAS["documents"])
    return tables


def _document(person_id: int, issued: dt.date, kind: str = "pdpdc", **extra) -> dict:
    return {"person_id": person_id, "kind": kind, "issued": issued, "status": "valid", **extra}


SCENARIOS = {"one_year": _store(1), "three_years": _store(3)}


def _evaluate(tables) -> pl.DataFrame:
    outputs = ("valid", "until", "kind")
    return evaluate_population(
        _rules(), tables, SCENARIOS, AS_OF, outputs, default_calendar()
    ).collect()


def test_a_scenario_differing_only_in_a_derived_column_is_computed_per_scenario():
    documents = [
        _document(1, dt.date(2025, 6, 1)),
        _document(2, dt.date(2024, 1, 1)),
        # A recorded expiry derives nothing: the same row under both scenarios.
        _document(3, dt.date(2024, 1, 1), expires=dt.date(2026, 12, 1)),
    ]
    tables = _tables([1, 2, 3], documents)
    result = _evaluate(tables)
    assert result["one_year.valid"].to_list() == [True, False, True]
    assert result["three_years.valid"].to_list() == [True, True, True]
    until = [dt.date(2028, 6, 1), dt.date(2027, 1, 1), dt.date(2026, 12, 1)]
    assert result["three_years.until"].to_list() == until
    facts = facts_from_tables(tables)
    for scenario, store in SCENARIOS.items():
        for row in result.iter_rows(named=True):
            one = Evaluation(_rules(), store, default_calendar(), facts[row["person_id"]], AS_OF)
            for output in ("valid", "until", "kind"):
                assert one.value(output) == row[f"{scenario}.{output}"]


def test_persons_keep_their_order_and_rows_of_unknown_persons_are_ignored():
    documents = [
        _document(7, dt.date(2026, 1, 1), kind="b"),
        _document(99, dt.date(2026, 1, 1)),  # no such person
        _document(3, dt.date(2026, 2, 1), kind="a"),
        _document(7, dt.date(2026, 1, 1), kind="c"),  # ties on the key: the larger kind
    ]
    result = _evaluate(_tables([7, 3, 5], documents))
    assert result["person_id"].to_list() == [7, 3, 5]
    assert result["one_year.valid"].to_list() == [True, True, False]
    assert result["one_year.kind"].to_list() == ["c", "a", None]


def test_a_person_id_twice_is_refused():
    with pytest.raises(EvaluationError, match="not unique"):
        _evaluate(_tables([1, 1], []))


def test_rows_find_their_persons_whatever_the_ids():
    documents = [
        _document(10, dt.date(2026, 1, 1), kind="a"),
        _document(10, dt.date(2026, 2, 1), kind="b"),
        _document(40, dt.date(2026, 3, 1), kind="c"),
        _document(50, dt.date(2026, 3, 1), kind="d"),  # no such person
    ]
    result = _evaluate(_tables([10, 20, 40], documents))  # sorted, with gaps
    assert result["one_year.kind"].to_list() == ["b", None, "c"]
    result = _evaluate(_tables([40, 10, 20], list(reversed(documents))))
    assert result["one_year.kind"].to_list() == ["c", "b", None]


def test_a_person_whose_nested_rows_change_under_a_scenario_is_evaluated_again():
    rules = _rules()
    ends = add_period(field("valid_from"), param("validity", on=field("valid_from")), "year")
    rules.add_row_variable("titles", "end", ends)
    title_lasting = any_of_rows("titles", field("end") >= outer("issued"))
    rules.add(
        Variable("backed", any_of_rows("documents", title_lasting & field("issued").is_not_null()))
    )
    # Person 1: a recorded expiry (a document row that no scenario changes) and a title whose
    # derived end does change. Person 2 only makes the documents table have changed rows.
    documents = [
        _document(1, dt.date(2026, 1, 1), expires=dt.date(2027, 1, 1)),
        _document(2, dt.date(2025, 6, 1)),
    ]
    tables = _tables([1, 2], documents)
    title = {"person_id": 1, "kind": "t", "ground": None, "valid_from": dt.date(2024, 1, 1)}
    tables["titles"] = pl.DataFrame([title | {"valid_to": None}], schema=TABLE_SCHEMAS["titles"])
    result = evaluate_population(
        rules, tables, SCENARIOS, AS_OF, ("backed",), default_calendar()
    ).collect()
    assert result["one_year.backed"].to_list() == [False, False]
    assert result["three_years.backed"].to_list() == [True, False]


def _card_rules() -> RuleSet:
    """A card without a recorded expiry ends with the title in force on its issue date; the
    title's own end is derived, and differs between the scenarios."""
    rules = RuleSet()
    ends = add_period(field("valid_from"), param("validity", on=field("valid_from")), "year")
    rules.add_row_variable("titles", "end", coalesce(field("valid_to"), ends))
    in_force = (field("valid_from") <= outer("issued")) & (field("end") >= outer("issued"))
    title_end = value_at_max("titles", field("end"), field("valid_from"), in_force)
    rules.add_row_variable("documents", "until", coalesce(field("expires"), title_end))
    rules.add(Variable("until", max_of_rows("documents", field("until"), lit(True))))
    return rules


def test_a_derived_column_can_look_up_the_title_in_force_when_the_row_was_issued():
    documents = [
        _document(1, dt.date(2025, 3, 1)),  # within the 2025 title: ends with it
        _document(1, dt.date(2020, 3, 1)),  # no title then: unknown
        _document(2, dt.date(2025, 3, 1), expires=dt.date(2026, 1, 1)),  # recorded
    ]
    tables = _tables([1, 2, 3], documents)
    titles = [
        {"person_id": 1, "kind": "t", "ground": None, "valid_from": dt.date(2025, 1, 1)},
        {"person_id": 2, "kind": "t", "ground": None, "valid_from": dt.date(2025, 1, 1)},
    ]
    tables["titles"] = pl.DataFrame(
        [title | {"valid_to": None} for title in titles], schema=TABLE_SCHEMAS["titles"]
    )
    rules = _card_rules()
    result = evaluate_population(
        rules, tables, SCENARIOS, AS_OF, ("until",), default_calendar()
    ).collect()
    assert result["one_year.until"].to_list() == [dt.date(2026, 1, 1), dt.date(2026, 1, 1), None]
    assert result["three_years.until"].to_list() == [dt.date(2028, 1, 1), dt.date(2026, 1, 1), None]
    facts = facts_from_tables(tables)
    for scenario, store in SCENARIOS.items():
        for row in result.iter_rows(named=True):
            one = Evaluation(rules, store, default_calendar(), facts[row["person_id"]], AS_OF)
            assert one.value("until") == row[f"{scenario}.until"]


def test_a_derived_column_may_not_read_a_family_aggregate():
    rules = RuleSet()
    with pytest.raises(RuleError, match="may not read"):
        rules.add_row_variable("documents", "x", family_any("child", lit(True)))


def test_the_asking_person_is_read_only_in_a_family_aggregates_value():
    # Outside a family aggregate no one asks: a variable or a derived column reading the
    # asker is refused when it is added, not when a population is evaluated.
    rules = RuleSet()
    covering = field("valid_from") <= asker("birth_date")
    with pytest.raises(RuleError, match="outside a family aggregate"):
        rules.add(Variable("x", any_of_rows("titles", covering)))
    with pytest.raises(RuleError, match="may not read"):
        rules.add_row_variable("documents", "x", asker("birth_date") <= field("issued"))
    rules.add(Variable("y", family_any("parent", any_of_rows("titles", covering))))
    assert "y" in rules.variables


def test_a_derived_column_may_not_nest_an_aggregate_in_an_aggregate():
    rules = RuleSet()
    titles_then = any_of_rows("titles", field("valid_from") <= outer("issued"))
    nested = any_of_rows("applications", titles_then)
    with pytest.raises(RuleError, match="nest one level only"):
        rules.add_row_variable("documents", "x", nested)


def _outer_filtered_rules() -> RuleSet:
    """Nested aggregates whose conditions partly read only the document (``outer``): those
    parts decide which documents get title pairs at all."""
    rules = RuleSet()
    card_without_expiry = (outer("kind") == "card") & outer("expires").is_null()
    title_then = field("valid_from") <= outer("issued")
    counted = count_rows("titles", card_without_expiry & (param("validity") >= 1) & title_then)
    not_lost = ~(outer("status") == "lost")
    latest = max_of_rows("titles", field("valid_from"), title_then & not_lost)
    rules.add(
        Variable("n", sum_of_rows("documents", counted, lit(True))),
        Variable("m", max_of_rows("documents", latest, lit(True))),
        Variable("any", any_of_rows("documents", counted >= 1)),
    )
    return rules


def test_outer_only_conditions_of_a_nested_aggregate_give_the_one_person_answers():
    documents = [
        _document(1, dt.date(2025, 3, 1), kind="card"),
        _document(1, dt.date(2025, 3, 1), kind=None),
        _document(2, dt.date(2025, 3, 1), kind="card", expires=dt.date(2027, 1, 1)),
        _document(2, dt.date(2025, 4, 1), kind="card", status="lost"),
        _document(3, dt.date(2025, 3, 1), kind="pdpdc"),
        _document(3, dt.date(2025, 3, 1), kind="card", status=None),
    ]
    tables = _tables([1, 2, 3], documents)
    titles = [
        {"person_id": p, "kind": "t", "ground": None, "valid_from": dt.date(2025, 1, 1)}
        for p in (1, 2, 3)
    ]
    tables["titles"] = pl.DataFrame(
        [title | {"valid_to": None} for title in titles], schema=TABLE_SCHEMAS["titles"]
    )
    outputs = ("n", "m", "any")
    result = evaluate_population(
        _outer_filtered_rules(), tables, SCENARIOS, AS_OF, outputs, default_calendar()
    ).collect()
    assert result["one_year.n"].to_list() == [1, 1, 1]  # the cards without an expiry
    facts = facts_from_tables(tables)
    for scenario, store in SCENARIOS.items():
        for row in result.iter_rows(named=True):
            one = Evaluation(
                _outer_filtered_rules(), store, default_calendar(), facts[row["person_id"]], AS_OF
            )
            for output in outputs:
                assert one.value(output) == row[f"{scenario}.{output}"], (row, output)


def test_only_the_conditions_on_the_outer_row_are_pushed_down():
    where = (outer("kind") == "card") & (field("valid_from") <= outer("issued"))
    assert outer_conjuncts(where) == (field("kind") == "card")
    assert outer_conjuncts(field("valid_from") <= outer("issued")) is None


def test_derived_columns_that_look_up_each_others_tables_are_added_in_order():
    # documents.until reads titles.end, itself derived by looking up the applications: the
    # titles' column must exist before the documents' is worked out, whatever the table order.
    rules = RuleSet()
    decided = max_of_rows("applications", field("filed"), field("filed") >= outer("valid_from"))
    rules.add_row_variable("titles", "end", coalesce(field("valid_to"), decided))
    covering = field("valid_from") <= outer("issued")
    rules.add_row_variable(
        "documents",
        "until",
        coalesce(
            field("expires"), value_at_max("titles", field("end"), field("valid_from"), covering)
        ),
    )
    rules.add(Variable("until", max_of_rows("documents", field("until"), lit(True))))
    tables = _tables([1], [_document(1, dt.date(2025, 3, 1))])
    title = {"person_id": 1, "kind": "t", "ground": None, "valid_from": dt.date(2025, 1, 1)}
    tables["titles"] = pl.DataFrame([title | {"valid_to": None}], schema=TABLE_SCHEMAS["titles"])
    application = {c: None for c in TABLE_SCHEMAS["applications"]}
    application |= {"person_id": 1, "kind": "temporary_residence", "filed": dt.date(2026, 2, 2)}
    tables["applications"] = pl.DataFrame([application], schema=TABLE_SCHEMAS["applications"])
    result = evaluate_population(
        rules, tables, SCENARIOS, AS_OF, ("until",), default_calendar()
    ).collect()
    assert result["one_year.until"].to_list() == [dt.date(2026, 2, 2)]
    facts = facts_from_tables(tables)
    one = Evaluation(rules, SCENARIOS["one_year"], default_calendar(), facts[1], AS_OF)
    assert one.value("until") == dt.date(2026, 2, 2)


def test_a_derived_column_reading_a_dated_one_elsewhere_is_worked_out_again_on_another_date():
    # titles.current reads the date; documents.backed looks it up: on another date the
    # one-person back-end must not reuse the documents' derived column.
    rules = RuleSet()
    rules.add_row_variable("titles", "current", coalesce(field("valid_to"), FAR_FUTURE) >= as_of())
    rules.add_row_variable(
        "documents",
        "backed",
        any_of_rows("titles", field("current") & (field("valid_from") <= outer("issued"))),
    )
    rules.add(Variable("backed", any_of_rows("documents", field("backed"))))
    tables = _tables([1], [_document(1, dt.date(2025, 3, 1))])
    title = {"person_id": 1, "kind": "t", "ground": None, "valid_from": dt.date(2025, 1, 1)}
    ending = dt.date(2026, 1, 1)
    tables["titles"] = pl.DataFrame([title | {"valid_to": ending}], schema=TABLE_SCHEMAS["titles"])
    facts = facts_from_tables(tables)[1]
    before = Evaluation(
        rules, SCENARIOS["one_year"], default_calendar(), facts, dt.date(2025, 6, 1)
    )
    assert before.value("backed") is True
    assert before.at(dt.date(2026, 6, 1)).value("backed") is False


def test_a_document_of_unrecorded_kind_leaves_the_kind_to_the_documents_that_have_one():
    documents = [
        _document(1, dt.date(2025, 6, 1), kind="pdpdc"),
        _document(1, dt.date(2026, 1, 1), kind=None),  # the latest, but of no recorded kind
        _document(2, dt.date(2026, 1, 1), kind=None),
    ]
    tables = _tables([1, 2], documents)
    result = _evaluate(tables)
    assert result["three_years.kind"].to_list() == ["pdpdc", None]
    facts = facts_from_tables(tables)
    for row in result.iter_rows(named=True):
        one = Evaluation(
            _rules(), SCENARIOS["three_years"], default_calendar(), facts[row["person_id"]], AS_OF
        )
        assert one.value("kind") == row["three_years.kind"]


def _chain_rules() -> RuleSet:
    """A document is "linked" when issued while an earlier linked document of the person was
    valid; the first link is a document issued in 2020. Two steps follow the chain, each a
    derived column looking up the person's other documents' previous step."""
    rules = RuleSet()
    rules.add_row_variable(
        "documents",
        "step0",
        cases(
            case("first", field("issued") <= lit(dt.date(2020, 12, 31)), lit(True)),
            otherwise=lit(None),
        ),
    )
    for depth in (1, 2):
        previous = f"step{depth - 1}"
        covered = any_of_rows(
            "documents",
            field(previous).is_true()
            & (field("issued") <= outer("issued"))
            & (field("expires") >= outer("issued")),
        )
        then = cases(case("covered", covered, lit(True)), otherwise=lit(None))
        rules.add_row_variable("documents", f"step{depth}", coalesce(field(previous), then))
    rules.add(Variable("links", count_rows("documents", field("step2").is_true())))
    return rules


def test_a_chain_of_derived_columns_follows_the_persons_own_rows_step_by_step():
    documents = [
        # Person 1: a chain of three documents, each issued while the one before was valid.
        _document(1, dt.date(2020, 6, 1), expires=dt.date(2022, 1, 1)),
        _document(1, dt.date(2021, 6, 1), expires=dt.date(2023, 1, 1)),
        _document(1, dt.date(2022, 6, 1), expires=dt.date(2024, 1, 1)),
        # Person 2: a gap breaks the chain after the first document.
        _document(2, dt.date(2020, 6, 1), expires=dt.date(2021, 1, 1)),
        _document(2, dt.date(2021, 6, 1), expires=dt.date(2023, 1, 1)),
        # Person 3: a chain of four: two steps reach the third document, not the fourth.
        _document(3, dt.date(2020, 6, 1), expires=dt.date(2022, 1, 1)),
        _document(3, dt.date(2021, 6, 1), expires=dt.date(2023, 1, 1)),
        _document(3, dt.date(2022, 6, 1), expires=dt.date(2024, 1, 1)),
        _document(3, dt.date(2023, 6, 1), expires=dt.date(2025, 1, 1)),
    ]
    tables = _tables([1, 2, 3], documents)
    rules = _chain_rules()
    result = evaluate_population(
        rules, tables, {"only": _store(1)}, AS_OF, ("links",), default_calendar()
    ).collect()
    assert result["only.links"].to_list() == [3, 1, 3]
    facts = facts_from_tables(tables)
    for row in result.iter_rows(named=True):
        one = Evaluation(rules, _store(1), default_calendar(), facts[row["person_id"]], AS_OF)
        assert one.value("links") == row["only.links"]


def test_a_derived_column_may_not_look_up_its_own_value_in_other_rows():
    rules = RuleSet()
    itself = any_of_rows("documents", field("linked").is_true())
    with pytest.raises(RuleError, match="its own value"):
        rules.add_row_variable("documents", "linked", itself)


def test_a_parameter_read_on_each_rows_date_takes_the_value_in_force_on_that_date():
    """Read on the issue date: the later value replaces the earlier from its start, and after
    the last value ended none is in force (both back-ends)."""
    base = {"reference": REFERENCE, "confidence": "high"}
    values = [
        {"valid_from": dt.date(2000, 1, 1), "value": 1, **base},
        {"valid_from": dt.date(2010, 1, 1), "valid_to": dt.date(2019, 12, 31), "value": 2, **base},
    ]
    store = parse_parameters(
        {"validity": {"description": "validity", "unit": "year", "values": values}}, source="test"
    )
    documents = [
        _document(1, dt.date(2005, 3, 1)),
        _document(2, dt.date(2015, 3, 1)),
        _document(3, dt.date(2021, 3, 1)),
    ]
    tables = _tables([1, 2, 3], documents)
    rules = RuleSet()
    derived = add_period(field("issued"), param("validity", on=field("issued")), "year")
    rules.add_row_variable("documents", "until", derived)
    rules.add(Variable("until", max_of_rows("documents", field("until"), lit(True))))
    result = evaluate_population(
        rules, tables, {"only": store}, AS_OF, ("until",), default_calendar()
    ).collect()
    assert result["only.until"].to_list() == [dt.date(2006, 3, 1), dt.date(2017, 3, 1), None]
    facts = facts_from_tables(tables)
    for row in result.iter_rows(named=True):
        one = Evaluation(rules, store, default_calendar(), facts[row["person_id"]], AS_OF)
        assert one.value("until") == row["only.until"]


@pytest.mark.parametrize("kinds", [["a", "b", "a"], ["b", "b", "b"], []])
def test_a_derived_column_given_only_where_its_case_holds_is_null_elsewhere(kinds):
    """``cases(case(…, when, then), otherwise=None)`` is computed on the rows ``when`` picks
    only (with the lookups ``then`` makes for them): the same values, row for row, as the
    one-person back-end, whether some, none or no rows at all are picked."""
    rules = RuleSet()
    earlier_of_kind = max_of_rows(
        "documents",
        field("issued"),
        (field("kind") == outer("kind")) & (field("issued") < outer("issued")),
    )
    only_a = cases(case("a", field("kind") == "a", earlier_of_kind), otherwise=lit(None))
    rules.add_row_variable("documents", "earlier_a", only_a)
    rules.add(Variable("latest_earlier_a", max_of_rows("documents", field("earlier_a"), lit(True))))
    issued = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    documents = [_document(1, day, kind=kind) for day, kind in zip(issued, kinds, strict=False)]
    tables = _tables([1], documents)
    result = evaluate_population(
        rules, tables, {"one_year": _store(1)}, AS_OF, ("latest_earlier_a",), default_calendar()
    ).collect()
    one = Evaluation(rules, _store(1), default_calendar(), facts_from_tables(tables)[1], AS_OF)
    expected = dt.date(2025, 1, 1) if kinds == ["a", "b", "a"] else None
    assert one.value("latest_earlier_a") == expected
    assert result["one_year.latest_earlier_a"].to_list() == [expected]


def test_an_empty_list_of_codes_or_windows_answers_no_in_both_back_ends():
    # A parameter may list no codes or no windows (a reform lifting every window): a known
    # value is then in none of them ("no"), an unknown day stays unknown (citizenships not
    # recorded are read as none: "no" too).
    rules = RuleSet()
    rules.add(
        Variable("any_citizenship", field("citizenships").contains_any(lit(()))),
        Variable("born_in_a_window", in_windows(field("birth_date"), lit(()))),
    )
    tables = _tables([1, 2], [])
    tables["persons"] = tables["persons"].with_columns(
        pl.Series("citizenships", [["BY"], None], dtype=pl.List(pl.String)),
        pl.Series("birth_date", [dt.date(1990, 3, 14), None], dtype=pl.Date),
    )
    outputs = ("any_citizenship", "born_in_a_window")
    result = evaluate_population(
        rules, tables, {"s": _store(1)}, AS_OF, outputs, default_calendar()
    ).collect()
    assert result["s.any_citizenship"].to_list() == [False, False]
    assert result["s.born_in_a_window"].to_list() == [False, None]
    facts = facts_from_tables(tables)
    for row in result.iter_rows(named=True):
        one = Evaluation(rules, _store(1), default_calendar(), facts[row["person_id"]], AS_OF)
        assert [one.value(name) for name in outputs] == [row[f"s.{name}"] for name in outputs]


def test_a_window_includes_its_first_and_last_day_in_both_back_ends():
    windows = ((dt.date(2025, 3, 1), dt.date(2025, 3, 31)),)
    rules = RuleSet()
    rules.add(Variable("born_in_the_window", in_windows(field("birth_date"), lit(windows))))
    days = [dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2025, 3, 31), dt.date(2025, 4, 1)]
    tables = _tables([1, 2, 3, 4], [])
    tables["persons"] = tables["persons"].with_columns(pl.Series("birth_date", days))
    result = evaluate_population(
        rules, tables, {"s": _store(1)}, AS_OF, ("born_in_the_window",), default_calendar()
    ).collect()
    assert result["s.born_in_the_window"].to_list() == [False, True, True, False]
    facts = facts_from_tables(tables)
    for row in result.iter_rows(named=True):
        one = Evaluation(rules, _store(1), default_calendar(), facts[row["person_id"]], AS_OF)
        assert one.value("born_in_the_window") == row["s.born_in_the_window"]


def _kinds_store(kinds: list[str]):
    value = {"valid_from": dt.date(2000, 1, 1), "value": kinds}
    spec = {
        "kinds": {
            "description": "kinds",
            "unit": "codes",
            "values": [value | {"reference": REFERENCE, "confidence": "high"}],
        }
    }
    return parse_parameters(spec, source="test")


def test_a_lookup_reading_a_parameter_the_scenarios_set_apart_is_computed_per_scenario():
    # Identical lookups are computed once; one that reads a parameter with another value
    # under another scenario is not the same lookup there.
    rules = RuleSet()
    rules.add(Variable("holds", any_of_rows("documents", field("kind").is_in(param("kinds")))))
    tables = _tables(
        [1, 2], [_document(1, dt.date(2025, 6, 1)), _document(2, dt.date(2025, 6, 1), kind="other")]
    )
    scenarios = {"pdpdc": _kinds_store(["pdpdc"]), "other": _kinds_store(["other"])}
    result = evaluate_population(
        rules, tables, scenarios, AS_OF, ("holds",), default_calendar()
    ).collect()
    assert result["pdpdc.holds"].to_list() == [True, False]
    assert result["other.holds"].to_list() == [False, True]


def test_lookups_differing_only_in_a_period_unit_are_two_lookups():
    rules = RuleSet()
    issued = field("issued")
    rules.add(
        Variable(
            "month_on", max_of_rows("documents", add_period(issued, lit(1), "month"), lit(True))
        ),
        Variable(
            "year_on", max_of_rows("documents", add_period(issued, lit(1), "year"), lit(True))
        ),
    )
    tables = _tables([1], [_document(1, dt.date(2025, 6, 1))])
    outputs = ("month_on", "year_on")
    result = evaluate_population(
        rules, tables, {"s": _store(1)}, AS_OF, outputs, default_calendar()
    ).collect()
    assert result["s.month_on"].to_list() == [dt.date(2025, 7, 1)]
    assert result["s.year_on"].to_list() == [dt.date(2026, 6, 1)]


def test_lookups_differing_only_in_a_literals_type_are_two_lookups():
    # 1 and True are equal in Python: an answer must keep its own type all the same.
    rules = RuleSet()
    rules.add(
        Variable("number", max_of_rows("documents", lit(1), lit(True))),
        Variable("truth", max_of_rows("documents", lit(True), lit(True))),
    )
    tables = _tables([1], [_document(1, dt.date(2025, 6, 1))])
    result = evaluate_population(
        rules, tables, {"s": _store(1)}, AS_OF, ("number", "truth"), default_calendar()
    ).collect()
    assert result.schema["s.number"].is_integer()
    assert result.schema["s.truth"] == pl.Boolean


def test_a_parameter_not_yet_in_force_is_unknown_of_its_own_type():
    # Written to Parquet, a column of nulls of no type would lose what the answer is.
    value = {"valid_from": AS_OF + dt.timedelta(days=1), "value": dt.date(2030, 1, 1)}
    spec = {
        "later": {
            "description": "a day set by a law not yet in force",
            "unit": "date",
            "values": [value | {"reference": REFERENCE, "confidence": "high"}],
        }
    }
    rules = RuleSet()
    rules.add(Variable("later", param("later")))
    store = parse_parameters(spec, source="test")
    result = evaluate_population(
        rules, _tables([1], []), {"s": store}, AS_OF, ("later",), default_calendar()
    ).collect()
    assert result["s.later"].to_list() == [None]
    assert result.schema["s.later"] == pl.Date


def test_days_added_past_the_calendars_end_stop_at_its_last_day_in_both_back_ends():
    # 9999-12-31 is the engine's "never": a day count past it saturates there, not overflows.
    rules = RuleSet()
    rules.add(Variable("later", max_of_rows("documents", add_days(field("issued"), 10), lit(True))))
    tables = _tables([1], [_document(1, dt.date(9999, 12, 25))])
    result = evaluate_population(
        rules, tables, {"s": _store(1)}, AS_OF, ("later",), default_calendar()
    ).collect()
    assert result["s.later"].to_list() == [FAR_FUTURE]
    facts = facts_from_tables(tables)
    one = Evaluation(rules, _store(1), default_calendar(), facts[1], AS_OF)
    assert one.value("later") == FAR_FUTURE
