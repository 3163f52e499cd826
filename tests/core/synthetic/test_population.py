"""The population generator: exact size, exact schema, determinism, invariants, the mix."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from legalstay.synthetic import SCHEMA, generate_population, mix
from tests.core.synthetic import shares
from tests.core.synthetic.invariants import broken

TOLERANCE = 0.02


def test_it_makes_exactly_the_number_of_persons_asked_for():
    for persons in (0, 1, 2, 3, 17, 1000):
        tables = generate_population(persons, 5, as_of=dt.date(2026, 3, 1))
        assert tables["persons"]["person_id"].to_list() == list(range(persons))


def test_the_same_seed_gives_the_same_world():
    first = generate_population(2000, 42, as_of=dt.date(2026, 3, 1))
    second = generate_population(2000, 42, as_of=dt.date(2026, 3, 1))
    for name in SCHEMA:
        assert_frame_equal(first[name], second[name])


def test_another_seed_gives_another_world():
    first = generate_population(2000, 1, as_of=dt.date(2026, 3, 1))
    second = generate_population(2000, 2, as_of=dt.date(2026, 3, 1))
    assert not first["persons"].equals(second["persons"])


def test_every_table_has_exactly_the_engines_schema(population):
    assert set(population) == set(SCHEMA)
    for name, schema in SCHEMA.items():
        assert dict(population[name].schema) == schema, name


def test_no_invariant_is_broken(population, as_of):
    assert broken(population, as_of) == {}


def test_a_negative_number_of_persons_is_refused():
    with pytest.raises(ValueError, match="persons"):
        generate_population(-1, 1, as_of=dt.date(2026, 3, 1))


def test_dates_move_with_as_of():
    earlier = generate_population(500, 9, as_of=dt.date(2026, 3, 1))
    later = generate_population(500, 9, as_of=dt.date(2027, 3, 1))
    first, second = (t["applications"]["filed"].max() for t in (earlier, later))
    assert isinstance(first, dt.date) and isinstance(second, dt.date)
    assert second > dt.date(2026, 3, 1) >= first


def test_men_are_about_55_percent(population):
    assert shares.share_of_people(population, pl.col("sex") == "M") == pytest.approx(
        mix.TARGETS["men"], abs=TOLERANCE
    )


def test_children_are_about_15_percent(population, as_of):
    children = 1 - shares.adults(population, as_of).height / population["persons"].height
    assert children == pytest.approx(mix.TARGETS["under_18"], abs=TOLERANCE)


def test_most_are_belarusian_citizens(population):
    belarusian = sum(
        share for combination, share in mix.CITIZENSHIPS.items() if "BY" in combination
    )
    by = shares.share_of_people(population, pl.col("citizenships").list.contains("BY"))
    assert by == pytest.approx(belarusian, abs=TOLERANCE)


@pytest.mark.parametrize(
    "kind",
    ["subsidiary_protection", "refugee_status", "permanent_residence", "eu_long_term_residence"],
)
def test_adults_hold_each_status_in_the_documented_share(population, as_of, kind):
    held = shares.share_of_adults_with_title(population, as_of, pl.col("kind") == kind)
    assert held == pytest.approx(mix.TRACKS[kind], abs=TOLERANCE / 2)


def test_refugee_status_is_about_7_percent_of_protection_grants(population, as_of):
    refugee = shares.share_of_adults_with_title(
        population, as_of, pl.col("kind") == "refugee_status"
    )
    subsidiary = shares.share_of_adults_with_title(
        population, as_of, pl.col("kind") == "subsidiary_protection"
    )
    share = refugee / (refugee + subsidiary)
    assert share == pytest.approx(mix.TARGETS["refugee_of_protection_grants"], abs=TOLERANCE)


def test_temporary_residence_is_the_largest_group(population, as_of):
    trp = pl.col("kind") == "temporary_residence"
    ltr = pl.col("kind") == "eu_long_term_residence"
    on_trp = shares.share_of_adults_with_title(population, as_of, trp)
    on_trp -= shares.share_of_adults_with_title(population, as_of, ltr)  # LTR holders had TRPs
    expected = mix.TRACKS["temporary_residence"] + mix.TRACKS["irregular"]
    assert on_trp == pytest.approx(expected, abs=TOLERANCE)


def test_most_temporary_residence_is_the_humanitarian_visa_trp(population, as_of):
    pkt9 = pl.col("ground") == "humanitarian_visa_belarus"
    held = shares.share_of_adults_with_title(population, as_of, pkt9)
    belarusian = sum(
        share for combination, share in mix.CITIZENSHIPS.items() if "BY" in combination
    )
    trp = mix.TRACKS["temporary_residence"]
    assert held == pytest.approx(
        trp * mix.TRP_GROUNDS["humanitarian_visa_belarus"] * belarusian, abs=TOLERANCE
    )


def test_recent_arrivals_hold_only_visas(population, as_of):
    expected = mix.TRACKS["recent_visa"]
    expected += mix.TRACKS["pending_protection"] * mix.PENDING_PROTECTION_CAME_ON_VISA
    assert shares.share_of_adults_with_only_visas(population, as_of) == pytest.approx(
        expected, abs=TOLERANCE / 2
    )


def test_pending_protection_applicants_are_in_the_documented_share(population, as_of):
    waiting = shares.share_of_adults_waiting_for_protection(population, as_of)
    assert waiting == pytest.approx(mix.TRACKS["pending_protection"], abs=TOLERANCE / 2)


def test_the_situations_the_caseload_must_show_are_all_there(population, as_of):
    applications, documents = population["applications"], population["documents"]
    situations = {
        "pending, filed on time": applications.filter(
            pl.col("outcome").is_null() & (pl.col("kind") == "temporary_residence")
        ),
        "not formally complete": applications.filter(~pl.col("formally_complete")),
        "refused, appeal deadline running": applications.filter(
            (pl.col("outcome") == "refused") & (pl.col("delivered") > as_of - dt.timedelta(days=14))
        ),
        "appeal filed": applications.filter(pl.col("appeal_filed").is_not_null()),
        "suspended at party request": applications.filter(pl.col("suspended_at_party_request")),
        "TZC": documents.filter(pl.col("kind") == "temporary_identity_certificate"),
        "PDPdC renewed": documents.filter(pl.col("kind") == "travel_document_for_foreigners")
        .group_by("person_id")
        .len()
        .filter(pl.col("len") > 1),
        "passport expired after Decree 278": documents.filter(
            (pl.col("kind") == "national_passport")
            & pl.col("expires").is_between(mix.DECREE_278, as_of, closed="left")
        ),
        "still abroad": population["stays_abroad"].filter(pl.col("returned").is_null()),
        "break over six months": population["stays_abroad"].filter(
            (pl.col("returned") - pl.col("left")).dt.total_days() > 183
        ),
    }
    assert [name for name, rows in situations.items() if rows.is_empty()] == []


def test_some_children_born_in_poland_have_no_document_at_all(population):
    born_here = population["persons"].filter(pl.col("birth_country") == "PL")
    without = born_here.join(population["documents"], on="person_id", how="anti")
    assert 0 < without.height < born_here.height


def test_documents_and_titles_agree(population):
    """A TRP card runs exactly as long as its TRP; a PDPdC exactly one year."""
    titles = population["titles"].filter(pl.col("kind") == "temporary_residence")
    cards = population["documents"].filter(pl.col("kind") == "residence_card")
    matched = cards.join(
        titles, left_on=["person_id", "expires"], right_on=["person_id", "valid_to"]
    )
    assert matched.height >= 0.95 * titles.height
    pdpdc = population["documents"].filter(pl.col("kind") == "travel_document_for_foreigners")
    # Valid until the day corresponding to the issue day, as the rulebook derives it.
    one_year = pdpdc.filter(pl.col("expires") == pl.col("issued").dt.offset_by("1y"))
    assert one_year.height == pdpdc.height


def test_passports_run_five_years_under_14_ten_from_14_and_to_99_from_64(population):
    """MC §5; the only passports issued more than 10 years before expiry are seniors'."""
    passports = population["documents"].filter(pl.col("kind") == "national_passport")
    with_birth = passports.join(population["persons"], on="person_id")
    age_at_issue = (pl.col("issued") - pl.col("birth_date")).dt.total_days()
    years = pl.when(age_at_issue < 14 * 365.25).then(pl.lit("5y")).otherwise(pl.lit("10y"))
    expected = (
        pl.when(age_at_issue >= 64 * 365.25)
        .then(pl.col("birth_date").dt.offset_by("99y"))
        .otherwise(pl.col("issued").dt.offset_by(years).dt.offset_by("-1d"))
    )
    assert with_birth.filter(pl.col("expires") != expected).is_empty()


def test_a_few_are_ukrainian_russian_or_dual_citizens(population):
    citizenships = population["persons"]["citizenships"]
    dual = citizenships.list.len() > 1
    foreign = ~citizenships.list.contains("BY")
    assert 0.01 < dual.mean() < 0.08
    assert 0.01 < foreign.mean() < 0.08


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_small_caseload_still_holds_the_rare_groups(seed):
    tables = generate_population(400, seed, as_of=dt.date(2026, 3, 1))
    titles, documents = tables["titles"]["kind"], tables["documents"]["kind"]
    assert {"refugee_status", "eu_long_term_residence"} <= set(titles)
    assert "temporary_identity_certificate" in set(documents)


@pytest.mark.parametrize(
    "shares",
    [
        mix.TRACKS,
        mix.TRP_GROUNDS,
        mix.PERMANENT_GROUNDS,
        mix.VISA_GROUNDS_OF_ARRIVALS,
        mix.HOUSEHOLDS,
        mix.CHILDREN_PER_FAMILY,
        mix.CITIZENSHIPS,
        {(low, high): share for low, high, share in mix.ADULT_AGE_BANDS},
    ],
)
def test_each_documented_mix_adds_up_to_one(shares):
    assert sum(shares.values()) == pytest.approx(1.0)
