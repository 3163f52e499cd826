"""`legalstay assess-population` on populations and paths that are not the usual: the rows
keep the persons table's order, bad input exits 2 naming what is wrong, and a failed run
leaves what was there unchanged."""

from __future__ import annotations

import datetime as dt
import errno
import os
import signal
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from legalstay.cli import main, outputs
from legalstay.engine.files import read_population, write_population
from legalstay.rulebook import load_rulebook
from legalstay.synthetic import generate_population

AS_OF = dt.date(2026, 11, 26)
REFORM = "pl-amnesty-2025"


def population(folder: Path, persons: int = 60, seed: int = 5, *, shuffle: bool = False) -> Path:
    tables = generate_population(persons, seed, as_of=AS_OF)
    if shuffle:
        tables["persons"] = tables["persons"].sample(fraction=1.0, shuffle=True, seed=seed)
    path = folder / "persons.parquet"
    write_population(tables, path)
    return path


def assess(persons: Path, out: Path, *extra: str) -> int:
    arguments = ["assess-population", str(persons), "--as-of", AS_OF.isoformat()]
    return main([*arguments, "--reform", REFORM, "--out", str(out), "--quiet", *extra])


def left_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# ---------------------------------------------------------------- the persons table's order


@pytest.mark.parametrize(("batch_size", "workers"), [(7, 1), (7, 2), (25, 2), (1, 1)])
def test_rows_come_out_in_the_order_of_an_unsorted_persons_table_whatever_the_batches(
    tmp_path, batch_size, workers
):
    persons = population(tmp_path, shuffle=True)
    ids = pl.read_parquet(persons)["person_id"]
    assert not ids.is_sorted()
    one_pass = tmp_path / "one.parquet"
    assert assess(persons, one_pass, "--batch-size", "1000") == 0
    batched = tmp_path / "batched.parquet"
    extra = ["--batch-size", str(batch_size), "--workers", str(workers)]
    assert assess(persons, batched, *extra) == 0
    result = pl.read_parquet(batched)
    assert result["person_id"].equals(ids)
    assert result.equals(pl.read_parquet(one_pass))
    in_process = load_rulebook().assess_population(
        read_population(persons), AS_OF, ["pl-baseline", REFORM]
    )
    assert result.equals(in_process.collect())
    assert left_in(tmp_path) == sorted(["batched.parquet", "one.parquet", *left_in_inputs()])


@pytest.mark.parametrize(("batch_size", "workers"), [(1, 1), (7, 2)])
def test_why_not_counts_are_summed_over_every_batch(tmp_path, batch_size, workers):
    persons = population(tmp_path)
    one_pass, batched = tmp_path / "one.csv", tmp_path / "batched.csv"
    assert assess(persons, tmp_path / "one.parquet", "--why-not", str(one_pass)) == 0
    extra = ["--batch-size", str(batch_size), "--workers", str(workers)]
    assert assess(persons, tmp_path / "b.parquet", "--why-not", str(batched), *extra) == 0
    counts = pl.read_csv(one_pass)
    assert counts["unmet"].sum() > 60  # more than one batch's persons each counted once
    assert pl.read_csv(batched).equals(counts)


@pytest.fixture
def buckets(monkeypatch) -> set[int]:
    """The scratch buckets rows go through, with at most three allowed."""
    monkeypatch.setattr(outputs, "MAX_BUCKETS", 3)
    used: set[int] = set()
    to_bucket = outputs.ParquetInOrder._to_bucket

    def counted(self, bucket, piece):
        used.add(bucket)
        to_bucket(self, bucket, piece)

    monkeypatch.setattr(outputs.ParquetInOrder, "_to_bucket", counted)
    return used


def test_rows_go_back_in_order_through_at_most_max_buckets_scratch_files(tmp_path, buckets):
    persons = population(tmp_path, shuffle=True)
    out = tmp_path / "out.parquet"
    assert assess(persons, out, "--batch-size", "5") == 0
    assert buckets == {0, 1, 2}  # of 20 persons each, though batches are of 5
    assert pl.read_parquet(out)["person_id"].equals(pl.read_parquet(persons)["person_id"])


