"""axe-core (vendored, 4.14.1) on every page, in English and French: no serious or critical
violation."""

import json
from pathlib import Path

import pytest

from compare.recommendations import recommendation_create
from compare.reference import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
ASSURMER = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json").read_text()
)
PAGES = [
    "/{lang}/",
    "/{lang}/hypervisors/",
    "/{lang}/hypervisors/proxmox-ve/",
    "/{lang}/compare/?h=proxmox-ve&h=vmware-esxi&h=microsoft-hyper-v",
    "/{lang}/compare/?h=utm",
    "/{lang}/assess/",
    "/{lang}/methodology/",
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
    for url in [*PAGES, share]:
        page.goto(live_server.url + url.format(lang=language))
        found = serious_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
