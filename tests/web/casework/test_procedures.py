"""An application's life recorded step by step; the deadlines follow from the steps through the
engine (KPA art. 57 and the holidays), never typed; a late authority shows, and since when."""

import datetime as dt

import pytest
from django.urls import reverse
from tests.web.casework.conftest import days
from tests.web.conftest import form_errors, make_application, make_title

from legalstay.web.casework.models import PersonStatus
from legalstay.web.registry.models import ApplicationEvent

pytestmark = pytest.mark.django_db


def step(client, person, application, **data):
    url = reverse("casework:step_new", kwargs={"uid": person.uid, "application_pk": application.pk})
    return client.post(url, data)


def refuse(client, person, application):
    """A refusal issued on 10 Apr 2026 and delivered on 17 Apr 2026."""
    issued = step(
        client, person, application, kind="decision_issued", date="2026-04-10", outcome="refused"
    )
    delivered = step(client, person, application, kind="delivered", date="2026-04-17")
    assert (issued.status_code, delivered.status_code) == (302, 302)


def deadlines_on_page(client, person):
    response = client.get(reverse("casework:person", kwargs={"uid": person.uid}))
    return {(row.kind, row.due) for row in response.context["view"].deadlines}


@pytest.fixture
def refused_application(ben):
    make_title(ben, valid_from=dt.date(2024, 1, 10), valid_to=dt.date(2026, 3, 9))
    return make_application(
        ben, filed=dt.date(2026, 2, 20), completed_on=dt.date(2026, 3, 1), case_number="R/1"
    )


def test_a_refusal_delivered_on_17_april_2026_may_be_appealed_until_4_may_2026(
    anna_client, ben, refused_application
):
    # KPA art. 129 § 2: 14 days from delivery ends Fri 1 May (a holiday), then Sat 2 May,
    # Sun 3 May (a holiday): the period ends on Mon 4 May 2026 (art. 57 § 4).
    refuse(anna_client, ben, refused_application)
    assert ("appeal", dt.date(2026, 5, 4)) in deadlines_on_page(anna_client, ben)
    stored = PersonStatus.objects.get(person=ben).assessment["deadlines"]
    assert {key: value for key, value in stored[0].items() if key != "reference"} == {
        "kind": "appeal",
        "due": "2026-05-04",
    }


def test_an_appeal_recorded_closes_the_appeal_deadline(anna_client, ben, refused_application):
    refuse(anna_client, ben, refused_application)
    step(anna_client, ben, refused_application, kind="appeal_filed", date="2026-04-30")
    assert "appeal" not in {kind for kind, _ in deadlines_on_page(anna_client, ben)}


def test_a_summons_deadline_is_counted_from_delivery_past_all_saints_day(
    anna_client, ben, refused_application
):
    # 14 days from 18 Oct 2026 end on Sun 1 Nov (All Saints' Day): moved to Mon 2 Nov 2026.
    response = step(
        anna_client, ben, refused_application, kind="summons", date="2026-10-18", period_days="14"
    )
    assert response.status_code == 302
    event = ApplicationEvent.objects.get(kind="summons")
    assert event.extra == {"period_days": 14}
    assert ("complete_documents", dt.date(2026, 11, 2)) in deadlines_on_page(anna_client, ben)
    step(anna_client, ben, refused_application, kind="complete", date="2026-10-30")
    assert "complete_documents" not in {kind for kind, _ in deadlines_on_page(anna_client, ben)}
    refused_application.refresh_from_db()
    assert refused_application.completed_on == dt.date(2026, 10, 30)


def test_a_summons_without_its_period_and_an_outcome_on_a_non_decision_are_refused(
    anna_client, ben, refused_application
):
    response = step(anna_client, ben, refused_application, kind="summons", date="2026-10-18")
    assert response.status_code == 200
    assert response.context["form"].errors["period_days"]
    response = step(
        anna_client,
        ben,
        refused_application,
        kind="delivered",
        date="2026-10-18",
        outcome="granted",
    )
    assert response.context["form"].errors["outcome"]
    response = step(anna_client, ben, refused_application, kind="delivered", date="2020-01-01")
    assert "before the application was filed" in str(response.context["form"].errors)


def test_a_fingerprint_appointment_shows_while_it_is_ahead(anna_client, ben, refused_application):
    step(anna_client, ben, refused_application, kind="fingerprints", date=days(12).isoformat())
    assert ("fingerprint_appointment", days(12)) in deadlines_on_page(anna_client, ben)