def left_in_inputs() -> list[str]:
    names = ["documents", "titles", "applications", "stays_abroad", "family"]
    return ["persons.parquet", *(f"persons.{name}.parquet" for name in names)]


# ---------------------------------------------------------------- the persons table


def test_a_persons_table_without_rows_gives_an_empty_output_with_every_column(tmp_path):
    persons = population(tmp_path / "some")
    empty = tmp_path / "none" / "persons.parquet"
    tables = {name: frame.head(0) for name, frame in generate_population(5, 1, as_of=AS_OF).items()}
    write_population(tables, empty)
    for path in (persons, empty):
        why = path.with_name("why.csv")
        assert assess(path, path.with_name("out.parquet"), "--why-not", str(why)) == 0
    full, none = (pl.read_parquet(p.with_name("out.parquet")) for p in (persons, empty))
    assert none.height == 0
    assert none.schema == full.schema
    reasons = pl.read_csv(empty.with_name("why.csv"))
    assert reasons.height == pl.read_csv(persons.with_name("why.csv")).height
    assert reasons["unmet"].sum() == reasons["unknown"].sum() == 0


def test_a_person_without_a_person_id_exits_2_naming_the_rule(tmp_path, capsys):
    persons = population(tmp_path)
    table = pl.read_parquet(persons)
    nulled = table.with_columns(
        person_id=pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise(pl.col("person_id"))
    )
    nulled.write_parquet(persons)
    assert assess(persons, tmp_path / "out.parquet") == 2
    expected = f"error: {persons}: the persons table has persons without a person_id\n"
    assert capsys.readouterr().err == expected
    assert not (tmp_path / "out.parquet").exists()


def test_a_person_id_given_twice_is_named(tmp_path, capsys):
    persons = population(tmp_path)
    table = pl.read_parquet(persons)
    twice = table["person_id"][10]
    pl.concat([table, table.slice(10, 1)]).write_parquet(persons)
    assert assess(persons, tmp_path / "out.parquet", "--batch-size", "7") == 2
    assert (
        f"{persons}: person_id is not unique in the persons table: {twice} is given more than once"
        in capsys.readouterr().err
    )


def test_a_document_of_no_person_of_the_population_names_the_documents_file(tmp_path, capsys):
    persons = population(tmp_path)
    documents = persons.with_name("persons.documents.parquet")
    table = pl.read_parquet(documents)
    table.with_columns(person_id=pl.lit(99_999_999, dtype=pl.Int64)).head(1).vstack(
        table
    ).write_parquet(documents)
    assert assess(persons, tmp_path / "out.parquet") == 2
    assert capsys.readouterr().err.startswith(
        f"error: {documents}: documents: a row's person_id 99999999 is not in the persons table"
    )


def with_stays_of_one_person(folder: Path, *stays: tuple[dt.date, dt.date | None]) -> int:
    """A population whose fifth person has these stays abroad added; that person's id."""
    persons = population(folder)
    stays_file = folder / "persons.stays_abroad.parquet"
    person = int(pl.read_parquet(persons)["person_id"][4])
    added = pl.DataFrame(
        {
            "person_id": [person] * len(stays),
            "left": [left for left, _ in stays],
            "returned": [returned for _, returned in stays],
        }
    )
    pl.concat([pl.read_parquet(stays_file), added], how="diagonal_relaxed").write_parquet(
        stays_file
    )
    return person


def test_stays_abroad_that_overlap_are_refused_naming_the_person_as_a_dossier_would_be(
    tmp_path, capsys
):
    person = with_stays_of_one_person(
        tmp_path,
        (dt.date(2024, 1, 1), dt.date(2024, 3, 1)),
        (dt.date(2024, 2, 15), dt.date(2024, 4, 1)),
    )
    assert assess(tmp_path / "persons.parquet", tmp_path / "out.parquet") == 2
    assert capsys.readouterr().err == (
        f"error: stays_abroad: person {person}: the stay abroad from 2024-02-15 falls within the "
        "one from 2024-01-01 to 2024-03-01: stays abroad may not overlap; record one absence "
        "once\n"
    )
    assert not (tmp_path / "out.parquet").exists()


