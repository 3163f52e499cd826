"""Residence titles, applications with their events, and stays abroad."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from legalstay.web.registry.models import Application, ApplicationEvent, StayAbroad, Title
from tests.web.conftest import form_errors, make_application, make_event

pytestmark = pytest.mark.django_db


def url(name, person, **kwargs):
    return reverse(f"registry:{name}", kwargs={"uid": person.uid, **kwargs})


def title_data(**overrides):
    data = {
        "kind": "temporary_residence",
        "ground": "work",
        "valid_from": "2023-01-10",
        "valid_to": "2026-01-09",
        "decision_number": "SOC-II.6151.7.2022",
    }
    return {**data, **overrides}


def application_data(**overrides):
    data = {
        "kind": "temporary_residence",
        "authority": "Mazowiecki Urząd Wojewódzki",
        "case_number": "SOC-II.6151.1.2025",
        "channel": "mos",
        "submission_number": "W-1",
        "filed": "2025-12-01",
        "formally_complete": "true",
        "completed_on": "2025-12-20",
    }
    return {**data, **overrides}


def test_anna_records_a_residence_title(anna_client, ben):
    response = anna_client.post(url("title_create", ben), title_data())

    assert response.status_code == 302
    title = ben.titles.get()
    assert (title.kind, title.valid_to, title.decision_number) == (
        "temporary_residence",
        dt.date(2026, 1, 9),
        "SOC-II.6151.7.2022",
    )


def test_a_title_without_an_end_is_indefinite(anna_client, ben):
    anna_client.post(
        url("title_create", ben), title_data(kind="permanent_residence", ground="", valid_to="")
    )

    assert ben.titles.get().valid_to is None


def test_a_title_ending_before_it_starts_is_refused(anna_client, ben):
    response = anna_client.post(url("title_create", ben), title_data(valid_to="2023-01-09"))

    assert form_errors(response, "valid_to") == ["The title ends before it starts (2023-01-10)."]
    assert not Title.objects.exists()


def test_a_temporary_residence_permit_without_its_last_day_is_refused(anna_client, ben):
    # Granted for a fixed period (UoC art. 98 ust. 1): an open end would be legal stay for ever.
    response = anna_client.post(url("title_create", ben), title_data(valid_to=""))

    assert form_errors(response, "valid_to") == [
        "A temporary residence permit or a visa is granted for a fixed period: give its last day."
    ]
    assert not Title.objects.exists()


def test_anna_records_an_application_and_its_decision(anna_client, ben):
    anna_client.post(
        url("application_create", ben), application_data(suspended_at_party_request="on")
    )
    application = ben.applications.get()
    events = url("event_create", ben, application_pk=application.pk)

    anna_client.post(
        events, {"kind": "decision_issued", "date": "2026-02-02", "outcome": "granted"}
    )
    anna_client.post(events, {"kind": "delivered", "date": "2026-02-05", "outcome": ""})

    assert application.formally_complete is True
    assert application.suspended_at_party_request is True
    assert list(application.events.order_by("date").values_list("kind", "outcome")) == [
        ("decision_issued", "granted"),
        ("delivered", ""),
    ]


def test_formal_completeness_may_be_unknown(anna_client, ben):
    anna_client.post(
        url("application_create", ben),
        application_data(formally_complete="unknown", completed_on=""),
    )

    assert ben.applications.get().formally_complete is None


def select_options(page, name):
    """The values a rendered select posts, in order."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert select is not None, f"no select named {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def test_each_formal_completeness_the_select_offers_is_stored_as_it_says(anna_client, ben):
    page = anna_client.get(url("application_create", ben)).content.decode()
    offered = select_options(page, "formally_complete")

    for value in offered:
        anna_client.post(
            url("application_create", ben),
            application_data(formally_complete=value, completed_on=""),
        )

    assert offered == ["unknown", "true", "false"]
    stored = ben.applications.order_by("pk").values_list("formally_complete", flat=True)
    assert list(stored) == [None, True, False]


def test_a_formal_completeness_the_select_does_not_offer_is_refused_and_the_answer_kept(
    anna_client, ben
):
    # Django's own select reads any value it does not know as unknown, erasing the answer.
    application = make_application(ben)

    response = anna_client.post(
        url("application_edit", ben, pk=application.pk),
        application_data(formally_complete="maybe"),
    )

    assert form_errors(response, "formally_complete") == [
        "Formally complete: “maybe” is not one of the values allowed: “unknown” (Unknown), "
        "“true” (Yes), “false” (No)."
    ]
    application.refresh_from_db()
    assert application.formally_complete is True


def test_the_admin_refuses_a_formal_completeness_its_select_does_not_offer(
    rf, django_user_model, ben
):
    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser("root")
    application = make_application(ben)
    form_class = admin.site.get_model_admin(Application).get_form(request, application)
    data = {"person": ben.pk, "kind": "visa", "filed": "2025-12-01", "formally_complete": "maybe"}

    form = form_class(data, instance=application)

    assert form.errors["formally_complete"] == [
        "Formally complete: “maybe” is not one of the values allowed: “unknown” (Unknown), "
        "“true” (Yes), “false” (No)."
    ]


def test_completion_before_filing_is_refused(anna_client, ben):
    response = anna_client.post(
        url("application_create", ben), application_data(completed_on="2025-11-30")
    )

    assert form_errors(response, "completed_on") == [
        "The application cannot be complete before it was filed (2025-12-01)."
    ]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "decision_issued", "date": "2026-02-02", "outcome": ""},
            "outcome",
            "A decision has an outcome.",
        ),
        (
            {"kind": "delivered", "date": "2026-02-02", "outcome": "granted"},
            "outcome",
            "Only a decision has an outcome.",
        ),
        (
            {"kind": "appeal_filed", "date": "2025-11-01", "outcome": ""},
            "date",
            "This is before the application was filed (2025-12-01).",
        ),
        ({"kind": "final", "date": "", "outcome": ""}, "date", "This field is required."),
        (
            {"kind": "delivered", "date": "2026-02-02", "outcome": ""},
            "date",
            "Record the decision first: this step follows a decision issued by then.",
        ),
    ],
)
def test_an_impossible_event_is_refused(anna_client, ben, data, field, message):
    application = make_application(ben)

    response = anna_client.post(url("event_create", ben, application_pk=application.pk), data)

    assert form_errors(response, field) == [message]
    assert not ApplicationEvent.objects.exists()


