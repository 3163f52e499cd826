"""Imports into the database: the shipped real extracts give back their numbers exactly, the
same file twice changes nothing, and a malformed file changes nothing and says where and why."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from legalstay.stats import bundled_observations, new_asylum_applications, permits_held
from legalstay.web.statistics import access, services
from legalstay.web.statistics.models import Observation, StatisticsImport
from tests.core.stats.test_bundled_numbers import (
    EUROSTAT_VALID_PERMITS_BY_IN_PL,
    UNHCR_NEW_APPLICATIONS_BY_IN_PL,
)
from tests.web.statistics.conftest import PUBLISHED, RESVALID, shipped_file

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_statistics", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot():
    return list(Observation.objects.order_by("id").values_list())


def by_period(frame: pl.DataFrame) -> dict[str, float]:
    return dict(frame.select("period", "value").iter_rows())


def test_the_shipped_extracts_give_back_eurostats_valid_permits_exactly(shipped, anna):
    rows = access.observations(
        anna,
        datasets=["migr_resvalid"],
        filters={"citizen": ["BY"], "geo": ["PL"]},
    )
    found = by_period(permits_held(rows, "BY", "PL"))
    assert {p: found[p] for p in EUROSTAT_VALID_PERMITS_BY_IN_PL} == EUROSTAT_VALID_PERMITS_BY_IN_PL
    assert "2025" not in found  # Poland had not reported 2025 when the extract was made
    flagged = Observation.objects.get(
        dataset="migr_resvalid", citizen="BY", geo="PL", period="2018"
    )
    assert (flagged.value, flagged.flag) == (49599, "d")


def test_the_shipped_extracts_give_back_unhcrs_new_applications_exactly(shipped, anna):
    rows = access.observations(anna, datasets=["unhcr_asylum_applications"])
    found = by_period(new_asylum_applications(rows, "BY", "PL"))
    assert {p: found[p] for p in UNHCR_NEW_APPLICATIONS_BY_IN_PL} == UNHCR_NEW_APPLICATIONS_BY_IN_PL
    stored = Observation.objects.filter(
        dataset="unhcr_asylum_applications", citizen="BY", geo="PL", period="2021"
    )
    new_first_instance = stored.filter(dimensions__app_type="N", dimensions__dec_level="FI")
    assert [row.value for row in new_first_instance] == [2164]


def test_the_database_copy_is_the_core_store_row_for_row(shipped, anna):
    core = bundled_observations()
    copy = access.observations(anna)
    columns = sorted(core.columns)
    keys = [c for c in columns if c not in ("value", "flag", "source", "retrieved", "note")]
    assert copy.height == core.height == 37601
    assert copy.select(columns).sort(keys).equals(core.select(columns).sort(keys))


def test_importing_the_shipped_extracts_twice_changes_nothing(shipped):
    before = snapshot()
    report = services.do_import_bundled(actor=None)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 37601)
    assert snapshot() == before
    assert StatisticsImport.objects.count() == 1


def test_the_command_imports_files_and_the_same_file_again_changes_nothing(tmp_path):
    path = tmp_path / RESVALID
    path.write_bytes(shipped_file(RESVALID))

    first = run(str(path), "--retrieved", "2026-11-26")
    before = snapshot()
    second = run(str(path))

    assert "migr_resvalid: 329 added, 0 updated, 0 unchanged" in first
    assert "total: 0 added, 0 updated, 329 unchanged" in second
    assert snapshot() == before
    assert Observation.objects.filter(retrieved=dt.date(2026, 11, 26)).count() == 329
    assert StatisticsImport.objects.get().channel == "command"


def test_a_revised_value_replaces_the_stored_one_and_nothing_else(page_data):
    text = shipped_file(PUBLISHED).decode()
    revised = text.replace(
        "by-asy-2019,asylum_applications,BY,PL,2019,37,",
        "by-asy-2019,asylum_applications,BY,PL,2019,38,",
    )
    assert revised != text
    before = {row[0]: row for row in snapshot()}

    report = services.do_import_uploads(actor=None, uploads=[(PUBLISHED, revised.encode())])

    assert (report.added, report.updated) == (0, 1)
    after = {row[0]: row for row in snapshot()}
    changed = [pk for pk in after if after[pk] != before[pk]]
    assert len(changed) == 1
    assert Observation.objects.get(pk=changed[0]).value == 38


def test_a_malformed_file_names_line_and_reason_and_nothing_is_imported(tmp_path):
    good = tmp_path / RESVALID
    good.write_bytes(shipped_file(RESVALID))
    lines = shipped_file(PUBLISHED).decode().splitlines()
    lines[3] = lines[3].replace(",exact,", ",roughly,")
    bad = tmp_path / "figures.csv"
    bad.write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError) as raised:
        run(str(good), str(bad))

    message = str(raised.value)
    assert f"{bad}:line 4: qualifier 'roughly' is not one of" in message
    assert message.endswith("nothing was imported")
    assert not Observation.objects.exists()
    assert not StatisticsImport.objects.exists()


def test_a_malformed_file_after_the_shipped_extracts_undoes_them_too(tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_text("")

    with pytest.raises(CommandError, match="line 1: the file is empty"):
        run("--bundled", str(bad))

    assert not Observation.objects.exists()


def test_the_command_wants_files_or_the_shipped_extracts():
    with pytest.raises(CommandError, match="name files to import, or --bundled"):
        run()


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(CommandError, match="nothing was imported"):
        run(str(tmp_path / "absent.tsv"))