def test_a_stay_abroad_may_begin_on_the_day_another_ended(tmp_path):
    with_stays_of_one_person(
        tmp_path, (dt.date(2024, 3, 1), None), (dt.date(2024, 1, 1), dt.date(2024, 3, 1))
    )
    assert assess(tmp_path / "persons.parquet", tmp_path / "out.parquet") == 0


@pytest.mark.parametrize("table", ["family", "documents", "stays_abroad"])
def test_an_empty_episode_table_written_without_column_types_reads_as_empty(tmp_path, table):
    persons = population(tmp_path)
    columns = pl.read_parquet_schema(tmp_path / f"persons.{table}.parquet")
    empty = pl.DataFrame({column: [] for column in columns})  # every column of type Null
    assert set(empty.schema.values()) == {pl.Null}
    empty.write_parquet(tmp_path / f"persons.{table}.parquet")
    assert assess(persons, tmp_path / "out.parquet") == 0
    assert pl.read_parquet(tmp_path / "out.parquet").height == 60


def test_a_folder_where_an_episode_table_is_looked_for_is_refused_naming_it(tmp_path, capsys):
    persons = population(tmp_path)
    titles = tmp_path / "persons.titles.parquet"
    titles.unlink()
    titles.mkdir()
    assert assess(persons, tmp_path / "out.parquet") == 2
    assert capsys.readouterr().err == (
        f"error: {titles}: is a folder; the titles table must be a Parquet file\n"
    )


def test_citizenships_written_as_categorical_codes_give_the_same_answers_as_text(tmp_path):
    persons = population(tmp_path / "text")
    coded = population(tmp_path / "codes")
    table = pl.read_parquet(coded)
    table.with_columns(pl.col("citizenships").cast(pl.List(pl.Categorical))).write_parquet(coded)
    assert pl.read_parquet_schema(coded)["citizenships"] == pl.List(pl.Categorical)
    for path in (persons, coded):
        assert assess(path, path.with_name("out.parquet")) == 0
    text, codes = (pl.read_parquet(p.with_name("out.parquet")) for p in (persons, coded))
    assert codes.equals(text)


def test_citizenships_all_empty_written_as_a_list_of_nothing_read_as_not_recorded(tmp_path):
    persons = population(tmp_path / "text")
    empty = population(tmp_path / "empty")
    for path in (persons, empty):
        table = pl.read_parquet(path).with_columns(citizenships=pl.lit([]))
        table.write_parquet(path)
    assert pl.read_parquet_schema(empty)["citizenships"] == pl.List(pl.Null)
    cast = pl.read_parquet(persons).with_columns(pl.col("citizenships").cast(pl.List(pl.String)))
    cast.write_parquet(persons)
    for path in (persons, empty):
        assert assess(path, path.with_name("out.parquet")) == 0
    text, nothing = (pl.read_parquet(p.with_name("out.parquet")) for p in (persons, empty))
    assert nothing.equals(text)


def test_a_table_torn_after_its_footer_exits_2_naming_the_file_and_keeps_the_old_output(
    tmp_path, capsys
):
    persons = population(tmp_path)
    out = tmp_path / "out.parquet"
    out.write_bytes(b"the previous output")
    titles = persons.with_name("persons.titles.parquet")
    data = bytearray(titles.read_bytes())
    data[4:204] = bytes(200)  # the rows' pages zeroed; the footer (schema) still reads
    titles.write_bytes(bytes(data))
    before = left_in(tmp_path)
    assert assess(persons, out) == 2
    assert capsys.readouterr().err.startswith(f"error: {titles}: not a readable Parquet file (")
    assert out.read_bytes() == b"the previous output"
    assert left_in(tmp_path) == before  # no temporary output, nor scratch files, left


# ---------------------------------------------------------------- scenarios


