"""Who may see the registry: every page needs a login and a registry role."""

import pytest
from django.urls import reverse

from tests.web.conftest import make_application, make_document, make_event, make_stay, make_title

pytestmark = pytest.mark.django_db


def every_registry_page(person):
    document = make_document(person)
    title = make_title(person)
    application = make_application(person)
    event = make_event(application)
    stay = make_stay(person)
    uid = {"uid": person.uid}
    pages = [
        reverse("registry:person_list"),
        reverse("registry:person_create"),
        reverse("registry:person_detail", kwargs=uid),
        reverse("registry:person_edit", kwargs=uid),
        reverse("registry:family", kwargs=uid),
        reverse("registry:relative_add", kwargs={**uid, "relation": "child"}),
        reverse("registry:event_create", kwargs={**uid, "application_pk": application.pk}),
        reverse(
            "registry:event_edit", kwargs={**uid, "application_pk": application.pk, "pk": event.pk}
        ),
    ]
    for fact, row in [
        ("document", document),
        ("title", title),
        ("application", application),
        ("stay", stay),
    ]:
        pages.append(reverse(f"registry:{fact}_create", kwargs=uid))
        pages.append(reverse(f"registry:{fact}_edit", kwargs={**uid, "pk": row.pk}))
        pages.append(reverse(f"registry:{fact}_remove", kwargs={**uid, "pk": row.pk}))
    return pages


def test_every_page_sends_a_visitor_without_a_login_to_the_login_page(client, ben):
    for page in every_registry_page(ben):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith(reverse("login")), page


def test_carl_without_a_registry_role_is_refused_everywhere(carl_client, ben):
    for page in every_registry_page(ben):
        assert carl_client.get(page).status_code == 403, page


def test_anna_the_caseworker_opens_every_page(anna_client, ben):
    for page in every_registry_page(ben):
        assert anna_client.get(page).status_code == 200, page


def test_a_user_with_the_view_permission_reads_but_cannot_write(client, django_user_model, ben):
    from django.contrib.auth.models import Permission

    reader = django_user_model.objects.create_user("dora", password="dora-secret")
    reader.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(reader)

    assert client.get(reverse("registry:person_detail", kwargs={"uid": ben.uid})).status_code == 200
    assert client.get(reverse("registry:person_edit", kwargs={"uid": ben.uid})).status_code == 403


def test_an_unknown_person_is_not_found(anna_client):
    url = reverse("registry:person_detail", kwargs={"uid": "00000000-0000-4000-8000-000000000000"})

    assert anna_client.get(url).status_code == 404


def test_a_deactivated_caseworker_sees_nothing(anna_client, anna, ben):
    anna.is_active = False
    anna.save(update_fields=["is_active"])

    response = anna_client.get(reverse("registry:person_list"))

    assert response.status_code == 302  # the session no longer authenticates her


def test_writes_need_a_csrf_token(client, anna, ben):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(anna)

    response = strict.post(reverse("registry:person_create"), {"surname": "Ясельчык"})

    assert response.status_code == 403


def test_the_admin_lists_and_searches_persons_for_a_superuser(client, django_user_model, ben):
    admin = django_user_model.objects.create_superuser("root", password="root-secret")
    client.force_login(admin)

    listing = client.get(reverse("admin:registry_person_changelist"), {"q": "Бенядзікт"})
    change = client.get(reverse("admin:registry_person_change", args=[ben.pk]))

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [ben]
    assert change.status_code == 200
