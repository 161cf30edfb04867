"""The site's frame on a phone (the folded menu) and the comparison's sticky header."""

import pytest
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data
from tests.browser.test_accessibility import serious_violations

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
    assert serious_violations(phone) == []
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


def test_the_comparison_header_row_stays_in_view_while_scrolling(page, live_server):
    load_reference_data()
    page.goto(f"{live_server.url}/en/compare/?h=proxmox-ve&h=vmware-esxi&h=microsoft-hyper-v")
    table_box = page.get_by_role("region", name="Criteria and features of the chosen hypervisors")
    header = page.get_by_role("columnheader", name="Proxmox VE")
    first_criterion = page.locator("tbody th[scope=rowgroup]").first
    # The reader brings the table to the top of the window, then scrolls down through it.
    table_box.evaluate("box => window.scrollTo(0, box.getBoundingClientRect().top + scrollY)")
    header_box = header.bounding_box()
    page.mouse.move(640, header_box["y"] + 300)
    for _ in range(4):
        page.mouse.wheel(0, 500)
    page.wait_for_function("document.querySelector('.compare-scroll').scrollTop >= 1500")

    assert first_criterion.bounding_box()["y"] < -1000  # long scrolled past
    assert abs(header.bounding_box()["y"]) <= 1  # the header row is still at the top
    assert header.bounding_box()["y"] == pytest.approx(table_box.bounding_box()["y"], abs=1)
    expect(page.get_by_role("link", name="Proxmox VE", exact=True)).to_be_in_viewport()


def test_on_a_phone_the_comparison_scrolls_sideways_in_its_box(phone, live_server):
    load_reference_data()
    phone.goto(f"{live_server.url}/fr/compare/?h=proxmox-ve&h=vmware-esxi&h=microsoft-hyper-v")
    sizes = phone.locator(".compare-scroll").evaluate(
        "box => [box.scrollWidth, box.clientWidth, document.documentElement.scrollWidth]"
    )
    wide_table, box_width, page_width = sizes
    assert wide_table > box_width  # the table scrolls inside its box...
    assert page_width == PHONE["width"]  # ...and the page itself does not
