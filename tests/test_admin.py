import datetime
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from compare.models import Choice, Effect, Hypervisor, Question, Support, stale_cutoff
from compare.reports.services import recommendation_create
from tests.factories import (
    make_catalogue,
    make_feature,
    make_hypervisor,
    make_support,
    support_form,
)

pytestmark = pytest.mark.django_db

EDITORS = "Catalogue editors"
CATALOGUE_MODELS = [
    "hypervisor",
    "criterion",
    "feature",
    "rating",
    "support",
    "offer",
    "exchangerate",
    "question",
    "choice",
    "effect",
]


@pytest.fixture
def hypervisor(db):
    return make_catalogue(hypervisors=1)[0]


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def staff(db):
    return User.objects.create_user("staff", password="pw", is_staff=True)


def admin_pages(hypervisor):
    pages = [
        reverse(f"admin:compare_{model}_changelist")
        for model in CATALOGUE_MODELS
        if model != "effect"  # edited inline, under their choice
    ]
    pages += [
        reverse(f"admin:compare_{model}_add") for model in CATALOGUE_MODELS if model != "effect"
    ]
    pages += [reverse(f"admin:compare_historical{model}_changelist") for model in CATALOGUE_MODELS]
    pages += [
        reverse("admin:compare_hypervisor_change", args=[hypervisor.pk]),
        reverse("admin:compare_hypervisor_history", args=[hypervisor.pk]),
    ]
    return pages


def test_anonymous_visitors_are_sent_to_the_login_page(client, hypervisor):
    for url in admin_pages(hypervisor):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login"))


def test_staff_outside_the_editors_group_cannot_see_the_catalogue(client, staff, hypervisor):
    client.force_login(staff)
    for url in admin_pages(hypervisor):
        assert client.get(url).status_code == 403, url


def test_editors_can_open_every_catalogue_page(client, editor, hypervisor):
    client.force_login(editor)
    for url in admin_pages(hypervisor):
        assert client.get(url).status_code == 200, url


def test_an_editors_change_is_recorded_with_their_name(client, editor, hypervisor):
    cell = make_support(hypervisor, make_feature(), level="full")
    client.force_login(editor)

    response = client.post(
        reverse("admin:compare_support_change", args=[cell.pk]),
        support_form(cell, level="partial", note_en="Only on the Enterprise plan."),
    )

    assert response.status_code == 302
    cell.refresh_from_db()
    assert (cell.level, cell.note) == ("partial", "Only on the Enterprise plan.")
    latest = cell.history.first()
    assert (latest.history_user, latest.history_type, latest.level) == (editor, "~", "partial")
    assert latest.prev_record.level == "full"

    change_log = client.get(reverse("admin:compare_historicalsupport_changelist"))
    assert list(change_log.context["cl"].result_list)[0] == latest
    assert "editor" in change_log.content.decode()


@pytest.mark.parametrize("rows", [5, 60])
def test_the_change_log_runs_a_fixed_number_of_queries(
    client, editor, rows, django_assert_num_queries
):
    hypervisor = make_hypervisor()
    for _ in range(rows):
        make_support(hypervisor, make_feature())
    client.force_login(editor)
    # Session, user and permissions (2), the users who made changes (filter), two counts, the
    # page of versions with their user, hypervisor and feature, and the date hierarchy (2).
    with django_assert_num_queries(10):
        response = client.get(reverse("admin:compare_historicalsupport_changelist"))
    assert response.status_code == 200


def test_a_missing_source_is_explained_not_a_server_error(client, editor, hypervisor):
    cell = Support.objects.filter(hypervisor=hypervisor).first()
    client.force_login(editor)
    response = client.post(
        reverse("admin:compare_support_change", args=[cell.pk]),
        support_form(cell, references=[], level="partial"),
    )
    assert response.status_code == 200
    assert "Give at least one source, or set the level to “Not verified”." in (
        response.content.decode()
    )
    cell.refresh_from_db()
    assert cell.level == "full" and cell.references.exists()


