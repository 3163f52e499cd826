"""The upload form: staff only; one transaction for all files; the same file twice changes
nothing; a malformed file names its line and reason and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from legalstay.web.statistics.models import Observation, StatisticsImport
from tests.web.statistics.conftest import PUBLISHED, RESVALID, shipped_file

pytestmark = pytest.mark.django_db

IMPORT = reverse("statistics:import")


def upload(client, *files, **fields):
    data = {"action": "upload", "retrieved": "2026-11-26", "uploads": list(files), **fields}
    return client.post(IMPORT, data, follow=True)


def real(name):
    return SimpleUploadedFile(name, shipped_file(name))


def malformed_figures():
    lines = shipped_file(PUBLISHED).decode().splitlines()
    lines[6] = lines[6].replace(",PL,", ",PL,,", 1)  # one cell too many on line 7
    return SimpleUploadedFile("figures.csv", ("\n".join(lines) + "\n").encode())


def test_only_staff_may_import(carl_client):
    assert carl_client.get(IMPORT).status_code == 403
    assert upload(carl_client, real(RESVALID)).status_code == 403
    assert not Observation.objects.exists()


def test_staff_upload_a_real_extract_and_the_journal_says_who(anna_client, anna):
    response = upload(anna_client, real(RESVALID))

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "eurostat_migr_resvalid_BY.json (json-stat-2.0, migr_resvalid): 329 added, 0 updated, "
        "0 unchanged." in messages
    )
    assert Observation.objects.count() == 329
    entry = StatisticsImport.objects.get()
    assert (entry.imported_by, entry.channel, entry.added) == (anna, "upload", 329)
    assert entry.files[0]["dataset"] == "migr_resvalid"


def test_the_same_upload_twice_changes_nothing(anna_client):
    upload(anna_client, real(RESVALID))
    before = list(Observation.objects.order_by("id").values_list())

    response = upload(anna_client, real(RESVALID))

    messages = [str(m) for m in response.context["messages"]]
    assert "Nothing changed: every observation was already stored." in messages
    assert list(Observation.objects.order_by("id").values_list()) == before
    assert StatisticsImport.objects.count() == 1


def test_a_malformed_upload_names_line_and_reason_and_changes_nothing(anna_client):
    response = upload(anna_client, real(RESVALID), malformed_figures())

    assert response.status_code == 200
    errors = response.context["form"].errors["uploads"]
    assert errors == [
        "figures.csv, line 7: 15 cells where the header has 14. Nothing was imported."
    ]
    assert "figures.csv, line 7: 15 cells where the header has 14." in response.content.decode()
    assert not Observation.objects.exists()
    assert not StatisticsImport.objects.exists()


def test_a_file_in_no_known_format_is_refused(anna_client):
    response = upload(anna_client, SimpleUploadedFile("notes.txt", b"hello\n"))
    [error] = response.context["form"].errors["uploads"]
    assert error.startswith("notes.txt, line 1: not a format legalstay reads")


def test_a_tsv_named_after_no_dataset_takes_the_dataset_field(anna_client):
    tsv = (
        b"freq,unit,citizen,sex,age,applicant,geo\\TIME_PERIOD\t2023 \t2024 \n"
        b"A,PER,BY,T,TOTAL,FRST,PL\t3 \t4 e\n"
    )  # synthetic: two invented cells in Eurostat's TSV layout
    response = upload(
        anna_client, SimpleUploadedFile("download.tsv", tsv), dataset="migr_asyappctza"
    )
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "download.tsv (eurostat-tsv, migr_asyappctza): 2 added, 0 updated, 0 unchanged." in messages
    )
    stored = Observation.objects.get(period="2024")
    assert (stored.dataset, stored.value, stored.flag) == ("migr_asyappctza", 4, "e")


def test_staff_import_the_shipped_extracts_with_one_button(anna_client):
    response = anna_client.post(IMPORT, {"action": "bundled"}, follow=True)

    assert response.status_code == 200
    assert Observation.objects.count() == 37601
    assert StatisticsImport.objects.get().channel == "bundled"
    assert "37601 observations stored." in [str(m) for m in response.context["messages"]]


def test_an_upload_without_a_file_asks_for_one_and_stores_nothing(anna_client):
    # It said "Nothing changed: every observation was already stored."
    response = upload(anna_client)

    assert response.context["form"].errors["uploads"] == ["This field is required."]
    assert not StatisticsImport.objects.exists()


def test_a_retrieval_day_after_today_is_refused(anna_client):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = upload(anna_client, real(RESVALID), retrieved=tomorrow)

    assert response.context["form"].errors["retrieved"] == [
        "The files cannot have been downloaded after today."
    ]
    assert not Observation.objects.exists()
