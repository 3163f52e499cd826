"""The stored status follows every change to a person's facts, in the same transaction."""

import datetime as dt

import pytest
from django.db import transaction
from tests.web.casework.conftest import days, make_pdpdc
from tests.web.conftest import make_application, make_document, make_title

from legalstay.dossier import dossier_from_dict, dossier_to_dict
from legalstay.rulebook import RULEBOOK_VERSION
from legalstay.synthetic import generate_caseload
from legalstay.web.casework.assessment import assess_dossier, reform_differences
from legalstay.web.casework.models import PersonStatus
from legalstay.web.registry import services as registry

pytestmark = pytest.mark.django_db


def status_of(person):
    return PersonStatus.objects.get(person=person)


def test_registering_ben_stores_a_status_with_the_rulebook_version_and_the_whole_assessment(ben):
    status = status_of(ben)
    assert status.legal_stay_status == "irregular"
    assert status.rulebook_version == RULEBOOK_VERSION
    assert status.scenario == "pl-baseline"
    assert status.assessment["format"] == "legalstay-assessment/1"
    assert status.assessment["person"] == str(ben.uid)
    assert status.explained  # the per-person path explains
    assert status.irregular_stay is True
    assert status.no_valid_travel_document is True


def test_a_title_and_a_passport_make_ben_legal_with_a_travel_document(ben):
    make_title(ben, valid_from=days(-10), valid_to=days(400))
    make_document(ben, issued=days(-100), expires=days(3000))
    status = status_of(ben)
    assert (status.legal_stay_status, status.legal_stay_basis) == ("legal", "temporary_residence")
    assert status.legal_stay_until == days(400)
    assert status.travel_document_valid and status.travel_document_kind == "national_passport"
    assert status.travel_document_until == days(3000)
    assert status.next_deadline_kind == "file_temporary_residence"
    assert status.next_deadline_due == days(400)
    assert status.flags == [] and not status.irregular_stay


def test_a_write_that_fails_leaves_the_stored_status_as_it_was(ben):
    before = status_of(ben).fingerprint
    with pytest.raises(RuntimeError), transaction.atomic():
        make_title(ben, valid_from=days(-10), valid_to=days(400))
        assert status_of(ben).legal_stay_status == "legal"  # inside the transaction
        raise RuntimeError("the request failed after the write")
    assert status_of(ben).fingerprint == before
    assert status_of(ben).legal_stay_status == "irregular"


def test_zojas_status_follows_a_change_to_her_mothers_title(olga, zoja):
    from legalstay.web.casework.models import PersonStatus

    before = PersonStatus.objects.get(person=zoja).fingerprint
    make_title(olga, kind="permanent_residence", valid_from=days(-5), valid_to=None)
    assert PersonStatus.objects.get(person=zoja).fingerprint != before


def test_removing_a_fact_recomputes_the_status(olga):
    registry.do_remove_fact(actor=None, fact=olga.titles.get())
    assert status_of(olga).legal_stay_status == "irregular"


def test_a_pending_application_filed_in_time_keeps_olga_legal_after_her_card(olga):
    make_application(olga, filed=days(0), completed_on=None, formally_complete=None)
    status = status_of(olga)
    # Today the title still covers her; the file-by deadline is gone: the stamp takes over.
    assert status.legal_stay_basis == "temporary_residence"
    assert status.next_deadline_kind != "file_temporary_residence"
    # Only if the application is complete: its completeness is not recorded, and were it
    # not, the stay would end with the title; the caseworker is told while there is time.
    assert "formal_completeness_unknown" in status.flags


def test_the_stored_status_keeps_the_reform_only_where_it_differs(ben):
    # A PDPdC issued after the reform's date: one year of validity today, three under it.
    issued = days(-200)
    make_pdpdc(ben, issued)
    status = status_of(ben)
    assert status.travel_document_until == issued.replace(year=issued.year + 1)
    reform = status.reform_differences
    assert reform["travel_document"]["until"] == issued.replace(year=issued.year + 3).isoformat()
    assert "legal_stay" not in reform
    assert [item["output"] for item in reform["explanation"]][:1] == ["travel_document"]


def test_an_import_of_a_dossier_stores_a_status(ben):
    from legalstay.web.registry.dossiers import do_import_dossier, person_to_dossier

    dossier = person_to_dossier(ben)
    PersonStatus.objects.all().delete()
    do_import_dossier(dossier)
    assert status_of(ben).legal_stay_status == "irregular"


def test_statuses_are_dated_today(ben):
    from django.utils import timezone

    assert status_of(ben).as_of == timezone.localdate()
    assert status_of(ben).assessment["as_of"] == timezone.localdate().isoformat()
    assert isinstance(status_of(ben).computed_at, dt.datetime)
    assert status_of(ben).computed_at.tzinfo is not None


def test_an_import_that_drops_a_child_recomputes_the_childs_status(olga, zoja):
    # Olga's file comes back without Zoja: Zoja's status no longer rests on her mother's.
    from legalstay.web.registry.dossiers import (
        do_import_dossier,
        dossier_for_person_id,
        person_to_dossier,
    )

    dossier = dossier_to_dict(person_to_dossier(olga))
    assert [link["relation"] for link in dossier["family"]] == ["child"]
    dossier["family"] = []
    do_import_dossier(dossier_from_dict(dossier))
    derived = assess_dossier(dossier_for_person_id(str(zoja.uid)), zoja.pk, days(0))
    assert status_of(zoja).fingerprint == derived.fingerprint


def test_the_reform_differences_keep_every_flag_and_every_unknown_the_reform_lifts(db):
    # The reform column shows only what differs: a flag the reform adds or removes, and a
    # condition it turns from unknown to known, must be among the differences.
    as_of = dt.date(2026, 11, 27)
    flags_differ = unknowns_lifted = 0
    for dossier in generate_caseload(60, 3, as_of=as_of):
        if not dossier.person.episodes_recorded:
            continue
        derived = assess_dossier(dossier, 0, as_of)
        baseline, reform = derived.baseline, derived.reform
        differences = reform_differences(baseline, reform)
        if baseline["flags"] != reform["flags"]:
            flags_differ += 1
            assert differences["flags"] == reform["flags"]
        for name, answer in reform["eligibility"].items():
            if set(baseline["eligibility"][name]["unknown"]) - set(answer["unknown"]):
                unknowns_lifted += 1
                assert differences["eligibility"][name] == answer
    assert flags_differ and unknowns_lifted  # the caseload has both
