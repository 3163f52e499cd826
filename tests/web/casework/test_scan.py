"""``legalstay scan``: every person's status recomputed in batches through the population
back-end, idempotent, and equal to what the one-person path stores."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from tests.web.casework.conftest import days, make_olga, make_zoja
from tests.web.conftest import (
    make_application,
    make_document,
    make_event,
    make_person,
    make_stay,
    make_title,
    mikola_with_a_bare_mother,
)

from legalstay.synthetic import generate_caseload
from legalstay.web.casework import scan
from legalstay.web.casework.assessment import assess_dossier, content
from legalstay.web.casework.models import Alert, PersonStatus, ScanRun
from legalstay.web.casework.population import population_tables
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


def test_the_scan_command_refuses_a_batch_of_no_persons(db):
    from django.core.management import CommandError

    # Zero was read as one household a batch: a registry of thousands then took hours.
    for written in ("0", "-3", "many"):
        with pytest.raises(CommandError, match=f"--batch-size: '{written}' is not a positive"):
            call_command("scan", "--batch-size", written)


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


def test_the_scan_reads_a_bare_fathers_polish_citizenship_as_the_one_person_path_does(db):
    # Mikola's father Piotr, a Pole, is known only by who he is: no permits (a Pole holds
    # none), but his citizenship is recorded, so Mikola may be Polish by birth: checked by hand.
    from legalstay.dossier import dossier_from_dict
    from legalstay.web.registry.dossiers import do_import_dossier

    raw = mikola_with_a_bare_mother()
    piotr = {
        "id": "piotr",
        "birth_date": "1988-05-05",
        "citizenships": ["PL"],
        "names": {"surname": "Nowak"},
    }
    raw["family"].append({"relation": "parent", "person": piotr})
    mikola = do_import_dossier(dossier_from_dict(raw))
    today = timezone.localdate()
    run_scan(today, batch_size=10)
    stored = PersonStatus.objects.get(person=mikola)
    assert "parent_polish_citizen" in stored.assessment["flags"]
    derived = assess_dossier(dossier_for_person_id(str(mikola.uid)), mikola.pk, today)
    assert derived.fingerprint == stored.fingerprint


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


@pytest.mark.parametrize("day", [23, 31])
def test_after_a_later_scan_the_stored_assessment_says_what_olga_may_apply_for_that_day(olga, day):
    # The person page reads the stored assessment: a scan that finds a new answer stores it
    # whole (eligibility included), not the columns alone beside yesterday's assessment.
    run_scan(days(22))
    assert run_scan(days(day)).changed == 1
    status = PersonStatus.objects.get(person=olga)
    derived = assess_dossier(dossier_for_person_id(str(olga.uid)), olga.pk, days(day))
    assert status.fingerprint == derived.fingerprint
    assert status.assessment["eligibility"] == derived.baseline["eligibility"]
    assert content(status.assessment) == content(derived.baseline)


def test_a_paper_application_filed_after_mos_became_the_only_way_is_flagged_by_the_scan_too(ben):
    # Filed on paper after 27 Apr 2026, when MOS became the only way: it will not be examined.
    make_title(ben, valid_from=dt.date(2024, 1, 10), valid_to=dt.date(2026, 6, 30))
    make_application(
        ben, channel="paper", filed=dt.date(2026, 6, 1), completed_on=None, formally_complete=None
    )
    today = timezone.localdate()
    derived = assess_dossier(dossier_for_person_id(str(ben.uid)), ben.pk, today)
    assert "application_not_examined" in derived.baseline["flags"]
    assert "application_not_examined" in PersonStatus.objects.get(person=ben).flags
    run_scan(today)
    status = PersonStatus.objects.get(person=ben)
    assert status.fingerprint == derived.fingerprint
    assert "application_not_examined" in status.flags


# Records as the registry's forms let them be: blank optional fields, events entered out of
# order. The population back-end reads the database's rows, the one-person path the dossier.


def ben_with_a_travel_document_of_no_recorded_issuer():
    ben = make_person()
    make_document(
        ben,
        kind="travel_document_for_foreigners",
        issuer="",
        number="ZP1",
        issued=dt.date(2024, 1, 1),
        expires=None,
    )
    return ben


def ben_with_three_titles_of_no_recorded_ground():
    ben = make_person(arrived_on=dt.date(2019, 12, 1))
    for start in (2020, 2023, 2026):
        make_title(
            ben,
            ground="",
            valid_from=dt.date(start, 1, 1),
            valid_to=dt.date(start + 2, 12, 31),
        )
    make_document(ben, number="MP2222222", issued=dt.date(2024, 1, 1), expires=dt.date(2034, 1, 1))
    return ben


def ben_with_an_application_not_suspended():
    ben = make_person()
    make_title(ben, valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2026, 1, 9))
    make_application(ben, suspended_at_party_request=False)
    return ben


def ben_with_an_application_of_no_recorded_channel():
    ben = make_person()
    make_title(ben, valid_from=dt.date(2024, 1, 10), valid_to=dt.date(2026, 6, 30))
    make_application(
        ben, channel="", filed=dt.date(2026, 6, 1), completed_on=None, formally_complete=None
    )
    return ben


def ben_with_decisions_recorded_out_of_order():
    # Two decisions on one application, the later (a refusal) entered first.
    ben = make_person()
    make_title(ben, valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2026, 1, 9))
    application = make_application(ben)
    make_event(application, date=dt.date(2026, 5, 2), outcome="refused")
    make_event(application, kind="delivered", date=dt.date(2026, 5, 5), outcome="")
    make_event(application, date=dt.date(2026, 2, 2), outcome="granted")
    return ben


def ben_with_a_stay_abroad_of_no_recorded_reason():
    ben = make_person()
    make_title(
        ben, kind="permanent_residence", ground="", valid_from=dt.date(2020, 1, 1), valid_to=None
    )
    make_stay(ben, left=dt.date(2025, 1, 1), returned=dt.date(2025, 12, 1), reason="")
    return ben


def ben_of_no_recorded_sex():
    ben = make_person(sex="")
    make_title(ben, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2027, 1, 1))
    return ben


@pytest.mark.parametrize(
    "register",
    [
        ben_with_a_travel_document_of_no_recorded_issuer,
        ben_with_three_titles_of_no_recorded_ground,
        ben_with_an_application_not_suspended,
        ben_with_an_application_of_no_recorded_channel,
        ben_with_decisions_recorded_out_of_order,
        ben_with_a_stay_abroad_of_no_recorded_reason,
        ben_of_no_recorded_sex,
    ],
)
def test_the_scan_reads_blank_and_unordered_records_as_the_one_person_path_does(db, register):
    ben = register()
    PersonStatus.objects.all().delete()  # the scan, not the edits, stores it
    today = timezone.localdate()
    run_scan(today)
    stored = PersonStatus.objects.get(person=ben)
    derived = assess_dossier(dossier_for_person_id(str(ben.uid)), ben.pk, today)
    assert content(derived.baseline) == content(stored.assessment)
    assert derived.fingerprint == stored.fingerprint


@pytest.mark.django_db(transaction=True)
def test_a_scan_batch_that_fails_leaves_the_stored_statuses_as_they_were(monkeypatch):
    # Committed batch by batch, as in production: a batch is written whole or not at all.
    olga = make_olga()
    before = PersonStatus.objects.get(person=olga).fingerprint

    def failing_alerts(*args, **kwargs):
        raise RuntimeError("the alerts could not be written")

    monkeypatch.setattr(scan, "sync_alerts", failing_alerts)
    with pytest.raises(RuntimeError):
        scan.run_scan(days(400))
    assert PersonStatus.objects.get(person=olga).fingerprint == before


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_scan_does_not_date_the_statuses_it_did_not_reach_to_its_day(
    monkeypatch,
):
    # Olga and Zoja (one household) are the first batch, Ira the second; Ira registered in
    # between, so her id lies within the range of the first batch's. The scan dies before
    # Ira's batch: her status was not worked out for that day, and dated to it, it would read
    # as checked and her alerts for that day would never be raised.
    olga = make_olga()
    ira = make_olga(given_names="Ірына", surname="Іваненка")
    zoja = make_zoja(olga)
    assert olga.pk < ira.pk < zoja.pk
    before = PersonStatus.objects.get(person=ira)

    def dying_before_ira(person_ids):
        if ira.pk in person_ids:
            raise RuntimeError("the process died in the second batch")
        return population_tables(person_ids)

    monkeypatch.setattr(scan, "population_tables", dying_before_ira)
    with pytest.raises(RuntimeError):
        scan.run_scan(days(400), batch_size=2)
    assert PersonStatus.objects.get(person=olga).as_of == days(400)  # the first batch ran
    after = PersonStatus.objects.get(person=ira)
    assert (after.fingerprint, after.as_of) == (before.fingerprint, before.as_of)
