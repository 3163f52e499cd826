"""No synthetic person holds anything from before their birth, and no two share a PESEL."""

import datetime as dt

import polars as pl

from legalstay.synthetic import generate_caseload, generate_population

AS_OF = dt.date(2026, 11, 26)


def test_no_title_application_or_document_starts_before_its_holder_was_born():
    tables = generate_population(20_000, 3, as_of=AS_OF)
    births = tables["persons"].select("person_id", "birth_date")
    for table, start in (
        ("titles", "valid_from"),
        ("applications", "filed"),
        ("documents", "issued"),
    ):
        early = (
            tables[table].join(births, on="person_id").filter(pl.col(start) < pl.col("birth_date"))
        )
        assert early.height == 0, (table, early.head(3))


def test_every_pesel_in_a_large_caseload_is_unique():
    pesels = [
        d.person.extra["pesel"]
        for d in generate_caseload(25_000, 1, as_of=AS_OF)
        if "pesel" in d.person.extra
    ]
    assert len(pesels) > 10_000
    assert len(set(pesels)) == len(pesels)
