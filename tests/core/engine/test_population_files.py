"""A population's Parquet files as ``read_population`` reads them and ``write_population``
writes them, and the one-person facts ``facts_from_tables`` makes of the tables: a file that is
missing or not a file is refused naming it, optional columns may be left out, columns of
nothing but nulls or of codes are read as the types the tables need, a torn file is named
whatever name its table is found under, and every person's facts (relatives, citizenships,
facts not recorded, empty free text) are read as a dossier would give them. Only synthetic
persons."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest

from legalstay.cli import main
from legalstay.engine.errors import EvaluationError
from legalstay.engine.files import read_population, write_population
from legalstay.engine.interpreter import Facts
from legalstay.engine.population import PERSON_FACT_TYPES, PERSON_FACTS, TABLE_SCHEMAS
from legalstay.engine.rows import facts_from_tables, tables_from_facts
from legalstay.rulebook import load_rulebook
from legalstay.synthetic import generate_population

AS_OF = dt.date(2026, 11, 26)
SCENARIOS = ["pl-baseline", "pl-amnesty-2025"]


def population(folder: Path, persons: int = 20, seed: int = 5) -> Path:
    path = folder / "persons.parquet"
    write_population(generate_population(persons, seed, as_of=AS_OF), path)
    return path


def tear(path: Path) -> None:
    """Zeroes the rows' pages of a Parquet file: its footer (the schema) still reads."""
    data = bytearray(path.read_bytes())
    data[4:204] = bytes(200)
    path.write_bytes(bytes(data))


def assess(persons: Path, out: Path) -> int:
    arguments = ["assess-population", str(persons), "--as-of", AS_OF.isoformat()]
    return main([*arguments, "--out", str(out), "--quiet"])


def refusal(persons: Path) -> str:
    with pytest.raises(EvaluationError) as refused:
        read_population(persons)
    return str(refused.value)


# ---------------------------------------------------------------- what is not a file


def test_a_persons_file_that_does_not_exist_is_named_as_missing(tmp_path):
    missing = tmp_path / "persons.parquet"
    assert refusal(missing) == f"{missing}: no such file"


def test_a_fifo_where_an_episode_table_is_looked_for_is_refused_as_not_a_regular_file(tmp_path):
    persons = population(tmp_path)
    titles = tmp_path / "persons.titles.parquet"
    titles.unlink()
    os.mkfifo(titles)
    assert refusal(persons) == (
        f"{titles}: is not a regular file; the titles table must be a Parquet file"
    )


def test_a_torn_table_is_named_though_an_episode_table_before_it_is_missing(tmp_path, capsys):
    persons = population(tmp_path)
    (tmp_path / "persons.documents.parquet").unlink()  # no documents: read as none
    titles = tmp_path / "persons.titles.parquet"
    tear(titles)
    assert assess(persons, tmp_path / "out.parquet") == 2
    warning, error = capsys.readouterr().err.splitlines()
    assert warning.startswith("warning: ") and "no documents table found" in warning
    assert error.startswith(f"error: {titles}: not a readable Parquet file (")


def test_a_torn_table_under_its_plain_name_is_named(tmp_path, capsys):
    persons = population(tmp_path)
    titles = tmp_path / "titles.parquet"
    (tmp_path / "persons.titles.parquet").rename(titles)
    tear(titles)
    assert assess(persons, tmp_path / "out.parquet") == 2
    assert capsys.readouterr().err.startswith(f"error: {titles}: not a readable Parquet file (")


# ---------------------------------------------------------------- columns and their types


def test_applications_without_a_channel_and_stays_abroad_without_a_reason_read_as_unknown(
    tmp_path,
):
    """The optional columns may be left out: every value is then unknown, as if recorded so."""
    nulls, absent = population(tmp_path / "nulls"), population(tmp_path / "absent")
    for table, column in (("applications", "channel"), ("stays_abroad", "reason")):
        for persons in (nulls, absent):
            path = persons.with_name(f"persons.{table}.parquet")
            frame = pl.read_parquet(path)
            if persons == nulls:
                frame = frame.with_columns(pl.lit(None, pl.String).alias(column))
            else:
                frame = frame.drop(column)
            frame.write_parquet(path)
    assert "channel" not in read_population(absent)["applications"].collect_schema()
    answers = [
        load_rulebook().assess_population(read_population(p), AS_OF, SCENARIOS).collect()
        for p in (nulls, absent)
    ]
    assert answers[1].equals(answers[0])


