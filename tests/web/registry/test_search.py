"""Finding a person: by name in either script, by document number, by PESEL."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.web.conftest import make_document, make_person

pytestmark = pytest.mark.django_db

PERSONS = reverse("registry:person_list")


def found(client, query, **params):
    response = client.get(PERSONS, {"q": query, **params})
    assert response.status_code == 200
    return [person.display_name for person in response.context["page"].object_list]


@pytest.fixture
def siarhei(db):
    return make_person(surname="Лапцевіч", given_names="Сяргей", birth_date=dt.date(1979, 5, 2))


@pytest.fixture
def olga(db):
    # Registered from her Polish residence card, in Latin letters only.
    return make_person(
        surname="",
        given_names="",
        surname_latin="KOVALEVA",
        given_names_latin="OLGA",
        birth_date=dt.date(1992, 8, 8),
        sex="F",
    )


@pytest.mark.parametrize("query", ["Лапцевіч", "лапцевич", "Laptsevich", "LAPTSEVICH", "Лапц"])
def test_a_name_typed_in_cyrillic_is_found_in_either_script(anna_client, siarhei, olga, query):
    assert found(anna_client, query) == ["LAPTSEVICH SIARHEI"]


@pytest.mark.parametrize("query", ["Ковалева", "Kovaleva Olga", "Ольга", "kov"])
def test_a_name_typed_in_latin_is_found_by_a_cyrillic_search(anna_client, siarhei, olga, query):
    assert found(anna_client, query) == ["KOVALEVA OLGA"]


def test_every_word_of_the_query_must_match(anna_client, siarhei, olga):
    assert found(anna_client, "Сяргей Лапцевіч") == ["LAPTSEVICH SIARHEI"]
    assert found(anna_client, "Сяргей Kovaleva") == []


def test_a_document_number_is_found_however_it_is_typed(anna_client, siarhei, olga):
    make_document(olga, number="RC 123-456")

    assert found(anna_client, "rc123456") == ["KOVALEVA OLGA"]
    assert found(anna_client, "RC 123 456") == ["KOVALEVA OLGA"]


def test_a_pesel_is_found(anna_client, siarhei):
    pesel_person = make_person(
        surname="Ясельчанка", pesel="90010100009", birth_date=dt.date(1990, 1, 1), sex="F"
    )

    assert found(anna_client, "90010100009") == [pesel_person.display_name]


def test_no_match_says_so_and_offers_to_register(anna_client, siarhei):
    response = anna_client.get(PERSONS, {"q": "Nobody"})

    assert "No one matches “Nobody”." in response.content.decode()


def test_the_list_is_paginated_by_latin_name(anna_client):
    surnames = [f"TEST{first}{second}" for first in "ABC" for second in "ABCDEFGHIJKLMNOPQRS"]
    for surname in reversed(surnames[:55]):
        make_person(surname="", surname_latin=surname, given_names="Ян")

    first_page = found(anna_client, "")
    second_page = found(anna_client, "", page=2)

    assert len(first_page) == 50
    assert first_page[0] == "TESTAA IAN"
    assert second_page == [f"{surname} IAN" for surname in surnames[50:55]]


def test_the_list_page_takes_the_same_queries_for_many_persons(
    anna_client, django_assert_max_num_queries
):
    for number in range(30):
        make_document(make_person(surname="", surname_latin=f"P{number}"), number=f"N{number}")

    # Session, user, request savepoint pair, count, page, documents of the page.
    with django_assert_max_num_queries(7):
        response = anna_client.get(PERSONS)

    assert len(response.context["page"].object_list) == 30


def test_live_search_answers_an_htmx_request_with_the_results(anna_client, siarhei):
    response = anna_client.get(PERSONS, {"q": "Siarhei"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert 'id="results"' in html
    assert "LAPTSEVICH SIARHEI" in html


def test_a_number_is_not_searched_among_names(anna_client):
    make_person(surname="", surname_latin="MP", given_names="")

    assert found(anna_client, "MP1") == []
