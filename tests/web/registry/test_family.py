"""Families: parents, children and spouses, linked from either side; the household view."""

import datetime as dt

import pytest
from django.urls import reverse

from legalstay.web.registry.models import FamilyLink, Person
from tests.web.conftest import form_errors, link, make_person

pytestmark = pytest.mark.django_db


def add_url(person, relation, **query):
    url = reverse("registry:relative_add", kwargs={"uid": person.uid, "relation": relation})
    return url + (f"?q={query['q']}" if query else "")


def relations_of(person):
    return sorted(
        (link.relation, link.relative.given_names)
        for link in FamilyLink.objects.filter(person=person).select_related("relative")
    )


def new_child_data(**overrides):
    data = {
        "action": "new",
        "new-surname": "Ясельчык",
        "new-given_names": "Алеся",
        "new-surname_latin": "",
        "new-given_names_latin": "",
        "new-birth_date": "2024-02-01",
        "new-sex": "F",
        "new-citizenships": "",
        "new-birth_country": "PL",
        "new-pesel": "",
        "new-languages": "",
        "new-phone": "",
        "new-email": "",
        "new-address": "",
        "new-arrived_on": "",
    }
    return {**data, **overrides}


@pytest.fixture
def mother(db):
    return make_person(given_names="Марына", birth_date=dt.date(1960, 4, 1), sex="F")


def test_anna_registers_a_new_child_and_both_directions_are_stored(anna_client, mother):
    response = anna_client.post(add_url(mother, "child"), new_child_data())

    child = Person.objects.get(given_names="Алеся")
    assert response.status_code == 302
    assert response.url == reverse("registry:family", kwargs={"uid": mother.uid})
    assert relations_of(mother) == [("child", "Алеся")]
    assert relations_of(child) == [("parent", "Марына")]
    assert child.birth_country == "PL"


def test_a_new_child_form_starts_with_the_parents_surname(anna_client, mother):
    response = anna_client.get(add_url(mother, "child"))

    assert response.context["new_form"]["surname"].value() == "Ясельчык"


def test_a_new_child_born_before_the_parent_is_refused_on_the_birth_date(anna_client, mother):
    response = anna_client.post(
        add_url(mother, "child"), new_child_data(**{"new-birth_date": "1959-01-01"})
    )

    assert form_errors(response, "birth_date", form="new_form") == [
        "A parent must be born before their child: the parent was born on 1960-04-01, "
        "the child on 1959-01-01."
    ]
    assert Person.objects.count() == 1
    assert not FamilyLink.objects.exists()


def test_anna_links_an_existing_person_as_a_parent(anna_client, ben, mother):
    search = anna_client.get(add_url(ben, "parent", q="Марына"))

    response = anna_client.post(
        add_url(ben, "parent"), {"action": "link", "relative": str(mother.uid)}
    )

    assert [person.pk for person in search.context["candidates"]] == [mother.pk]
    assert response.status_code == 302
    assert relations_of(ben) == [("parent", "Марына")]
    assert relations_of(mother) == [("child", "Бенядзікт")]


@pytest.mark.parametrize(
    ("relation", "birth_date"),
    [("child", dt.date(1950, 1, 1)), ("parent", dt.date(2000, 1, 1))],
    ids=["an older child linked from the parent", "a younger parent linked from the child"],
)
def test_a_child_born_before_a_parent_is_refused_whichever_side_links(
    anna_client, ben, relation, birth_date
):
    other = make_person(given_names="Іван", birth_date=birth_date)

    response = anna_client.post(
        add_url(ben, relation), {"action": "link", "relative": str(other.uid)}
    )

    [error] = form_errors(response, "relative", form="link_form")
    assert error.startswith("A parent must be born before their child")
    assert not FamilyLink.objects.exists()


