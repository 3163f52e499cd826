"""Registering and editing persons, through the pages a caseworker uses."""

import datetime as dt

import pytest
from django.urls import reverse

from legalstay.web.registry.models import Person
from tests.web.conftest import (
    form_errors,
    link,
    make_application,
    make_document,
    make_event,
    make_person,
    make_stay,
    make_title,
)

pytestmark = pytest.mark.django_db

NEW_PERSON = reverse("registry:person_create")

# A valid PESEL for a woman born on 1990-01-01 (python-stdnum's documented example family).
PESEL_1990_01_01_F = "90010100009"


def person_data(**overrides):
    data = {
        "surname": "Ясельчык",
        "given_names": "Алена",
        "surname_latin": "",
        "given_names_latin": "",
        "birth_date": "1990-01-01",
        "sex": "F",
        "citizenships": "BY",
        "birth_country": "BY",
        "pesel": "",
        "languages": "be, ru",
        "phone": "",
        "email": "",
        "address": "",
        "arrived_on": "2021-09-01",
    }
    return {**data, **overrides}


def test_anna_registers_a_person_in_cyrillic_and_the_latin_names_are_filled_in(anna_client):
    response = anna_client.post(NEW_PERSON, person_data())

    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("registry:person_detail", kwargs={"uid": person.uid})
    assert (person.surname_latin, person.given_names_latin) == ("IASELCHYK", "ALENA")
    assert person.citizenships == ["BY"]
    assert person.languages == ["be", "ru"]
    assert " iaselchyk " in person.name_keys


def test_a_russian_spelling_is_transliterated_with_the_russian_table(anna_client):
    anna_client.post(NEW_PERSON, person_data(surname="Иванова", given_names="Ольга"))

    person = Person.objects.get()
    assert (person.surname_latin, person.given_names_latin) == ("IVANOVA", "OLGA")


def test_a_person_typed_only_in_latin_letters_is_registered(anna_client):
    data = person_data(
        surname="", given_names="", surname_latin="Iaselchyk", given_names_latin="Alena"
    )

    anna_client.post(NEW_PERSON, data)

    person = Person.objects.get()
    assert (person.surname, person.surname_latin, person.given_names_latin) == (
        "",
        "IASELCHYK",
        "ALENA",
    )


def test_a_person_without_any_surname_is_refused(anna_client):
    response = anna_client.post(NEW_PERSON, person_data(surname="", surname_latin=""))

    assert response.status_code == 200
    assert form_errors(response, "surname") == [
        "Enter the surname, in Cyrillic or in Latin letters."
    ]
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("pesel", "message"),
    [
        ("90010100008", "has the check digit 8, but its first ten digits give 9"),
        ("9001010000", "A PESEL has 11 digits"),
        ("9001O100009", "A PESEL holds only digits"),
        ("90023100007", "encodes no real birth date"),
    ],
)
def test_an_impossible_pesel_is_refused_on_the_pesel_field(anna_client, pesel, message):
    response = anna_client.post(NEW_PERSON, person_data(pesel=pesel))

    [error] = form_errors(response, "pesel")
    assert message in error
    assert not Person.objects.exists()


def test_a_pesel_that_contradicts_the_birth_date_is_refused(anna_client):
    response = anna_client.post(
        NEW_PERSON, person_data(pesel=PESEL_1990_01_01_F, birth_date="1990-01-02")
    )

    assert form_errors(response, "pesel") == [
        "The PESEL 90010100009 states the birth date 1990-01-01, but the recorded birth date "
        "is 1990-01-02."
    ]
    assert not Person.objects.exists()


def test_a_pesel_that_contradicts_the_sex_is_refused(anna_client):
    response = anna_client.post(NEW_PERSON, person_data(pesel=PESEL_1990_01_01_F, sex="M"))

    [error] = form_errors(response, "pesel")
    assert "states the sex female, but the recorded sex is male" in error
    assert not Person.objects.exists()


def test_a_pesel_fills_a_blank_birth_date_and_sex(anna_client):
    anna_client.post(NEW_PERSON, person_data(pesel=PESEL_1990_01_01_F, birth_date="", sex=""))

    person = Person.objects.get()
    assert (person.birth_date, person.sex, person.pesel) == (
        dt.date(1990, 1, 1),
        "F",
        PESEL_1990_01_01_F,
    )


def test_a_pesel_already_in_the_registry_is_refused(anna_client):
    make_person(pesel=PESEL_1990_01_01_F, birth_date=dt.date(1990, 1, 1), sex="F")

    response = anna_client.post(NEW_PERSON, person_data(pesel=PESEL_1990_01_01_F))

    assert form_errors(response, "pesel") == ["Another person in the registry has this PESEL."]
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("citizenships", "BY, XQ", "“XQ” is not an ISO 3166 country code (such as BY or BLR)."),
        ("birth_country", "ZZZ", "“ZZZ” is not an ISO 3166 country code (such as BY or BLR)."),
        ("languages", "be, xx", "“XX” is not an ISO 639-1 language code (such as be, ru or pl)."),
    ],
)
def test_an_unknown_code_is_refused_on_its_field(anna_client, field, value, message):
    response = anna_client.post(NEW_PERSON, person_data(**{field: value}))

    assert form_errors(response, field) == [message]
    assert not Person.objects.exists()


def test_three_letter_country_codes_are_stored_as_two_letter_codes(anna_client):
    anna_client.post(NEW_PERSON, person_data(citizenships="blr pol", birth_country="BLR"))

    person = Person.objects.get()
    assert (person.citizenships, person.birth_country) == (["BY", "PL"], "BY")


