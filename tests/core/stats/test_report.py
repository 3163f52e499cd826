"""The HTML report: self-contained, sourced, and showing disagreeing sources side by side."""

import datetime as dt
import re
from xml.etree import ElementTree

import polars as pl
import pytest

from legalstay.stats import (
    Chart,
    build_report,
    bundled_observations,
    comparisons,
    permits_held_chart,
)

GENERATED = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def observations():
    return bundled_observations()


@pytest.fixture(scope="module")
def caseload():
    rows = [
        {"month": dt.date(2025, 1, 1), "citizenship": "BY", "legal_stay_basis": basis}
        for basis, count in (
            ("temporary_residence", 30),
            ("subsidiary_protection", 14),
            ("pending_application", 4),
        )
        for _ in range(count)
    ]
    return pl.DataFrame(rows)


@pytest.fixture(scope="module")
def report(observations, caseload):
    return build_report(observations, generated=GENERATED, caseload=caseload)


def test_the_report_is_one_self_contained_page(report):
    assert report.startswith("<!DOCTYPE html>")
    assert "<script" not in report
    assert not re.search(r'(src|href)="(https?:)?//', report)
    assert report.count("<svg") == 4


def test_every_chart_names_its_source_and_retrieval_date(report):
    for figure in re.findall(r"<figure>.*?</figure>", report, flags=re.S):
        found = re.search(r"<figcaption>(.*?)</figcaption>", figure, flags=re.S)
        assert found is not None
        caption = found[1]
        assert "Source:" in caption and ("retrieved" in caption or "caseload" in caption)
        assert "Source:" in figure.split("<figcaption>")[0]  # inside the picture as well


def test_a_chart_is_well_formed_svg_with_its_source_as_text(observations):
    chart = permits_held_chart(observations)
    assert isinstance(chart, Chart)  # not None: the shipped extracts have the data
    root = ElementTree.fromstring(chart.svg)
    text = "".join(root.itertext())
    assert "Eurostat, migr_resvalid" in text and "retrieved 2026-11-26" in text


def test_the_same_data_draw_the_same_bytes(observations):
    first, second = permits_held_chart(observations), permits_held_chart(observations)
    assert first is not None and second is not None
    assert first.svg == second.svg


def test_eurostats_stock_and_the_published_stock_stand_side_by_side_with_definitions(report):
    section = report.split("<h3>Residence permits held on 31 December")[1].split("<h3>")[0]
    assert "Eurostat migr_resvalid" in section and "Published figures" in section
    assert "306447" in section and "118562" in section  # 31 Dec 2023: both, neither chosen


def test_unhcr_and_the_published_applications_are_both_shown(observations):
    (applications,) = [
        c for c in comparisons(observations, "BY", "PL") if c.spec.measure == "asylum_applications"
    ]
    row = applications.table.filter(published_period="2024").row(0, named=True)
    assert (row["official"], row["published"], row["difference"]) == ("3637", "3900 ~", 263)


def test_the_caseload_section_shows_no_count_under_the_threshold(report):
    section = report.split("<h2>The caseload</h2>")[1].split("<h2>")[0]
    assert "&lt;10" in section
    cells = re.findall(r"<td class=n>(\d+)</td>", section)
    assert cells and all(int(cell) >= 10 or cell.startswith("2025") for cell in cells)


def test_without_a_caseload_there_is_no_caseload_section(observations):
    assert "The caseload" not in build_report(observations, generated=GENERATED)


def test_the_sources_section_gives_licences(report):
    assert "CC BY 4.0" in report and "Commission Decision 2011/833/EU" in report
