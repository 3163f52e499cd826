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


def test_it_refuses_a_file_to_import_that_does_not_exist_and_imports_nothing(run, store, tmp_path):
    missing = tmp_path / "nope.tsv"
    code, _, err = run("import", "--bundled", str(missing))
    assert code == 2
    assert err == f"legalstay stats: {missing}: no such file; nothing was imported\n"
    assert not store.exists()


def test_it_refuses_a_folder_as_a_file_to_import(run, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    code, _, err = run("import", str(folder))
    assert code == 2
    assert err == (
        f"legalstay stats: {folder}: is a folder, not a file; name the files in it "
        f"({folder}/*); nothing was imported\n"
    )


def test_it_refuses_a_store_that_is_a_file(run, store):
    store.write_text("not a store\n")
    code, _, err = run("import", "--bundled")
    assert code == 2
    assert err == (
        f"legalstay stats: --store {store}: is a file, not a folder; name the store's folder; "
        "nothing was imported\n"
    )
    assert store.read_text() == "not a store\n"


def test_it_refuses_a_store_that_cannot_be_created(tmp_path, capsys):
    (tmp_path / "afile").write_text("")
    store = tmp_path / "afile" / "stats"
    assert main(["stats", "import", "--bundled", "--store", str(store)]) == 2
    assert capsys.readouterr().err == (
        f"legalstay stats: --store {store}: cannot be written (Not a directory); "
        "nothing was imported\n"
    )


def test_the_report_creates_the_missing_folder_of_out(run, tmp_path):
    out_file = tmp_path / "reports" / "2025" / "report.html"
    code, out, _ = run("report", "--out", str(out_file))
    assert code == 0 and out.startswith(f"wrote {out_file} (")
    assert out_file.read_text().count("<svg") == 3
    assert sorted(p.name for p in out_file.parent.iterdir()) == ["report.html"]


def test_it_refuses_a_report_out_that_is_a_folder(run, tmp_path):
    code, _, err = run("report", "--out", str(tmp_path))
    assert code == 2
    assert err == (
        f"legalstay stats: --out {tmp_path}: is a folder; give the name of a file to write\n"
    )


def test_it_refuses_a_report_out_under_a_file(run, tmp_path):
    (tmp_path / "afile").write_text("")
    out_file = tmp_path / "afile" / "report.html"
    code, _, err = run("report", "--out", str(out_file))
    assert code == 2
    assert (
        err == f"legalstay stats: --out {out_file}: {tmp_path / 'afile'} is a file, not a folder\n"
    )


@pytest.mark.parametrize("threshold", ["-1", "0"])
def test_it_refuses_a_suppression_threshold_below_1(run, tmp_path, threshold):
    out_file = tmp_path / "report.html"
    with pytest.raises(SystemExit) as exit_:
        run("report", "--out", str(out_file), "--threshold", threshold)
    assert exit_.value.code == 2 and not out_file.exists()


def test_the_threshold_error_names_the_option(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["stats", "report", "--out", str(tmp_path / "r.html"), "--threshold", "-1"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        "legalstay stats report: error: argument --threshold: '-1' is not a positive whole number"
    )


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            ["--filter", "geo=PL", "--filter", "geo=DE"],
            "--filter geo=DE: geo is already filtered by --filter geo=PL; "
            "give geo once, codes comma-separated (--geo PL,DE)",
        ),
        (  # a dimension that has its own option too
            ["--filter", "citizen=BY", "--citizen", "UA"],
            "--filter citizen=BY: citizen is already filtered by --citizen UA; "
            "give citizen once, codes comma-separated (--citizen UA,BY)",
        ),
    ],
    ids=["given twice", "given by --filter and its own option"],
)
def test_it_refuses_a_dimension_filtered_twice_suggesting_the_comma_form(run, filters, message):
    run("import", "--bundled")
    code, _, err = run("query", "--dataset", "migr_resvalid", *filters)
    assert code == 2
    assert err == f"legalstay stats: {message}\n"


def test_it_refuses_an_empty_citizen(run):
    run("import", "--bundled")
    code, _, err = run("query", "--dataset", "migr_resvalid", "--citizen", "")
    assert code == 2
    assert err == "legalstay stats: --citizen '': an empty code; give codes such as BY or BY,UA\n"


def test_it_refuses_a_period_that_is_no_day_of_the_calendar(run):
    run("import", "--bundled")
    code, _, err = run("query", "--dataset", "migr_resvalid", "--period", "2023-02-30")
    assert code == 2
    assert err == (
        "legalstay stats: --period 2023-02-30: not a period (YYYY, YYYY-MM, YYYY-Qn, YYYY-Sn, "
        "YYYY-Www, a calendar day YYYY-MM-DD, or FROM/TO)\n"
    )


def test_a_period_in_eurostat_s_compact_spelling_finds_the_stored_one(run, fixture_path):
    run("import", str(fixture_path("migr_asyappctzm_old_synthetic.tsv")))
    code, out, _ = run("query", "--dataset", "migr_asyappctzm", "--period", "2020M09")
    assert code == 0 and "2020-09" in out and "2020-08" not in out


def test_datasets_of_a_store_with_nothing_imported_exits_2_as_query_does(run, store):
    code, out, err = run("datasets")
    assert code == 2 and out == ""
    assert err == (
        f"legalstay stats: the store {store} is empty: run `legalstay stats import --bundled` "
        "or import files\n"
    )


def test_datasets_refuses_a_store_that_is_a_file(run, store):
    store.write_text("")
    code, _, err = run("datasets")
    assert code == 2
    assert (
        err
        == f"legalstay stats: --store {store}: is a file, not a folder; name the store's folder\n"
    )
