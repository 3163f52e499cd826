"""Parameter files: every value dated, referenced and rated, or the whole file is refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from legalstay.engine.errors import ParameterError, ScenarioError
from legalstay.engine.parameters import Reference, load_parameter_file, parse_parameters
from legalstay.engine.scenarios import load_scenario

VALIDITY = {
    "pl.uoc.pdpdc.validity": {
        "description": "Validity of a PDPdC",
        "unit": "year",
        "values": [
            {
                "valid_from": dt.date(2014, 5, 1),
                "value": 1,
                "confidence": "high",
                "reference": {"act": "UoC", "article": "253", "paragraph": "2"},
            },
        ],
    }
}


def parse(spec, **options):
    return parse_parameters(spec, source="test.yaml", **options)


def with_value(**changes):
    value = {**VALIDITY["pl.uoc.pdpdc.validity"]["values"][0], **changes}
    return {"pl.uoc.pdpdc.validity": {**VALIDITY["pl.uoc.pdpdc.validity"], "values": [value]}}


def test_a_complete_value_is_read_with_its_citation():
    store = parse(VALIDITY)
    value = store.at("pl.uoc.pdpdc.validity", dt.date(2026, 1, 1))
    assert value is not None and value.value == 1
    assert value.reference.citation() == "UoC art. 253 ust. 2"


def test_an_article_not_verified_reads_as_such_with_the_references_note():
    # The 2023 regulation is the act; which of its paragraphs names Belarus is not known.
    reference = Reference(
        act="Rozporządzenie MSWiA z 28 czerwca 2023 r.",
        article="not verified",
        note="the paragraph naming Belarus is not in the research",
    )
    assert reference.citation() == (
        "Rozporządzenie MSWiA z 28 czerwca 2023 r. article not verified "
        "(the paragraph naming Belarus is not in the research)"
    )


def test_nothing_is_in_force_before_the_first_valid_from():
    assert parse(VALIDITY).at("pl.uoc.pdpdc.validity", dt.date(2014, 4, 30)) is None


def test_after_a_last_value_that_ended_nothing_is_in_force_not_an_earlier_value():
    """A window set until 30 Jun 2026 with no later one known: on 1 Jul 2026 the value is
    unknown, never the earlier window brought back."""
    first = {**VALIDITY["pl.uoc.pdpdc.validity"]["values"][0], "value": 1}
    last = {
        **first,
        "valid_from": dt.date(2020, 1, 1),
        "valid_to": dt.date(2026, 6, 30),
        "value": 3,
    }
    spec = {"pl.uoc.pdpdc.validity": {**VALIDITY["pl.uoc.pdpdc.validity"], "values": [first, last]}}
    store = parse(spec)
    assert store.at("pl.uoc.pdpdc.validity", dt.date(2019, 12, 31)).value == 1
    assert store.at("pl.uoc.pdpdc.validity", dt.date(2026, 6, 30)).value == 3
    assert store.at("pl.uoc.pdpdc.validity", dt.date(2026, 7, 1)) is None


@pytest.mark.parametrize("missing", ["valid_from", "value", "reference", "confidence"])
def test_a_value_lacking_a_required_field_is_refused(missing):
    spec = with_value()
    del spec["pl.uoc.pdpdc.validity"]["values"][0][missing]
    with pytest.raises(ParameterError, match=missing):
        parse(spec)


def test_a_reference_without_an_article_is_refused():
    with pytest.raises(ParameterError, match="article"):
        parse(with_value(reference={"act": "UoC"}))


def test_an_unknown_confidence_is_refused():
    with pytest.raises(ParameterError, match="confidence"):
        parse(with_value(confidence="sure"))


def test_a_value_that_does_not_fit_its_unit_is_refused():
    with pytest.raises(ParameterError, match="unit year"):
        parse(with_value(value="one"))


def test_overlapping_values_are_refused():
    spec = with_value()
    values = spec["pl.uoc.pdpdc.validity"]["values"]
    values[0]["valid_to"] = dt.date(2030, 1, 1)
    values.append({**values[0], "valid_from": dt.date(2026, 1, 1), "valid_to": None})
    with pytest.raises(ParameterError, match="overlap"):
        parse(spec)


def test_a_proposed_value_is_refused_in_a_baseline_file():
    with pytest.raises(ParameterError, match="proposed"):
        parse(with_value(status="proposed"))


def test_a_file_with_one_bad_parameter_is_refused_whole(tmp_path: Path):
    spec = {**VALIDITY, "broken": {"description": "x", "unit": "day", "values": [{}]}}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"p\.yaml"):
        load_parameter_file(path)


def test_a_patch_takes_effect_from_its_date_and_keeps_the_past(tmp_path: Path):
    baseline = parse(VALIDITY)
    path = tmp_path / "reform.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "reform",
                "patches": {
                    "pl.uoc.pdpdc.validity": [
                        {
                            "valid_from": "2026-01-01",
                            "value": 3,
                            "status": "proposed",
                            "confidence": "not_verified",
                            "reference": {"act": "proposal", "article": "1"},
                        }
                    ]
                },
            }
        ),
        encoding="utf-8",
    )
    patched = load_scenario(path, baseline).apply(baseline)
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2025, 12, 31)).value == 1
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2026, 1, 1)).value == 3


def test_a_scenario_patching_an_unknown_parameter_is_refused(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump({"name": "bad", "patches": {"no.such.parameter": []}}), encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match=r"no\.such\.parameter"):
        load_scenario(path, parse(VALIDITY))


# ---------------------------------------------------------------- what a file must not say


def load_text(tmp_path: Path, text: str) -> object:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return load_parameter_file(path)


PARAMETER_TEXT = """\
pl.uoc.pdpdc.validity:
  description: Validity of a PDPdC
  unit: year
  values:
    - valid_from: {valid_from}
      value: {value}
      reference: {{act: UoC, article: "253", paragraph: "2"}}
      confidence: high
