"""The caseload in the shape of the official data, from stored statuses, with small cells
withheld on everything that leaves the app: the page, the CSV and JSON, and the report.

The caseload: 12 Belarusians on temporary residence, 3 Belarusians with refugee status (one
of them without a valid travel document), 11 Ukrainians on temporary residence. With the
default threshold of 10, the 3 refugees are withheld (<10); the 12 Belarusians on temporary
residence would give them away next to the total of 15, so they are withheld too (c).
"""

from __future__ import annotations

import json

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from legalstay.web.statistics import access
from tests.web.statistics.conftest import caseload, needs_casework

pytestmark = [pytest.mark.django_db, needs_casework]

REFUGEES = {"legal_stay_basis": "refugee_status", "travel_document_kind": "refugee_travel_document"}


@pytest.fixture
def persons(db):
    return caseload(
        [
            (12, "BY", {}),
            (2, "BY", REFUGEES),
            (
                1,
                "BY",
                {
                    **REFUGEES,
                    "travel_document_valid": False,
                    "no_valid_travel_document": True,
                    "flags": ["passport_expired", "no_valid_travel_document"],
                },
            ),
            (11, "UA", {}),
        ]
    )


def cells(counts, dataset, **codes):
    found = counts.filter(
        counts["dataset"] == dataset, *(counts[name] == code for name, code in codes.items())
    )
    return [(row["value"], row["flag"]) for row in found.iter_rows(named=True)]


def test_counts_come_from_stored_statuses_in_the_official_shape(persons, anna):
    counts = access.caseload_counts(anna)

    basis = "caseload_stay_basis"
    assert cells(counts, basis, citizen="TOTAL", legal_stay_basis="TOTAL") == [(26, None)]
    assert cells(counts, basis, citizen="BY", legal_stay_basis="TOTAL") == [(15, None)]
    assert cells(counts, basis, citizen="UA", legal_stay_basis="temporary_residence") == [
        (11, None)
    ]
    assert cells(counts, basis, citizen="BY", legal_stay_basis="refugee_status") == [(None, "<10")]
    assert cells(counts, basis, citizen="BY", legal_stay_basis="temporary_residence") == [
        (None, "c")
    ]
    assert set(counts["period"].to_list()) == {"2026-03"}  # the month of as_of


def test_no_count_under_the_threshold_leaves_the_page(anna_client, persons):
    response = anna_client.get(reverse("statistics:page"))
    html = response.content.decode()

    tables = {table.caption: table for table in response.context["caseload_tables"]}
    by_basis = tables["Persons by basis of legal stay"]
    assert by_basis.headers[2:] == ("all citizenships", "Belarus (BY)", "Ukraine (UA)")
    rows = {(row[0].text, row[1].text): [cell.text for cell in row[2:]] for row in by_basis.rows}
    assert rows[("2026-03", "refugee status")] == ["<10", "<10", "0"]
    # 23 and 12 would give the withheld refugees away next to the totals (26, 15): withheld.
    assert rows[("2026-03", "temporary residence")] == [": c", ": c", "11"]
    assert rows[("2026-03", "all")] == ["26", "15", "11"]
    flags = tables["Persons with each flag"].rows
    indicators = {row[1].text: [cell.text for cell in row[2:]] for row in flags}
    assert len(indicators) == len(flags)  # a flag that is also a stored boolean counts once
    assert indicators["no valid travel document"] == ["<10", "<10", "0"]
    assert indicators["passport expired"] == ["<10", "<10", "0"]
    assert '<svg role="img" aria-labelledby="caseload-status-title' in html
    shown = {cell.text for table in tables.values() for row in table.rows for cell in row[2:]}
    assert all(text in ("<10", ": c", "0") or int(text) >= 10 for text in shown)


def test_no_count_under_the_threshold_leaves_in_csv_or_json(anna_client, persons):
    records = json.loads(anna_client.get(reverse("statistics:series_json")).content)
    mine = [r for r in records if r["dataset"].startswith("caseload_")]
    assert mine
    assert all(r["value"] is None or r["value"] == 0 or r["value"] >= 10 for r in mine)
    refugees = [
        r for r in mine if r.get("legal_stay_basis") == "refugee_status" and r["citizen"] == "BY"
    ]
    assert [(r["value"], r["flag"]) for r in refugees] == [(None, "<10")]

    csv = anna_client.get(reverse("statistics:series_csv")).content.decode()
    line = next(row for row in csv.splitlines() if ",BY,PL," in row and "refugee_status" in row)
    assert ",2026-03,,<10," in line


def test_no_count_under_the_threshold_leaves_in_the_report(anna_client, persons):
    html = anna_client.get(reverse("statistics:report")).content.decode()

    assert "The caseload" in html
    assert "<td class=n>2026-03</td><td>refugee_status</td><td>&lt;10</td>" in html
    assert "<td class=n>2026-03</td><td>temporary_residence</td><td>: c</td>" in html
    assert "<td class=n>26</td>" in html
    for small in ("3", "12", "23"):
        assert f"<td class=n>{small}</td>" not in html


def test_the_threshold_is_a_setting(anna_client, persons, settings):
    settings.STATISTICS_SUPPRESSION_THRESHOLD = 3

    response = anna_client.get(reverse("statistics:page"))

    tables = {table.caption: table for table in response.context["caseload_tables"]}
    rows = {
        (row[0].text, row[1].text): [cell.text for cell in row[2:]]
        for row in tables["Persons by basis of legal stay"].rows
    }
    assert rows[("2026-03", "refugee status")] == ["3", "3", "0"]
    assert "Counts of fewer than 3 persons are shown as &lt;3" in response.content.decode()
    report = anna_client.get(reverse("statistics:report")).content.decode()
    assert "<td class=n>2026-03</td><td>refugee_status</td><td class=n>3</td>" in report


@pytest.mark.parametrize("threshold", [0, -5, "10", None])
def test_a_threshold_that_lets_small_counts_out_is_a_configuration_error(settings, threshold):
    settings.STATISTICS_SUPPRESSION_THRESHOLD = threshold
    errors = [m for m in run_checks() if m.id == "statistics_app.E001"]
    assert len(errors) == 1


def test_the_caseload_is_counted_with_a_fixed_number_of_queries(
    anna, persons, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        access.caseload_counts(anna)
