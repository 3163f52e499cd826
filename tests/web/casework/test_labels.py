"""Every flag, route and condition the rulebook names has a label a caseworker can read (and
translators can translate), rather than its code with the underscores taken out."""

from legalstay.rulebook import load_rulebook
from legalstay.rulebook.flags import FLAGS
from legalstay.web.casework import labels


def test_every_flag_has_a_label():
    assert set(FLAGS) - set(labels.FLAGS) == set()


def test_every_route_and_condition_of_every_eligibility_has_a_label():
    eligibilities = load_rulebook().rules.eligibilities.values()
    pairs = [pair for eligibility in eligibilities for pair in eligibility.conditions()]
    assert {route.name for route, _ in pairs} - set(labels.ROUTES) == set()
    assert {condition.name for _, condition in pairs} - set(labels.CONDITIONS) == set()


def test_a_list_of_permit_grounds_reads_in_words_in_each_language():
    from django.utils import translation

    from legalstay.web.casework.explanations import parameter_value

    grounds = ["work", "blue_card", "seasonal_work", "humanitarian_visa_belarus"]
    with translation.override("pl"):
        assert parameter_value(grounds, "codes") == (
            "praca, Niebieska Karta UE, praca sezonowa, wiza humanitarna (Białoruś)"
        )
        assert parameter_value(1, "year") == "1 rok"
        assert parameter_value(3, "year") == "3 lata"
    with translation.override("en"):
        assert parameter_value(grounds[:2], "codes") == "work, EU Blue Card"
        assert parameter_value(30, "day") == "30 days"
