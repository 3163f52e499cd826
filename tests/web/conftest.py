"""Personas and factories for the web tests. Every person here is invented.

* Anna is a caseworker at the NGO: a staff user (not a superuser) who keeps the registry.
* Ben (Бенядзікт Ясельчык) is one of Anna's clients, a Belarusian on temporary residence in
  Poland; a registry person, not a user.
* Carl has an account at the NGO but no registry role (an analyst, say): he must see no one.

Factories are plain functions, ``make_person(**overrides)`` and friends, that write through
the registry's services, so test data passes the same validation as real data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation

from legalstay.identity.mrz import check_digit
from legalstay.web.registry import services
from legalstay.web.registry.models import (
    Application,
    ApplicationEvent,
    Document,
    Person,
    StayAbroad,
    Title,
)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_after_each_test():
    # A page asked for in Polish leaves Polish active in the thread (LocaleMiddleware does not
    # undo it): a later test reading a message would read it in Polish.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def collected_static_root(tmp_path_factory):
    # WhiteNoise warns (an error under filterwarnings) when STATIC_ROOT does not exist yet,
    # as on a fresh clone before collectstatic; tests serve static files from the finders.
    # Session-wide and autouse, so it is in place before the live server starts.
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=static_root):
        yield


@pytest.fixture
def anna(django_user_model):
    return django_user_model.objects.create_user("anna", password="anna-secret", is_staff=True)


@pytest.fixture
def anna_client(client, anna):
    client.force_login(anna)
    return client


@pytest.fixture
def carl_client(client, django_user_model):
    carl = django_user_model.objects.create_user("carl", password="carl-secret")
    client.force_login(carl)
    return client


@pytest.fixture
def ben(db):
    return make_person()


# ---------------------------------------------------------------- factories

BEN = {
    "surname": "Ясельчык",
    "given_names": "Бенядзікт",
    "birth_date": dt.date(1988, 3, 14),
    "sex": "M",
    "citizenships": ["BY"],
    "birth_country": "BY",
    "languages": ["be", "ru"],
    "arrived_on": dt.date(2021, 9, 1),
}


def make_person(**overrides: Any) -> Person:
    return services.do_create_person(actor=None, fields={**BEN, **overrides})


def make_document(person: Person, **overrides: Any) -> Document:
    fields = {
        "kind": "national_passport",
        "issuer": "BY",
        "number": "MP1234567",
        "issued": dt.date(2015, 5, 5),
        "expires": dt.date(2025, 5, 4),
        **overrides,
    }
    return services.do_add_document(actor=None, person=person, fields=fields)


def make_title(person: Person, **overrides: Any) -> Title:
    fields = {
        "kind": "temporary_residence",
        "ground": "work",
        "valid_from": dt.date(2023, 1, 10),
        "valid_to": dt.date(2026, 1, 9),
        **overrides,
    }
    return services.do_add_title(actor=None, person=person, fields=fields)


def make_application(person: Person, **overrides: Any) -> Application:
    fields = {
        "kind": "temporary_residence",
        "authority": "Mazowiecki Urząd Wojewódzki",
        "case_number": "SOC-II.6151.1.2025",
        "channel": "mos",
        "filed": dt.date(2025, 12, 1),
        "formally_complete": True,
        "completed_on": dt.date(2025, 12, 20),
        **overrides,
    }
    return services.do_add_application(actor=None, person=person, fields=fields)


def make_event(application: Application, **overrides: Any) -> ApplicationEvent:
    fields = {"kind": "decision_issued", "date": dt.date(2026, 2, 2), "outcome": "granted"}
    return services.do_add_application_event(
        actor=None, application=application, fields={**fields, **overrides}
    )


def make_stay(person: Person, **overrides: Any) -> StayAbroad:
    fields = {"left": dt.date(2024, 7, 1), "returned": dt.date(2024, 7, 20), **overrides}
    return services.do_add_stay_abroad(actor=None, person=person, fields=fields)


def link(person: Person, relative: Person, relation: str) -> None:
    services.do_link_relative(actor=None, person=person, relative=relative, relation=relation)


def td3_mrz(
    *,
    surname: str = "IASELCHYK",
    given_names: str = "BENIADZIKT",
    number: str = "MP7654321",
    issuer: str = "BLR",
    nationality: str = "BLR",
    birth: str = "880314",
    sex: str = "M",
    expiry: str = "300504",
    code: str = "P<",
) -> str:
    """A passport machine-readable zone (ICAO 9303 TD3) with correct check digits."""
    name = f"{surname}<<{given_names.replace(' ', '<')}"
    line1 = f"{code}{issuer}{name}".ljust(44, "<")[:44]
    number_field = number.ljust(9, "<")
    optional = "<" * 14
    parts = [
        f"{number_field}{check_digit(number_field)}",
        nationality,
        f"{birth}{check_digit(birth)}",
        sex,
        f"{expiry}{check_digit(expiry)}",
        f"{optional}{check_digit(optional)}",
    ]
    body = "".join(parts)
    composite = body[0:10] + body[13:20] + body[21:43]
    return f"{line1}\n{body}{check_digit(composite)}"


def form_errors(response, field: str, form: str = "form") -> list[str]:
    """The errors a rendered form shows on one field."""
    return list(response.context[form].errors.get(field, []))


def mikola_with_a_bare_mother():
    """Mikola, born in Poland in 2021; his mother Hanna is known only by who she is."""
    return {
        "format": "legalstay-dossier/1",
        "person": {
            "id": "mikola",
            "citizenships": ["BY"],
            "birth_date": "2021-03-10",
            "birth_country": "PL",
            "names": {"surname": "Лукашэвіч"},
        },
        "family": [
            {
                "relation": "parent",
                "person": {
                    "id": "hanna",
                    "birth_date": "1990-02-02",
                    "citizenships": ["BY"],
                    "names": {"surname": "Лукашэвіч"},
                },
            }
        ],
    }