def test_a_persons_table_without_the_columns_no_rule_reads_gives_the_same_answers(tmp_path):
    # The format lists family_id and sex, but no rule reads them: a registry that keeps
    # neither was refused for want of them.
    full, bare = population(tmp_path / "full"), population(tmp_path / "bare")
    pl.read_parquet(bare).drop("family_id", "sex").write_parquet(bare)
    answers = [
        load_rulebook().assess_population(read_population(p), AS_OF, SCENARIOS).collect()
        for p in (full, bare)
    ]
    assert answers[1].equals(answers[0])


def test_a_sex_column_of_another_type_is_refused_though_no_rule_reads_it(tmp_path):
    persons = population(tmp_path)
    pl.read_parquet(persons).with_columns(pl.lit(1).alias("sex")).write_parquet(persons)
    assert refusal(persons) == f"{persons}: column 'sex' is Int32, the persons table needs String"


def test_a_fact_column_of_nothing_but_nulls_written_without_a_type_is_read_as_its_type(
    tmp_path,
):
    persons = population(tmp_path)
    facts = [pl.lit(None).alias(fact) for fact in PERSON_FACT_TYPES]
    pl.read_parquet(persons).with_columns(facts).write_parquet(persons)
    assert set(pl.read_parquet_schema(persons).values()) >= {pl.Null}
    schema = read_population(persons)["persons"].collect_schema()
    assert {fact: schema[fact] for fact in PERSON_FACT_TYPES} == PERSON_FACT_TYPES


def test_an_extra_column_of_nothing_but_nulls_is_read_as_it_is(tmp_path):
    persons = population(tmp_path)
    pl.read_parquet(persons).with_columns(notes=pl.lit(None)).write_parquet(persons)
    schema = read_population(persons)["persons"].collect_schema()
    assert schema["notes"] == pl.Null


@pytest.mark.parametrize("written", ["codes", "every list empty"])
def test_citizenships_are_read_back_as_lists_of_text(tmp_path, written):
    persons = population(tmp_path)
    table = pl.read_parquet(persons)
    if written == "codes":
        stored = pl.col("citizenships").cast(pl.List(pl.Categorical))
        expected = table["citizenships"].to_list()
    else:
        stored = pl.lit([]).alias("citizenships")
        expected = [[] for _ in range(table.height)]
    table.with_columns(stored).write_parquet(persons)
    assert pl.read_parquet_schema(persons)["citizenships"] != pl.List(pl.String)
    read = read_population(persons)["persons"].collect()
    assert read.schema["citizenships"] == TABLE_SCHEMAS["persons"]["citizenships"]
    assert read["citizenships"].to_list() == expected


# ---------------------------------------------------------------- writing


def test_write_population_writes_only_the_tables_it_is_given(tmp_path):
    tables = generate_population(20, 5, as_of=AS_OF)
    persons = tmp_path / "persons.parquet"
    written = write_population({"persons": tables["persons"], "titles": tables["titles"]}, persons)
    assert written == [persons, tmp_path / "persons.titles.parquet"]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(p.name for p in written)
    read = read_population(persons)
    assert sorted(read) == ["persons", "titles"]  # the others missing: empty
    assert read["titles"].collect().height == tables["titles"].height


# ---------------------------------------------------------------- one person's facts