@pytest.mark.parametrize("option", ["--scenario", "--reform"])
def test_an_unknown_scenario_is_refused_naming_its_option_before_reading(tmp_path, capsys, option):
    missing = tmp_path / "nobody.parquet"  # never read: the option is checked first
    arguments = ["assess-population", str(missing), "--out", str(tmp_path / "o.parquet")]
    assert main([*arguments, option, "pl-amnesty-2026"]) == 2
    assert capsys.readouterr().err.startswith(
        f"error: {option}: unknown scenario 'pl-amnesty-2026'"
    )


@pytest.mark.parametrize(
    ("reforms", "message"),
    [
        (["pl-baseline"], "--reform pl-baseline: already the --scenario"),
        ([REFORM, REFORM], f"--reform {REFORM}: already an earlier --reform"),
    ],
)
def test_a_scenario_named_twice_is_refused_instead_of_counted_twice(
    tmp_path, capsys, reforms, message
):
    persons = population(tmp_path)
    arguments = ["assess-population", str(persons), "--out", str(tmp_path / "o.parquet")]
    assert main([*arguments, *(f"--reform={name}" for name in reforms)]) == 2
    assert capsys.readouterr().err == f"error: {message}; each scenario is assessed once\n"


# ---------------------------------------------------------------- --out and --why-not


def test_an_out_that_is_a_folder_exits_2_and_leaves_nothing_beside_it(tmp_path, capsys):
    persons = population(tmp_path / "in")
    folder = tmp_path / "out"
    folder.mkdir()
    assert assess(persons, folder) == 2
    assert capsys.readouterr().err == (
        f"error: --out {folder}: is a folder; give the name of a file to write\n"
    )
    assert left_in(tmp_path) == ["in", "out"]
    assert left_in(folder) == []


def test_an_out_under_a_file_exits_2_naming_the_file(tmp_path, capsys):
    persons = population(tmp_path / "in")
    blocker = tmp_path / "report"
    blocker.write_text("not a folder")
    assert assess(persons, blocker / "deeper" / "out.parquet") == 2
    assert f"--out {blocker}/deeper/out.parquet: {blocker} is a file, not a folder" in (
        capsys.readouterr().err
    )


def test_an_out_that_is_a_fifo_is_refused_rather_than_replaced(tmp_path, capsys):
    persons = population(tmp_path / "in")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert assess(persons, fifo) == 2
    assert "is not a regular file (a device, a FIFO …)" in capsys.readouterr().err
    assert fifo.is_fifo()


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("persons.parquet", "persons"),
        ("persons.titles.parquet", "titles"),
        ("stays_abroad.parquet", "stays_abroad"),  # not there, but would be read next time
    ],
)
def test_an_out_where_the_population_is_read_from_is_refused(tmp_path, capsys, name, table):
    persons = population(tmp_path)
    target = tmp_path / name
    before = target.read_bytes() if target.exists() else None
    assert assess(persons, target) == 2
    assert f"is where the population's {table} table is read from" in capsys.readouterr().err
    assert (target.read_bytes() if target.exists() else None) == before


def test_a_why_not_that_is_also_the_out_file_is_refused(tmp_path, capsys):
    persons = population(tmp_path / "in")
    out = tmp_path / "same"
    assert assess(persons, out, "--why-not", str(out)) == 2
    assert f"--why-not {out}: is also the --out file" in capsys.readouterr().err
    assert left_in(tmp_path) == ["in"]


def test_an_unwritable_why_not_exits_2_before_the_output_is_replaced(tmp_path, capsys):
    persons = population(tmp_path / "in")
    out = tmp_path / "out.parquet"
    out.write_bytes(b"the previous output")
    folder = tmp_path / "why.csv"
    folder.mkdir()
    assert assess(persons, out, "--why-not", str(folder)) == 2
    assert f"--why-not {folder}: is a folder" in capsys.readouterr().err
    assert out.read_bytes() == b"the previous output"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_an_out_in_a_folder_that_cannot_be_written_exits_2(tmp_path, capsys):
    persons = population(tmp_path / "in")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert assess(persons, locked / "out.parquet") == 2
    finally:
        locked.chmod(0o755)
    assert f"the folder {locked} cannot be written" in capsys.readouterr().err


