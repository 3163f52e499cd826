"""The demo caseload: the population's world, dressed with names, PESELs and fake contacts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from stdnum.pl import pesel

from legalstay.dossier import Dossier, dossier_from_dict, dossier_to_dict
from legalstay.identity.transliteration import to_latin
from legalstay.synthetic import (
    generate_caseload,
    generate_population,
    pesel_for,
    population_to_dossiers,
)

AS_OF = dt.date(2026, 3, 1)


def test_it_makes_exactly_the_number_of_persons_asked_for():
    for persons in (0, 1, 5, 60):
        assert len(list(generate_caseload(persons, 8, as_of=AS_OF))) == persons


def test_the_same_seed_gives_the_same_dossiers():
    assert list(generate_caseload(50, 4, as_of=AS_OF)) == list(
        generate_caseload(50, 4, as_of=AS_OF)
    )


def test_every_dossier_survives_a_json_round_trip(caseload):
    for dossier in caseload:
        assert dossier_from_dict(dossier_to_dict(dossier)) == dossier


def test_it_is_the_population_person_for_person():
    caseload = list(generate_caseload(120, 6, as_of=AS_OF))
    population = list(population_to_dossiers(generate_population(120, 6, as_of=AS_OF)))
    assert [_undressed(dossier) for dossier in caseload] == population


def _undressed(dossier: Dossier) -> Dossier:
    documents = tuple(dataclasses.replace(d, number=None) for d in dossier.documents)
    person = dataclasses.replace(dossier.person, extra={})
    return dataclasses.replace(dossier, person=person, documents=documents)


def test_family_links_go_both_ways(caseload):
    links = {(d.person.id, link.relation, link.person_id) for d in caseload for link in d.family}
    inverse = {"parent": "child", "child": "parent", "spouse": "spouse"}
    assert {(other, inverse[relation], me) for me, relation, other in links} == links


def test_children_are_born_after_their_parents(caseload):
    births = {d.person.id: d.person.birth_date for d in caseload}
    for dossier in caseload:
        for link in dossier.family:
            if link.relation == "parent":
                assert births[link.person_id] < dossier.person.birth_date


def test_a_child_born_in_poland_was_born_after_the_parents_arrived(caseload):
    arrived = {d.person.id: d.person.extra.get("arrived_on") for d in caseload}
    born_here = [d for d in caseload if d.person.birth_country == "PL"]
    assert born_here
    for child in born_here:
        parents = [link.person_id for link in child.family if link.relation == "parent"]
        for parent in parents:
            assert arrived[parent] < child.person.birth_date.isoformat()


def test_names_are_cyrillic_with_their_icao_transliteration(caseload):
    for dossier in caseload:
        names, language = dossier.person.extra["names"], dossier.person.extra["languages"][0]
        assert re.fullmatch(r"[А-Яа-яЁёІіЎў'ʼ -]+", names["surname"] + names["given_names"])
        assert names["surname_latin"] == to_latin(names["surname"], language)
        assert names["given_names_latin"] == to_latin(names["given_names"], language)


def test_a_wife_carries_the_feminine_form_of_her_husbands_surname(caseload):
    by_id = {d.person.id: d for d in caseload}
    for dossier in caseload:
        for link in dossier.family:
            if link.relation == "spouse" and dossier.person.sex == "F":
                husband = by_id[link.person_id].person.extra["names"]["surname"]
                wife = dossier.person.extra["names"]["surname"]
                assert wife == husband or wife.endswith(
                    ("ова", "ева", "ёва", "іна", "ина", "ына", "ава", "ая")
                )


def test_pesels_are_valid_and_match_birth_date_and_sex(caseload):
    with_pesel = [d for d in caseload if "pesel" in d.person.extra]
    assert 0.5 < len(with_pesel) / len(caseload) < 0.7
    for dossier in with_pesel:
        number = dossier.person.extra["pesel"]
        assert pesel.is_valid(number)
        assert pesel.get_birth_date(number) == dossier.person.birth_date
        assert pesel.get_gender(number) == dossier.person.sex


@pytest.mark.parametrize(
    ("birth", "sex", "expected_month"),
    [
        (dt.date(1999, 12, 31), "F", "12"),
        (dt.date(2000, 2, 29), "M", "22"),
        (dt.date(1899, 1, 1), "M", "81"),
    ],
)
def test_a_pesel_encodes_the_century_in_the_month(birth, sex, expected_month):
    number = pesel_for(birth, sex, 123)
    assert number[2:4] == expected_month
    assert pesel.is_valid(number) and pesel.get_gender(number) == sex


def test_contacts_are_obviously_fake(caseload):
    contacts = [d.person.extra["contact"] for d in caseload if "contact" in d.person.extra]
    assert contacts
    for contact in contacts:
        assert re.fullmatch(r"\+48 500 000 \d{3}", contact["phone"])
        assert contact["email"].endswith("@example.org")


def test_nobody_under_16_has_a_contact(caseload):
    for dossier in caseload:
        if (AS_OF - dossier.person.birth_date).days < 16 * 365:
            assert "contact" not in dossier.person.extra
