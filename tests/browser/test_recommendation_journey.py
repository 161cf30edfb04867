import re

import pytest
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    load_reference_data()
    return live_server.url


def choose(page, question, answer):
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_a_company_fills_the_questionnaire_and_shares_the_result(page, browser, site):
    page.goto(site)
    page.get_by_role("link", name="Find my hypervisor").first.click()

    # 1. Organisation
    expect(page.get_by_text("Step 1 of 6:")).to_be_visible()
    page.get_by_label("Company or project name").fill("Assurmer")
    choose(page, "What will you virtualise?", "Production servers: files, databases, mail...")
    choose(page, "What will the virtual machines run on?", "Servers given over to the hypervisor")
    page.get_by_label("How many physical hosts?").fill("3")
    page.get_by_label("About how many virtual machines?").fill("40")
    page.get_by_role("button", name="Next").click()

    # 2. Workloads: a mistake first, then Back and forth keep the answers.
    expect(page.get_by_text("Step 2 of 6:")).to_be_visible()
    page.get_by_label("Linux").check()
    choose(page, "Run containers beside the virtual machines?", "Nice to have")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Company or project name")).to_have_value("Assurmer")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("Windows")).to_be_checked()  # the default answer is kept
    page.get_by_role("button", name="Next").click()

    # 3. Operations
    expect(page.get_by_text("Step 3 of 6:")).to_be_visible()
    for question in [
        "Move running virtual machines between hosts (live migration)?",
        "Restart virtual machines automatically when a host fails (high availability)?",
        "Back up virtual machines with the product itself (built-in backups)?",
        "Manage from a web browser (web interface)?",
    ]:
        choose(page, question, "Required")
    page.get_by_role("button", name="Next").click()

    # 4. Environment, 5. Licensing and support
    choose(page, "What is your existing environment?", "Nothing in particular")
    page.get_by_role("button", name="Next").click()
    choose(page, "Open source?", "Preferred")
    page.get_by_role("button", name="Next").click()

    # 6. Priorities: change a weight, then submit.
    expect(page.get_by_text("Step 6 of 6:")).to_be_visible()
    expect(page.get_by_label("Management features")).to_have_value("5")
    page.get_by_label("Security").fill("4")
    page.get_by_role("button", name="See my recommendation").click()

    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{32}/$"))
    share_url = page.url

    # A colleague opens the link in a fresh browser: no session, same page.
    context = browser.new_context()
    colleague = context.new_page()
    colleague.goto(share_url)
    verdict = colleague.get_by_role("region", name="Verdict")
    expect(verdict).to_contain_text("Proxmox VE")
    expect(verdict).to_contain_text("HVSelect recommends Proxmox VE")
    eliminated = colleague.locator("#eliminated-list")
    expect(eliminated).to_contain_text("VMware ESXi")
    expect(eliminated).to_contain_text("VMware ESXi has no built-in backups.")
    answers = colleague.get_by_role("region", name="Your answers and priorities")
    expect(answers.get_by_role("row", name="Security")).to_contain_text("4")

    # The print layout: no navigation or buttons, the report itself on A4 pages.
    colleague.emulate_media(media="print")
    expect(colleague.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(colleague.get_by_role("link", name="Export (JSON)")).to_be_hidden()
    expect(verdict).to_be_visible()
    expect(colleague.get_by_text(share_url).first).to_be_visible()
    pdf = colleague.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert re.search(rb"/MediaBox \[0 0 595\.\d+ 842\.\d+\]", pdf)  # A4, in points
    context.close()
