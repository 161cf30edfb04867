"""The editors' desk: validation that catches mistakes, honest dates, readable history, the
moderation of visitors' corrections, and the page that says what changed."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from compare.models import CorrectionSuggestion, Hypervisor, Rating, Source, Support
from tests.factories import make_catalogue, support_form

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def hypervisor(db):
    return make_catalogue(hypervisors=1)[0]


def test_a_fact_cannot_be_verified_in_the_future(admin_client, hypervisor):
    cell = Support.objects.filter(hypervisor=hypervisor).first()
    url = reverse("admin:compare_support_change", args=[cell.pk])
    response = admin_client.post(url, support_form(cell, verified_on=TOMORROW.isoformat()))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["verified_on"] == [
        "A fact cannot be verified in the future."
    ]


def test_a_cell_set_to_not_verified_must_drop_its_source_and_term(admin_client, hypervisor):
    cell = Support.objects.filter(hypervisor=hypervisor).first()
    url = reverse("admin:compare_support_change", args=[cell.pk])
    response = admin_client.post(url, support_form(cell, level="unknown"))
    assert "has no product term and no source" in str(response.context["adminform"].form.errors)
    response = admin_client.post(
        url, support_form(cell, level="unknown", product_term="", references=[])
    )
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.level == "unknown" and not cell.references.exists()


def test_re_verified_today_records_who_and_when(client, hypervisor):
    editor = User.objects.create_superuser("editor", password="pw")
    client.force_login(editor)
    old = timezone.localdate() - datetime.timedelta(days=400)
    Rating.objects.filter(hypervisor=hypervisor).update(verified_on=old)
    ratings = list(Rating.objects.filter(hypervisor=hypervisor))
    client.post(
        reverse("admin:compare_rating_changelist"),
        {"action": "mark_reverified", "_selected_action": [r.pk for r in ratings]},
    )
    for rating in ratings:
        rating.refresh_from_db()
        assert rating.verified_on == timezone.localdate()
        latest = rating.history.first()
        assert (latest.history_user, latest.history_change_reason) == (
            editor,
            "Re-verified against its sources",
        )


def test_the_products_history_shows_its_cells_changes_with_the_reason(client, hypervisor):
    client.force_login(User.objects.create_superuser("editor", password="pw"))
    cell = Support.objects.filter(hypervisor=hypervisor).first()
    cell.save()  # its first history record, as the loader writes one
    cell.level = "partial"
    cell._change_reason = "Vendor docs say it needs an add-on"
    cell.save()
    guide = Source.objects.create(
        url="https://example.com/addon",
        title="Add-on guide",
        publisher="Example vendor",
        kind="vendor_documentation",
        read_on=timezone.localdate(),
    )
    cell.references.set([guide])
    page = client.get(reverse("admin:compare_hypervisor_history", args=[hypervisor.pk]))
    html = page.content.decode()
    assert "Changes to its ratings, feature support and offers" in html
    assert "full → partial" in html
    assert "→ Add-on guide" in html
    assert "Vendor docs say it needs an add-on" in html


def test_the_admin_index_counts_missing_french_and_filters_it(admin_client, hypervisor):
    Hypervisor.objects.filter(pk=hypervisor.pk).update(summary_fr="")
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "French texts to write" in index and "hypervisors: 1 without French" in index
    listed = admin_client.get(reverse("admin:compare_hypervisor_changelist"), {"missing_fr": "yes"})
    assert list(listed.context["cl"].result_list) == [hypervisor]


def suggestion(**changes):
    data = {
        "fact": "Product facts",
        "proposed": "The latest version is 9.2, released on 21 May 2026.",
        "source_url": "https://pve.proxmox.com/wiki/Roadmap",
        "contact": "",
    }
    return {**data, **changes}


def test_a_visitor_suggests_a_correction_and_an_editor_moderates_it(client, hypervisor):
    url = reverse("compare:suggest_correction", args=[hypervisor.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, suggestion())
    assert response.status_code == 302 and response.url.endswith("?suggested=1")
    saved = CorrectionSuggestion.objects.get()
    assert (saved.hypervisor, saved.status) == (hypervisor, "pending")

    editor = User.objects.create_superuser("editor", password="pw")
    client.force_login(editor)
    assert "1 suggestion to review" in client.get(reverse("admin:index")).content.decode()
    change = reverse("admin:compare_correctionsuggestion_change", args=[saved.pk])
    refused = client.post(change, {"status": "accepted", "resulting_change": ""})
    assert "links the change it led to" in str(refused.context["adminform"].form.errors)
    client.post(
        change, {"status": "accepted", "resulting_change": "https://hvselect.example/admin/x"}
    )
    saved.refresh_from_db()
    assert (saved.status, saved.decided_by) == ("accepted", editor)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"proposed": "<script>alert(1)</script>"}, "proposed", "Write plain text, without HTML."),
        ({"contact": "<a href=x>me</a>"}, "contact", "Write plain text, without HTML."),
        ({"source_url": "not a link"}, "source_url", "Enter a valid URL."),
        ({"proposed": ""}, "proposed", "This field is required."),
        ({"fact": "Nothing of the sort"}, "fact", "Select a valid choice."),
    ],
)
def test_a_bad_suggestion_is_refused_and_nothing_is_saved(
    client, hypervisor, changes, field, message
):
    url = reverse("compare:suggest_correction", args=[hypervisor.slug])
    response = client.post(url, suggestion(**changes))
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not CorrectionSuggestion.objects.exists()


@override_settings(RATE_LIMITS={"suggestions": 2})
def test_suggestions_are_rate_limited(client, hypervisor):
    url = reverse("compare:suggest_correction", args=[hypervisor.slug])
    statuses = [client.post(url, suggestion()).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert CorrectionSuggestion.objects.count() == 2


def test_the_changed_catalogue_notice_names_the_products_and_the_winner(client, reference_data):
    import json
    from pathlib import Path

    from compare.reports.services import recommendation_create

    answers = json.loads(
        (Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json").read_text()
    )
    saved = recommendation_create(answers=answers)
    rating = Rating.objects.get(hypervisor__slug="xcp-ng", criterion__key="security")
    rating.score = 2
    rating.save()
    page = client.get(saved.get_absolute_url()).content.decode()
    assert "Facts changed since then for: XCP-ng." in page
    assert "Recomputing would keep Proxmox VE first." in page
