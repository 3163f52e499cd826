"""The statistics page and its downloads: login required, the shipped numbers on the page, the
sources named, the side-by-side tables, filters, CSV/JSON of the shown series, the report."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGE = reverse("statistics:page")
DOWNLOADS = [
    reverse("statistics:report"),
    reverse("statistics:series_csv"),
    reverse("statistics:series_json"),
]


@pytest.mark.parametrize("url", [PAGE, *DOWNLOADS, reverse("statistics:import")])
def test_every_statistics_url_wants_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_analyst_without_a_registry_role_sees_the_statistics(carl_client, page_data):
    response = carl_client.get(PAGE)
    assert response.status_code == 200
    assert reverse("statistics:import") not in response.content.decode()


def test_the_page_shows_eurostats_permits_and_unhcrs_applications_as_stored(anna_client, page_data):
    html = anna_client.get(PAGE).content.decode()

    for number in ("55,902", "61,533", "133,595", "301,611", "306,447", "251,362"):
        assert f'<td class="n">{number}</td>' in html
    assert '<td class="n">49,599 d</td>' in html  # Poland's 2018 stock keeps its flag
    for number in ("387", "2,164", "2,981", "3,631", "3,637", "2,990"):
        assert f'<td class="n">{number}</td>' in html


def test_every_chart_is_labelled_and_names_its_source_and_retrieval_date(anna_client, page_data):
    html = anna_client.get(PAGE).content.decode()

    for slug in ("permits-held", "asylum-applications", "asylum-decisions"):
        assert f'<svg role="img" aria-labelledby="{slug}-title {slug}-desc"' in html
        assert f'<title id="{slug}-title">' in html
    assert "Source: Eurostat, migr_resvalid (data updated 2026-07-09), retrieved 2026-11-26" in html
    assert "Source: UNHCR Refugee Data Finder, retrieved 2026-11-26" in html
    assert html.count('<svg role="img"') == 3  # no caseload yet: no fourth chart


def test_where_sources_disagree_both_are_shown_with_their_definitions(anna_client, page_data):
    response = anna_client.get(PAGE)
    comparisons = {
        c.title: c
        for c in [*response.context["permit_comparisons"], *response.context["asylum_comparisons"]]
    }

    permits = comparisons["Residence permits held on 31 December: citizens of Belarus in Poland"]
    assert "Regulation (EC) No 862/2007" in permits.official_definition
    texts = [tuple(cell.text for cell in row[:5]) for row in permits.table.rows]
    # Eurostat's 31 December stock next to the Office for Foreigners' figure for that day:
    assert ("2023", "306,447", "2023-12-31", "118,562", "−187,885") in texts
    assert ("—", "", "2025-02", "143,000 >", "") in texts  # a figure no official one meets
    applications = comparisons["New asylum applications in the year: citizens of Belarus in Poland"]
    assert ("2023", "3,631", "2023", "3,700 ~", "+69") in [
        tuple(cell.text for cell in row[:5]) for row in applications.table.rows
    ]
    html = response.content.decode()
    assert "published − official" in html
    assert "Each row says what was counted." in html


def test_the_published_figures_and_the_sources_are_listed(anna_client, page_data):
    response = anna_client.get(PAGE)
    published = response.context["published"]
    assert len(published.rows) == 58
    sources = {row[0].text: row[1].text for row in response.context["sources"].rows}
    assert sources["Eurostat, migr_resvalid (data updated 2026-07-09)"] == "2026-11-26"
    assert sources["UNHCR Refugee Data Finder"] == "2026-11-26"


def test_the_filters_choose_citizenship_and_country(anna_client, page_data):
    response = anna_client.get(PAGE, {"citizen": "UA", "geo": "DE"})

    assert (response.context["citizen"], response.context["geo"]) == ("UA", "DE")
    assert response.context["permit_figures"] == []  # the shipped permits are Belarusians'
    titles = [figure.title for figure in response.context["asylum_figures"]]
    assert titles[0] == "New asylum applications in Germany by citizenship (UNHCR)"
    assert 'value="UA" selected' in response.content.decode()


def test_an_unknown_choice_falls_back_to_belarusians_in_poland(anna_client, page_data):
    response = anna_client.get(PAGE, {"citizen": "<script>", "geo": "XX"})
    assert response.status_code == 200
    assert (response.context["citizen"], response.context["geo"]) == ("BY", "PL")


def test_an_empty_store_says_how_to_fill_it(anna_client, db):
    html = anna_client.get(PAGE).content.decode()
    assert "legalstay manage import_statistics --bundled" in html
    assert "<svg" not in html


def test_the_csv_download_holds_the_shown_series_as_stored(anna_client, page_data):
    response = anna_client.get(reverse("statistics:series_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="legalstay-statistics-BY-PL.csv"' in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("dataset,citizen,geo,")
    assert any(
        line.startswith("migr_resvalid,BY,PL,") and ",2019,55902,," in line for line in lines
    )


def test_the_json_download_is_records_of_the_shown_series(anna_client, page_data):
    records = json.loads(anna_client.get(reverse("statistics:series_json")).content)

    new = [
        r
        for r in records
        if r["dataset"] == "unhcr_asylum_applications"
        and r["citizen"] == "BY"
        and r["period"] == "2025"
    ]
    assert [(r["app_type"], r["dec_level"], r["value"]) for r in new] == [("N", "FI", 2990)]
    assert {r["citizen"] for r in records if r["dataset"].startswith("unhcr")} == {"BY", "UA", "RU"}
    assert {r["dataset"] for r in records} == {
        "migr_resvalid",
        "migr_resfirst",
        "unhcr_asylum_applications",
        "unhcr_asylum_decisions",
        "published_figures",
    }


def test_the_report_download_is_the_self_contained_html_report(anna_client, page_data):
    response = anna_client.get(reverse("statistics:report"), {"citizen": "BY", "geo": "PL"})

    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="legalstay-statistics-BY-PL-'
    )
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") == 3
    assert "306447" in html and "118562" in html
    assert "<script" not in html and "http://" not in html.split("<svg")[0]
