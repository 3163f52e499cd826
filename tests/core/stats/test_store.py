"""The store: idempotent imports, revisions, atomic failure, and queries by any dimension."""

import pytest

from legalstay.stats import (
    STORE_FILE,
    StatsFormatError,
    StatsQueryError,
    import_files,
    load_store,
    query,
)

SYNTHETIC = (
    "migr_asyappctza_synthetic.tsv",
    "migr_asydcfsta_synthetic.json",
    "migr_resfirst_sdmx_1_0.csv",
    "migr_resvalid_UA_linear_2_0.csv",
)


def test_importing_the_same_files_twice_adds_nothing_and_changes_nothing(store, fixture_path):
    paths = [fixture_path(name) for name in SYNTHETIC]
    first = import_files(store, paths)
    stored = (store / STORE_FILE).read_bytes()
    second = import_files(store, paths)
    assert first.added == second.unchanged > 0
    assert (second.added, second.updated) == (0, 0)
    assert (store / STORE_FILE).read_bytes() == stored


def test_the_report_counts_rows_file_by_file(store, fixture_path):
    report = import_files(store, [fixture_path("migr_asyappctza_synthetic.tsv")])
    (file,) = report.files
    assert (file.format, file.dataset, file.added) == ("eurostat-tsv", "migr_asyappctza", 21)


def test_a_revised_value_replaces_the_stored_one(store, fixture_path, tmp_path):
    import_files(store, [fixture_path("migr_asyappctza_synthetic.tsv")])
    revised = tmp_path / "migr_asyappctza.tsv"
    revised.write_text(
        fixture_path("migr_asyappctza_synthetic.tsv").read_text().replace("1985 p", "1990 ")
    )
    report = import_files(store, [revised])
    assert (report.added, report.updated) == (0, 1)
    rows = query(
        load_store(store),
        dataset="migr_asyappctza",
        filters={"citizen": ["BY"], "applicant": ["FRST"], "period": ["2022"]},
    )
    assert rows.select("value", "flag").row(0) == (1990, None)


def test_a_malformed_file_leaves_the_store_exactly_as_it_was(store, fixture_path, tmp_path):
    import_files(store, [fixture_path("migr_asyappctza_synthetic.tsv")])
    before = (store / STORE_FILE).read_bytes()
    broken = tmp_path / "migr_resvalid.tsv"
    broken.write_text("freq,geo\\TIME_PERIOD\t2023\nA,PL\t12\nA,LT\tx\n")
    with pytest.raises(StatsFormatError) as error:
        import_files(store, [fixture_path("migr_asydcfsta_synthetic.json"), broken])
    assert error.value.line == 3 and error.value.path == str(broken)
    assert (store / STORE_FILE).read_bytes() == before
    assert sorted(p.name for p in store.iterdir()) == [STORE_FILE]


def test_a_failed_first_import_leaves_no_store_at_all(store, tmp_path):
    broken = tmp_path / "migr_resvalid.tsv"
    broken.write_text("freq,geo\\TIME_PERIOD\t2023\nA,PL\t1 2\n")
    with pytest.raises(StatsFormatError):
        import_files(store, [broken])
    assert not (store / STORE_FILE).exists()


def test_datasets_with_different_dimensions_share_the_store(store, fixture_path):
    import_files(store, [fixture_path(name) for name in SYNTHETIC])
    observations = load_store(store)
    rows = query(observations, dataset="migr_asydcfsta", filters={"citizen": ["BY"]})
    assert "decision" in rows.columns and "applicant" not in rows.columns


def test_a_query_for_greece_by_its_iso_code_finds_eurostats_el(store, fixture_path):
    import_files(store, [fixture_path("migr_asyappctza_synthetic.tsv")])
    rows = query(load_store(store), dataset="migr_asyappctza", filters={"geo": ["GR"]})
    assert rows["geo"].unique().to_list() == ["EL"]


def test_a_query_for_a_dimension_the_dataset_lacks_says_which_it_has(store, fixture_path):
    import_files(store, [fixture_path("migr_asyappctza_synthetic.tsv")])
    with pytest.raises(StatsQueryError, match=r"no dimension 'decision'.*applicant"):
        query(load_store(store), dataset="migr_asyappctza", filters={"decision": ["POS"]})


def test_a_query_for_an_unknown_dataset_lists_the_known_ones(store, fixture_path):
    import_files(store, [fixture_path("migr_asyappctza_synthetic.tsv")])
    with pytest.raises(StatsQueryError, match="migr_asyappctza"):
        query(load_store(store), dataset="migr_nothing")
