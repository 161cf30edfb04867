"""GET /api/v1/hypervisors, /hypervisors/{slug}, /criteria and /features: what a developer
reads, in English or French, each answer checked against the OpenAPI schema."""

import datetime
from decimal import Decimal

import pytest
from django.http import JsonResponse
from django.utils import timezone, translation

from compare.models import Offer
from tests.api.conftest import assert_documented
from tests.factories import (
    SOURCE,
    cite,
    make_criterion,
    make_feature,
    make_hypervisor,
    make_rating,
    make_support,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/hypervisors"
DETAIL = "/api/v1/hypervisors/{slug}"


@pytest.fixture
def products():
    """Three products: open-source Proxmox with containers, commercial ESXi without, and
    Fusion, hosted on a Mac with a free non-production edition and no containers cell."""
    # Written in English, whatever the language an earlier request left active.
    with translation.override("en"):
        security = make_criterion(
            key="security",
            name="Security",
            name_fr="Sécurité",
            description="How well it is protected.",
            description_fr="Sa protection.",
            default_weight=4,
        )
        containers = make_feature(
            security,
            key="containers",
            name="System containers beside VMs",
            name_fr="Conteneurs système à côté des VM",
            description="Containers next to the VMs.",
        )
        proxmox = make_hypervisor(
            name="Proxmox VE",
            slug="proxmox-ve",
            vendor="Proxmox Server Solutions",
            platform="proxmox",
            latest_version="9.1",
            latest_release_date=datetime.date(2026, 11, 19),
            summary="KVM and LXC on one platform.",
            summary_fr="KVM et LXC sur une seule plateforme.",
        )
        esxi = make_hypervisor(
            name="VMware ESXi",
            slug="vmware-esxi",
            vendor="Broadcom",
            licence_model="commercial",
            free_edition="none",
        )
        make_hypervisor(
            name="VMware Fusion",
            slug="vmware-fusion",
            vendor="Broadcom",
            hypervisor_type=2,
            host_platforms=["macos"],
            licence_model="commercial",
            free_edition="non_production",
        )
        make_rating(
            proxmox,
            security,
            score=8,
            justification="Two-factor sign-in.",
            justification_fr="Connexion à deux facteurs.",
        )
        make_support(proxmox, containers, level="full", product_term="LXC", note="")
        make_support(esxi, containers, level="none", product_term="")
        standard = Offer.objects.create(
            hypervisor=proxmox,
            key="standard",
            name="Standard subscription",
            name_fr="Abonnement Standard",
            metric="per_socket_year",
            amount=Decimal("1060.00"),
            currency="EUR",
            support="business_hours",
            verified_on=timezone.localdate(),
            position=1,
        )
        standard.unlocks.add(containers)
        enterprise = Offer.objects.create(
            hypervisor=proxmox,
            key="enterprise",
            name="Enterprise agreement",
            metric="quote",
            support="24x7",
            verified_on=timezone.localdate(),
            position=2,
        )
        cite([standard, enterprise])


def names(response) -> list[str]:
    return [item["name"] for item in response.json()]


def test_the_list_gives_every_product_with_its_page(client, products, openapi):
    response = client.get(LIST)

    assert_documented(openapi, response, LIST)
    assert names(response) == ["Proxmox VE", "VMware ESXi", "VMware Fusion"]
    assert response.json()[0] == {
        "slug": "proxmox-ve",
        "name": "Proxmox VE",
        "vendor": "Proxmox Server Solutions",
        "type": 1,
        "type_label": "Type 1 (bare metal)",
        "host_platforms": ["bare_metal"],
        "platform": "proxmox",
        "licence_model": "open_source",
        "open_source": True,
        "free_edition": "production",
        "status": "active",
        "summary": "KVM and LXC on one platform.",
        "url": "http://testserver/en/hypervisors/proxmox-ve/",
        "latest_version": "9.1",
        "latest_release_date": "2026-11-19",
        "stale": False,
    }
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"type": 2}, ["VMware Fusion"]),
        ({"type": 1, "licence": "commercial"}, ["VMware ESXi"]),
        ({"licence": "open_source"}, ["Proxmox VE"]),
        ({"open_source": "true"}, ["Proxmox VE"]),
        ({"open_source": "false"}, ["VMware ESXi", "VMware Fusion"]),
        ({"free_edition": "any"}, ["Proxmox VE", "VMware Fusion"]),
        ({"free_edition": "production"}, ["Proxmox VE"]),
        ({"containers": "yes"}, ["Proxmox VE"]),
        ({"containers": "no"}, ["VMware ESXi", "VMware Fusion"]),
        ({"q": "broadcom"}, ["VMware ESXi", "VMware Fusion"]),
        ({"q": "  Fusion "}, ["VMware Fusion"]),
        ({"q": "xen"}, []),
    ],
)
def test_the_list_filters(client, products, openapi, filters, expected):
    response = client.get(LIST, filters)
    assert_documented(openapi, response, LIST)
    assert names(response) == expected


def test_bad_filters_are_refused_naming_each(client, products, openapi):
    response = client.get(LIST, {"type": 3, "containers": "maybe", "open_source": "perhaps"})
    assert_documented(openapi, response, LIST)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [
        "type",
        "open_source",
        "containers",
    ]