def test_the_out_folder_is_made_only_when_writing_begins(tmp_path, capsys):
    persons = population(tmp_path / "in")
    out = tmp_path / "new" / "deeper" / "out.parquet"
    arguments = ["assess-population", str(persons), "--scenario", "utopia", "--out", str(out)]
    assert main(arguments) == 2
    assert "unknown scenario 'utopia'" in capsys.readouterr().err
    assert left_in(tmp_path) == ["in"]
    assert assess(persons, out) == 0
    assert pl.read_parquet(out).height == 60


@pytest.mark.parametrize(("batch_size", "shuffle"), [("1000", False), ("7", True)])
def test_a_full_disk_exits_2_keeping_the_old_output_and_leaving_no_temporary_file(
    tmp_path, capsys, monkeypatch, batch_size, shuffle
):
    persons = population(tmp_path / "in", shuffle=shuffle)
    old = tmp_path / "out.parquet"
    old.write_bytes(b"the previous output")
    fresh = tmp_path / "new" / "out.parquet"

    def no_space(self, table, row_group_size=None):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pq.ParquetWriter, "write_table", no_space)
    for out in (old, fresh):
        assert assess(persons, out, "--batch-size", batch_size) == 2
        assert capsys.readouterr().err == (
            f"error: --out {out}: cannot be written (No space left on device)\n"
        )
    assert old.read_bytes() == b"the previous output"
    assert left_in(tmp_path) == ["in", "out.parquet"]  # no .partial, scratch or new folder


# ---------------------------------------------------------------- names, files and folders


def test_an_out_whose_temporary_file_is_the_why_not_is_refused(tmp_path, capsys):
    """Each output is written as ``<name>.partial`` and renamed: an out named ``R.partial``
    beside a why-not ``R`` would move one over the other."""
    persons = population(tmp_path / "in")
    why = tmp_path / "result"
    assert assess(persons, tmp_path / "result.partial", "--why-not", str(why)) == 2
    assert f"--why-not {why} (its temporary file result.partial): is also the --out file" in (
        capsys.readouterr().err
    )
    assert left_in(tmp_path) == ["in"]


def test_a_why_not_named_as_the_outs_temporary_file_is_refused_and_kept(tmp_path, capsys):
    persons = population(tmp_path / "in")
    why = tmp_path / "out.parquet.partial"
    why.write_text("the previous reasons")
    assert assess(persons, tmp_path / "out.parquet", "--why-not", str(why)) == 2
    assert f"--why-not {why}: is also the --out temporary file" in capsys.readouterr().err
    assert why.read_text() == "the previous reasons"


def test_a_persons_table_named_like_an_episode_table_is_not_read_as_that_table(tmp_path):
    """A persons table ``family.parquet`` without a ``family.family.parquet`` beside it has no
    family links recorded: its own file is not read as them."""
    persons = population(tmp_path)
    renamed = persons.rename(tmp_path / "family.parquet")
    (tmp_path / "persons.family.parquet").unlink()
    for table in ("documents", "titles", "applications", "stays_abroad"):
        (tmp_path / f"persons.{table}.parquet").rename(tmp_path / f"family.{table}.parquet")
    assert assess(renamed, tmp_path / "out.parquet") == 0
    assert pl.read_parquet(tmp_path / "out.parquet").equals(
        load_rulebook()
        .assess_population(read_population(renamed), AS_OF, ["pl-baseline", REFORM])
        .collect()
    )


def test_the_episode_table_named_with_the_persons_stem_wins_over_the_plain_name(tmp_path):
    persons = population(tmp_path)
    assert assess(persons, tmp_path / "alone.parquet") == 0
    titles = pl.read_parquet(tmp_path / "persons.titles.parquet")
    titles.head(0).write_parquet(tmp_path / "titles.parquet")  # no titles at all
    assert assess(persons, tmp_path / "beside.parquet") == 0
    alone, beside = (
        pl.read_parquet(tmp_path / name) for name in ("alone.parquet", "beside.parquet")
    )
    assert beside.equals(alone)