"""


def test_a_parameter_written_twice_in_one_file_is_refused_not_read_as_the_last(tmp_path: Path):
    text = PARAMETER_TEXT.format(valid_from="2014-05-01", value=1)
    with pytest.raises(ParameterError, match="written twice"):
        load_text(tmp_path, text + text.replace("value: 1", "value: 3"))


def test_a_day_that_does_not_exist_is_refused_with_its_file_not_a_traceback(tmp_path: Path):
    text = PARAMETER_TEXT.format(valid_from="2026-02-30", value=1)
    with pytest.raises(ParameterError, match=r"p\.yaml.*'2026-02-30' is not a day of the calendar"):
        load_text(tmp_path, text)


@pytest.mark.parametrize("written", ["'2026-02-30'", "'20260101'", "'2026-W01-1'"])
def test_a_date_in_quotes_must_be_a_real_day_written_yyyy_mm_dd(written):
    with pytest.raises(ParameterError, match="valid_from"):
        parse(with_value(valid_from=yaml.safe_load(written)))


def test_a_date_parameter_holding_a_time_of_day_is_refused():
    spec = {
        "p.deadline": {
            "description": "a deadline",
            "unit": "date",
            "values": [{**with_value()["pl.uoc.pdpdc.validity"]["values"][0]}],
        }
    }
    spec["p.deadline"]["values"][0]["value"] = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)
    with pytest.raises(ParameterError, match="does not fit unit date"):
        parse(spec)


def test_a_value_cannot_carry_a_unit_other_than_its_parameters():
    # 36 months under a parameter the rules read in years would be 36 years.
    with pytest.raises(ParameterError, match=r"unknown keys.*unit"):
        parse(with_value(value=36, unit="month"))


def test_a_negative_period_is_refused():
    with pytest.raises(ParameterError, match="negative"):
        parse(with_value(value=-1))


@pytest.mark.parametrize("key", ["valid_to", "confidence"])
def test_a_key_beside_a_parameters_values_that_would_do_nothing_is_refused(key):
    spec = with_value()
    spec["pl.uoc.pdpdc.validity"][key] = "high"
    with pytest.raises(ParameterError, match="unknown keys"):
        parse(spec)


@pytest.mark.parametrize("article", ["  ", ["253", "254"], True])
def test_an_article_that_is_not_text_is_refused(article):
    reference = {"act": "UoC", "article": article}
    with pytest.raises(ParameterError, match="article"):
        parse(with_value(reference=reference))


# ---------------------------------------------------------------- scenarios


def write_scenario(tmp_path: Path, scenario: object) -> Path:
    path = tmp_path / "reform.yaml"
    text = scenario if isinstance(scenario, str) else yaml.safe_dump(scenario)
    path.write_text(text, encoding="utf-8")
    return path


THREE_YEARS = {
    "valid_from": "2026-01-01",
    "value": 3,
    "status": "proposed",
    "confidence": "not_verified",
    "reference": {"act": "proposal", "article": "1"},
}


def test_a_misspelt_patches_key_is_refused_not_read_as_the_baseline(tmp_path: Path):
    path = write_scenario(
        tmp_path, {"name": "reform", "pathces": {"pl.uoc.pdpdc.validity": [THREE_YEARS]}}
    )
    with pytest.raises(ScenarioError, match=r"unknown keys.*pathces"):
        load_scenario(path, parse(VALIDITY))


def test_a_scenario_that_is_not_yaml_is_refused_with_its_file(tmp_path: Path):
    with pytest.raises(ScenarioError, match=r"reform\.yaml: is not valid YAML"):
        load_scenario(write_scenario(tmp_path, "name: x\npatches: [\n"), parse(VALIDITY))


def test_a_patch_that_does_not_say_whether_it_is_law_or_a_proposal_is_refused(tmp_path: Path):
    unmarked = {key: value for key, value in THREE_YEARS.items() if key != "status"}
    path = write_scenario(
        tmp_path, {"name": "reform", "patches": {"pl.uoc.pdpdc.validity": [unmarked]}}
    )
    with pytest.raises(ScenarioError, match="lacks 'status'"):
        load_scenario(path, parse(VALIDITY))


def test_after_a_patch_that_ends_the_baseline_is_in_force_again(tmp_path: Path):
    one_year = {**THREE_YEARS, "valid_to": "2026-12-31"}
    path = write_scenario(
        tmp_path, {"name": "reform", "patches": {"pl.uoc.pdpdc.validity": [one_year]}}
    )
    baseline = parse(VALIDITY)
    patched = load_scenario(path, baseline).apply(baseline)
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2025, 12, 31)).value == 1
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2026, 12, 31)).value == 3
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2027, 1, 1)).value == 1


def test_two_scenario_files_giving_one_name_are_refused():
    from legalstay.engine.scenarios import Scenario
    from legalstay.rulebook import scenarios_by_name

    baseline = Scenario("pl-baseline", "law", "")
    impostor = Scenario("pl-baseline", "a typo", "")
    with pytest.raises(ScenarioError, match=r"'pl-baseline' is already baseline\.yaml's"):
        scenarios_by_name([("baseline.yaml", baseline), ("zz.yaml", impostor)])


def test_an_eu_acts_paragraph_is_cited_in_brackets_not_as_a_polish_ustep():
    decision = Reference(act="Decision No 1105/2011/EU", article="1", paragraph="3")
    assert decision.citation() == "Decision No 1105/2011/EU art. 1(3)"


# ---------------------------------------------------------------- values' days and kinds


def with_values(*values):
    return {"pl.uoc.pdpdc.validity": {**VALIDITY["pl.uoc.pdpdc.validity"], "values": list(values)}}


def value_from(valid_from, valid_to=None, value=1):
    first = VALIDITY["pl.uoc.pdpdc.validity"]["values"][0]
    return {**first, "valid_from": valid_from, "valid_to": valid_to, "value": value}


def test_two_values_from_the_same_day_are_refused_not_read_as_the_second():
    same_day = with_values(
        value_from(dt.date(2020, 1, 1)), value_from(dt.date(2020, 1, 1), value=3)
    )
    with pytest.raises(ParameterError, match="in order of valid_from"):
        parse(same_day)


def test_a_value_ending_on_the_day_the_next_starts_is_refused_as_overlapping():
    touching = with_values(
        value_from(dt.date(2020, 1, 1), dt.date(2021, 1, 1)), value_from(dt.date(2021, 1, 1))
    )
    with pytest.raises(ParameterError, match="overlap at 2021-01-01"):
        parse(touching)


def test_a_value_in_force_for_one_day_is_read_and_in_force_that_day_only():
    day = dt.date(2018, 11, 12)  # a one-day holiday, say
    store = parse(with_values(value_from(day, day, value=3)))
    assert store.at("pl.uoc.pdpdc.validity", day).value == 3
    assert store.at("pl.uoc.pdpdc.validity", day + dt.timedelta(days=1)) is None


def test_a_value_ending_before_it_starts_is_refused():
    with pytest.raises(ParameterError, match="before valid_from"):
        parse(with_values(value_from(dt.date(2020, 1, 2), dt.date(2020, 1, 1))))


def test_a_boolean_is_refused_where_a_count_is_read_not_taken_as_one():
    with pytest.raises(ParameterError, match="is a boolean, unit is year"):
        parse(with_value(value=True))


def test_a_period_of_zero_is_read():
    assert parse(with_value(value=0)).at("pl.uoc.pdpdc.validity", dt.date(2026, 1, 1)).value == 0


def test_a_valid_from_holding_a_time_of_day_is_refused_naming_the_field():
    with pytest.raises(ParameterError, match=r"values\[0\]\.valid_from.*YYYY-MM-DD"):
        parse(with_value(valid_from=dt.datetime(2020, 1, 1, 10, 0, tzinfo=dt.UTC)))


def one_parameter(unit, value):
    first = VALIDITY["pl.uoc.pdpdc.validity"]["values"][0]
    return {"p.x": {"description": "x", "unit": unit, "values": [{**first, "value": value}]}}


def test_an_unknown_unit_is_refused_naming_it():
    with pytest.raises(ParameterError, match="unit 'days' is not one of day, week"):
        parse(one_parameter("days", 14))


def test_codes_that_are_not_text_are_refused():
    with pytest.raises(ParameterError, match="codes must be a list of strings"):
        parse(one_parameter("codes", [1, 2]))


@pytest.mark.parametrize(
    ("unit", "value"), [("ratio", float("nan")), ("ratio", float("inf")), ("PLN", -776)]
)
def test_a_ratio_or_an_amount_that_no_law_sets_is_refused(unit, value):
    with pytest.raises(ParameterError, match="not a finite amount"):
        parse(one_parameter(unit, value))


def test_a_ratio_and_an_amount_of_money_are_read():
    assert parse(one_parameter("ratio", 0.5)).at("p.x", dt.date(2020, 1, 1)).value == 0.5
    assert parse(one_parameter("PLN", 440)).at("p.x", dt.date(2020, 1, 1)).value == 440


def window(start, end):
    return {"from": start, "to": end}


def test_an_application_window_of_one_day_is_read():
    day = dt.date(2024, 3, 1)
    store = parse(one_parameter("windows", [window(day, day)]))
    assert store.at("p.x", dt.date(2024, 3, 1)).value == [(day, day)]


def test_an_application_window_ending_before_it_starts_is_refused():
    with pytest.raises(ParameterError, match="window ends"):
        parse(one_parameter("windows", [window(dt.date(2024, 3, 1), dt.date(2024, 2, 1))]))


@pytest.mark.parametrize("description", ["", " "])
def test_a_parameter_without_a_description_is_refused(description):
    spec = {**VALIDITY["pl.uoc.pdpdc.validity"], "description": description}
    with pytest.raises(ParameterError, match="'description' must be text"):
        parse({"pl.uoc.pdpdc.validity": spec})


def test_a_parameter_without_values_is_refused():
    with pytest.raises(ParameterError, match="'values' must be a non-empty list"):
        parse(with_values())


def test_a_parameter_defined_in_two_files_is_refused_not_read_as_the_second():
    with pytest.raises(ParameterError, match="is defined in two files"):
        parse(VALIDITY).merged(parse(with_value(value=3)))


def test_the_day_after_a_value_ends_is_when_the_law_changes():
    ended = with_values(
        value_from(dt.date(2014, 5, 1), dt.date(2022, 1, 28)), value_from(dt.date(2024, 1, 1))
    )
    parameter = parse(ended)["pl.uoc.pdpdc.validity"]
    assert list(parameter.change_dates()) == [
        dt.date(2014, 5, 1),
        dt.date(2022, 1, 29),
        dt.date(2024, 1, 1),
    ]


def patch(valid_from, valid_to):
    proposed = parse(with_value(value=9)).at("pl.uoc.pdpdc.validity", valid_from)
    return replace(proposed, valid_from=valid_from, valid_to=valid_to, status="proposed")


def test_a_baseline_value_outlasting_a_patch_by_one_day_is_in_force_that_day():
    baseline = parse(
        with_values(
            value_from(dt.date(2020, 1, 1), dt.date(2025, 1, 1)),
            value_from(dt.date(2025, 1, 2), value=2),
        )
    )
    patched = baseline.patched(
        {"pl.uoc.pdpdc.validity": [patch(dt.date(2024, 1, 1), dt.date(2024, 12, 31))]}
    )
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2024, 12, 31)).value == 9
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2025, 1, 1)).value == 1
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2025, 1, 2)).value == 2


def test_a_baseline_value_starting_after_a_patch_ends_keeps_its_own_start():
    baseline = parse(
        with_values(value_from(dt.date(2020, 1, 1)), value_from(dt.date(2026, 1, 1), value=2))
    )
    patched = baseline.patched(
        {"pl.uoc.pdpdc.validity": [patch(dt.date(2024, 1, 1), dt.date(2024, 12, 31))]}
    )
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2025, 6, 1)).value == 1
    assert patched.at("pl.uoc.pdpdc.validity", dt.date(2026, 1, 1)).value == 2


@pytest.mark.parametrize("act", ["KPA", "Kodeks cywilny"])
def test_a_codes_paragraph_is_cited_with_the_section_sign(act):
    assert Reference(act=act, article="57", paragraph="4").citation() == f"{act} art. 57 § 4"
