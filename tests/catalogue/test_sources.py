"""Sources are rows, cited by the facts they back, under a sourcing policy the reference data
keeps: no refused host, vendor sources for every fact of the report's three products."""

import json
import tomllib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from compare.catalogue.reference import REFERENCE_DATA_DIR
from compare.catalogue.sources import refusal
from compare.models import VENDOR_KINDS, Hypervisor, RefusedDomain, Source, Support
from compare.reports.services import recommendation_create

SEED_PRODUCTS = ["proxmox-ve", "vmware-esxi", "microsoft-hyper-v"]
REGISTRY = tomllib.loads((REFERENCE_DATA_DIR / "sources.toml").read_text())["source"]


def test_no_reference_source_is_on_a_refused_host(db):
    refused = [(s["url"], refusal(s["url"], s["kind"])) for s in REGISTRY]
    assert [pair for pair in refused if pair[1]] == []


@pytest.mark.parametrize(
    ("url", "kind", "reason"),
    [
        ("https://pastebin.com/5yXeegaB", "other", "paste site"),
        ("https://grokipedia.com/page/Proxmox", "community", "generated encyclopaedia"),
        ("https://web-production-4e80b.up.railway.app/page/X", "other", "unidentifiable"),
        ("https://filehippo.com/download_virtualbox/", "other", "download portal"),
        ("https://www.slideshare.net/slideshow/x/1", "independent_review", "hosts copies"),
    ],
)
def test_the_policy_refuses_what_tells_nobody_who_checked(db, url, kind, reason):
    assert reason in refusal(url, kind)
    with pytest.raises(ValidationError) as error:
        Source(url=url, title="t", publisher="p", kind=kind, read_on="2026-12-01").full_clean()
    assert reason in " ".join(error.value.message_dict["url"])


def test_a_vendors_own_document_on_a_document_host_is_allowed(db):
    assert refusal("https://de.scribd.com/document/1/agreement", "vendor_documentation") == ""


def test_editors_extend_the_refused_list(db):
    RefusedDomain.objects.create(domain="example-farm.com", reason="content farm")
    assert "content farm" in refusal("https://blog.example-farm.com/x", "independent_review")


def test_every_fact_of_the_seed_products_has_a_vendor_source(reference_data):
    for slug in SEED_PRODUCTS:
        hypervisor = Hypervisor.objects.with_ratings_and_support().get(slug=slug)
        facts = [*hypervisor.ratings.all(), *hypervisor.supports.all()]
        lacking = [
            str(fact)
            for fact in facts
            if not any(source.kind in VENDOR_KINDS for source in fact.references.all())
        ]
        assert lacking == [], slug


def test_every_known_cell_cites_a_source_and_unknown_ones_may_not(reference_data):
    known = Support.objects.exclude(level="unknown").prefetch_related("references")
    assert all(cell.references.all() for cell in known)


def test_the_detail_page_names_each_source_and_its_kind(client, reference_data):
    page = client.get(reverse("compare:hypervisor_detail", args=["proxmox-ve"])).content.decode()
    assert "Proxmox VE Administration Guide: High Availability" in page
    assert "— Proxmox Server Solutions GmbH" in page


def test_a_recommendation_ends_with_numbered_references(client, reference_data):
    answers = json.loads(
        (REFERENCE_DATA_DIR.parents[1] / "docs/examples/assurmer.json").read_text()
    )
    saved = recommendation_create(answers=answers)
    references = saved.result["references"]
    assert [ref["n"] for ref in references] == list(range(1, len(references) + 1))
    first_section = saved.result["sections"][0]["candidates"][0]
    assert first_section["refs"] and all(n <= len(references) for n in first_section["refs"])
    page = client.get(saved.get_absolute_url()).content.decode()
    assert '<h2 id="references-title" class="h4">References</h2>' in page
    assert f'href="#ref-{first_section["refs"][0]}"' in page
    export = client.get(reverse("share:json", args=[saved.token])).json()
    assert export["result"]["references"][0].keys() >= {"url", "title", "publisher", "kind"}


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_every_url_into_a_source_and_keeps_every_link():
    executor = MigrationExecutor(connection)
    before, after = [("compare", "0009_price_editors")], [("compare", "0010_sources_as_rows")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    old = {"name": "Old", "vendor": "V", "hypervisor_type": 1, "technology": "KVM"}
    hypervisor = apps.get_model("compare", "Hypervisor").objects.create(
        slug="old",
        host_platforms=["bare_metal"],
        guest_os_families=["linux"],
        licence_model="open_source",
        free_edition="production",
        admin_skills=[],
        summary="s",
        sources=["https://docs.example.org/a", "https://docs.example.org/b"],
        verified_on="2026-11-27",
        **old,
    )
    criterion = apps.get_model("compare", "Criterion").objects.create(
        key="c", name="C", description="d", default_weight=1
    )
    apps.get_model("compare", "Rating").objects.create(
        hypervisor=hypervisor,
        criterion=criterion,
        score=5,
        justification="j",
        sources=["https://docs.example.org/a"],
        verified_on="2026-11-27",
    )
    MigrationExecutor(connection).migrate(after)
    apps = MigrationExecutor(connection).loader.project_state(after).apps
    migrated = apps.get_model("compare", "Hypervisor").objects.get(slug="old")
    assert sorted(s.url for s in migrated.references.all()) == [
        "https://docs.example.org/a",
        "https://docs.example.org/b",
    ]
    rating = apps.get_model("compare", "Rating").objects.get(hypervisor=migrated)
    assert [s.url for s in rating.references.all()] == ["https://docs.example.org/a"]
    assert apps.get_model("compare", "Source").objects.count() == 2  # shared, not copied
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
