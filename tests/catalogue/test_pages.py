import datetime
import re
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError
from django.urls import reverse
from django.utils.html import escape

from compare.models import Hypervisor, Support, SupportLevel, stale_cutoff
from tests.factories import make_criterion, make_feature, make_hypervisor, make_rating, make_support

pytestmark = pytest.mark.django_db

LIST_URL = reverse("compare:hypervisor_list")
COMPARE_URL = reverse("compare:compare")


def listed_names(response):
    return [hypervisor.name for hypervisor in response.context["hypervisors"]]


def test_home_explains_type_1_and_type_2(client, reference_data):
    response = client.get(reverse("compare:home"))
    assert response.status_code == 200
    assert response.cookies == {}
    for text in ["Type 1: bare metal", "Type 2: hosted", "See the 11 type 1 products"]:
        assert text in response.content.decode()


def test_list_shows_every_product_with_its_containers_support(client, reference_data):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(listed_names(response)) == 16
    proxmox = next(h for h in response.context["hypervisors"] if h.slug == "proxmox-ve")
    assert "LXC" in proxmox.container_support.product_term


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ({"type": "2"}, "Parallels Desktop", "Proxmox VE"),
        ({"type": "1"}, "Proxmox VE", "UTM"),
        ({"licence": "open_source"}, "XCP-ng", "VMware ESXi"),
        ({"licence": "commercial"}, "Microsoft Hyper-V", "Proxmox VE"),
        ({"containers": "yes"}, "Proxmox VE", "XCP-ng"),
        ({"containers": "no"}, "XCP-ng", "Proxmox VE"),
        ({"free_edition": "any"}, "VMware ESXi", "Parallels Desktop"),
        ({"free_edition": "production"}, "Proxmox VE", "VMware ESXi"),
        ({"type": "1", "licence": "open_source", "containers": "yes"}, "Incus", "UTM"),
    ],
)
def test_list_filters(client, reference_data, query, included, excluded):
    names = listed_names(client.get(LIST_URL, query))
    assert included in names
    assert excluded not in names


def test_bad_filter_values_are_explained_and_ignored(client, reference_data):
    response = client.get(LIST_URL, {"type": "abc", "licence": "pirated", "containers": "yes"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    # The valid filter still applies, the bad ones do not.
    assert "XCP-ng" not in listed_names(response)
    assert "VMware Fusion Pro" in listed_names(response)


def test_list_says_when_nothing_matches(client, reference_data):
    response = client.get(LIST_URL, {"type": "2", "free_edition": "production", "licence": "x"})
    assert response.status_code == 200
    response = client.get(LIST_URL, {"type": "2", "containers": "yes", "licence": "open_source"})
    assert "No hypervisor matches these filters." in response.content.decode()


def test_detail_shows_ratings_features_sources_and_dates(client, reference_data):
    esxi = Hypervisor.objects.get(slug="vmware-esxi")
    vmotion = Support.objects.get(hypervisor=esxi, feature__key="live_migration")
    rating = esxi.ratings.get(criterion__key="licensing_cost")

    response = client.get(esxi.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Licence model and cost" in page
    assert escape(rating.justification) in page
    for source in [*rating.references.all(), *vmotion.references.all()]:
        assert escape(source.url) in page and escape(source.title) in page
    assert escape(vmotion.product_term) in page
    assert escape(vmotion.note) in page
    assert "Paid edition or add-on" in page
    assert "verified on" in page
    assert "Stale: check again" not in page


def test_detail_marks_stale_facts(client, reference_data):
    cell = Support.objects.get(hypervisor__slug="proxmox-ve", feature__key="snapshots")
    cell.verified_on = stale_cutoff() - datetime.timedelta(days=1)
    cell.save()
    response = client.get(reverse("compare:hypervisor_detail", args=["proxmox-ve"]))
    assert response.content.decode().count("Stale: check again") == 1


def test_unknown_hypervisor_is_a_404(client, db):
    assert client.get(reverse("compare:hypervisor_detail", args=["nope"])).status_code == 404


def test_compare_three_products_side_by_side_in_the_chosen_order(client, reference_data):
    slugs = ["vmware-esxi", "proxmox-ve", "microsoft-hyper-v"]
    response = client.get(COMPARE_URL, {"h": slugs})

    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [h.slug for h in comparison.hypervisors] == slugs
    first_section = comparison.sections[0]
    assert first_section.criterion.key == "virtualization_type"
    assert [r.hypervisor.slug for r in first_section.ratings] == slugs
    page = response.content.decode()
    for rating in first_section.ratings:
        assert escape(rating.justification) in page
    assert "vMotion" in page and "Live Migration" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"h": ["proxmox-ve"]}, "Choose at least 2 hypervisors to compare."),
        ({"h": ["proxmox-ve", "proxmox-ve"]}, "Choose at least 2 hypervisors to compare."),
        ({"h": ["proxmox-ve", "no-such-thing"]}, "There is no hypervisor “no-such-thing”"),
        ({"h": ["<script>alert(1)</script>", "utm"]}, "There is no hypervisor “&lt;script&gt;"),
        (
            {"h": ["proxmox-ve", "vmware-esxi", "utm", "incus", "xcp-ng", "harvester"]},
            "You chose 6 hypervisors; compare at most 5 at once.",
        ),
        ({"h": [""]}, "Choose at least 2 hypervisors to compare."),
        ({"x": "1"}, "Choose at least 2 hypervisors to compare."),
    ],
)
def test_compare_explains_bad_choices(client, reference_data, query, message):
    response = client.get(COMPARE_URL, query)
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert message in response.content.decode()


