"""Integrity: saved recommendations are frozen, submission is atomic, every catalogue write
is audited with its author."""

import ast
import json
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse

from compare.models import Hypervisor, Recommendation, Support
from compare.reports.services import recommendation_create

pytestmark = pytest.mark.django_db

ASSURMER = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json").read_text()
)


@pytest.fixture
def saved(reference_data):
    return recommendation_create(answers=ASSURMER)


@pytest.mark.parametrize(
    "change",
    [
        {"result": {}},
        {"answers": {"company_name": "Someone else"}},
        {"weights": {"security": 5}},
        {"company_name": "Renamed"},
        {"token": "A" * 32},
        {"engine_version": "0.1"},
        {"translations": {}},
        {"inputs": {}},
        {"language": "fr"},
        {"catalogue_version": "another"},
    ],
)
def test_the_database_refuses_to_change_a_saved_recommendation(saved, change):
    with (
        pytest.raises(IntegrityError, match="cannot be changed, only revoked"),
        transaction.atomic(),
    ):
        Recommendation.objects.filter(pk=saved.pk).update(**change)
    for field, value in change.items():
        setattr(saved, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        saved.save()


def test_even_its_id_is_frozen(saved):
    # Every column is compared, not a list of them: the id too, and columns added later.
    with (
        pytest.raises(IntegrityError, match="cannot be changed, only revoked"),
        transaction.atomic(),
    ):
        Recommendation.objects.filter(pk=saved.pk).update(id=saved.pk + 1000)


def test_the_revocation_is_the_one_change_and_happens_once(saved):
    assert Recommendation.objects.filter(pk=saved.pk).revoke() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=saved.pk).update(revoked_at=None)


def test_revoked_and_unknown_links_get_the_same_404(client, saved):
    url = saved.get_absolute_url()
    assert client.get(url).status_code == 200
    assert Recommendation.objects.filter(pk=saved.pk).revoke() == 1

    revoked = client.get(url)
    unknown = client.get("/r/" + "Z" * 32 + "/")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content
    json_url = reverse("share:json", args=[saved.token])
    assert client.get(json_url).status_code == 404
    # A revocation is final.
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=saved.pk).update(revoked_at=None)


def test_editors_revoke_links_from_the_admin(admin_client, saved):
    response = admin_client.post(
        reverse("admin:compare_recommendation_changelist"),
        {"action": "revoke", "_selected_action": [saved.pk]},
        follow=True,
    )
    assert "1 link revoked" in response.content.decode()
    saved.refresh_from_db()
    assert saved.revoked_at is not None


