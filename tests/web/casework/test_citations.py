"""The rulebook's citations in Polish: every one translated, none stale, shown on the page and
in the text output; other languages keep the English until translated."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from legalstay.rulebook import references
from legalstay.web.casework.citations import catalog, cited

CITATIONS = {
    name: value
    for name, value in vars(references).items()
    if name.isupper() and isinstance(value, str)
}


def test_every_citation_of_the_rulebook_has_a_polish_translation():
    assert set(CITATIONS) - set(catalog("pl")) == set()


def test_no_polish_citation_translates_an_english_one_since_changed():
    # Changed in English, a citation is translated again rather than shown stale in Polish.
    stale = {name for name, entry in catalog("pl").items() if CITATIONS.get(name) != entry["en"]}
    assert stale == set()


def test_a_citation_reads_in_polish_on_a_polish_page_and_in_english_elsewhere():
    stamp = references.UOC_STAMP
    with translation.override("pl"):
        assert cited(stamp) == catalog("pl")["UOC_STAMP"]["pl"]
        assert "art. 108" in cited(stamp) and cited(stamp) != stamp
        assert cited("a sentence put together at run time") == "a sentence put together at run time"
    with translation.override("be"):
        assert cited(stamp) == stamp  # not yet translated: the English, as before


@pytest.mark.django_db
def test_the_polish_person_page_cites_in_polish(anna_client, olga):
    response = anna_client.get(
        reverse("casework:person", kwargs={"uid": olga.uid}), HTTP_ACCEPT_LANGUAGE="pl"
    )
    html = response.content.decode()
    shown = [entry["pl"] for entry in catalog("pl").values() if entry["pl"] in html]
    assert shown  # her stay's basis, at least
    assert not [entry["en"] for entry in catalog("pl").values() if f">{entry['en']}<" in html]


def test_the_text_output_in_polish_cites_in_polish(tmp_path, capsys):
    from tests.core.test_cli_assess import ALES

    from legalstay.cli import main

    path = tmp_path / "ales.json"
    path.write_text(json.dumps(ALES), encoding="utf-8")
    assert (
        main(["assess", str(path), "--as-of", "2026-04-20", "--format", "text", "--language", "pl"])
        == 0
    )
    out = capsys.readouterr().out
    assert catalog("pl")["UOC_STAMP_MOS"]["pl"] in out or catalog("pl")["UOC_STAMP"]["pl"] in out
