"""Casework personas, on top of the registry's (``tests/web/conftest.py``). All invented.

* Anna is a caseworker in the Warsaw team (staff); Dora is her colleague in the same team;
  Emil works in the Białystok team. Carl has an account but no registry role.
* Olga is Anna's client: on temporary residence whose card expires next month, the morning's
  typical case. Her daughter Zoja, born in Poland, has no identity document.
* Ben (from the registry's personas) is on temporary residence until 2 years from now.

Dates are relative to today where the pages read the clock, and fixed where the law is the
point (a refusal delivered on 17 Apr 2026 may be appealed until 4 May 2026).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.web.conftest import link, make_document, make_person, make_title

from legalstay.web.casework import services
from legalstay.web.casework.models import Team

TODAY = timezone.localdate


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def warsaw(anna, django_user_model):
    team = Team.objects.create(name="Warsaw")
    dora = django_user_model.objects.create_user("dora", password="dora-secret", is_staff=True)
    team.members.add(anna, dora)
    return team


@pytest.fixture
def dora(warsaw, django_user_model):
    return django_user_model.objects.get(username="dora")


@pytest.fixture
def emil(django_user_model):
    emil = django_user_model.objects.create_user("emil", password="emil-secret", is_staff=True)
    Team.objects.create(name="Białystok").members.add(emil)
    return emil


def make_olga(**overrides):
    """On temporary residence until next month, with a valid passport and residence card.
    Numbered after her id, so that another person made the same way holds documents of her own
    (the registry refuses a number another person's document of that kind and issuer has)."""
    fields = {
        "surname": "Рыбак",
        "given_names": "Вольга",
        "birth_date": dt.date(1985, 6, 2),
        "sex": "F",
        **overrides,
    }
    olga = make_person(**fields)
    make_title(olga, valid_from=days(-700), valid_to=days(30))
    make_document(olga, number=f"MP{olga.pk:07d}", issued=days(-1500), expires=days(2000))
    make_document(
        olga,
        kind="residence_card",
        issuer="PL",
        number=f"RC{olga.pk:07d}",
        issued=days(-690),
        expires=days(30),
    )
    return olga


@pytest.fixture
def olga(db):
    return make_olga()


def make_zoja(mother):
    """Olga's daughter, born in Poland a year ago, with no document."""
    zoja = make_person(
        surname="Рыбак",
        given_names="Зоя",
        birth_date=days(-400),
        sex="F",
        birth_country="PL",
        citizenships=["BY"],
        arrived_on=None,
    )
    link(mother, zoja, "child")
    return zoja


@pytest.fixture
def zoja(olga):
    return make_zoja(olga)


@pytest.fixture
def ben_on_residence(ben):
    make_title(ben, valid_from=days(-300), valid_to=days(730))
    make_document(ben, number="MP2222222", issued=days(-300), expires=days(3000))
    return ben


def make_pdpdc(person, issued):
    """A Polish travel document for foreigners whose expiry the law derives from its issue."""
    return make_document(
        person,
        kind="travel_document_for_foreigners",
        issuer="PL",
        number="AA1234567",
        issued=issued,
        expires=None,
    )


def assign(person, owner, team=None):
    return services.do_assign(actor=None, person=person, owner=owner, team=team)