def test_the_admin_cannot_delete_a_recommendation(admin_client, saved):
    changelist = admin_client.get(reverse("admin:compare_recommendation_changelist"))
    assert 'value="delete_selected"' not in changelist.content.decode()
    bulk = admin_client.post(
        reverse("admin:compare_recommendation_changelist"),
        {"action": "delete_selected", "_selected_action": [saved.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    delete = admin_client.post(
        reverse("admin:compare_recommendation_delete", args=[saved.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Recommendation.objects.filter(pk=saved.pk).exists()


def test_deleting_is_a_deliberate_logged_command(saved, caplog):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("delete_recommendation", saved.token, reason="  ")
    with pytest.raises(CommandError, match="No recommendation"):
        call_command("delete_recommendation", "x" * 32, reason="asked")
    assert Recommendation.objects.filter(pk=saved.pk).exists()

    caplog.set_level("WARNING", logger="hvselect.recommendations")
    call_command("delete_recommendation", saved.token, reason="Assurmer asked for it")

    assert not Recommendation.objects.filter(pk=saved.pk).exists()
    [record] = [r for r in caplog.records if r.name == "hvselect.recommendations"]
    assert "for Assurmer deleted: Assurmer asked for it" in record.getMessage()
    assert saved.token not in record.getMessage()  # the log never holds a working link


FAULTS = [
    "compare.reports.services.current_questionnaire",
    "compare.reports.services.current_snapshot",
    "compare.reports.services.decide",
    "compare.reports.services.build_report",
    "compare.reports.services.catalogue_version",
    "compare.models.Recommendation.objects.create",
]


@pytest.mark.parametrize("step", FAULTS)
def test_a_fault_at_any_step_of_the_submission_leaves_nothing(reference_data, step):
    with mock.patch(step, side_effect=RuntimeError("injected")), pytest.raises(RuntimeError):
        recommendation_create(answers=ASSURMER)
    assert not Recommendation.objects.exists()


def test_a_fault_after_the_insert_rolls_it_back(reference_data):
    original = Recommendation.objects.create

    def insert_then_fail(**fields):
        original(**fields)
        raise RuntimeError("injected after the insert")

    with (
        mock.patch.object(Recommendation.objects, "create", side_effect=insert_then_fail),
        pytest.raises(RuntimeError),
    ):
        recommendation_create(answers=ASSURMER)
    assert not Recommendation.objects.exists()


def test_every_catalogue_write_is_in_the_history_with_its_author(client, reference_data):
    editor = User.objects.create_superuser("editor", password="pw")
    client.force_login(editor)
    proxmox = Hypervisor.objects.get(slug="proxmox-ve")
    cells = list(Support.objects.filter(hypervisor=proxmox, feature__key__in=["sdn", "rbac"]))

    # A bulk deletion from the admin's action.
    client.post(
        reverse("admin:compare_support_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in cells], "post": "yes"},
    )

    deleted = Support.history.filter(history_type="-")
    assert {h.id for h in deleted} == {c.pk for c in cells}
    assert {h.history_user for h in deleted} == {editor}
    # The loader's bulk inserts are there too, with their reason.
    assert (
        Support.history.filter(
            history_type="+", history_change_reason="Loaded from the reference data"
        ).count()
        == 16 * 24
    )


def queryset_updates(path: Path) -> list[str]:
    """`<queryset>.update(...)` and `.bulk_update(...)` calls: those on a manager or a call
    chain (`Model.objects...`, `self.live()`), not a dict's `update`."""
    source = path.read_text()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.get_source_segment(source, node.func.value) or ""
            if node.func.attr == "bulk_update" or (
                node.func.attr == "update" and ("objects" in receiver or "(" in receiver)
            ):
                found.append(f"{path.name}: {receiver}.{node.func.attr}")
    return found


def test_no_code_updates_reference_data_behind_the_history():
    """QuerySet.update() and bulk_update() skip django-simple-history: the code never uses
    them on catalogue models (the recommendation's revocation is the one update, by design)."""
    root = Path(__file__).resolve().parents[2] / "compare"
    offenders = [
        call
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
        for call in queryset_updates(path)
    ]
    assert offenders == ["models.py: self.live().update"]


def test_a_recommendation_reads_in_either_language_from_its_neutral_link(client, saved):
    assert saved.language == "en" and saved.languages == ["en", "fr"]
    page = client.get(saved.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page and "Ranking" in page
    # The switcher offers the French reading on the same link.
    assert f'href="{saved.get_absolute_url()}?lang=fr" hreflang="fr"' in page

    french = client.get(saved.get_absolute_url(), {"lang": "fr"}).content.decode()
    assert '<html lang="fr">' in french and "Classement" in french
    assert saved.translations["fr"]["ranking"][0]["name"] == saved.result["ranking"][0]["name"]
    assert "Nous recommandons Proxmox VE pour Assurmer" in french
    # A language it was not written in reads in its own.
    assert (
        '<html lang="en">' in client.get(saved.get_absolute_url(), {"lang": "de"}).content.decode()
    )


def test_one_saved_before_the_translations_reads_in_its_own_language_only(client, saved):
    old = Recommendation.objects.create(
        language="fr",
        answers=saved.answers,
        weights=saved.weights,
        result=saved.translations["fr"],
        engine_version=saved.engine_version,
        catalogue_version=saved.catalogue_version,
    )
    page = client.get(old.get_absolute_url(), {"lang": "en"}).content.decode()
    assert '<html lang="fr">' in page and "?lang=" not in page