def test_the_authority_is_late_since_the_day_after_its_suspended_deadline(anna_client, ben):
    # Filed complete during the art. 100d suspension: the 60 days run from its end (4 Mar 2026),
    # ending on Sun 3 May 2026, a holiday: due Mon 4 May 2026, late from 5 May 2026.
    make_title(ben, valid_from=dt.date(2022, 1, 10), valid_to=dt.date(2023, 9, 9))
    make_application(ben, filed=dt.date(2023, 6, 1), completed_on=dt.date(2023, 6, 1))
    status = PersonStatus.objects.get(person=ben)
    assert status.authority_late is True
    assert status.authority_decision_due == dt.date(2026, 5, 4)
    assert status.legal_stay_basis == "pending_application"
    response = anna_client.get(
        reverse("casework:worklist", kwargs={"slug": "authority-late"}) + "?scope=all"
    )
    assert [row["person_id"] for row in response.context["page"].object_list] == [ben.pk]
    page = anna_client.get(reverse("casework:person", kwargs={"uid": ben.uid}))
    assert "authority late since 5 May 2026" in page.content.decode()
    late = next(row for row in page.context["view"].deadlines if row.authority)
    assert late.detail == (
        "Mazowiecki Urząd Wojewódzki, application for temporary residence filed on 1 June 2023"
    )


def test_the_late_authority_named_is_that_of_the_application_the_deadline_is_about(
    anna_client, ben
):
    # Ben's residence case is due on 4 May 2026; a PDPdC application filed later has no
    # decision deadline here: the authority named is the voivode deciding the residence case.
    make_title(ben, valid_from=dt.date(2022, 1, 10), valid_to=dt.date(2023, 9, 9))
    make_application(ben, filed=dt.date(2023, 6, 1), completed_on=dt.date(2023, 6, 1))
    make_application(
        ben,
        kind="travel_document_for_foreigners",
        authority="Wojewoda (PDPdC)",
        filed=dt.date(2026, 1, 5),
        completed_on=dt.date(2026, 1, 5),
    )
    page = anna_client.get(reverse("casework:person", kwargs={"uid": ben.uid}))
    late = next(row for row in page.context["view"].deadlines if row.authority)
    assert late.detail == (
        "Mazowiecki Urząd Wojewódzki, application for temporary residence filed on 1 June 2023"
    )


def test_anna_records_a_new_application_filed_today(anna_client, olga):
    url = reverse("casework:application_new", kwargs={"uid": olga.uid})
    form = anna_client.get(url).context["form"]
    assert form.initial["channel"] == "mos"
    response = anna_client.post(
        url,
        {
            "kind": "temporary_residence",
            "filed": days(0).isoformat(),
            "channel": "mos",
            "submission_number": "MOS/2026/000123",
            "formally_complete": "unknown",
        },
    )
    assert response.status_code == 302
    application = olga.applications.get()
    assert (application.channel, application.submission_number) == ("mos", "MOS/2026/000123")
    assert PersonStatus.objects.get(person=olga).next_deadline_kind != "file_temporary_residence"


def test_a_new_application_with_a_formal_completeness_outside_the_select_is_refused(
    anna_client, olga
):
    url = reverse("casework:application_new", kwargs={"uid": olga.uid})
    data = {"kind": "temporary_residence", "filed": days(0).isoformat(), "channel": "mos"}

    response = anna_client.post(url, {**data, "formally_complete": "maybe"})

    assert form_errors(response, "formally_complete") == [
        "Formally complete: “maybe” is not one of the values allowed: “unknown” (Unknown), "
        "“true” (Yes), “false” (No)."
    ]
    assert not olga.applications.exists()


def test_carl_records_nothing(carl_client, ben, refused_application):
    response = step(carl_client, ben, refused_application, kind="delivered", date="2026-04-17")
    assert response.status_code == 403


def test_documents_completed_before_the_filing_are_refused_on_the_steps_date_and_not_stored(
    anna_client, ben, refused_application
):
    # It was a server error: the registry's refusal named completed_on, a field the step form
    # does not have.
    response = step(anna_client, ben, refused_application, kind="complete", date="2026-02-01")
    assert response.status_code == 200
    errors = response.context["form"].errors["date"]
    assert errors and all("filed" in message for message in errors)
    refused_application.refresh_from_db()
    assert refused_application.completed_on == dt.date(2026, 3, 1)


def test_a_passed_decision_day_not_called_late_says_why_on_the_page(anna_client, ben):
    # Ben asked for his case to be suspended: how long is not recorded, so the authority is
    # not called late, and the page says why beside the passed day rather than nothing.
    make_title(ben, valid_from=dt.date(2022, 1, 10), valid_to=dt.date(2023, 9, 9))
    make_application(
        ben,
        filed=dt.date(2023, 6, 1),
        completed_on=dt.date(2023, 6, 1),
        suspended_at_party_request=True,
    )
    status = PersonStatus.objects.get(person=ben)
    assert status.authority_late is False
    page = anna_client.get(reverse("casework:person", kwargs={"uid": ben.uid}))
    row = next(row for row in page.context["view"].deadlines if row.authority)
    assert row.days_left < 0
    assert "not called late: the period may be longer" in page.content.decode()
