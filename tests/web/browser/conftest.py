"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server.

Without /usr/bin/chromium a browser test is skipped with the way to install it, or fails when
``LEGALSTAY_REQUIRE_BROWSER=1`` (CI sets it, so CI always runs them). Data a test needs must be
made before the browser starts: list its fixtures before ``phone_page``. Django keeps a
connection per (asyncio) context, and one opened inside Playwright's event loop would outlive
the test and block dropping the PostgreSQL test database.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # this machine's network is closed: no calls home
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
PHONE = {"width": 420, "height": 900}  # every page must work at a phone's width


@pytest.fixture
def anna_account(django_user_model):
    """Anna, a caseworker (staff, not superuser)."""
    return django_user_model.objects.create_user("anna", password="anna-secret", is_staff=True)


@pytest.fixture
def phone_page(monkeypatch):
    """A page in a fresh headless Chromium, phone-sized."""
    if not CHROMIUM.exists():
        reason = "Debian chromium not installed: apt-get install chromium"
        if os.environ.get("LEGALSTAY_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; what touches the database
    # meanwhile (fixture teardown) is synchronous all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE)
        page.set_default_timeout(TIMEOUT_MS)
        yield page
        browser.close()