def test_anna_corrects_and_removes_an_event(anna_client, ben):
    application = make_application(ben)
    event = make_event(application)
    kwargs = {"application_pk": application.pk, "pk": event.pk}

    anna_client.post(
        url("event_edit", ben, **kwargs),
        {"kind": "decision_issued", "date": "2026-02-03", "outcome": "refused"},
    )
    event.refresh_from_db()
    outcome = event.outcome
    anna_client.post(url("event_remove", ben, **kwargs))

    assert outcome == "refused"
    assert not ApplicationEvent.objects.exists()


def test_anna_records_a_stay_abroad_still_going_on(anna_client, ben):
    anna_client.post(url("stay_create", ben), {"left": "2026-10-01", "returned": ""})

    stay = ben.stays_abroad.get()
    assert (stay.left, stay.returned) == (dt.date(2026, 10, 1), None)


def test_anna_records_why_ben_was_abroad(anna_client, ben):
    # Working abroad for an employer based in Poland is no break in stay (UoC arts. 211–212).
    anna_client.post(
        url("stay_create", ben),
        {"left": "2024-01-10", "returned": "2024-09-10", "reason": "work_for_employer_in_poland"},
    )

    assert ben.stays_abroad.get().reason == "work_for_employer_in_poland"


def test_a_return_before_leaving_is_refused(anna_client, ben):
    response = anna_client.post(
        url("stay_create", ben), {"left": "2024-07-01", "returned": "2024-06-30"}
    )

    assert form_errors(response, "returned") == [
        "The return is before leaving Poland on 2024-07-01."
    ]
    assert not StayAbroad.objects.exists()


