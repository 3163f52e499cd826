"""Every string is translated into Polish and English, and the pages speak the user's language.

The compiled catalogs (.mo) are committed with their sources, so a fresh clone needs no gettext.
Belarusian, Russian and Ukrainian are complete too (not yet reviewed by native speakers).
"""

import gettext
from pathlib import Path

import pytest
from django.urls import reverse

import legalstay.web

LOCALE = Path(legalstay.web.__file__).parent / "locale"


def catalog(language: str) -> dict:
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as file:
        return gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]


def msgids() -> set:
    # The English catalog holds every message (its translations are the sources).
    return {key for key in catalog("en") if key}


@pytest.mark.parametrize("language", ["pl", "en"])
def test_polish_and_english_are_complete(language):
    translated = {key for key, value in catalog(language).items() if key and value}
    assert msgids() - translated == set()


@pytest.mark.parametrize("language", ["be", "ru", "uk"])
def test_belarusian_russian_and_ukrainian_are_complete(language):
    translated = {key for key, value in catalog(language).items() if key and value}
    assert msgids() - translated == set()


@pytest.mark.parametrize("language", ["pl", "en", "be", "ru", "uk"])
def test_no_entry_is_left_fuzzy(language):
    # A fuzzy entry is left out of the compiled catalog, silently: the page shows English, or
    # for English a new message is missing from the catalog the other tests compare against.
    entries = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text().split("\n\n")[1:]
    fuzzy = [entry for entry in entries if "#, fuzzy" in entry]
    assert fuzzy == []


@pytest.mark.parametrize("language", ["pl", "en", "be", "ru", "uk"])
def test_no_entry_is_left_untranslated_in_the_sources(language):
    # The catalogs are compared against the compiled English one, which leaves out a message
    # untranslated in English too: the sources are read here, so none slips past both.
    entries = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text().split("\n\n")[1:]
    untranslated = [
        entry for entry in entries if entry.rstrip().endswith('msgstr ""') and "msgid" in entry
    ]
    assert untranslated == []


def test_english_shows_each_message_as_written():
    # Plain messages only: plurals and messages with a context are keyed differently.
    plain = {key: value for key, value in catalog("en").items() if isinstance(key, str) and key}
    assert {key: value for key, value in plain.items() if "\x04" not in key and key != value} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "en", "be", "ru", "uk"])
def test_a_caseworkers_pages_render_in_every_language(anna_client, olga, language):
    person = {"uid": olga.uid}
    for url in (
        reverse("casework:dashboard"),
        reverse("casework:worklist", kwargs={"slug": "due-90"}) + "?scope=all",
        reverse("casework:person", kwargs=person),
        reverse("registry:person_detail", kwargs=person),
        reverse("registry:person_facts", kwargs=person),
    ):
        response = anna_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (language, url)
        assert response["Content-Language"] == language


@pytest.mark.django_db
def test_olgas_page_in_polish(anna_client, olga):
    response = anna_client.get(
        reverse("casework:person", kwargs={"uid": olga.uid}), HTTP_ACCEPT_LANGUAGE="pl"
    )
    html = response.content.decode()
    assert "Status na dzień" in html
    assert '<th scope="row">Pobyt</th>' in html and "pobyt czasowy" in html
    assert "Oś czasu" in html
    assert any(month in html for month in ("stycznia", "lutego", "grudnia", "listopada"))


@pytest.mark.django_db
def test_the_dashboard_in_belarusian(anna_client):
    response = anna_client.get(reverse("casework:dashboard"), HTTP_ACCEPT_LANGUAGE="be")
    assert "Спісы спраў" in response.content.decode()
