import json
import re
import tomllib
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data
from compare.reports.services import recommendation_create
from tests.rvtools_exports import estate_of_48_hosts, workbook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    load_reference_data()
    return live_server.url


QUESTIONS = {
    question["key"]: question
    for question in tomllib.loads(
        (
            Path(__file__).resolve().parents[2] / "compare/reference_data/questionnaire.toml"
        ).read_text()
    )["question"]
}


def choose(page, question, answer):
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def answer(page, **answers):
    """Answer questions by their labels, as the seeded questionnaire words them."""
    for key, value in answers.items():
        question = QUESTIONS[key]
        if question["kind"] in ("integer", "text"):
            page.get_by_label(question["text"]).fill(str(value))
        else:
            label = next(c["label"] for c in question["choice"] if c["key"] == value)
            choose(page, question["text"], label)


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
    choose(page, "Run system containers (LXC-style) beside the virtual machines?", "Nice to have")
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
    expect(verdict).to_contain_text("We recommend Proxmox VE for Assurmer")
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


def test_a_requirement_met_only_partly_is_said_in_the_verdict(page, site):
    """A 300-site retailer on Microsoft requires built-in backups: Hyper-V comes first with
    Windows Server Backup, which only partly is one, and the page says so everywhere."""
    page.goto(site + "/en/assess/")
    answer(page, company_name="Retailer", host_count=300, vm_count=900)
    page.get_by_role("button", name="Next").click()
    answer(page, containers="no")
    page.get_by_role("button", name="Next").click()
    answer(
        page,
        live_migration="no",
        high_availability="no",
        builtin_backup="must",
        snapshots="must",
        central_management="must",
        web_ui="must",
    )
    page.get_by_role("button", name="Next").click()
    answer(page, ecosystem="microsoft", skills="windows")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="See my recommendation").click()

    verdict = page.get_by_role("region", name="Verdict")
    expect(verdict).to_contain_text("We recommend Microsoft Hyper-V")
    risks = page.get_by_role("region", name="Risks and how to handle them")
    expect(risks).to_contain_text("Meets the requirement “Built-in backups” only partly")
    expect(risks).to_contain_text("The best candidate that meets every requirement fully is")
    reasons = page.get_by_role("region", name=re.compile("^Why it fits"))
    expect(reasons).not_to_contain_text("Built-in backups")
    ranking = page.get_by_role("region", name="Ranking")
    expect(
        ranking.get_by_role("listitem").filter(has_text="Microsoft Hyper-V").first
    ).to_contain_text("Meets the requirement “Built-in backups” only partly")
    matrix = page.get_by_role("region", name="The features you asked for")
    expect(matrix).to_contain_text("requirement met only partly")


def test_the_cost_of_each_option_is_read_from_the_page(page, site):
    """3 hosts x 2 sockets x 16 cores, business-hours support, in euros over 3 years."""
    page.goto(site + "/en/assess/")
    answer(page, host_count=3, sockets_per_host=2, cores_per_socket=16)
    for _step in range(4):
        page.get_by_role("button", name="Next").click()
    answer(page, currency="eur", horizon_years="3")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="See my recommendation").click()

    costs = page.get_by_role("region", name="What it costs you")
    proxmox = costs.get_by_role("row").filter(has_text="Proxmox VE").first
    expect(proxmox).to_contain_text("Proxmox VE Basic subscription")
    expect(proxmox).to_contain_text("6 sockets × EUR 370 × 3 years = EUR 6,660")
    expect(
        costs.get_by_role("img", name=re.compile("Total cost of the top candidates"))
    ).to_be_visible()
    # Products ruled out are costed too, folded away.
    costs.get_by_text(re.compile(r"The other \d+ products")).click()
    expect(costs.get_by_role("row").filter(has_text="VMware ESXi").first).to_contain_text(
        "96 cores × USD 135 × 3 years = USD 38,880"
    )


def test_an_rvtools_export_fills_the_questionnaire_and_the_report(page, site):
    page.goto(site + "/en/assess/")
    importer = page.get_by_role("region", name="Fill from an RVTools export")
    importer.get_by_label("RVTools export").set_input_files(
        [
            {
                "name": "vcenter.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": workbook(estate_of_48_hosts()),
            }
        ]
    )
    importer.get_by_role("button", name="Read the export").click()

    expect(page.get_by_role("status")).to_contain_text(
        "48 hosts, 96 sockets, 1,536 cores, 1,212 VMs of which 1,090 powered on"
    )
    expect(page.get_by_label("How many physical hosts?")).to_have_value("48")
    expect(page.get_by_label("Physical cores per socket?")).to_have_value("16")
    expect(page.get_by_label("VMware vSphere / ESXi")).to_be_checked()
    answer(page, platform_plan="leaving")  # the filled answers stay editable
    page.get_by_role("button", name="Next").click()
    for _step in range(4):
        page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="See my recommendation").click()

    estate = page.get_by_role("region", name="Your estate")
    expect(estate).to_contain_text("48 hosts, 96 sockets, 1536 physical cores.")
    expect(estate).to_contain_text("Only these totals were kept: no VM or host name.")
    moving = page.get_by_role("region", name="Moving there")
    expect(moving).to_contain_text("3 VMs have snapshots")
    expect(page.locator("#eliminated-list")).to_contain_text("you are leaving VMware")


def test_a_manager_downloads_the_pdf_beside_print(page, site, tmp_path):
    assurmer = Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json"
    saved = recommendation_create(answers=json.loads(assurmer.read_text()))
    page.goto(site + saved.get_absolute_url())
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    # The first download renders the PDF (seconds), later ones come from the cache.
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    day = timezone.localdate(saved.created_at).isoformat()
    assert download.suggested_filename == f"hvselect-assurmer-{day}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
