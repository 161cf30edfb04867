"""axe-core (vendored, 4.14.1) on every page, in English and French: no serious or critical
violation."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data
from compare.reports.services import recommendation_create

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
ASSURMER = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json").read_text()
)
NEXT = {"en": "Next", "fr": "Suivant"}
PAGES = [
    "/{lang}/",
    "/{lang}/hypervisors/",
    "/{lang}/hypervisors/?q=vmware&sort=release",
    "/{lang}/hypervisors/?q=nothing-like-this",
    "/{lang}/hypervisors/proxmox-ve/",
    "/{lang}/hypervisors/proxmox-ve/suggest/",
    "/{lang}/compare/?h=proxmox-ve&h=vmware-esxi&h=microsoft-hyper-v",
    "/{lang}/compare/?h=proxmox-ve&h=vmware-esxi&diff=1",
    "/{lang}/compare/?h=utm",
    "/{lang}/assess/",
    "/{lang}/methodology/",
    "/{lang}/no-such-page/",  # the 404 page
    "/r/" + "x" * 32 + "/",  # an unknown recommendation link, in the browser's language
]


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_passes_axe(page, live_server, language):
    load_reference_data()
    with __import__("django").utils.translation.override(language):
        share = recommendation_create(answers=ASSURMER).get_absolute_url()
    problems = {}
    what_if = share + "what-if/?w.security=5&need.builtin_backup=nice"
    for url in [*PAGES, share, what_if]:
        page.goto(live_server.url + url.format(lang=language))
        problems[url] = serious_violations(page)
    # Every step of the questionnaire, the priorities table included.
    page.goto(f"{live_server.url}/{language}/assess/")
    for step in range(2, 7):
        page.get_by_role("button", name=NEXT[language]).click()
        problems[f"assess step {step}"] = serious_violations(page)
    assert {where: found for where, found in problems.items() if found} == {}


def tab_to(page, description: str, is_target: str) -> None:
    """Press Tab until the focused element satisfies the JavaScript predicate `is_target`
    (a function of the element), as a keyboard user would; fail after 100 presses."""
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate(f"({is_target})(document.activeElement)"):
            return
    pytest.fail(f"{description} is not reachable with the keyboard")


def test_the_questionnaire_can_be_completed_with_the_keyboard_only(page, live_server):
    load_reference_data()
    page.goto(live_server.url + "/en/assess/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    tab_to(page, "The company name", "e => e.name === 'organisation-company_name'")
    page.keyboard.type("Keyboard Ltd")
    for step in range(5):
        tab_to(page, "The Next button", "e => e.textContent.trim() === 'Next'")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.get_by_text(f"Step {step + 2} of 6:")).to_be_visible()
    # Priorities: change a weight with the keyboard, then submit.
    tab_to(page, "The security weight", "e => e.name === 'priorities-security'")
    page.keyboard.press("ArrowUp")
    tab_to(page, "The submit button", "e => e.textContent.trim() === 'See my recommendation'")
    with page.expect_navigation(url=re.compile(r"/r/[A-Za-z0-9_-]{32}/$")):
        page.keyboard.press("Enter")

    tab_to(page, "The share link", "e => e.id === 'share-url'")
    assert page.evaluate("document.activeElement.value") == page.url
    assert "Keyboard Ltd" in page.title()