def test_a_failed_run_removes_every_folder_level_it_made(tmp_path, capsys):
    persons = population(tmp_path / "in", shuffle=True)
    titles = persons.with_name("persons.titles.parquet")
    table = pl.read_parquet(titles)
    last = pl.int_range(pl.len()) == table.height - 1
    table.with_columns(
        kind=pl.when(last).then(pl.lit("no_such_kind")).otherwise("kind")
    ).write_parquet(titles)
    out = tmp_path / "new" / "deeper" / "out.parquet"
    assert assess(persons, out, "--batch-size", "1", "--workers", "1") == 2
    assert "kind 'no_such_kind' is not one of" in capsys.readouterr().err
    assert left_in(tmp_path) == ["in"]


def test_a_relative_out_naming_an_input_is_refused(tmp_path, capsys, monkeypatch):
    persons = population(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert assess(persons.resolve(), Path("titles.parquet")) == 2
    assert "is where the population's titles table is read from" in capsys.readouterr().err
    assert not (tmp_path / "titles.parquet").exists()


def test_a_folder_at_the_persons_path_is_refused(tmp_path, capsys):
    folder = tmp_path / "persons.parquet"
    population(folder)  # a folder holding a population
    assert assess(folder, tmp_path / "out.parquet") == 2
    assert f"{folder}: is a folder; the persons table must be a Parquet file" in (
        capsys.readouterr().err
    )


def test_an_episode_table_that_is_a_link_to_nothing_is_named_so(tmp_path, capsys):
    persons = population(tmp_path)
    titles = tmp_path / "persons.titles.parquet"
    titles.unlink()
    titles.symlink_to(tmp_path / "gone.parquet")
    assert assess(persons, tmp_path / "out.parquet") == 2
    assert f"{titles}: is a link to nothing" in capsys.readouterr().err


def test_a_missing_column_is_named_with_its_file(tmp_path, capsys):
    persons = population(tmp_path)
    titles = tmp_path / "persons.titles.parquet"
    pl.read_parquet(titles).drop("valid_to").write_parquet(titles)
    assert assess(persons, tmp_path / "out.parquet") == 2
    assert f"{titles}: the titles table lacks column 'valid_to'" in capsys.readouterr().err


def test_the_persons_table_torn_after_its_footer_exits_2_naming_it(tmp_path, capsys):
    persons = population(tmp_path, persons=200)
    data = bytearray(persons.read_bytes())
    data[4:204] = bytes(200)
    persons.write_bytes(bytes(data))
    assert assess(persons, tmp_path / "out.parquet") == 2
    assert capsys.readouterr().err.startswith(f"error: {persons}: not a readable Parquet file (")


def test_codes_written_as_enums_give_the_same_answers_as_text(tmp_path):
    text = population(tmp_path / "text")
    enums = population(tmp_path / "enums")
    titles = enums.with_name("persons.titles.parquet")
    table = pl.read_parquet(titles).with_columns(pl.col("kind").cast(pl.String))
    kinds = pl.Enum(sorted(set(table["kind"].to_list())))
    table.with_columns(pl.col("kind").cast(kinds)).write_parquet(titles)
    people = pl.read_parquet(enums).with_columns(pl.col("citizenships").cast(pl.List(pl.String)))
    codes = pl.Enum(sorted({c for cs in people["citizenships"].to_list() if cs for c in cs}))
    people.with_columns(pl.col("citizenships").cast(pl.List(codes))).write_parquet(enums)
    for path in (text, enums):
        assert assess(path, path.with_name("out.parquet")) == 0
    as_text, as_enums = (pl.read_parquet(p.with_name("out.parquet")) for p in (text, enums))
    assert as_enums.equals(as_text)


# ---------------------------------------------------------------- order and batches


def test_rows_keep_the_persons_order_with_a_batch_one_short_of_everyone(tmp_path):
    persons = population(tmp_path, persons=3)
    table = pl.read_parquet(persons)
    table[[2, 0, 1]].write_parquet(persons)
    assert assess(persons, tmp_path / "out.parquet", "--batch-size", "2", "--workers", "1") == 0
    order = pl.read_parquet(tmp_path / "out.parquet")["person_id"]
    assert order.equals(table[[2, 0, 1]]["person_id"])


def test_one_person_more_than_the_buckets_divide_still_fits_in_max_buckets(tmp_path, buckets):
    persons = population(tmp_path, persons=61, shuffle=True)
    assert assess(persons, tmp_path / "out.parquet", "--batch-size", "1") == 0
    assert buckets == {0, 1, 2}


# ---------------------------------------------------------------- the command line


def test_assess_population_without_out_exits_2_naming_the_option(tmp_path, capsys):
    persons = population(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["assess-population", str(persons), "--as-of", AS_OF.isoformat()])
    assert exited.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_legalstay_without_a_command_prints_its_help_on_stderr_and_exits_2(capsys):
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # a failure writes nothing a pipe would take for output
    assert "assess-population" in captured.err


# ---------------------------------------------------------------- stopped from outside


def stop_at_the_second_batch(monkeypatch, stop) -> None:
    write = outputs.ParquetInOrder.write
    written = []

    def write_then_stop(self, frame):
        write(self, frame)
        written.append(frame.height)
        if len(written) == 2:
            stop()

    monkeypatch.setattr(outputs.ParquetInOrder, "write", write_then_stop)


def test_a_run_terminated_midway_exits_143_and_leaves_no_scratch_nor_folder(
    tmp_path, monkeypatch, capsys
):
    # A scheduler's SIGTERM stops an analyst's run: what it was writing goes, as on any failure,
    # and the folder made for it too (the shuffled order writes through scratch files).
    persons = population(tmp_path, shuffle=True)
    stop_at_the_second_batch(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGTERM))
    assert assess(persons, tmp_path / "new" / "out.parquet", "--batch-size", "7") == 143
    assert "terminated" in capsys.readouterr().err
    assert "new" not in left_in(tmp_path)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # given back after the run


