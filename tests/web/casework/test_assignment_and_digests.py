"""An owner per person, teams, every reassignment recorded; a digest per caseworker that names
nobody and never carries an alert twice."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from tests.web.casework.conftest import assign, make_olga

from legalstay.web.casework.models import Alert, Assignment, Reassignment

pytestmark = pytest.mark.django_db


def test_anna_hands_olga_over_to_dora_and_the_change_is_recorded(anna_client, anna, dora, warsaw):
    olga = make_olga()
    url = reverse("casework:assign", kwargs={"uid": olga.uid})
    anna_client.post(url, {"owner": anna.pk, "team": warsaw.pk})
    anna_client.post(url, {"owner": dora.pk, "team": warsaw.pk})
    assignment = Assignment.objects.get(person=olga)
    assert (assignment.owner, assignment.team) == (dora, warsaw)
    history = list(Reassignment.objects.filter(person=olga).order_by("at", "pk"))
    assert [(r.from_owner, r.to_owner, r.by) for r in history] == [
        (None, anna, anna),
        (anna, dora, anna),
    ]
    assert all(r.at is not None for r in history)


def test_assigning_the_same_caseworker_again_records_nothing(anna_client, anna):
    olga = make_olga()
    url = reverse("casework:assign", kwargs={"uid": olga.uid})
    anna_client.post(url, {"owner": anna.pk})
    anna_client.post(url, {"owner": anna.pk})
    assert Reassignment.objects.filter(person=olga).count() == 1


def test_assigning_the_same_caseworker_again_says_nothing_changed_and_writes_nothing(
    anna_client, anna, warsaw
):
    olga = make_olga()
    url = reverse("casework:assign", kwargs={"uid": olga.uid})
    saved = anna_client.post(url, {"owner": anna.pk, "team": warsaw.pk}, follow=True)
    since = Assignment.objects.get(person=olga).since

    response = anna_client.post(url, {"owner": anna.pk, "team": warsaw.pk}, follow=True)

    assert [str(m) for m in saved.context["messages"]] == ["Assignment saved."]
    assert [str(m) for m in response.context["messages"]] == [
        "Nothing changed: the assignment was already so."
    ]
    assert Assignment.objects.get(person=olga).since == since
    assert Reassignment.objects.filter(person=olga).count() == 1


def test_assigning_nobody_to_someone_unassigned_stores_no_assignment(anna_client):
    olga = make_olga()
    url = reverse("casework:assign", kwargs={"uid": olga.uid})

    response = anna_client.post(url, {"owner": "", "team": ""}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Nothing changed: the assignment was already so."
    ]
    assert not Assignment.objects.filter(person=olga).exists()
    assert not Reassignment.objects.filter(person=olga).exists()


def test_a_user_who_is_not_a_caseworker_cannot_be_chosen(anna_client, django_user_model):
    olga = make_olga()
    outsider = django_user_model.objects.create_user("outsider")
    url = reverse("casework:assign", kwargs={"uid": olga.uid})
    anna_client.post(url, {"owner": outsider.pk})
    assert not Assignment.objects.filter(person=olga).exists()


def test_carl_cannot_assign(carl_client, anna):
    olga = make_olga()
    url = reverse("casework:assign", kwargs={"uid": olga.uid})
    assert carl_client.post(url, {"owner": anna.pk}).status_code == 403


def test_each_caseworker_gets_one_digest_naming_nobody_and_none_the_second_time(
    anna, dora, warsaw, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    anna.email, dora.email = "anna@example.org", "dora@example.org"
    anna.save()
    dora.save()
    olga = make_olga()
    zina = make_olga(given_names="Зіна", surname="Зайцава")
    assign(olga, anna, warsaw)
    assign(zina, None, warsaw)  # the team's: both hear of it
    call_command("send_digests", "--base-url", "https://legalstay.example")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["anna@example.org", "dora@example.org"]
    anna_mail = by_recipient["anna@example.org"].body
    assert anna_mail.count("Legal stay on temporary residence ends on") == 2
    assert f"https://legalstay.example/casework/persons/{olga.uid}/" in anna_mail
    for name in ("RYBAK", "Рыбак", "VOLHA", "ZAITSAVA"):
        assert name not in anna_mail
    assert by_recipient["dora@example.org"].body.count("ends on") == 1
    assert (
        not Alert.objects.filter(state="open", emailed_at__isnull=True)
        .filter(person__in=[olga, zina])
        .exists()
    )
    mail.outbox.clear()
    call_command("send_digests")
    assert mail.outbox == []
