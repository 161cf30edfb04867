"""The what-if panel in a real Chromium: a weight moved re-ranks in place (no page load), and
"Save as a new recommendation" makes a new page while the original stays as it was."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data
from compare.models import Recommendation
from compare.reports.services import recommendation_create

pytestmark = pytest.mark.django_db(transaction=True)

ASSURMER = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json").read_text()
)


def test_moving_a_weight_re_ranks_in_place_and_saves_as_new(page, live_server):
    load_reference_data()
    saved = recommendation_create(answers=ASSURMER)
    original = Recommendation.objects.get(pk=saved.pk).result
    page.goto(live_server.url + saved.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")

    panel = page.locator("#what-if")
    # Licensing and cost to 0, security to 5: Proxmox VE's lead goes (hand-checked in
    # tests/reports/test_what_if.py: security alone ranks by the security rating).
    panel.get_by_label("Licence model and cost").fill("0")
    panel.get_by_label("Built-in backups").select_option("nice")
    panel.get_by_label("Security").fill("5")

    headline = page.locator("#what-if-headline")
    expect(headline).to_be_visible()
    expect(page.locator("#what-if-changes")).to_contain_text("Security: 3 → 5")
    expect(page.locator("#what-if-changes")).to_contain_text(
        "Built-in backups: Required → Nice to have"
    )
    first = page.locator("#what-if-ranking tbody tr").first
    expect(first).not_to_have_attribute("data-slug", "proxmox-ve")
    assert page.evaluate("window.stillTheSamePage") is True  # no page load
    assert page.url == live_server.url + saved.get_absolute_url()

    with page.expect_navigation(url=re.compile(r"/r/[A-Za-z0-9_-]{32}/$")):
        page.get_by_role("button", name="Save as a new recommendation").click()
    assert saved.token not in page.url
    fresh = Recommendation.objects.exclude(pk=saved.pk).get()
    assert fresh.answers["builtin_backup"] == "nice" and fresh.weights["security"] == 5
    new_winner = fresh.result["ranking"][0]["name"]
    expect(page.locator(".verdict")).to_contain_text(new_winner)

    page.goto(live_server.url + saved.get_absolute_url())
    assert Recommendation.objects.get(pk=saved.pk).result == original
    expect(page.locator("#what-if")).to_be_visible()
    expect(page.get_by_text("Proxmox VE", exact=False).first).to_be_visible()


def test_without_javascript_the_panel_is_a_form_that_shows_the_result(browser, live_server):
    load_reference_data()
    saved = recommendation_create(answers=ASSURMER)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + saved.get_absolute_url())
    page.locator("#what-if").get_by_label("Built-in backups").select_option("nice")
    with page.expect_navigation(url=re.compile(r"/what-if/\?")):
        page.get_by_role("button", name="Show the result").click()
    expect(page.locator("h1")).to_have_text("What if…")
    expect(page.locator("#what-if-changes")).to_contain_text("Built-in backups")
    with page.expect_navigation(url=re.compile(r"/r/[A-Za-z0-9_-]{32}/$")):
        page.get_by_role("button", name="Save as a new recommendation").click()
    assert Recommendation.objects.count() == 2
    context.close()