def test_ctrl_c_exits_130_without_a_traceback_and_keeps_the_old_output(
    tmp_path, monkeypatch, capsys
):
    persons = population(tmp_path)
    out = tmp_path / "out.parquet"
    assert assess(persons, out) == 0
    before = out.read_bytes()

    def interrupt():
        raise KeyboardInterrupt

    stop_at_the_second_batch(monkeypatch, interrupt)
    assert assess(persons, out, "--batch-size", "7") == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
    assert out.read_bytes() == before
    assert [name for name in left_in(tmp_path) if not name.startswith("persons")] == ["out.parquet"]


# ---------------------------------------------------------------- read, but perhaps not as meant


def test_a_persons_file_whose_episode_tables_go_by_another_name_is_warned_of(tmp_path, capsys):
    # Written as persons.titles.parquet … beside a persons file renamed pop.parquet: the
    # tables are not found, and everyone would read as holding nothing, without a word.
    persons = population(tmp_path)
    renamed = persons.rename(tmp_path / "pop.parquet")
    assert assess(renamed, tmp_path / "out.parquet") == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "no episode table found beside it" in err
    assert "pop.titles.parquet" in err
    assert assess(population(tmp_path / "named"), tmp_path / "out2.parquet") == 0
    assert "warning" not in capsys.readouterr().err


def test_one_episode_table_missing_beside_the_others_is_warned_of_naming_it(tmp_path, capsys):
    # An export that left out the titles: every refugee would read irregular, without a word.
    persons = population(tmp_path)
    persons.with_name("persons.titles.parquet").unlink()
    assert assess(persons, tmp_path / "out.parquet") == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "no titles table found beside it" in err
    assert "persons.titles.parquet" in err and "no documents table" not in err