def test_a_stay_abroad_overlapping_another_is_refused(anna_client, ben):
    anna_client.post(url("stay_create", ben), {"left": "2024-01-01", "returned": "2024-03-01"})

    response = anna_client.post(
        url("stay_create", ben), {"left": "2024-02-15", "returned": "2024-04-01"}
    )

    assert form_errors(response, "left") == [
        "This stay abroad overlaps the one from 2024-01-01 to 2024-03-01: record one absence once."
    ]
    assert ben.stays_abroad.count() == 1


def test_a_stay_abroad_may_begin_on_the_day_of_return_from_another(anna_client, ben):
    anna_client.post(url("stay_create", ben), {"left": "2024-01-01", "returned": "2024-03-01"})
    anna_client.post(url("stay_create", ben), {"left": "2024-03-01", "returned": ""})

    assert ben.stays_abroad.count() == 2


def test_a_stay_edited_into_another_still_going_on_is_refused(anna_client, ben):
    anna_client.post(url("stay_create", ben), {"left": "2024-06-01", "returned": ""})
    anna_client.post(url("stay_create", ben), {"left": "2024-01-01", "returned": "2024-03-01"})
    earlier = ben.stays_abroad.get(left=dt.date(2024, 1, 1))

    response = anna_client.post(
        url("stay_edit", ben, pk=earlier.pk), {"left": "2024-01-01", "returned": "2024-07-01"}
    )

    assert form_errors(response, "left") == [
        "This stay abroad overlaps the one from 2024-06-01 to …: record one absence once."
    ]
    earlier.refresh_from_db()
    assert earlier.returned == dt.date(2024, 3, 1)


def test_the_fact_forms_render_for_new_and_existing_facts(anna_client, ben):
    application = make_application(ben)
    pages = [
        url("document_create", ben),
        url("title_create", ben),
        url("application_create", ben),
        url("stay_create", ben),
        url("event_create", ben, application_pk=application.pk),
        url("application_edit", ben, pk=application.pk),
        url("application_remove", ben, pk=application.pk),
    ]

    for page in pages:
        assert anna_client.get(page).status_code == 200, page


def test_a_delivery_before_the_decision_is_refused(anna_client, ben):
    # Ben's decision was issued on 2 Feb 2026: it cannot have been delivered on 20 Jan.
    application = make_application(ben)
    make_event(application, date=dt.date(2026, 2, 2), outcome="refused")

    response = anna_client.post(
        url("event_create", ben, application_pk=application.pk),
        {"kind": "delivered", "date": "2026-01-20", "outcome": ""},
    )

    assert form_errors(response, "date") == [
        "Record the decision first: this step follows a decision issued by then."
    ]
    assert application.events.count() == 1


def test_moving_the_filing_after_a_step_of_the_procedure_is_refused(anna_client, ben):
    application = make_application(ben)
    make_event(application, date=dt.date(2026, 2, 2), outcome="refused")

    response = anna_client.post(
        url("application_edit", ben, pk=application.pk),
        application_data(filed="2026-03-01", completed_on=""),
    )

    assert form_errors(response, "filed") == [
        "A step of this application is dated before it (2026-02-02)."
    ]
    application.refresh_from_db()
    assert application.filed == dt.date(2025, 12, 1)


