"""`legalstay bench assess`: the figures the issue fixes are printed, and they agree with each
other (a small population, one run of each kind, in fresh processes as for a million)."""

from __future__ import annotations

import json
import os
import platform

import pytest

from legalstay.cli import main


def test_it_prints_the_agreed_figures(capsys):
    argv = ["bench", "assess", "--persons", "400", "--repeat", "1", "--format", "json"]
    assert main(argv) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["persons"] == 400
    assert figures["seconds"] > 0 and figures["scan_seconds"] > 0
    assert figures["persons_per_s"] == pytest.approx(400 / figures["seconds"])
    assert figures["ratio_to_scan"] == pytest.approx(figures["seconds"] / figures["scan_seconds"])
    assert figures["peak_rss_bytes"] > 50_000_000  # a Python process with Polars loaded
    # CPU time of the measured work beside its wall time (less moved by a shared machine).
    assert figures["cpu_seconds"] > 0 and figures["scan_cpu_seconds"] > 0
    assert figures["working_bytes_per_person"] > 0
    # The warm-up runs before the baseline is read: it brings code pages and thread pools
    # into memory, so the baseline is above the one after imports.
    assert figures["working_bytes_per_person"] < figures["working_bytes_per_person_from_import"]
    assert figures["explain_ms_p50"] <= figures["explain_ms_p95"]
    assert figures["batch_size"] == 0
    # The measured process caps glibc's arenas as the ``legalstay`` command does.
    if platform.libc_ver()[0] == "glibc" and "MALLOC_ARENA_MAX" not in os.environ:
        assert figures["malloc_arenas"] == 2


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--persons", "0"], "argument --persons: '0' is not a positive whole number"),
        (["--persons", "-5"], "argument --persons: '-5' is not a positive whole number"),
        (["--repeat", "0"], "argument --repeat: '0' is not a positive whole number"),
        (["--batch-size", "-3"], "argument --batch-size: '-3' is not a whole number of 0 or more"),
    ],
)
def test_an_option_out_of_range_exits_2_naming_it(capsys, option, message):
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "assess", *option])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("reform", "message"),
    [
        ("utopia", "error: --reform: unknown scenario 'utopia'; known: "),
        ("pl-baseline", "error: --reform pl-baseline: is the baseline; name a reform"),
    ],
)
def test_a_reform_that_is_not_one_exits_2_before_anything_is_generated(capsys, reform, message):
    assert main(["bench", "assess", "--persons", "10", "--reform", reform]) == 2
    assert capsys.readouterr().err.startswith(message)


def test_a_dir_that_is_a_file_exits_2_naming_it(tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.write_text("a file")
    assert main(["bench", "assess", "--persons", "10", "--dir", str(taken)]) == 2
    assert capsys.readouterr().err == f"error: --dir {taken}: is a file, not a folder\n"
    assert taken.read_text() == "a file"


def test_a_folder_where_a_table_would_be_written_exits_2_naming_it(tmp_path, capsys):
    (tmp_path / "persons.titles.parquet").mkdir()
    assert main(["bench", "assess", "--persons", "2", "--repeat", "1", "--dir", str(tmp_path)]) == 2
    assert "persons.titles.parquet is a folder, not a file" in capsys.readouterr().err


def test_a_negative_seed_is_refused(capsys):
    with pytest.raises(SystemExit) as refused:
        main(["bench", "assess", "--persons", "2", "--seed", "-1"])
    assert refused.value.code == 2
    assert "--seed: '-1' is not a whole number of 0 or more" in capsys.readouterr().err


def test_workers_without_batches_exit_2_before_anything_is_generated(capsys):
    # One pass has no batches to run side by side; the figures said "workers: 2" all the same.
    assert main(["bench", "assess", "--persons", "10", "--workers", "2"]) == 2
    assert capsys.readouterr().err == (
        "error: --workers: counts batches side by side; give --batch-size too\n"
    )
