"""The editors' desk in a real browser: a visitor suggests a correction, an editor finds it
on the admin's home page, and re-verifies the oldest facts from the facts-by-age page."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data
from compare.models import CorrectionSuggestion, Rating

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a long editor password"


@pytest.fixture
def site(live_server):
    load_reference_data()
    User.objects.create_superuser("editor", password=PASSWORD)
    return live_server.url


def sign_in(page, site):
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_visitor_suggests_a_correction_an_editor_finds_it(page, site):
    page.goto(f"{site}/hypervisors/xcp-ng/")
    page.get_by_role("link", name="Something wrong or out of date? Suggest a correction").click()
    page.get_by_label("Which fact?").select_option(label="Security")
    page.get_by_role("button", name="Send the suggestion").click()
    # Nothing is lost on a mistake: the form comes back with the message next to the field.
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    expect(page.get_by_label("Which fact?")).to_have_value("Security")

    page.get_by_label("Proposed change").fill("XO 6 adds a new role-based access model.")
    page.get_by_label("Source").fill("https://docs.xcp-ng.org/management/manage-at-scale/")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("status")).to_contain_text("your suggestion is waiting for an editor")
    suggestion = CorrectionSuggestion.objects.get()
    assert (suggestion.hypervisor.slug, suggestion.fact, suggestion.status) == (
        "xcp-ng",
        "Security",
        "pending",
    )

    sign_in(page, site)
    page.get_by_role("link", name="1 suggestion to review").click()
    page.get_by_role("row").filter(has_text="XCP-ng").get_by_role("link").first.click()
    expect(page.get_by_text("XO 6 adds a new role-based access model.")).to_be_visible()
    page.get_by_label("Status").select_option(label="Rejected")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected" and suggestion.decided_by.username == "editor"


def test_an_editor_re_verifies_the_oldest_facts(page, site):
    two_years_ago = timezone.localdate() - datetime.timedelta(days=730)
    Rating.objects.filter(hypervisor__slug="xenserver", criterion__key="security").update(
        verified_on=two_years_ago
    )
    sign_in(page, site)
    page.get_by_role("link", name="1 fact checked more than 12 months ago").click()
    expect(page.get_by_role("heading", name="Facts by age")).to_be_visible()
    table = page.get_by_role("table", name="XenServer")
    expect(table.get_by_role("row")).to_have_count(2)  # its header and the one stale rating

    table.get_by_label("Security").check()
    page.get_by_role("button", name="Re-verified today").click()
    expect(page.get_by_text("1 fact marked as re-verified today.")).to_be_visible()
    expect(page.get_by_text("No fact was checked more than 12 months ago.")).to_be_visible()

    rating = Rating.objects.get(hypervisor__slug="xenserver", criterion__key="security")
    record = rating.history.first()
    assert rating.verified_on == timezone.localdate()
    assert (record.history_user.username, record.history_change_reason) == (
        "editor",
        "Re-verified against its sources",
    )
    page.goto(f"{site}/hypervisors/xenserver/")
    expect(page.get_by_text("Stale: check again")).to_have_count(0)


def test_the_product_form_fits_a_laptop_screen_and_shows_its_errors(page, site):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, site)
    page.goto(f"{site}/admin/compare/hypervisor/")
    page.get_by_role("link", name="Proxmox VE", exact=True).click()
    expect(page.get_by_role("heading", name="Change hypervisor")).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    expect(page.locator(".timezonewarning:visible")).to_have_count(0)
    english, french = (page.locator(f"#id_summary_{code}").bounding_box() for code in ("en", "fr"))
    assert english["y"] == french["y"] and english["x"] < french["x"]  # side by side

    page.locator("#ratings-group summary").first.click()  # the ratings start folded
    page.locator("#id_ratings-0-score").fill("14")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Please correct the error below.")).to_be_in_viewport()
    expect(page.get_by_text("Ensure this value is less than or equal to 10.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # A cell's caveat, edited on its own page from the product's row, in both languages.
    page.get_by_role("row").filter(has_text="Load balancing").get_by_role("link").first.click()
    english, french = (page.locator(f"#id_note_{code}").bounding_box() for code in ("en", "fr"))
    assert english["y"] == french["y"] and english["x"] < french["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