def test_compare_without_a_choice_shows_the_picker(client, reference_data):
    response = client.get(COMPARE_URL)
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "Choose what to compare" in response.content.decode()
    assert "is-invalid" not in response.content.decode()


def test_healthz_reports_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()["database"]) == (200, "ok")


def test_healthz_is_503_when_the_database_does_not_answer(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()["database"]) == (503, "unreachable")


def test_the_benchmark_page_is_off_unless_asked_for(client, reference_data):
    assert client.get(reverse("benchmark_baseline")).status_code == 404


def test_the_benchmark_page_runs_one_query(
    client, reference_data, django_assert_num_queries, settings
):
    settings.BENCHMARK_VIEW = True
    with django_assert_num_queries(1):
        response = client.get(reverse("benchmark_baseline"))
    assert "Management features" in response.content.decode()


def test_every_page_links_its_icons(client, db):
    page = client.get(reverse("compare:methodology")).content.decode()
    for icon in ("img/favicon.svg", "img/favicon-32.png", "img/apple-touch-icon.png"):
        assert f'href="/static/{icon}"' in page
        assert finders.find(icon), icon


def test_favicon_ico_redirects_to_the_png_icon(client, db):
    response = client.get("/favicon.ico")
    assert (response.status_code, response.url) == (302, "/static/img/favicon-32.png")
    assert "max-age=86400" in response["Cache-Control"]
    assert Path(finders.find("img/favicon-32.png")).read_bytes().startswith(b"\x89PNG")


@pytest.fixture
def two_products(db):
    """Two products on two criteria; worked out by hand, 3 of the 6 rows are the same for both:
    the security score (7, 7), encryption (built in twice) and audit (not verified, no cell)."""
    security, cost = make_criterion(name="Security"), make_criterion(name="Cost")
    encryption = make_feature(security, name="Encryption")
    isolation = make_feature(security, name="Isolation")
    licence_keys = make_feature(cost, name="Licence keys")
    audit = make_feature(cost, name="Audit")
    alpha, beta = make_hypervisor(name="Alpha"), make_hypervisor(name="Beta")
    for criterion, scores in ((security, (7, 7)), (cost, (7, 4))):
        make_rating(alpha, criterion, score=scores[0])
        make_rating(beta, criterion, score=scores[1])
    for feature in (encryption, isolation, licence_keys):
        make_support(alpha, feature)
    make_support(beta, encryption)
    make_support(beta, isolation, level=SupportLevel.PARTIAL)
    make_support(alpha, audit, level=SupportLevel.UNKNOWN)  # Beta has no cell: unknown too
    return alpha, beta


def shown_rows(response) -> list[str]:
    return [
        f"{section.criterion.name}: "
        + ", ".join(
            [
                *(["Rating"] if section.shows_ratings else []),
                *(row.feature.name for row in section.features),
            ]
        )
        for section in response.context["comparison"].sections
    ]


def test_compare_differences_only_hides_the_rows_where_products_agree(client, two_products):
    query = {"h": [product.slug for product in two_products]}
    response = client.get(COMPARE_URL, {**query, "diff": "1"})

    assert shown_rows(response) == ["Security: Isolation", "Cost: Rating, Licence keys"]
    page = response.content.decode()
    assert "3 rows where every product has the same score or support level are hidden." in page
    assert f'href="?h={query["h"][0]}&amp;h={query["h"][1]}">Show all rows</a>' in page
    assert re.search(
        r'<input type="checkbox" name="diff"[^>]* checked>', page
    )  # the picker keeps it


