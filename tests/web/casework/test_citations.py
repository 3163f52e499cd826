"""The rulebook's citations in the interface's languages: every one translated, none stale,
shown on the page and in the text output; a language without a file keeps the English."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from legalstay.rulebook import load_rulebook, references
from legalstay.web.casework.citations import catalog, cited, parameter_citations
from legalstay.web.languages import LANGUAGE_CODES

CITATIONS = {
    name: value
    for name, value in vars(references).items()
    if name.isupper() and isinstance(value, str)
}
TRANSLATED = [code for code in LANGUAGE_CODES if catalog(code)]


def parameter_references() -> set[str]:
    """The parameters' references, and the values of those that are citations themselves (a
    renewal deadline cites ``pl.uoc.pdpdc.validity_citation``, which a reform patches)."""
    rulebook = load_rulebook()
    parameters = [
        parameter
        for scenario in ("pl-baseline", "pl-amnesty-2025")
        for parameter in rulebook.parameters(scenario).parameters.values()
    ]
    references = {value.reference.citation() for p in parameters for value in p.values}
    cited_values = {value.value for p in parameters if p.unit == "text" for value in p.values}
    return references | cited_values


def test_polish_is_among_the_languages_the_citations_are_translated_into():
    assert "pl" in TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_citation_of_the_rulebook_is_translated(language):
    assert set(CITATIONS) - set(catalog(language)) == set()


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_citation_translates_an_english_one_since_changed(language):
    # Changed in English, a citation is translated again rather than shown stale.
    entries = catalog(language).items()
    assert {name for name, entry in entries if CITATIONS.get(name) != entry["en"]} == set()


@pytest.mark.parametrize("language", [c for c in LANGUAGE_CODES if parameter_citations(c)])
def test_every_parameters_reference_is_translated_and_none_is_stale(language):
    translated = {entry["en"] for entry in parameter_citations(language)}
    assert parameter_references() - translated == set()
    assert translated - parameter_references() == set()


def test_a_citation_reads_in_the_pages_language_and_as_given_where_none_is_kept():
    stamp = references.UOC_STAMP
    with translation.override("pl"):
        assert cited(stamp) == catalog("pl")["UOC_STAMP"]["pl"]
        assert "art. 108" in cited(stamp) and cited(stamp) != stamp
        assert cited("a sentence put together at run time") == "a sentence put together at run time"
    with translation.override("en"):
        assert cited(stamp) == stamp


def test_a_citation_the_rules_join_at_run_time_reads_translated_when_each_part_is():
    # A decision deadline cites its period and the suspension that may have run in it.
    joined = f"{references.UOC_TRP_DECISION}, {references.STILL_SUSPENDED_BY_100D}"
    polish = catalog("pl")
    with translation.override("pl"):
        assert cited(joined) == (
            f"{polish['UOC_TRP_DECISION']['pl']}, {polish['STILL_SUSPENDED_BY_100D']['pl']}"
        )
        # One part not translated: the whole stays English, never half and half.
        half = f"{references.UOC_STAMP}; a clause no one translated"
        assert cited(half) == half


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
    command = ["assess", str(path), "--as-of", "2026-04-20", "--format", "text"]
    assert main([*command, "--language", "pl"]) == 0
    assert catalog("pl")["UOC_STAMP"]["pl"] in capsys.readouterr().out