def test_a_person_cannot_be_linked_to_themselves_or_twice(anna_client, ben, mother):
    link(ben, mother, "parent")

    itself = anna_client.post(add_url(ben, "spouse"), {"action": "link", "relative": str(ben.uid)})
    twice = anna_client.post(add_url(mother, "child"), {"action": "link", "relative": str(ben.uid)})

    assert form_errors(itself, "relative", form="link_form") == [
        "A person cannot be their own relative."
    ]
    assert form_errors(twice, "relative", form="link_form") == [
        "These two persons are already linked."
    ]
    assert FamilyLink.objects.count() == 2


def test_a_third_parent_is_refused_whichever_side_links(anna_client, ben, mother):
    father = make_person(given_names="Пятро", birth_date=dt.date(1958, 2, 2), sex="M")
    link(ben, mother, "parent")
    link(ben, father, "parent")
    third = make_person(given_names="Іван", birth_date=dt.date(1959, 3, 3), sex="M")

    from_ben = anna_client.post(
        add_url(ben, "parent"), {"action": "link", "relative": str(third.uid)}
    )
    from_him = anna_client.post(
        add_url(third, "child"), {"action": "link", "relative": str(ben.uid)}
    )

    for response in (from_ben, from_him):
        assert form_errors(response, "relative", form="link_form") == [
            f"{ben.display_name} already has two parents recorded."
        ]
    assert FamilyLink.objects.count() == 4


def test_a_second_spouse_is_refused_whichever_side_links(anna_client, ben):
    wife = make_person(given_names="Вольга", birth_date=dt.date(1989, 1, 1), sex="F")
    other = make_person(given_names="Алена", birth_date=dt.date(1990, 1, 1), sex="F")
    link(ben, wife, "spouse")

    from_ben = anna_client.post(
        add_url(ben, "spouse"), {"action": "link", "relative": str(other.uid)}
    )
    from_her = anna_client.post(
        add_url(other, "spouse"), {"action": "link", "relative": str(ben.uid)}
    )

    for response in (from_ben, from_her):
        assert form_errors(response, "relative", form="link_form") == [
            f"{ben.display_name} already has a spouse recorded: remove that link first."
        ]
    assert FamilyLink.objects.count() == 2


def test_choosing_no_one_is_refused(anna_client, ben):
    response = anna_client.post(add_url(ben, "spouse"), {"action": "link"})

    assert form_errors(response, "relative", form="link_form") == [
        "Choose a person from the search results."
    ]


def test_an_unknown_relation_is_not_a_page(anna_client, ben):
    assert anna_client.get(add_url(ben, "cousin")).status_code == 404


def test_removing_a_link_removes_both_directions(anna_client, ben, mother):
    link(ben, mother, "parent")
    url = reverse("registry:relative_remove", kwargs={"uid": ben.uid, "relative_uid": mother.uid})

    anna_client.post(url)

    assert not FamilyLink.objects.exists()


def test_removing_a_link_that_does_not_exist_is_not_a_page(anna_client, ben, mother):
    # It said "Family link removed." for two persons never linked.
    url = reverse("registry:relative_remove", kwargs={"uid": ben.uid, "relative_uid": mother.uid})

    assert anna_client.get(url).status_code == 404
    assert anna_client.post(url).status_code == 404


def test_the_family_view_lists_the_household(anna_client, ben, mother):
    wife = make_person(
        surname="Ясельчык", given_names="Вольга", birth_date=dt.date(1989, 1, 1), sex="F"
    )
    daughter = make_person(
        given_names="Алеся", birth_date=dt.date(2024, 2, 1), sex="F", arrived_on=None
    )
    sister = make_person(given_names="Кацярына", birth_date=dt.date(1993, 1, 1), sex="F")
    link(ben, mother, "parent")
    link(ben, wife, "spouse")
    link(daughter, ben, "parent")
    link(mother, sister, "child")

    response = anna_client.get(reverse("registry:family", kwargs={"uid": ben.uid}))

    members = [
        (member.person.given_names, str(member.relation)) for member in response.context["members"]
    ]
    assert sorted(members) == sorted(
        [
            ("Марына", "parent"),
            ("Вольга", "spouse"),
            ("Алеся", "child"),
            ("Кацярына", "sibling"),
        ]
    )
