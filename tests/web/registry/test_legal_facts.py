"""Facts the law asks about that no document shows, recorded from the person page: they decide
what "cannot tell yet" left open, and a bad answer changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from legalstay.engine.population import PERSON_FACTS
from legalstay.web.casework.models import PersonStatus
from legalstay.web.registry.forms import LEGAL_FACT_LABELS, MARRIAGE_FACT, MARRIED
from tests.web.conftest import form_errors, make_title

pytestmark = pytest.mark.django_db


def facts_page(ben):
    return reverse("registry:person_facts", kwargs={"uid": ben.uid})


def answers(**changes):
    """The form as a caseworker leaves it: every yes/no fact not recorded, unless changed."""
    return {**dict.fromkeys(LEGAL_FACT_LABELS, ""), MARRIAGE_FACT: "", **changes}


def shown(client, person):
    """What the opened form shows and sends back as it is: each answer and its hidden copy."""
    form = client.get(facts_page(person)).context["form"]
    values = {name: form[name].value() or "" for name in form.fields}
    values = {name: str(value) for name, value in values.items()}
    return {**values, **{f"initial-{name}": value for name, value in values.items()}}


def permanent_residence(person):
    return PersonStatus.objects.get(person=person).assessment["eligibility"]["permanent_residence"]


def test_the_form_asks_every_fact_the_engine_reads():
    asked = {f"fact_{name}" for name in (*LEGAL_FACT_LABELS, MARRIAGE_FACT)}
    assert asked == set(PERSON_FACTS)


def test_recording_the_karta_polaka_makes_ben_eligible_for_permanent_residence(anna_client, ben):
    assert permanent_residence(ben)["eligible"] is None
    response = anna_client.post(facts_page(ben), answers(karta_polaka="yes"))
    assert response.status_code == 302
    assert response["Location"].endswith("#eligibility")
    ben.refresh_from_db()
    assert ben.facts == {"karta_polaka": True}
    assert permanent_residence(ben)["route"] == "karta_polaka"


def test_a_marriage_of_three_years_opens_the_spouse_route(anna_client, ben):
    today = timezone.localdate()
    make_title(
        ben,
        kind="temporary_residence",
        ground="spouse_of_polish_citizen",
        valid_from=today - dt.timedelta(days=3 * 366),
        valid_to=today + dt.timedelta(days=366),
    )
    married = (today - dt.timedelta(days=4 * 366)).isoformat()
    anna_client.post(
        facts_page(ben), answers(karta_polaka="no", married_to_polish_citizen_since=married)
    )
    ben.refresh_from_db()
    assert ben.facts == {"karta_polaka": False, MARRIED: True, MARRIAGE_FACT: married}
    assert permanent_residence(ben)["route"] == "spouse_of_polish_citizen"


def test_a_marriage_date_in_the_future_is_refused_and_nothing_changes(anna_client, ben):
    ben.facts = {"polish_origin": False, "kept_from_an_import": 1}
    ben.save(update_fields=["facts"])
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = anna_client.post(facts_page(ben), answers(married_to_polish_citizen_since=future))
    assert response.status_code == 200
    assert form_errors(response, MARRIAGE_FACT) == ["The marriage date cannot be in the future."]
    ben.refresh_from_db()
    assert ben.facts == {"polish_origin": False, "kept_from_an_import": 1}


def test_not_recorded_removes_an_answer_and_keeps_facts_the_form_does_not_ask(anna_client, ben):
    ben.facts = {"polish_origin": False, "kept_from_an_import": 1}
    ben.save(update_fields=["facts"])
    opened = shown(anna_client, ben)
    assert opened["polish_origin"] == "no"
    anna_client.post(facts_page(ben), {**opened, "polish_origin": ""})
    ben.refresh_from_db()
    assert ben.facts == {"kept_from_an_import": 1}


def test_carl_who_may_not_edit_cannot_record_facts(carl_client, ben):
    response = carl_client.post(facts_page(ben), answers(karta_polaka="yes"))
    assert response.status_code in (403, 404)
    ben.refresh_from_db()
    assert ben.facts == {}


def test_the_registry_page_shows_the_recorded_facts_in_words(anna_client, ben):
    ben.facts = {"karta_polaka": False, MARRIAGE_FACT: "2023-03-01", "kept_from_an_import": 1}
    ben.save(update_fields=["facts"])
    page = anna_client.get(reverse("registry:person_detail", kwargs={"uid": ben.uid}))
    assert page.context["legal_facts"] == [
        ("holds the Karta Polaka", "no"),
        ("Married to a Polish citizen since", "2023-03-01"),
    ]
    assert "holds the Karta Polaka: no; Married to a Polish citizen since: 2023-03-01" in (
        page.content.decode()
    )


def test_an_answer_saved_meanwhile_by_another_caseworker_is_kept(anna_client, ben):
    opened = shown(anna_client, ben)  # Anna opens the form
    ben.facts = {"karta_polaka": True}  # Dora records the Karta Polaka meanwhile
    ben.save(update_fields=["facts"])
    anna_client.post(facts_page(ben), {**opened, "polish_origin": "no"})
    ben.refresh_from_db()
    assert ben.facts == {"karta_polaka": True, "polish_origin": False}


def test_recorded_as_not_married_nor_granted_asylum_a_3_year_protection_holder_is_not_eligible(
    anna_client, ben
):
    make_title(
        ben,
        kind="subsidiary_protection",
        valid_from=timezone.localdate() - dt.timedelta(days=3 * 366),
        valid_to=None,
    )
    assert permanent_residence(ben)["eligible"] is None
    closed = {"karta_polaka": "no", "polish_origin": "no", MARRIED: "no"}
    anna_client.post(facts_page(ben), answers(**closed))
    assert permanent_residence(ben)["unknown"] == ["granted_asylum"]  # the one ground left open
    anna_client.post(facts_page(ben), {**shown(anna_client, ben), "granted_asylum": "no"})
    assert permanent_residence(ben)["eligible"] is False


def test_a_marriage_date_for_a_person_recorded_as_not_married_is_refused(anna_client, ben):
    response = anna_client.post(
        facts_page(ben), answers(**{MARRIED: "no", MARRIAGE_FACT: "2020-01-01"})
    )
    assert form_errors(response, MARRIAGE_FACT) == [
        "A marriage date is given, but the person is recorded as not married."
    ]
    ben.refresh_from_db()
    assert ben.facts == {}


def test_a_belarusian_cannot_be_recorded_stateless_and_nothing_changes(anna_client, ben):
    # Ben's citizenships list BY: stateless too would be both at once.
    assert ben.citizenships
    response = anna_client.post(facts_page(ben), answers(stateless="yes"))
    assert form_errors(response, "stateless") == [
        "The person's citizenships list one: correct them before recording statelessness."
    ]
    ben.refresh_from_db()
    assert ben.facts == {}


def test_saving_the_form_unchanged_says_so(anna_client, ben):
    response = anna_client.post(facts_page(ben), answers(), follow=True)
    assert "No change." in response.content.decode()


def test_an_answer_the_form_does_not_offer_is_refused_naming_the_answers_and_nothing_changes(
    anna_client, ben
):
    anna_client.post(facts_page(ben), answers(karta_polaka="yes"))

    response = anna_client.post(facts_page(ben), answers(karta_polaka="maybe"))

    assert form_errors(response, "karta_polaka") == [
        "Holds the Karta Polaka: “maybe” is not one of the values allowed: “” (not recorded), "
        "“yes” (yes), “no” (no)."
    ]
    ben.refresh_from_db()
    assert ben.facts == {"karta_polaka": True}
