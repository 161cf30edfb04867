"""The site's frame on a phone (the folded menu) and the comparison's sticky header."""

import pytest
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}
MENU = ["Trouver mon hyperviseur", "Hyperviseurs", "Comparer", "Méthodologie"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def header_rows(page) -> float:
    """The header's height in lines of the header's own text (the brand's line box)."""
    header = page.locator("header").bounding_box()
    brand = page.locator(".navbar-brand").bounding_box()
    return header["height"] / brand["height"]


def test_on_a_phone_the_menu_folds_into_one_line_and_opens(phone, live_server):
    load_reference_data()
    phone.goto(f"{live_server.url}/fr/")
    assert header_rows(phone) <= 2
    folded = phone.locator("#site-menu a")
    expect(folded).to_have_count(len(MENU) + 2)  # and English, Français
    for index in range(len(MENU) + 2):
        expect(folded.nth(index)).to_be_hidden()

    phone.get_by_role("button", name="Menu").click()

    menu = phone.get_by_role("navigation", name="Principale")
    for name in MENU:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    menu.get_by_role("link", name="Comparer", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Comparer des hyperviseurs côte à côte"
    )


def test_the_phone_menu_opens_with_the_keyboard(phone, live_server):
    load_reference_data()
    phone.goto(f"{live_server.url}/en/")
    toggle = phone.get_by_role("button", name="Menu")
    for _ in range(5):
        phone.keyboard.press("Tab")
        if toggle.evaluate("button => button === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    phone.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    phone.keyboard.press("Tab")
    menu = phone.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Find my hypervisor")).to_be_focused()


def test_without_javascript_the_phone_menu_stays_open(browser, live_server):
    load_reference_data()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    menu = page.get_by_role("navigation", name="Principale")
    for name in MENU:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    context.close()
