"""JSON-stat 2.0: dense and sparse values, the three forms of status, category order."""

import json
from importlib import resources
from typing import Any

import polars as pl
import pytest

from legalstay.stats import (
    ParsedFile,
    StatsFormatError,
    parse_observations,
    read_observations,
    write_jsonstat,
)


def shipped(name: str) -> bytes:
    return resources.files("legalstay.stats").joinpath("data").joinpath(name).read_bytes()


def parse(document: dict[str, Any]) -> ParsedFile:
    return parse_observations(json.dumps(document).encode(), name="x.json")


def cube(**changes: Any) -> dict[str, Any]:
    document = {
        "version": "2.0",
        "class": "dataset",
        "id": ["geo", "time"],
        "size": [2, 2],
        "dimension": {
            "geo": {"category": {"index": ["PL", "LT"]}},
            "time": {"category": {"index": {"2023": 0, "2024": 1}}},
        },
        "value": [1, 2, 3, None],
        "extension": {"id": "MIGR_RESVALID"},
    }
    return {**document, **changes}


def test_the_eurostat_api_response_reads_with_its_dataset_and_update_stamp():
    parsed = parse_observations(shipped("eurostat_migr_resvalid_BY.json"), name="r.json")
    assert (parsed.format, parsed.dataset) == ("json-stat-2.0", "migr_resvalid")
    assert parsed.observations.height == 329
    assert parsed.observations["source"][0] == "Eurostat, migr_resvalid (data updated 2026-07-09)"


def test_the_synthetic_decisions_cube_places_every_cell_row_major(fixture_path):
    frame = read_observations(fixture_path("migr_asydcfsta_synthetic.json")).observations

    def cell(citizen: str, decision: str, period: str) -> tuple[object, ...]:
        rows = frame.filter(citizen=citizen, decision=decision, period=period)
        return rows.select("value", "flag").row(0)

    assert cell("BY", "POS_SPROT", "2023") == (2670, None)
    assert cell("BY", "TOTAL", "2024") == (2700, "p")
    assert cell("RU", "NEG", "2023") == (2450, "e")
    assert cell("RU", "POS_RFG", "2024") == (None, "c")


def test_positive_decisions_are_the_sum_of_their_three_kinds(fixture_path):
    frame = read_observations(fixture_path("migr_asydcfsta_synthetic.json")).observations
    by = frame.filter(citizen="BY", period="2023")
    values = dict(by.select("decision", "value").iter_rows())
    assert values["POS"] == values["POS_RFG"] + values["POS_SPROT"] + values["POS_HUM"]


def test_a_sparse_value_object_and_a_status_string_for_all_values_are_read():
    frame = parse(cube(value={"0": 5, "3": 7}, status="p")).observations
    assert frame.select("geo", "period", "value", "flag").rows() == [
        ("PL", "2023", 5, "p"),
        ("LT", "2024", 7, "p"),
    ]


def test_a_status_array_flags_missing_cells_too():
    frame = parse(cube(status=["", None, "e", "c"])).observations
    assert frame.select("geo", "period", "value", "flag").rows() == [
        ("PL", "2023", 1, None),
        ("PL", "2024", 2, None),
        ("LT", "2023", 3, "e"),
        ("LT", "2024", None, "c"),
    ]


def test_a_missing_cell_without_status_is_left_out():
    frame = parse(cube()).observations
    assert frame.filter(geo="LT", period="2024").height == 0
    assert frame.height == 3


def test_writing_and_reading_again_gives_the_same_rows(fixture_path):
    first = read_observations(fixture_path("migr_asydcfsta_synthetic.json")).observations
    again = parse_observations(write_jsonstat(first).encode(), name="migr_asydcfsta.json")
    columns = [c for c in first.columns if c not in ("source",)]
    assert (
        again.observations.select(columns)
        .sort(pl.all())
        .equals(first.select(columns).sort(pl.all()))
    )


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (cube(version="1.0"), "only JSON-stat version 2.0"),
        (cube(size=[2]), "'size'"),
        (cube(size=[2**30, 2**30]), "more cells than can be addressed"),
        (cube(value=[1, 2, 3]), "'value' is not an array of 4 cells"),
        (cube(value=[1, "2", 3, 4]), "'2' in 'value' is not a number"),
        (cube(value={"9": 1}), "object of positions"),
        (cube(status={"0": "p!"}), "is not a flag"),
        (
            cube(
                id=["geo", "year"],
                dimension={
                    "geo": {"category": {"index": ["PL", "LT"]}},
                    "year": {"category": {"index": ["1", "2"]}},
                },
            ),
            "no single time dimension",
        ),
        (
            cube(
                dimension={
                    "geo": {"category": {"index": ["PL"]}},
                    "time": {"category": {"index": ["2023", "2024"]}},
                }
            ),
            "do not match",
        ),
        ({"class": "collection"}, "not a JSON-stat dataset"),
    ],
)
def test_a_malformed_cube_fails_with_the_reason(document, reason):
    with pytest.raises(StatsFormatError, match=reason) as error:
        parse(document)
    assert error.value.line == 1


def test_broken_json_names_the_line():
    text = b'{\n "version": "2.0",\n "id": [\n}'
    with pytest.raises(StatsFormatError, match="not JSON") as error:
        parse_observations(text, name="x.json")
    assert error.value.line == 4
