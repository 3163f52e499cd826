"""Staff set teams and alert lead times in the admin; derived rows are read-only there."""

import pytest
from django.urls import reverse
from tests.web.casework.conftest import make_olga

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="root-secret")
    client.force_login(root)
    return client


def test_a_lead_time_per_kind_is_set_in_the_admin(root_client):
    from legalstay.web.casework.models import LeadTime

    response = root_client.post(
        reverse("admin:casework_leadtime_add"), {"kind": "national_passport", "days": "120"}
    )
    assert response.status_code == 302
    assert LeadTime.objects.get().days == 120


def test_stored_statuses_and_alerts_are_read_only_in_the_admin(root_client):
    olga = make_olga()
    status_url = reverse("admin:casework_personstatus_change", args=[olga.status.pk])
    assert root_client.get(status_url).status_code == 200
    assert root_client.get(reverse("admin:casework_alert_add")).status_code == 403
    assert root_client.get(reverse("admin:casework_personstatus_changelist")).status_code == 200
