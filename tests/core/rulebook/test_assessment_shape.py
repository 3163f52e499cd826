"""Which unknown conditions are worth recording: those of a route still open."""

from legalstay.rulebook import load_rulebook


def test_a_marriage_date_does_not_decide_while_the_marriage_permit_is_too_short():
    rulebook = load_rulebook()
    unmet = ["two_years_on_marriage_permit_or_protection", "five_years_on_protection"]
    unknown = ["married_to_a_polish_citizen_3_years", "holds_karta_polaka", "polish_origin"]
    assert rulebook.deciding_unknowns("permanent_residence", unmet, unknown) == [
        "holds_karta_polaka",
        "polish_origin",
    ]


def test_income_does_not_decide_long_term_residence_while_five_years_are_short():
    rulebook = load_rulebook()
    unknown = [
        "stable_income_3_years",
        "health_insurance",
        "housing_and_registration",
        "polish_language",
    ]
    assert rulebook.deciding_unknowns("eu_long_term_residence", [], unknown) == unknown
    short = ["five_years_counted"]
    assert rulebook.deciding_unknowns("eu_long_term_residence", short, unknown) == []


def test_an_unmet_condition_every_route_shares_closes_them_all():
    rulebook = load_rulebook()
    unmet = ["not_already_permanent_resident"]
    assert rulebook.deciding_unknowns("permanent_residence", unmet, ["polish_origin"]) == []
