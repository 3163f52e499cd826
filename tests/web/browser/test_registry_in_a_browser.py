"""The registry in a real browser: Debian's Chromium driven by Playwright, against a live server.

Anna the caseworker logs in, registers a mother and her new-born daughter, adds the mother's
passport by pasting its machine-readable zone, and finds her again by a Cyrillic and by a
Latin search. Everyone here is invented.
"""

import re

import pytest

from tests.web.conftest import td3_mrz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(anna_account, phone_page):
    return phone_page


def test_anna_registers_a_family_pastes_a_passport_and_finds_the_mother_again(
    browser_page, live_server
):
    from playwright.sync_api import expect

    page = browser_page

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("anna-secret")
    page.get_by_role("button", name="Log in").click()
    # The day starts at the worklists; the registry is one click away.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Persons").click()
    expect(page.get_by_role("heading", name="Persons")).to_be_visible()

    page.get_by_role("link", name="New person").click()
    page.get_by_label("surname (original script)").fill("Ясельчык")
    page.get_by_label("given names (original script)").fill("Марына")
    page.get_by_label("birth date").fill("1960-04-01")
    page.get_by_label("sex").select_option("F")
    page.get_by_label("citizenships").fill("BY")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="IASELCHYK MARYNA")).to_be_visible()

    page.get_by_role("link", name="Add a child").first.click()
    new_person = page.locator("form", has=page.get_by_role("button", name="Register and link"))
    expect(new_person.get_by_label("surname (original script)")).to_have_value("Ясельчык")
    new_person.get_by_label("given names (original script)").fill("Алеся")
    new_person.get_by_label("birth date").fill("2024-02-01")
    new_person.get_by_label("country of birth").fill("PL")
    new_person.get_by_role("button", name="Register and link").click()
    expect(page.get_by_role("heading", name="Family of IASELCHYK MARYNA")).to_be_visible()
    expect(page.get_by_role("cell", name="IASELCHYK ALESIA")).to_be_visible()
    expect(page.get_by_role("cell", name="child")).to_be_visible()

    page.get_by_role("link", name="← IASELCHYK MARYNA").click()
    page.get_by_role("link", name="Add a document").click()
    passport = td3_mrz(surname="IASELCHYK", given_names="MARYNA", birth="600401", sex="F")
    page.get_by_label("machine-readable zone").fill(passport)
    page.get_by_role("button", name="Fill the fields from the MRZ").click()
    expect(page.get_by_label("number")).to_have_value("MP7654321")  # filled in place by htmx
    expect(page.get_by_label("expires on")).to_have_value("2030-05-04")
    expect(page.get_by_label("issuing state")).to_have_value("BY")
    page.get_by_role("button", name="Save").click()
    documents = page.locator("#documents")
    expect(documents.get_by_role("cell", name="MP7654321", exact=True)).to_be_visible()
    expect(documents.get_by_role("cell", name="2030-05-04", exact=True)).to_be_visible()

    for query in ["Марына Ясельчык", "iaselchyk maryna"]:
        page.get_by_role("link", name="Persons").click()
        page.get_by_label(re.compile("Search by name")).fill(query)  # live search, no submit
        results = page.locator("#results")
        expect(results.get_by_role("link", name="IASELCHYK MARYNA")).to_be_visible()
        expect(results.get_by_role("link", name="IASELCHYK ALESIA")).to_have_count(0)