def test_applications_without_the_columns_the_contract_does_not_name_read_them_as_not_recorded(
    tmp_path,
):
    # Built from the dossier's contract alone: no completed_on, suspension or appeal columns.
    recorded, contract_only = population(tmp_path / "a"), population(tmp_path / "b")
    extensions = ["completed_on", "suspended_at_party_request", "appeal_filed", "channel"]
    for path, keep in ((recorded, True), (contract_only, False)):
        applications = path.with_name("persons.applications.parquet")
        table = pl.read_parquet(applications)
        nulls = [pl.lit(None, dtype=table.schema[column]).alias(column) for column in extensions]
        table = table.with_columns(nulls) if keep else table.drop(extensions)
        table.write_parquet(applications)
        assert assess(path, path.with_name("out.parquet")) == 0
    answers = [pl.read_parquet(p.with_name("out.parquet")) for p in (recorded, contract_only)]
    assert answers[1].equals(answers[0])


def test_an_applications_table_without_appeal_filed_is_warned_of_naming_the_column(
    tmp_path, capsys
):
    persons = population(tmp_path)
    applications = persons.with_name("persons.applications.parquet")
    pl.read_parquet(applications).drop("appeal_filed").write_parquet(applications)
    assert assess(persons, tmp_path / "out.parquet") == 0
    err = capsys.readouterr().err
    assert "the applications table has no column 'appeal_filed'" in err
    assert "'completed_on'" not in err


def test_no_stays_abroad_table_beside_the_others_is_not_warned_of(tmp_path, capsys):
    # Nobody abroad is as likely as a file left out: relatives and stays abroad may be none.
    persons = population(tmp_path)
    persons.with_name("persons.stays_abroad.parquet").unlink()
    assert assess(persons, tmp_path / "out.parquet") == 0
    assert "warning" not in capsys.readouterr().err


def test_a_misspelt_fact_column_is_warned_of_naming_it(tmp_path, capsys):
    persons = population(tmp_path)
    table = pl.read_parquet(persons).with_columns(fact_karta_polak=pl.lit(True))
    table.write_parquet(persons)
    assert assess(persons, tmp_path / "out.parquet") == 0
    err = capsys.readouterr().err
    assert "column 'fact_karta_polak' is not a fact the rules read" in err
    assert "fact_karta_polaka" in err  # the fact meant, among those read


def family_of(persons: Path) -> Path:
    return persons.with_name("persons.family.parquet")


def test_a_link_written_one_way_only_is_warned_of_naming_it(tmp_path, capsys):
    # A household table with one row per pair: the child's own rows name no parent, so the
    # child's routes through a parent would be lost.
    persons = population(tmp_path)
    links = pl.read_parquet(family_of(persons))
    parents = links.filter(pl.col("relation").cast(pl.String) == "parent")
    person, _, other = parents.sort("person_id", "other_id").row(0)
    links.filter(~((pl.col("person_id") == person) & (pl.col("other_id") == other))).write_parquet(
        family_of(persons)
    )
    assert assess(persons, tmp_path / "out.parquet") == 0
    err = capsys.readouterr().err
    said = f"person {other}: other_id {person} is their child, but person {person} names no"
    assert f"{said} parent {other}" in err
    assert "1 link(s)" in err


def test_the_two_rows_of_a_link_that_disagree_are_refused_naming_both(tmp_path, capsys):
    persons = population(tmp_path)
    links = pl.read_parquet(family_of(persons)).with_columns(pl.col("relation").cast(pl.String))
    person, _, other = links.filter(pl.col("relation") == "parent").sort("person_id").row(0)
    mine = (pl.col("person_id") == person) & (pl.col("other_id") == other)
    links.with_columns(
        relation=pl.when(mine).then(pl.lit("spouse")).otherwise(pl.col("relation"))
    ).write_parquet(family_of(persons))
    assert assess(persons, tmp_path / "out.parquet") == 2
    err = capsys.readouterr().err
    said = f"person {other}: other_id {person} is their child, but person {person} names"
    assert f"{said} {other} as their spouse" in err
    assert not (tmp_path / "out.parquet").exists()