@pytest.mark.parametrize("how", ["query", "header"])
def test_french_by_lang_or_by_accept_language(client, products, openapi, how):
    if how == "query":
        response = client.get(LIST, {"lang": "fr"})
    else:
        response = client.get(LIST, headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert_documented(openapi, response, LIST)
    proxmox = response.json()[0]
    assert proxmox["summary"] == "KVM et LXC sur une seule plateforme."
    assert proxmox["url"] == "http://testserver/fr/hypervisors/proxmox-ve/"
    assert response.json()[2]["type_label"] == "Type 2 (hébergé)"
    assert response["Content-Language"] == "fr"


def test_the_lang_parameter_wins_over_the_header(client, products):
    response = client.get(LIST, {"lang": "en"}, headers={"accept-language": "fr"})
    assert response.json()[0]["summary"] == "KVM and LXC on one platform."


def test_an_unknown_language_is_refused(client, products, openapi):
    response = client.get(DETAIL.format(slug="proxmox-ve"), {"lang": "de"})
    assert_documented(openapi, response, DETAIL)
    assert response.json() == {
        "errors": [{"field": "lang", "message": "Unknown language “de”: use one of en, fr."}]
    }


def test_the_detail_gives_ratings_support_offers_and_their_sources(client, products, openapi):
    response = client.get(DETAIL.format(slug="proxmox-ve"))

    assert_documented(openapi, response, DETAIL)
    detail = response.json()
    assert detail["name"] == "Proxmox VE"
    assert detail["sources"] == [SOURCE]
    [rating] = detail["ratings"]
    assert rating == {
        "criterion": "security",
        "criterion_name": "Security",
        "score": 8,
        "free_edition_score": None,
        "justification": "Two-factor sign-in.",
        "verified_on": timezone.localdate().isoformat(),
        "stale": False,
        "sources": [SOURCE],
    }
    [cell] = detail["support"]
    assert (cell["feature"], cell["criterion"], cell["level"], cell["level_label"]) == (
        "containers",
        "security",
        "full",
        "Built in",
    )
    assert (cell["product_term"], cell["sources"]) == ("LXC", [SOURCE])
    standard, enterprise = detail["offers"]
    assert (standard["name"], standard["amount"], standard["currency"]) == (
        "Standard subscription",
        1060,
        "EUR",
    )
    assert (standard["metric_label"], standard["on_quote"], standard["unlocks"]) == (
        "Per CPU socket per year",
        False,
        ["containers"],
    )
    assert standard["support_label"] == "Vendor support in business hours"
    assert (enterprise["amount"], enterprise["currency"], enterprise["on_quote"]) == (
        None,
        None,
        True,
    )
    assert enterprise["metric_label"] == "Price on quote"
    assert detail["references"] == [
        {
            "url": SOURCE,
            "title": "Product documentation",
            "publisher": "Example vendor",
            "kind": "vendor_documentation",
            "kind_label": "Vendor documentation",
            "published_on": None,
            "read_on": timezone.localdate().isoformat(),
        }
    ]


def test_the_detail_in_french(client, products, openapi):
    response = client.get(DETAIL.format(slug="proxmox-ve"), {"lang": "fr"})
    assert_documented(openapi, response, DETAIL)
    detail = response.json()
    assert detail["ratings"][0]["criterion_name"] == "Sécurité"
    assert detail["ratings"][0]["justification"] == "Connexion à deux facteurs."
    assert detail["support"][0]["feature_name"] == "Conteneurs système à côté des VM"
    assert detail["support"][0]["level_label"] == "Intégré"
    assert [offer["name"] for offer in detail["offers"]] == [
        "Abonnement Standard",
        "Enterprise agreement",  # no French name: the English one
    ]
    assert detail["offers"][1]["metric_label"] == "Prix sur devis"
    assert detail["references"][0]["kind_label"] == "Documentation de l’éditeur"


def test_an_unknown_product_is_a_json_404(client, products, openapi):
    response = client.get(DETAIL.format(slug="hyperwhat"))
    assert_documented(openapi, response, DETAIL)
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no hypervisor “hyperwhat” in the catalogue."}


def test_the_criteria_and_features(client, products, openapi):
    criteria = client.get("/api/v1/criteria", {"lang": "fr"})
    features = client.get("/api/v1/features")
    assert_documented(openapi, criteria, "/api/v1/criteria")
    assert_documented(openapi, features, "/api/v1/features")
    assert criteria.json() == [
        {
            "key": "security",
            "name": "Sécurité",
            "description": "Sa protection.",
            "default_weight": 4,
            "features": ["containers"],
        }
    ]
    assert features.json() == [
        {
            "key": "containers",
            "name": "System containers beside VMs",
            "description": "Containers next to the VMs.",
            "criterion": "security",
            "is_service": False,
        }
    ]


def test_the_schema_check_catches_an_answer_that_does_not_match(openapi):
    wrong = JsonResponse([{"slug": 1, "name": "Proxmox VE"}], safe=False)
    with pytest.raises(AssertionError, match="'slug'|is not of type 'string'"):
        assert_documented(openapi, wrong, LIST)
    with pytest.raises(AssertionError, match="does not document 418"):
        assert_documented(openapi, JsonResponse({}, status=418), LIST)
