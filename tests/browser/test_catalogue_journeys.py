import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data

# The live server needs committed data, so these tests run in transactional mode.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    load_reference_data()
    return live_server.url


def test_browse_filter_open_and_compare(page, site):
    page.goto(f"{site}/")
    page.get_by_role("link", name="Browse the catalogue").click()
    expect(page.get_by_role("heading", name="16 hypervisors")).to_be_visible()

    page.get_by_label("Type").select_option(label="Type 2 (hosted)")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"type=2"))
    expect(page.get_by_role("heading", name="5 hypervisors")).to_be_visible()
    expect(page.get_by_role("link", name="Proxmox VE")).to_have_count(0)

    page.get_by_role("link", name="Reset").click()
    page.get_by_role("link", name="Proxmox VE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proxmox VE")
    expect(page.get_by_role("heading", name="Management features")).to_be_visible()
    expect(page.get_by_text("ha-manager").first).to_be_visible()

    page.go_back()
    for name in ["Proxmox VE", "VMware ESXi", "Microsoft Hyper-V"]:
        page.get_by_label(f"Add {name} to the comparison").check()
    page.get_by_role("button", name="Compare selected (2 to 5)").click()

    expect(page).to_have_url(
        re.compile(r"/compare/\?h=microsoft-hyper-v&h=proxmox-ve&h=vmware-esxi")
    )
    headers = page.locator("table.compare-table thead th[scope=col] a")
    expect(headers).to_have_text(["Microsoft Hyper-V", "Proxmox VE", "VMware ESXi"])
    expect(page.get_by_role("rowheader", name="Live migration", exact=True)).to_be_visible()
    expect(page.get_by_text("vMotion / Storage vMotion", exact=True)).to_be_visible()


def test_search_and_sort_the_catalogue(page, site):
    page.goto(f"{site}/fr/hypervisors/")
    page.get_by_label("Trier par").select_option(label="Dernière version, la plus récente d’abord")
    page.get_by_role("searchbox", name="Rechercher par nom ou éditeur").fill("vmware")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"q=vmware&.*sort=release"))
    expect(page.get_by_role("heading", name="3 hyperviseurs")).to_be_visible()
    expect(page.get_by_role("searchbox")).to_have_value("vmware")

    page.get_by_role("searchbox").fill("nutanics")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Aucun hyperviseur ne correspond à « nutanics »")).to_be_visible()


def test_compare_form_explains_a_single_choice(page, site):
    page.goto(f"{site}/compare/")
    page.get_by_label("UTM").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_text("Choose at least 2 hypervisors to compare.")).to_be_visible()


def test_an_editor_changes_a_support_cell_in_the_admin(page, site):
    # The editors group's permissions are checked through the test client (test_admin.py);
    # a transactional test cannot count on rows that migrations created.
    User.objects.create_superuser("editor", password="a long editor password")

    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long editor password")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Feature support", exact=True).click()
    page.locator("#searchbar").fill("Proxmox VE")
    page.keyboard.press("Enter")
    row = page.get_by_role("row").filter(has_text="Load balancing")
    expect(row.get_by_role("cell", name="Partly", exact=True)).to_be_visible()
    row.get_by_role("link", name="Proxmox VE").click()
    page.get_by_label("Level").select_option(label="Built in")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    page.goto(f"{site}/hypervisors/proxmox-ve/")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Load balancing", exact=True)
    )
    expect(row.get_by_text("Built in")).to_be_visible()
