"""The statistics page in a real browser: Debian's Chromium driven by Playwright, against a live
server, at a phone's width.

Anna logs in and opens Statistics: she sees the charts (permits held by Belarusians in Poland,
asylum applications and decisions), each naming its source, the numbers behind a chart, and the
table that puts Eurostat's count next to the Office for Foreigners' published one. She switches
to Ukrainians in Germany. The figures are the real extracts shipped with legalstay.

The browser, its launch arguments and the skip convention are in ``conftest.py``.
"""

import os

import pytest

from tests.web.statistics.conftest import page_data  # noqa: F401  (the shipped extracts)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 30_000  # the first drawing of each chart takes the core a second or two
SCREENSHOT = os.environ.get("LEGALSTAY_SCREENSHOT")  # a path: keep a picture of the page


@pytest.fixture
def browser_page(anna_account, page_data, phone_page):  # noqa: F811
    phone_page.set_default_timeout(TIMEOUT_MS)
    return phone_page


def test_anna_sees_the_charts_with_their_sources_and_where_sources_disagree(
    browser_page, live_server
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/statistics/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("anna-secret")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Statistics", exact=True)).to_be_visible()

    permits = page.get_by_role(
        "img", name="Residence permits held by citizens of Belarus in Poland"
    )
    expect(permits).to_be_visible()
    expect(
        page.get_by_role("img", name="New asylum applications in Poland by citizenship (UNHCR)")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="First-instance asylum decisions in Poland by outcome (UNHCR)")
    ).to_be_visible()
    figure = page.locator("figure#permits-held")
    source = "Source: Eurostat, migr_resvalid (data updated 2026-07-09), retrieved 2026-11-26"
    expect(figure.locator("figcaption .source")).to_contain_text(source)
    expect(figure.locator("svg text", has_text=source)).to_have_count(1)  # in the picture too
    box = permits.bounding_box()
    assert box is not None and box["width"] <= 420  # the drawing fits the phone's width

    figure.get_by_text("The numbers in this chart").click()
    expect(figure.get_by_role("cell", name="251,362", exact=True)).to_be_visible()

    side_by_side = page.get_by_role(
        "table", name="Residence permits held on 31 December: citizens of Belarus in Poland"
    )
    side_by_side.scroll_into_view_if_needed()
    expect(side_by_side.get_by_role("columnheader", name="Eurostat migr_resvalid")).to_be_visible()
    expect(side_by_side.get_by_role("cell", name="118,562", exact=True)).to_be_visible()
    expect(side_by_side.get_by_role("cell", name="−187,885", exact=True)).to_be_visible()
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True)

    page.get_by_label("Citizenship", exact=True).select_option("UA")
    page.get_by_label("Country of residence or asylum", exact=True).select_option("DE")
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_role("img", name="New asylum applications in Germany by citizenship (UNHCR)")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="Residence permits held by citizens of Belarus in Poland")
    ).to_have_count(0)