def test_moving_a_decision_after_its_delivery_is_refused(anna_client, ben):
    # Ben's refusal of 2 Feb 2026 was delivered on 5 Feb and final on 20 Feb: moved to 1 Mar,
    # the delivery and finality would follow no decision, and the refusal would read pending.
    application = make_application(ben)
    decision = make_event(application, date=dt.date(2026, 2, 2), outcome="refused")
    make_event(application, kind="delivered", date=dt.date(2026, 2, 5), outcome="")
    make_event(application, kind="final", date=dt.date(2026, 2, 20), outcome="")

    response = anna_client.post(
        url("event_edit", ben, application_pk=application.pk, pk=decision.pk),
        {"kind": "decision_issued", "date": "2026-03-01", "outcome": "refused"},
    )

    assert form_errors(response, "date") == [
        "The step “decision delivered” of 2026-02-05 would then follow no decision: move or "
        "remove that step first."
    ]
    decision.refresh_from_db()
    assert decision.date == dt.date(2026, 2, 2)


def test_removing_a_decision_that_was_delivered_is_refused(anna_client, ben):
    application = make_application(ben)
    decision = make_event(application, date=dt.date(2026, 2, 2), outcome="refused")
    make_event(application, kind="delivered", date=dt.date(2026, 2, 5), outcome="")

    response = anna_client.post(
        url("event_remove", ben, application_pk=application.pk, pk=decision.pk), follow=True
    )

    assert "would then follow no decision" in response.content.decode()
    assert application.events.filter(pk=decision.pk).exists()


def test_an_appeal_before_the_delivery_is_refused_either_way(anna_client, ben):
    # An appeal lies against a decision delivered: the dossier's reader refuses it before.
    application = make_application(ben)
    make_event(application, date=dt.date(2026, 2, 2), outcome="refused")
    make_event(application, kind="appeal_filed", date=dt.date(2026, 2, 3), outcome="")

    response = anna_client.post(
        url("event_create", ben, application_pk=application.pk),
        {"kind": "delivered", "date": "2026-02-10", "outcome": ""},
    )

    assert form_errors(response, "date") == [
        "The appeal (2026-02-03) is before the decision was delivered (2026-02-10)."
    ]
    assert application.events.count() == 2


@pytest.mark.parametrize(
    ("fact", "data", "field"),
    [
        ("title", title_data(valid_from="1950-01-10"), "valid_from"),
        ("application", application_data(filed="1950-12-01", completed_on=""), "filed"),
        ("stay", {"left": "1950-01-01", "returned": "1950-02-01"}, "left"),
    ],
)
def test_a_day_before_bens_birth_is_refused_and_nothing_stored(anna_client, ben, fact, data, field):
    # Ben was born on 14 Mar 1988: 1950 is a typing mistake, which would read as decades.
    response = anna_client.post(url(f"{fact}_create", ben), data)

    assert form_errors(response, field) == ["This is before the person's birth date (1988-03-14)."]
    assert not (Title.objects.exists() or Application.objects.exists())
    assert not StayAbroad.objects.exists()


@pytest.mark.parametrize(
    ("fact", "data", "field"),
    [
        ("application", application_data(filed="TOMORROW", completed_on=""), "filed"),
        ("stay", {"left": "TOMORROW", "returned": ""}, "left"),
    ],
)
def test_a_filing_or_a_departure_after_today_is_refused(anna_client, ben, fact, data, field):
    # 2099 typed for 2009 would hide the filing, or the absence, from every assessment.
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = {key: tomorrow if value == "TOMORROW" else value for key, value in data.items()}

    response = anna_client.post(url(f"{fact}_create", ben), data)

    assert form_errors(response, field) == ["This day has not come yet."]
    assert not (Application.objects.exists() or StayAbroad.objects.exists())


def test_a_decision_after_today_is_refused_and_an_appointment_is_not(anna_client, ben):
    application = make_application(ben, filed=dt.date(2025, 12, 1))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    for kind, outcome in (("decision_issued", "granted"), ("fingerprints", "")):
        event = ApplicationEvent(application=application, kind=kind, date=tomorrow, outcome=outcome)
        if kind == "fingerprints":
            event.full_clean()
        else:
            with pytest.raises(ValidationError) as refused:
                event.full_clean()
            assert refused.value.message_dict["date"] == ["This day has not come yet."]