def test_a_birth_date_in_the_future_is_refused(anna_client):
    response = anna_client.post(NEW_PERSON, person_data(birth_date="2999-01-01"))

    assert form_errors(response, "birth_date") == ["The birth date is in the future."]
    assert not Person.objects.exists()


def test_the_error_is_linked_to_its_input_for_screen_readers(anna_client):
    response = anna_client.post(NEW_PERSON, person_data(pesel="123"))

    html = response.content.decode()
    assert 'id="id_pesel_error"' in html
    assert 'aria-describedby="id_pesel_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<label for="id_pesel">' in html


def test_editing_a_name_updates_the_latin_name_and_the_search(anna_client, ben):
    url = reverse("registry:person_edit", kwargs={"uid": ben.uid})
    page = anna_client.get(url)
    data = {**page.context["form"].initial, "surname": "Ясельчанка", "surname_latin": ""}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data["citizenships"] = "BY"
    data["languages"] = "be"

    response = anna_client.post(url, data)

    assert response.status_code == 302
    ben.refresh_from_db()
    assert ben.surname_latin == "IASELCHANKA"
    assert " iaselchanka " in ben.name_keys
    assert ben.languages == ["be"]


def test_moving_a_birth_date_before_a_parents_is_refused(anna_client):
    mother = make_person(given_names="Марына", birth_date=dt.date(1965, 6, 1), sex="F")
    child = make_person(given_names="Алесь", birth_date=dt.date(1990, 2, 2))
    link(child, mother, "parent")
    url = reverse("registry:person_edit", kwargs={"uid": child.uid})

    response = anna_client.post(
        url, person_data(surname="Ясельчык", given_names="Алесь", birth_date="1960-01-01", sex="M")
    )

    [error] = form_errors(response, "birth_date")
    assert "A parent must be born before their child" in error
    child.refresh_from_db()
    assert child.birth_date == dt.date(1990, 2, 2)


def test_the_person_page_shows_every_fact_in_a_fixed_number_of_queries(
    anna_client, ben, django_assert_max_num_queries
):
    make_document(ben)
    make_title(ben)
    make_event(make_application(ben))
    make_stay(ben, returned=None)
    link(ben, make_person(given_names="Марына", birth_date=dt.date(1960, 1, 1)), "parent")
    link(ben, make_person(given_names="Алесь", birth_date=dt.date(2015, 1, 1)), "child")

    # Session, user, the request savepoint pair, the person and one query per kind of fact.
    with django_assert_max_num_queries(11):
        response = anna_client.get(reverse("registry:person_detail", kwargs={"uid": ben.uid}))

    html = response.content.decode()
    for text in [
        "MP1234567",
        "temporary residence",
        "decision issued",
        "granted",
        "still abroad",
        "MARYNA",
        "ALES",
        "Бенядзікт",
    ]:
        assert text in html


def test_a_relative_known_only_by_who_they_are_is_marked_and_can_be_ticked_complete(
    anna_client,
):
    # Hanna came in as Mikola's mother, given only by who she is; she holds no permit at all.
    hanna = make_person(given_names="Ганна")
    Person.objects.filter(pk=hanna.pk).update(episodes_recorded=False)
    page = reverse("registry:person_detail", kwargs={"uid": hanna.uid})
    assert b'id="episodes-not-recorded"' in anna_client.get(page).content
    url = reverse("registry:person_edit", kwargs={"uid": hanna.uid})
    form = anna_client.get(url).context["form"]
    data = {key: ("" if value is None else value) for key, value in form.initial.items()}
    data.update(citizenships="BY", languages="be", episodes_recorded="on")

    assert anna_client.post(url, data).status_code == 302

    hanna.refresh_from_db()
    assert hanna.episodes_recorded is True
    assert b'id="episodes-not-recorded"' not in anna_client.get(page).content
    assert "episodes_recorded" not in anna_client.get(url).context["form"].fields


def test_a_citizenship_typed_for_a_person_recorded_stateless_is_refused(anna_client):
    # Aliaksandra is recorded stateless; a citizenship typed on her page would contradict it.
    aliaksandra = make_person(given_names="Аляксандра", citizenships=[])
    Person.objects.filter(pk=aliaksandra.pk).update(facts={"stateless": True})
    url = reverse("registry:person_edit", kwargs={"uid": aliaksandra.uid})
    form = anna_client.get(url).context["form"]
    data = {key: ("" if value is None else value) for key, value in form.initial.items()}
    data.update(citizenships="BLR", languages="be")

    response = anna_client.post(url, data)

    assert form_errors(response, "citizenships") == [
        "The person is recorded as stateless: change that answer (facts the law asks about) "
        "before recording a citizenship."
    ]
    aliaksandra.refresh_from_db()
    assert aliaksandra.citizenships == []


def test_moving_bens_birth_date_after_his_passports_issue_is_refused(anna_client, ben):
    make_document(ben, issued=dt.date(2015, 5, 5), expires=dt.date(2025, 5, 4))
    url = reverse("registry:person_edit", kwargs={"uid": ben.uid})
    page = anna_client.get(url)
    data = {**page.context["form"].initial, "birth_date": "2016-01-01"}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data["citizenships"] = "BY"

    response = anna_client.post(url, data)

    assert form_errors(response, "birth_date") == [
        "Something recorded for this person is dated before this birth date (2015-05-05)."
    ]
    ben.refresh_from_db()
    assert ben.birth_date == dt.date(1988, 3, 14)