def test_a_duplicate_cell_is_explained_not_a_server_error(client, editor, hypervisor):
    cell = Support.objects.filter(hypervisor=hypervisor).first()
    client.force_login(editor)
    response = client.post(reverse("admin:compare_support_add"), support_form(cell))
    assert response.status_code == 200
    assert "This hypervisor already has a row for this feature." in response.content.decode()
    assert Support.objects.filter(hypervisor=hypervisor, feature=cell.feature).count() == 1


def test_a_bad_hypervisor_is_explained_not_a_server_error(client, editor, hypervisor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:compare_hypervisor_add"),
        {
            "name": "New one",
            "slug": hypervisor.slug,
            "vendor": "V",
            "status": "active",
            "summary_en": "S",
            "hypervisor_type": "1",
            "technology_en": "KVM",
            "host_platforms": [],
            "guest_os_families": ["linux"],
            "licence_model": "open_source",
            "free_edition": "production",
            "references": [],
            "verified_on": "2026-11-27",
            "ratings-TOTAL_FORMS": "0",
            "ratings-INITIAL_FORMS": "0",
            "supports-TOTAL_FORMS": "0",
            "supports-INITIAL_FORMS": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Another hypervisor already uses this slug." in page
    assert "Give at least one source." in page
    assert "This field is required." in page  # host platforms
    assert not Hypervisor.objects.filter(name="New one").exists()


def test_the_stale_filter_finds_old_facts(client, editor):
    fresh, old = make_hypervisor(name="Fresh"), make_hypervisor(name="Old")
    make_support(old, make_feature(), verified_on=stale_cutoff() - datetime.timedelta(days=1))
    client.force_login(editor)

    response = client.get(reverse("admin:compare_hypervisor_changelist"), {"stale": "yes"})

    assert [h.name for h in response.context["cl"].result_list] == [old.name]
    response = client.get(reverse("admin:compare_hypervisor_changelist"), {"stale": "no"})
    assert [h.name for h in response.context["cl"].result_list] == [fresh.name]


def test_search_and_autocomplete(client, editor, hypervisor):
    client.force_login(editor)
    response = client.get(reverse("admin:compare_hypervisor_changelist"), {"q": hypervisor.name})
    assert list(response.context["cl"].result_list) == [hypervisor]
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "compare", "model_name": "support", "field_name": "feature", "term": "Fea"},
    )
    assert response.status_code == 200
    assert response.json()["results"]


def test_editors_edit_the_questionnaire_and_read_recommendations(client, editor, reference_data):
    client.force_login(editor)
    question = Question.objects.get(key="budget")
    choice = Choice.objects.get(question=question, key="free_only")
    assert (
        client.get(reverse("admin:compare_question_change", args=[question.pk])).status_code == 200
    )
    response = client.get(reverse("admin:compare_choice_change", args=[choice.pk]))
    assert response.status_code == 200
    assert "Paid editions do not count" in response.content.decode()


def test_a_requirement_without_features_is_explained(client, editor, reference_data):
    choice = Choice.objects.get(question__key="web_ui", key="nice")
    effect = choice.effects.get()
    client.force_login(editor)
    data = {
        "question": choice.question_id,
        "key": choice.key,
        "label_en": choice.label,
        "label_fr": "",
        "help_text_en": "",
        "help_text_fr": "",
        "position": choice.position,
        "effects-TOTAL_FORMS": "1",
        "effects-INITIAL_FORMS": "1",
        "effects-0-id": effect.pk,
        "effects-0-choice": choice.pk,
        "effects-0-kind": "must",
        "effects-0-message_en": "",
        "effects-0-message_fr": "",
    }
    response = client.post(reverse("admin:compare_choice_change", args=[choice.pk]), data)
    assert response.status_code == 200
    assert "Choose the features this answer asks for." in response.content.decode()
    assert Effect.objects.get(pk=effect.pk).kind == "nice"


def test_saved_recommendations_are_read_only_in_the_admin(admin_client, reference_data):
    answers = json.loads(
        (Path(__file__).resolve().parent.parent / "docs/examples/assurmer.json").read_text()
    )
    saved = recommendation_create(answers=answers)
    url = reverse("admin:compare_recommendation_change", args=[saved.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    admin_client.post(url, {"company_name": "Changed"})
    saved.refresh_from_db()
    assert saved.company_name == "Assurmer"
    assert admin_client.get(reverse("admin:compare_recommendation_add")).status_code == 403
