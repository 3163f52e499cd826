"""The table of published figures: every figure with its outlet and what it counts."""

import pytest

from legalstay.stats import StatsFormatError, load_published_figures, parse_observations

HEADER = (
    "figure_id,measure,citizen,geo,period,value,qualifier,counted,counted_by,outlet,"
    "reference,published,confidence,note\n"
)


def test_the_shipped_table_names_an_outlet_and_what_was_counted_for_every_figure():
    table = load_published_figures()
    assert table.height >= 50
    for column in ("outlet", "reference", "counted", "counted_by"):
        assert table.filter(table[column] == "").height == 0, column
    assert table["figure_id"].is_unique().all()


def test_the_seed_articles_asylum_figures_are_there_as_approximations():
    table = load_published_figures().filter(
        outlet="Pozirk (Amnesty International statement)",
        measure="asylum_applications",
        citizen="BY",
    )
    assert dict(table.select("period", "value").iter_rows()) == {
        "2023": 3700,
        "2024": 3900,
        "2025-S1": 1600,
    }
    assert set(table["qualifier"]) == {"about"}


def test_a_figure_becomes_a_store_row_flagged_by_its_qualifier():
    text = HEADER + (
        "x-1,residence_permit_holders,BY,PL,2025-02,143000,more_than,holders,UdSC,Pozirk,"
        "pozirk.online/en/news/149784,2025-08-06,medium,\n"
    )
    frame = parse_observations(text.encode(), name="figures.csv").observations
    row = frame.row(0, named=True)
    assert (row["dataset"], row["figure"], row["value"], row["flag"]) == (
        "published_figures",
        "x-1",
        143000,
        ">",
    )
    assert row["source"] == "Pozirk; pozirk.online/en/news/149784; published 2025-08-06"
    assert row["note"] == "holders"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("x,m,BY,PL,2023,12k,about,c,UdSC,o,r,,medium,\n", "value '12k' is not a number"),
        ("x,m,BY,PL,2023,12,roughly,c,UdSC,o,r,,medium,\n", "qualifier 'roughly'"),
        ("x,m,BY,PL,last year,12,about,c,UdSC,o,r,,medium,\n", "'last year' is not a period"),
        ("x,m,BY,PL,2023,12\n", "6 cells"),
    ],
)
def test_a_bad_row_fails_with_its_line(row, reason):
    with pytest.raises(StatsFormatError, match=reason) as error:
        parse_observations((HEADER + row).encode(), name="figures.csv")
    assert error.value.line == 2