def test_compare_shows_every_row_with_a_link_to_the_differences(client, two_products):
    slugs = [product.slug for product in two_products]
    response = client.get(COMPARE_URL, {"h": slugs})

    assert shown_rows(response) == [
        "Security: Rating, Encryption, Isolation",
        "Cost: Rating, Licence keys, Audit",
    ]
    page = response.content.decode()
    assert f'href="?h={slugs[0]}&amp;h={slugs[1]}&amp;diff=1">Show only the differences' in page
    assert "are hidden" not in page


def test_compare_differences_only_of_identical_products_says_so(client, reference_data):
    response = client.get(COMPARE_URL, {"h": ["vmware-fusion", "vmware-workstation"], "diff": "1"})
    page = response.content.decode()
    assert response.context["comparison"].sections == []
    assert "These products have the same score and support level on every row." in page
    assert "<table" not in page


def test_compare_differences_only_with_a_bad_choice_explains_it(client, reference_data):
    response = client.get(COMPARE_URL, {"h": ["utm"], "diff": "1"})
    assert response.status_code == 200
    assert "Choose at least 2 hypervisors to compare." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("vmware", ["VMware ESXi", "VMware Fusion Pro", "VMware Workstation Pro"]),
        ("BROADCOM", ["VMware ESXi", "VMware Fusion Pro", "VMware Workstation Pro"]),  # vendor
        ("red hat", ["Red Hat OpenShift Virtualization"]),
        ("próxmox", ["Proxmox VE"]),  # accents aside
        ("Vatès", ["XCP-ng"]),  # the vendor, Vates
        ("VMWARE ÉSXI", ["VMware ESXi"]),
        ("  utm ", ["UTM"]),
        ("%", []),  # a character, not a wildcard
    ],
)
def test_list_search_by_name_or_vendor(client, reference_data, query, names):
    response = client.get(LIST_URL, {"q": query})
    assert listed_names(response) == names


def test_list_search_combines_with_the_filters(client, reference_data):
    response = client.get(LIST_URL, {"q": "vmware", "type": "2"})
    assert listed_names(response) == ["VMware Fusion Pro", "VMware Workstation Pro"]


def test_list_search_keeps_the_query_in_the_form(client, reference_data):
    page = client.get(LIST_URL, {"q": "<b>vmware</b>", "sort": "vendor"}).content.decode()
    assert 'value="&lt;b&gt;vmware&lt;/b&gt;"' in page
    assert '<option value="vendor" selected>' in page


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "No hypervisor matches “&lt;nothing&gt;”."),
        ("fr", "Aucun hyperviseur ne correspond à «\u00a0&lt;nothing&gt;\u00a0»."),
    ],
)
def test_list_says_when_no_product_matches_the_search(client, reference_data, language, message):
    response = client.get(f"/{language}/hypervisors/", {"q": "<nothing>"})
    assert response.status_code == 200
    assert listed_names(response) == []
    assert message in response.content.decode()


@pytest.fixture
def three_products(db):
    """Names, vendors, types and release dates in three different orders."""
    make_hypervisor(
        name="Alpha",
        vendor="Zeta Corp",
        hypervisor_type=2,
        latest_release_date=datetime.date(2024, 1, 1),
    )
    make_hypervisor(name="Beta", vendor="Acme", hypervisor_type=1, latest_release_date=None)
    make_hypervisor(
        name="Gamma",
        vendor="Midway",
        hypervisor_type=1,
        latest_release_date=datetime.date(2025, 6, 1),
    )


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("", ["Alpha", "Beta", "Gamma"]),
        ("name", ["Alpha", "Beta", "Gamma"]),
        ("vendor", ["Beta", "Gamma", "Alpha"]),  # Acme, Midway, Zeta Corp
        ("type", ["Beta", "Gamma", "Alpha"]),  # type 1 by name, then type 2
        ("release", ["Gamma", "Alpha", "Beta"]),  # 2025, 2024, then the undated one
        ("price", ["Alpha", "Beta", "Gamma"]),  # not an order: by name, and explained
    ],
)
def test_list_sort(client, three_products, sort, names):
    response = client.get(LIST_URL, {"sort": sort})
    assert response.status_code == 200
    assert listed_names(response) == names
    assert ("Select a valid choice" in response.content.decode()) == (sort == "price")
