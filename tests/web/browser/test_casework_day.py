"""A caseworker's morning in a real browser (Debian's Chromium through Playwright, live server).

Anna logs in, opens her worklist of deadlines within 30 days, opens Olga — whose temporary
residence card expires next month — records the new application Olga filed today through MOS,
and sees her stay continue on the pending application (art. 108) and the alert resolve. Then
she records the refusal of Olga's earlier application, delivered yesterday, and sees the
appeal deadline the engine computed, 14 days on (KPA art. 129 § 2; its arithmetic, 1 May
2026 among it, is tested with the worked cases). Everyone here is invented.

Set LEGALSTAY_SCREENSHOTS to a folder to keep screenshots of the worklist and the person page.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from legalstay.engine.periods import default_calendar, period_end
from tests.web.browser.conftest import PHONE
from tests.web.casework.conftest import assign, make_olga
from tests.web.conftest import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morning(django_user_model):
    # Made before Playwright starts (see the registry's browser test for why).
    anna = django_user_model.objects.create_user("anna", password="anna-secret", is_staff=True)
    olga = make_olga()
    make_application(
        olga,
        kind="travel_document_for_foreigners",
        authority="Mazowiecki Urząd Wojewódzki",
        case_number="SOC-PDP.1.2026",
        channel="in_person",
        filed=dt.date(2026, 3, 2),
        formally_complete=True,
        completed_on=dt.date(2026, 3, 2),
    )
    assign(olga, anna)
    return olga


@pytest.fixture
def browser_page(morning, phone_page):
    return phone_page


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def screenshot(page, name: str) -> None:
    folder = os.environ.get("LEGALSTAY_SCREENSHOTS")
    if folder:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(folder) / name), full_page=True)
        page.set_viewport_size(PHONE)


def test_anna_files_olgas_new_application_and_records_a_refusal(browser_page, live_server):
    from playwright.sync_api import expect

    page = browser_page
    card_ends = timezone.localdate() + dt.timedelta(days=30)

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("anna-secret")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Worklists").click()
    expect(page.get_by_role("heading", name="Worklists")).to_be_visible()
    page.get_by_role("link", name="1 · Due within 30 days · mine").click()
    expect(page.get_by_role("heading", name="Due within 30 days")).to_be_visible()
    screenshot(page, "casework-worklist.png")
    page.get_by_role("link", name="RYBAK VOLHA").click()

    expect(page.get_by_role("heading", name="RYBAK VOLHA")).to_be_visible()
    alerts = page.locator("#alerts")
    ending = f"Legal stay on temporary residence ends on {long_date(card_ends)}"
    expect(alerts.locator(".alert-text", has_text=ending)).to_be_visible()
    expect(page.locator("#answer-legal_stay")).to_contain_text("From ")
    expect(page.locator("#answer-legal_stay")).to_contain_text("no legal basis")

    page.get_by_role("link", name="Record a new application").click()
    page.get_by_label("kind").select_option("temporary_residence")
    expect(page.get_by_label("filed on")).to_have_value(timezone.localdate().isoformat())
    page.get_by_label("submission number").fill("MOS/2026/000123")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Application recorded; status recomputed.")).to_be_visible()
    expect(page.locator("#answer-legal_stay")).to_contain_text("pending application (art. 108)")
    ending_alert = alerts.locator(".alert-text", has_text=ending)
    expect(ending_alert).to_be_hidden()  # resolved: listed only under "Resolved alerts"
    alerts.get_by_text("Resolved alerts").click()
    expect(ending_alert).to_be_visible()
    expect(alerts.locator("li", has_text=ending)).to_contain_text("resolved")

    pdpdc = page.locator("article", has_text="filed 2 March 2026")
    pdpdc.get_by_role("link", name="Record a step").click()
    page.get_by_label("Step").select_option("decision_issued")
    # Delivered yesterday, so the appeal lies ahead (a lapsed one is shown only to a person
    # without legal stay, and Olga's rests on her new application).
    delivered = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Date").fill((delivered - dt.timedelta(days=7)).isoformat())
    page.get_by_label("Outcome").select_option("refused")
    page.get_by_role("button", name="Save").click()
    pdpdc.get_by_role("link", name="Record a step").click()
    page.get_by_label("Step").select_option("delivered")
    page.get_by_label("Date").fill(delivered.isoformat())
    page.get_by_role("button", name="Save").click()

    appeal = page.locator("#deadlines tr", has_text="appeal against the decision")
    due = period_end(delivered, 14, "day", default_calendar())
    expect(appeal).to_contain_text(long_date(due))
    expect(appeal).to_contain_text("KPA art. 129")
    screenshot(page, "casework-person.png")


def test_anna_records_olgas_karta_polaka_and_sees_her_eligible(browser_page, live_server):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("anna-secret")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Worklists").click()
    page.get_by_role("link", name="1 · Due within 30 days · mine").click()
    page.get_by_role("link", name="RYBAK VOLHA").click()

    eligibility = page.locator("#eligibility")
    permanent = eligibility.locator("tr", has_text="permanent residence permit")
    expect(permanent).to_contain_text("cannot tell yet")
    eligibility.get_by_role("link", name="Record facts the law asks about").click()
    page.get_by_role("group", name="holds the Karta Polaka").get_by_label("yes").check()
    page.get_by_label("Married to a Polish citizen since").fill("2031-01-01")
    screenshot(page, "registry-facts-form.png")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The marriage date cannot be in the future.")).to_be_visible()
    page.get_by_label("Married to a Polish citizen since").fill("")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Facts saved; status recomputed.")).to_be_visible()
    expect(permanent).to_contain_text("eligible · Karta Polaka")
    screenshot(page, "casework-facts.png")
