"""``legalstay scan``: every person's status recomputed in batches through the population
back-end, idempotent, and equal to what the one-person path stores."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from tests.web.casework.conftest import days, make_zoja
from tests.web.conftest import make_document, make_person, make_stay, mikola_with_a_bare_mother

from legalstay.synthetic import generate_caseload
from legalstay.web.casework.assessment import assess_dossier, content
from legalstay.web.casework.models import Alert, PersonStatus, ScanRun
from legalstay.web.casework.scan import run_scan, tidy_after_scan
from legalstay.web.registry.dossiers import bulk_import_dossiers, dossier_for_person_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(db):
    """A synthetic caseload loaded in bulk, as ``legalstay demo`` does: no statuses yet."""
    bulk_import_dossiers(generate_caseload(240, 7, as_of=timezone.localdate()), batch_size=50)


def test_a_first_scan_stores_a_status_for_everyone_and_says_how_many_changed(caseload):
    run = run_scan(timezone.localdate(), batch_size=60)
    assert PersonStatus.objects.count() == run.persons == run.changed == 240
    assert run.alerts_raised == Alert.objects.count() > 0
    assert ScanRun.objects.get().finished_at is not None


def test_a_second_scan_on_the_same_day_changes_nothing_and_raises_no_alert(caseload):
    today = timezone.localdate()
    run_scan(today, batch_size=60)
    alerts = Alert.objects.count()
    second = run_scan(today, batch_size=60)
    assert (second.persons, second.changed, second.alerts_raised) == (240, 0, 0)
    assert Alert.objects.count() == alerts


def test_the_scan_and_the_one_person_path_agree_person_by_person(caseload):
    today = timezone.localdate()
    run_scan(today, batch_size=60)  # households stay whole across batches
    for status in PersonStatus.objects.select_related("person"):
        derived = assess_dossier(
            dossier_for_person_id(str(status.person.uid)), status.person_id, today
        )
        assert derived.fingerprint == status.fingerprint, status.person_id
        assert content(derived.baseline) == content(status.assessment), status.person_id


def test_a_household_registered_far_apart_is_scanned_whole(olga, caseload):
    # Zoja joins her mother after 240 others: their ids are far apart, the batch reads by list.
    zoja = make_zoja(olga)
    PersonStatus.objects.all().delete()
    today = timezone.localdate()
    run_scan(today, batch_size=30)
    for person in (olga, zoja):
        status = PersonStatus.objects.get(person=person)
        derived = assess_dossier(dossier_for_person_id(str(person.uid)), person.pk, today)
        assert derived.fingerprint == status.fingerprint


def test_a_scan_after_a_change_finds_nothing_new_and_keeps_the_explanation(olga):
    status = PersonStatus.objects.get(person=olga)
    assert status.explained
    run = run_scan(timezone.localdate())
    assert run.changed == 0
    assert PersonStatus.objects.get(person=olga).assessment == status.assessment


def test_as_days_pass_the_scan_raises_a_deadline_alert_once_and_resolves_it_after(olga):
    # Olga's legal stay ends in 30 days: the "file by" deadline comes within 7 days at day 23.
    deadline = f"deadline_near:file_temporary_residence:{days(30).isoformat()}"
    run_scan(days(22))
    assert not Alert.objects.filter(key=deadline).exists()
    first = run_scan(days(23))
    assert first.changed == 1 and first.alerts_raised == 1
    assert Alert.objects.get(key=deadline).state == "open"
    assert run_scan(days(24)).alerts_raised == 0  # still true: no new alert
    run_scan(days(31))  # the day after: irregular, the deadline no longer applies
    assert Alert.objects.get(key=deadline).state == "resolved"
    assert Alert.objects.filter(person=olga, key="irregular::", state="open").exists()


def test_the_scan_moves_the_stored_date_of_statuses_that_did_not_change(olga):
    run_scan(days(1))
    status = PersonStatus.objects.get(person=olga)
    assert status.as_of == days(1)
    assert status.assessment["as_of"] == timezone.localdate().isoformat()


def test_the_scan_command_reports_persons_changed_and_takes_an_as_of_date(caseload):
    out = io.StringIO()
    call_command("scan", "--as-of", timezone.localdate().isoformat(), stdout=out)
    assert "Scanned 240 persons as of" in out.getvalue()
    assert "240 changed" in out.getvalue()
    out = io.StringIO()
    call_command("scan", "--as-of", timezone.localdate().isoformat(), stdout=out)
    assert "0 changed, 0 alerts raised" in out.getvalue()


def test_the_scan_command_refuses_a_date_it_cannot_read(db):
    from django.core.management import CommandError

    for written in ("26.11.2026", "20261126", "2026-W48-4"):
        with pytest.raises(CommandError, match="not a date written YYYY-MM-DD"):
            call_command("scan", "--as-of", written)


def test_a_scan_evaluates_another_date_than_today(olga):
    run_scan(dt.date(2026, 1, 1))
    assert PersonStatus.objects.get(person=olga).as_of == dt.date(2026, 1, 1)


def test_the_scan_reads_a_marriage_date_as_the_one_person_path_does(olga):
    # Olga married a Polish citizen four years ago and holds a permit granted for it.
    today = timezone.localdate()
    olga.facts = {"married_to_polish_citizen_since": (today - dt.timedelta(days=1500)).isoformat()}
    olga.save(update_fields=["facts"])
    olga.titles.update(ground="spouse_of_polish_citizen", valid_from=today - dt.timedelta(days=800))
    PersonStatus.objects.filter(person=olga).delete()
    run_scan(today, batch_size=10)
    stored = PersonStatus.objects.get(person=olga).assessment
    assert stored["eligibility"]["permanent_residence"]["route"] == "spouse_of_polish_citizen"
    derived = assess_dossier(dossier_for_person_id(str(olga.uid)), olga.pk, today)
    assert derived.fingerprint == PersonStatus.objects.get(person=olga).fingerprint


@pytest.mark.parametrize(("reason", "broken"), [("work_for_employer_in_poland", False), ("", True)])
def test_the_scan_reads_why_a_stay_abroad_was_made_as_the_one_person_path_does(
    olga, reason, broken
):
    # Olga spent eight months abroad last year: working for a Polish employer, no break.
    today = timezone.localdate()
    make_stay(olga, left=today - dt.timedelta(days=400), returned=today - dt.timedelta(days=160))
    olga.stays_abroad.update(reason=reason)
    run_scan(today, batch_size=10)
    stored = PersonStatus.objects.get(person=olga)
    assert ("continuity_broken" in stored.assessment["flags"]) is broken
    derived = assess_dossier(dossier_for_person_id(str(olga.uid)), olga.pk, today)
    assert derived.fingerprint == stored.fingerprint


@pytest.mark.django_db(transaction=True)
def test_a_scan_that_rewrote_most_statuses_vacuums_them_on_postgresql(caseload):
    run = run_scan(timezone.localdate(), batch_size=60)
    assert run.changed == 240
    assert tidy_after_scan(run) is (connection.vendor == "postgresql")
    again = run_scan(timezone.localdate(), batch_size=60)
    assert tidy_after_scan(again) is False  # nothing rewritten: nothing to tidy


def test_the_scan_keeps_a_document_of_unknown_validity_unknown_as_the_one_person_path_does(db):
    # Piotra's only document is a Belarusian passport recorded without its expiry: whether it
    # is valid is not known (null), not "no valid travel document".
    piotra = make_person(surname="Пятрова", birth_date=dt.date(1990, 1, 1))
    make_document(piotra, number="MP7654321", issued=days(-400), expires=None)
    PersonStatus.objects.filter(person=piotra).delete()  # the scan, not the edit, stores it
    today = timezone.localdate()
    run_scan(today, batch_size=10)
    stored = PersonStatus.objects.get(person=piotra)
    assert stored.assessment["travel_document"]["valid"] is None
    assert stored.travel_document_valid is None  # worklists read "unknown", not "none valid"
    derived = assess_dossier(dossier_for_person_id(str(piotra.uid)), piotra.pk, today)
    assert derived.baseline["travel_document"] == stored.assessment["travel_document"]
    assert derived.fingerprint == stored.fingerprint


def test_the_scan_keeps_a_bare_mothers_permits_unknown_as_the_one_person_path_does(db):
    # Mikola, born in Poland, came with his mother Hanna given only by who she is: whether
    # she holds a permit is not known, so his route to permanent residence is open, not shut.
    from legalstay.dossier import dossier_from_dict
    from legalstay.web.registry.dossiers import do_import_dossier
    from legalstay.web.registry.models import Person

    mikola = do_import_dossier(dossier_from_dict(mikola_with_a_bare_mother()))
    today = timezone.localdate()
    run_scan(today, batch_size=10)
    stored = PersonStatus.objects.get(person=mikola)
    route = stored.assessment["eligibility"]["permanent_residence"]
    assert route["eligible"] is None
    assert "born_to_a_resident_parent" in route["unknown"]
    derived = assess_dossier(dossier_for_person_id(str(mikola.uid)), mikola.pk, today)
    assert derived.fingerprint == stored.fingerprint
    assert Person.objects.get(external_id="hanna").episodes_recorded is False


def test_a_bare_mother_is_not_assessed_raises_no_alert_and_is_on_no_worklist(anna_client, db):
    # Hanna is known only as Mikola's mother: "irregular" would be a guess about her permits.
    from django.urls import reverse

    from legalstay.dossier import dossier_from_dict
    from legalstay.web.registry.dossiers import do_import_dossier
    from legalstay.web.registry.models import Person

    do_import_dossier(dossier_from_dict(mikola_with_a_bare_mother()))
    hanna = Person.objects.get(external_id="hanna")

    run_scan(timezone.localdate(), batch_size=10)

    assert not PersonStatus.objects.filter(person=hanna).exists()
    assert not Alert.objects.filter(person=hanna).exists()
    page = anna_client.get(reverse("casework:person", kwargs={"uid": hanna.uid}))
    assert b'id="not-assessed"' in page.content
