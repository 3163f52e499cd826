"""Caseload statistics in the store's shape, and small cells withheld on the way out."""

import datetime as dt

import polars as pl
import pytest

from legalstay.stats import CaseloadSchemaError, caseload_statistics, suppress_small_cells

JANUARY = dt.date(2025, 1, 1)


def persons(*groups: tuple[int, str, str, str | None, bool]) -> pl.DataFrame:
    """``(count, citizenship, basis, document, passport_expired)`` groups of identical persons."""
    rows = [
        {
            "month": JANUARY,
            "citizenship": c,
            "legal_stay_basis": b,
            "travel_document_kind": d,
            "passport_expired": e,
        }
        for count, c, b, d, e in groups
        for _ in range(count)
    ]
    return pl.DataFrame(rows)


CASELOAD = persons(
    (40, "BY", "temporary_residence", "national_passport", False),
    (25, "BY", "subsidiary_protection", "travel_document_for_foreigners", True),
    (3, "BY", "pending_application", None, True),
    (12, "UA", "temporary_residence", "national_passport", False),
)


def value(frame: pl.DataFrame, **codes: str) -> tuple[object, ...]:
    rows = frame.filter(**codes)
    assert rows.height == 1, rows
    return rows.select("value", "flag").row(0)


def test_persons_are_counted_by_citizenship_and_basis_with_totals():
    counts = caseload_statistics(CASELOAD)
    basis = counts.filter(dataset="caseload_stay_basis", period="2025-01")
    assert value(basis, citizen="BY", legal_stay_basis="subsidiary_protection") == (25, None)
    assert value(basis, citizen="BY", legal_stay_basis="TOTAL") == (68, None)
    assert value(basis, citizen="TOTAL", legal_stay_basis="temporary_residence") == (52, None)
    assert value(basis, citizen="TOTAL", legal_stay_basis="TOTAL") == (80, None)
    assert set(basis["geo"]) == {"PL"}


def test_documents_count_a_missing_one_as_none_and_flags_count_where_true():
    counts = caseload_statistics(CASELOAD)
    documents = counts.filter(dataset="caseload_travel_document")
    assert value(documents, citizen="BY", travel_document_kind="none") == (3, None)
    flags = counts.filter(dataset="caseload_indicators", indicator="passport_expired")
    assert value(flags, citizen="BY") == (28, None)
    assert value(flags, citizen="UA") == (0, None)


def test_a_count_under_the_threshold_is_shown_as_less_than_the_threshold():
    shown = suppress_small_cells(caseload_statistics(CASELOAD), 10)
    basis = shown.filter(dataset="caseload_stay_basis")
    assert value(basis, citizen="BY", legal_stay_basis="pending_application") == (None, "<10")
    assert value(basis, citizen="UA", legal_stay_basis="temporary_residence") == (12, None)


def test_zero_is_shown_because_it_identifies_nobody():
    shown = suppress_small_cells(caseload_statistics(CASELOAD), 10)
    flags = shown.filter(dataset="caseload_indicators", indicator="passport_expired")
    assert value(flags, citizen="UA") == (0, None)


def test_a_lone_withheld_cell_cannot_be_recovered_from_its_total():
    shown = suppress_small_cells(caseload_statistics(CASELOAD), 10)
    basis = shown.filter(dataset="caseload_stay_basis", citizen="BY")
    hidden = basis.filter(pl.col("value").is_null(), pl.col("legal_stay_basis") != "TOTAL")
    assert hidden.height >= 2
    assert value(basis, legal_stay_basis="subsidiary_protection") == (None, "c")


def test_nothing_under_the_threshold_leaves_the_suppression():
    shown = suppress_small_cells(caseload_statistics(CASELOAD), 10)
    visible = shown.filter(pl.col("value").is_not_null(), pl.col("value") > 0)
    smallest = visible["value"].min()
    assert isinstance(smallest, float) and smallest >= 10


def test_a_string_month_and_a_missing_citizenship_are_accepted():
    frame = pl.DataFrame(
        {"month": ["2025-02"], "citizenship": [None], "legal_stay_basis": ["visa"]},
        schema_overrides={"citizenship": pl.String},
    )
    counts = caseload_statistics(frame, geo="LT")
    assert value(counts, citizen="UNK", legal_stay_basis="visa") == (1, None)
    assert set(counts["geo"]) == {"LT"} and set(counts["period"]) == {"2025-02"}


def test_a_frame_without_the_basis_of_stay_is_refused():
    with pytest.raises(CaseloadSchemaError, match="legal_stay_basis"):
        caseload_statistics(pl.DataFrame({"month": [JANUARY], "citizenship": ["BY"]}))


def test_the_threshold_is_a_positive_count():
    with pytest.raises(ValueError, match="at least 1"):
        suppress_small_cells(caseload_statistics(CASELOAD), 0)
