"""Alerts are raised when a condition becomes true, not every day it stays true; they are
resolved when it stops; a caseworker acknowledges them; lead times are set per kind."""

import pytest
from django.urls import reverse
from tests.web.casework.conftest import days, make_olga
from tests.web.conftest import make_application, make_document, make_title

from legalstay.web.casework import services
from legalstay.web.casework.models import Alert, LeadTime
from legalstay.web.casework.scan import run_scan
from legalstay.web.registry import services as registry

pytestmark = pytest.mark.django_db


def keys(person, state=None):
    alerts = Alert.objects.filter(person=person)
    if state:
        alerts = alerts.filter(state=state)
    return sorted(alerts.values_list("key", flat=True))


def test_olgas_ending_stay_raises_one_alert_that_resolves_when_she_files_again(olga):
    ending = f"stay_ending:temporary_residence:{days(30).isoformat()}"
    assert keys(olga, "open") == [ending]
    make_document(olga, number="MP9999999", issued=days(-10), expires=days(3000))
    # Another write, the same condition: nothing new.
    assert keys(olga, "open") == [ending]
    assert keys(olga).count(ending) == 1
    make_application(olga, filed=days(0), completed_on=None, formally_complete=None)
    alert = Alert.objects.get(person=olga, key=ending)
    assert alert.state == "resolved" and alert.resolved_at is not None


def test_a_longer_lead_time_for_passports_raises_an_alert_months_ahead(ben):
    make_title(ben, valid_from=days(-10), valid_to=days(800))
    make_document(ben, issued=days(-3000), expires=days(150))
    assert keys(ben, "open") == [f"document_expiring:national_passport:{days(150).isoformat()}"]

    passport = f"document_expiring:national_passport:{days(150).isoformat()}"
    LeadTime.objects.create(kind="national_passport", days=100)
    run_scan(days(0))
    assert Alert.objects.get(person=ben, key=passport).state == "resolved"  # not within 100 days
    run_scan(days(50))
    assert keys(ben, "open") == [passport]


def test_a_residence_card_is_not_a_second_alert_beside_the_ending_stay(olga):
    assert not [key for key in keys(olga) if "residence_card" in key]


def test_turning_irregular_raises_an_alert_and_new_flags_raise_theirs(ben):
    title = make_title(ben, valid_from=days(-10), valid_to=days(400))
    make_document(ben, issued=days(-100), expires=days(3000))
    assert keys(ben, "open") == []
    registry.do_remove_fact(actor=None, fact=title)
    assert keys(ben, "open") == ["irregular::"]


def test_a_flag_raises_its_alert_once(ben):
    assert "flag:no_valid_travel_document:" in keys(ben, "open")
    make_document(ben, kind="visa", number="V1", issued=days(-10), expires=days(10))
    assert keys(ben).count("flag:no_valid_travel_document:") == 1


def test_anna_acknowledges_an_alert_then_resolves_it_and_it_is_not_raised_again(anna_client, anna):
    olga = make_olga()
    alert = Alert.objects.get(person=olga, state="open")
    page = reverse("casework:person", kwargs={"uid": olga.uid})
    response = anna_client.post(
        reverse("casework:alert_acknowledge", kwargs={"pk": alert.pk}), {"next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by) == ("acknowledged", anna)

    anna_client.post(reverse("casework:alert_resolve", kwargs={"pk": alert.pk}))
    alert.refresh_from_db()
    assert alert.state == "resolved"
    run_scan(days(1))  # the condition is still true, but it did not become true again
    assert Alert.objects.filter(person=olga, key=alert.key).count() == 1


def test_an_alert_action_never_redirects_to_another_site(anna_client):
    olga = make_olga()
    alert = Alert.objects.get(person=olga, state="open")
    response = anna_client.post(
        reverse("casework:alert_acknowledge", kwargs={"pk": alert.pk}),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("casework:alerts")


def test_carl_can_neither_see_nor_touch_alerts(carl_client):
    olga = make_olga()
    alert = Alert.objects.get(person=olga, state="open")
    assert carl_client.get(reverse("casework:alerts")).status_code == 403
    response = carl_client.post(reverse("casework:alert_resolve", kwargs={"pk": alert.pk}))
    assert response.status_code == 403


def test_the_alerts_page_lists_mine_by_default_and_everyones_on_request(anna_client, anna):
    olga = make_olga()
    other = make_olga(surname="Лукашэвіч")
    services.do_assign(actor=None, person=olga, owner=anna, team=None)
    mine = anna_client.get(reverse("casework:alerts")).context["page"].object_list
    assert [alert.person for alert in mine] == [olga]
    everyone = anna_client.get(reverse("casework:alerts") + "?scope=all&state=open")
    assert {alert.person for alert in everyone.context["page"].object_list} == {olga, other}
