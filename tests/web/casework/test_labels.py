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
