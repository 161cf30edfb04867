"""The whole journey in French, in Chromium: questionnaire, French recommendation, the shared
page in French in a fresh browser. Questions and answers are found by their French labels,
read from the seeded questionnaire."""

import re
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONNAIRE = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "compare/reference_data/questionnaire.toml").read_text()
)
QUESTIONS = {question["key"]: question for question in QUESTIONNAIRE["question"]}


def question(key: str) -> str:
    return QUESTIONS[key]["text_fr"]


def answer(key: str, choice: str) -> str:
    return next(c["label_fr"] for c in QUESTIONS[key]["choice"] if c["key"] == choice)


def choose(page, key, choice):
    page.get_by_role("group", name=question(key)).get_by_label(
        answer(key, choice), exact=True
    ).check()


def test_a_french_company_gets_its_recommendation_in_french(page, browser, live_server):
    load_reference_data()
    page.goto(live_server.url + "/fr/")
    page.get_by_role("link", name="Trouver mon hyperviseur").first.click()

    expect(page.get_by_text("Étape 1 sur 6 :")).to_be_visible()
    page.get_by_label(question("company_name")).fill("Assurmer")
    choose(page, "use_case", "server_consolidation")
    page.get_by_label(question("host_count")).fill("3")
    page.get_by_label(question("vm_count")).fill("40")
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("button", name="Suivant").click()  # workloads: the defaults
    for key in ["live_migration", "high_availability", "builtin_backup", "web_ui"]:
        choose(page, key, "must")
    page.get_by_role("button", name="Suivant").click()
    choose(page, "ecosystem", "none")
    page.get_by_role("button", name="Suivant").click()
    choose(page, "licensing", "open_source_preferred")
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("button", name="Voir ma recommandation").click()

    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{32}/$"))
    context = browser.new_context(locale="en-GB")
    colleague = context.new_page()
    colleague.goto(page.url)
    expect(colleague.locator("html")).to_have_attribute("lang", "fr")
    verdict = colleague.get_by_role("region", name="Verdict")
    expect(verdict).to_contain_text("Nous recommandons Proxmox VE pour Assurmer")
    expect(verdict).to_contain_text("83,0 sur 100, 7,5 points devant Microsoft Hyper-V.")
    expect(colleague.locator("#eliminated-list")).to_contain_text(
        "VMware ESXi ne propose pas la fonctionnalité « sauvegardes intégrées »."
    )
    expect(colleague.get_by_role("heading", name="Critère par critère")).to_be_visible()
    context.close()
