"""Playwright driving Debian's Chromium against the live test server.

Playwright cannot download its own browser on these machines, so the tests launch the
system Chromium. Without it they are skipped locally with the reason shown; CI sets
HVSELECT_REQUIRE_BROWSER=1 (see .ci/run), which turns a missing browser into a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HVSELECT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every journey is a new visitor: the questionnaire's per-client limit (30 posts a minute,
    all from 127.0.0.1 here) counts from zero, as it would for one person."""
    from compare.ratelimit import clear_counters

    clear_counters()


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = (
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set HVSELECT_CHROMIUM)"
        )
        if os.environ.get("HVSELECT_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page in a fresh context; the test fails if the Content Security Policy blocked
    anything on any page it visited (the admin included)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not blocked, blocked
