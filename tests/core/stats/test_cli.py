"""`legalstay stats`: import, query, report, datasets — through the real entry point."""

import json

import pytest

from legalstay.cli import main


@pytest.fixture
def run(store, capsys):
    def run(*args):
        code = main(["stats", *args, "--store", str(store)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_importing_the_bundled_extracts_twice_reports_everything_unchanged(run):
    code, out, _ = run("import", "--bundled")
    assert code == 0 and "0 unchanged" in out.splitlines()[-1]
    code, out, _ = run("import", "--bundled")
    assert code == 0 and out.splitlines()[-1].startswith("total: 0 added, 0 updated,")


def test_a_json_query_gives_records_with_each_dimension_by_its_code_name(run):
    run("import", "--bundled")
    code, out, _ = run(
        "query",
        "--dataset",
        "unhcr_asylum_applications",
        "--citizen",
        "BY",
        "--geo",
        "PL",
        "--filter",
        "app_type=N",
        "--filter",
        "dec_level=FI",
        "--period",
        "2023",
        "--format",
        "json",
    )
    assert code == 0
    (record,) = json.loads(out)
    assert record["value"] == 3631
    assert {"dataset", "citizen", "geo", "app_type", "period", "value", "flag", "source"} <= set(
        record
    )


def test_a_csv_query_reproduces_the_permit_stock(run):
    run("import", "--bundled")
    code, out, _ = run(
        "query", "--dataset", "migr_resvalid", "--citizen", "BY", "--geo", "PL", "--format", "csv"
    )
    assert code == 0
    assert "migr_resvalid,A,TOTAL,TOTAL,PER,BY,PL,2024,251362," in out


def test_the_table_shows_a_flag_next_to_its_value(run):
    run("import", "--bundled")
    code, out, _ = run(
        "query", "--dataset", "migr_resvalid", "--citizen", "BY", "--geo", "PL", "--period", "2018"
    )
    assert code == 0 and "49599 d" in out


def test_a_malformed_file_exits_2_naming_the_line(run, tmp_path):
    broken = tmp_path / "migr_resvalid.tsv"
    broken.write_text("freq,geo\\TIME_PERIOD\t2023\nA,PL\t1x\n")
    code, _, err = run("import", str(broken))
    assert code == 2 and "line 2" in err and "nothing was imported" in err


def test_querying_an_empty_store_says_how_to_fill_it(run):
    code, _, err = run("query", "--dataset", "migr_resvalid")
    assert code == 2 and "import --bundled" in err


def test_a_bad_filter_is_refused(run):
    run("import", "--bundled")
    code, _, err = run("query", "--dataset", "migr_resvalid", "--filter", "reason")
    assert code == 2 and "DIMENSION=CODE" in err


def test_the_report_is_written_from_a_store_with_nothing_imported(run, tmp_path):
    out_file = tmp_path / "report.html"
    code, _, _ = run("report", "--out", str(out_file))
    assert code == 0 and out_file.read_text().count("<svg") == 3


def test_the_report_takes_a_caseload_file(run, tmp_path):
    caseload = tmp_path / "caseload.csv"
    caseload.write_text(
        "month,citizenship,legal_stay_basis,passport_expired\n"
        + "2025-01-01,BY,temporary_residence,true\n" * 12
    )
    out_file = tmp_path / "report.html"
    code, _, _ = run("report", "--out", str(out_file), "--caseload", str(caseload))
    assert code == 0 and "The caseload" in out_file.read_text()


def test_the_store_defaults_to_the_var_dir_from_the_environment(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LEGALSTAY_VAR_DIR", str(tmp_path / "var"))
    assert main(["stats", "import", "--bundled"]) == 0
    assert (tmp_path / "var" / "stats" / "observations.parquet").exists()
    capsys.readouterr()


def test_datasets_lists_what_the_store_holds(run):
    run("import", "--bundled")
    code, out, _ = run("datasets")
    assert code == 0 and "unhcr_asylum_decisions" in out and "dimensions" in out