def registry() -> dict[str, pl.DataFrame]:
    """Three persons: 1 with two citizenships, a title without a ground and an application
    with no channel column; 2, 1's child, with no citizenship recorded; 3 stateless. 1 is
    linked to a relative outside the population too. No documents nor stays abroad given."""
    persons = pl.DataFrame(
        {
            "person_id": [1, 2, 3],
            "family_id": [7, 7, None],
            "birth_date": [dt.date(1980, 2, 29), dt.date(2010, 5, 1), dt.date(1990, 1, 1)],
            "sex": ["F", "M", None],
            "citizenships": [["UA", "BY"], None, []],
            "birth_country": ["UA", "PL", None],
            "fact_stateless": [None, None, True],
        },
        schema_overrides={"citizenships": pl.List(pl.String)},
    )
    day = dt.date(2024, 1, 1)
    titles = pl.DataFrame(
        {"person_id": [1, 1], "kind": ["visa", "temporary_residence"], "ground": ["", "work"]}
    ).with_columns(valid_from=pl.lit(day), valid_to=pl.lit(None, pl.Date))
    applications = pl.DataFrame(
        [{"person_id": 2, "kind": "temporary_residence", "filed": day}],
        schema={c: TABLE_SCHEMAS["applications"][c] for c in ("person_id", "kind", "filed")},
    ).with_columns(
        pl.lit(None, TABLE_SCHEMAS["applications"][c]).alias(c)
        for c in TABLE_SCHEMAS["applications"]
        if c not in ("person_id", "kind", "filed", "channel")
    )
    family = pl.DataFrame(
        {
            "person_id": [1, 1, 2],
            "relation": ["child", "spouse", "parent"],
            "other_id": [2, 99, 1],
        }
    )
    return {"persons": persons, "titles": titles, "applications": applications, "family": family}


def test_a_persons_row_holds_every_fact_unknown_unless_recorded_and_citizenships_as_a_tuple():
    """As a dossier's facts have them (``dossier_facts``): both back-ends get the same person."""
    facts = facts_from_tables(registry())
    unknown = dict.fromkeys(PERSON_FACTS)
    assert facts[1].person == {
        "person_id": 1,
        "family_id": 7,
        "birth_date": dt.date(1980, 2, 29),
        "sex": "F",
        "citizenships": ("UA", "BY"),
        "birth_country": "UA",
        **unknown,
    }
    assert facts[2].person["citizenships"] == facts[3].person["citizenships"] == ()
    assert facts[3].person == {**facts[3].person, **unknown, "fact_stateless": True}


def test_episode_rows_hold_every_column_with_an_empty_ground_and_an_absent_channel_unknown():
    facts = facts_from_tables(registry())
    titles = facts[1].tables["titles"]
    assert [row["ground"] for row in titles] == [None, "work"]
    assert all(list(row) == list(TABLE_SCHEMAS["titles"]) for row in titles)
    (application,) = facts[2].tables["applications"]
    assert list(application) == list(TABLE_SCHEMAS["applications"])
    assert application["channel"] is None
    assert facts[1].tables["applications"] == []
    assert facts[1].tables["documents"] == facts[1].tables["stays_abroad"] == []  # not given


def test_relatives_are_nested_one_level_and_one_outside_the_population_is_unknown():
    facts = facts_from_tables(registry())
    child, spouse = facts[1].family
    assert (child.relation, child.person_id, spouse.relation, spouse.person_id) == (
        "child",
        2,
        "spouse",
        99,
    )
    assert spouse.facts is None  # not in the population: the relative's facts are unknown
    assert child.facts is not None
    assert child.facts.person == facts[2].person
    assert child.facts.tables == facts[2].tables
    assert child.facts.family == ()  # the child's own link, to 1, kept as a row only
    assert [row["other_id"] for row in child.facts.tables["family"]] == [1]
    (parent,) = facts[2].family
    assert parent.facts is not None and parent.facts.person["citizenships"] == ("UA", "BY")
    assert facts[3].family == []


def test_tables_from_facts_gives_back_the_tables_the_facts_were_read_from():
    tables = registry()
    facts = facts_from_tables(tables)
    again = tables_from_facts(facts)
    assert again["persons"].schema == {**TABLE_SCHEMAS["persons"], **PERSON_FACT_TYPES}
    assert again["persons"]["fact_stateless"].to_list() == [None, None, True]
    assert again["persons"]["citizenships"].to_list() == [["UA", "BY"], [], []]
    assert facts_from_tables(again) == facts


def test_tables_from_facts_reads_a_table_a_persons_facts_do_not_hold_as_without_rows():
    person = facts_from_tables(registry())[3].person
    tables = tables_from_facts({3: Facts(person, {"titles": []})})
    for name in ("documents", "titles", "applications", "stays_abroad", "family"):
        assert tables[name].height == 0
        assert tables[name].schema == TABLE_SCHEMAS[name]
