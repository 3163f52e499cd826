"""Fuzzed input: a parser returns rows or raises StatsFormatError, never anything else."""

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legalstay.stats import StatsFormatError, parse_observations

# LEGALSTAY_FUZZ_EXAMPLES=5000 runs a longer campaign; the default keeps the suite quick.
EXAMPLES = int(os.environ.get("LEGALSTAY_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = {
    "migr_resvalid.tsv": (
        "freq,unit,citizen,geo\\TIME_PERIOD\t2022 \t2023 \t2024M01 \n"
        "A,PER,BY,PL\t628 e\t: c\t: \nA,PER,UA,EL\t1 \t2 p\t3 \n"
    ),
    "sdmx.csv": (
        "STRUCTURE,STRUCTURE_ID,freq,Time frequency,geo,Geo,TIME_PERIOD,Time,OBS_VALUE,"
        "Observation value,OBS_FLAG,Flag,CONF_STATUS,Conf\n"
        'dataflow,ESTAT:MIGR_RESVALID(1.0),A,Annual,PL,"Poland, Rep.",2023,,12,,p,prov,,\n'
        "dataflow,ESTAT:MIGR_RESVALID(1.0),A,Annual,LT,Lithuania,2023,,,,,,C,conf\n"
    ),
    "unhcr.csv": (
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,app_type,dec_level,"
        "app_pc,applied\n2023,Belarus,BLR,BLR,Poland,POL,POL,G,N,FI,P,3631\n"
    ),
    "figures.csv": (
        "figure_id,measure,citizen,geo,period,value,qualifier,counted,counted_by,outlet,"
        "reference,published,confidence,note\n"
        "a,asylum_applications,BY,PL,2023,3700,about,apps,UdSC,RFE,ref,,medium,\n"
    ),
    "x.json": json.dumps(
        {
            "version": "2.0",
            "class": "dataset",
            "id": ["geo", "time"],
            "size": [1, 2],
            "dimension": {
                "geo": {"category": {"index": ["PL"]}},
                "time": {"category": {"index": {"2023": 0, "2024": 1}}},
            },
            "value": [1, None],
            "status": {"1": "c"},
        }
    ),
}
PIECES = st.sampled_from(
    [
        "\t",
        ",",
        "\n",
        "\r",
        ":",
        " ",
        '"',
        "\\",
        "{",
        "}",
        "[",
        "]",
        "0",
        "9",
        "e",
        "c",
        "-",
        ".",
        "M",
        "Q",
        "\x00",
        "é",
        "TIME_PERIOD",
        "null",
        "\ufeff",
        "2024",
        ": c",
        "1e9",
    ]
)


def parses_or_says_why(data: bytes, name: str) -> None:
    try:
        parsed = parse_observations(data, name=name)
    except StatsFormatError as error:
        assert error.reason
        assert error.line is None or error.line >= 1
    else:
        assert parsed.observations["dataset"].null_count() == 0


@st.composite
def mutated(draw):
    name, text = draw(st.sampled_from(sorted(SEEDS.items())))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + "".join(draw(st.lists(PIECES, min_size=1, max_size=3))) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
    return name, text


@FUZZ
@given(mutated())
def test_a_mutated_file_parses_or_fails_with_the_documented_error(case):
    name, text = case
    parses_or_says_why(text.encode("utf-8", "surrogatepass"), name)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(sorted(SEEDS)))
def test_arbitrary_bytes_parse_or_fail_with_the_documented_error(data, name):
    parses_or_says_why(data, name)


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), st.binary(max_size=40))
def test_a_seed_with_garbage_appended_parses_or_fails_with_the_documented_error(name, tail):
    parses_or_says_why(SEEDS[name].encode() + tail, name)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            key: JSON_VALUES
            for key in (
                "version",
                "class",
                "id",
                "size",
                "dimension",
                "value",
                "status",
                "role",
                "extension",
                "updated",
                "source",
            )
        },
    )
)
def test_a_json_stat_document_of_any_shape_parses_or_fails_with_the_documented_error(document):
    document.setdefault("version", "2.0")
    parses_or_says_why(json.dumps(document).encode(), "x.json")


CELLS = st.one_of(
    st.tuples(st.integers(0, 10**9), st.sampled_from(["", "e", "p", "c", "ep", "bd"])),
    st.tuples(st.none(), st.sampled_from(["", "c", "z", "n"])),
)


@FUZZ
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=5, unique_by=len))
def test_every_tsv_cell_comes_back_with_its_value_and_flag(grid):
    lines = ["freq,geo\\TIME_PERIOD\t2021 \t2022 \t2023 "]
    expected = {}
    for row, cells in enumerate(grid):
        geo = f"G{row}"
        lines.append("\t".join([f"A,{geo}", *(_cell(v, f) for v, f in cells)]))
        for period, (value, flag) in zip(("2021", "2022", "2023"), cells, strict=True):
            if value is not None or flag:
                expected[(geo, period)] = (value, flag or None)
    parsed = parse_observations(("\n".join(lines) + "\n").encode(), name="migr_resvalid.tsv")
    found = {
        (r["geo"], r["period"]): (r["value"], r["flag"])
        for r in parsed.observations.iter_rows(named=True)
    }
    assert found == expected


def _cell(value: int | None, flag: str) -> str:
    number = ":" if value is None else str(value)
    return f"{number} {flag}" if flag else f"{number} "
