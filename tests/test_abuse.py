"""Abuse resistance: admin lockout, rate limits, escaping, no mass assignment."""

import json
import re
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse

import compare.admin
import compare.assessment.forms
import compare.catalogue.forms
from compare.models import Recommendation
from compare.reports.services import recommendation_create

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ASSURMER = json.loads((ROOT / "docs/examples/assurmer.json").read_text())
LOW_LIMITS = {"questionnaire": 3, "share_misses": 2}


def test_admin_sign_in_locks_after_five_failures(client):
    User.objects.create_superuser("root", password="the right password")
    login = reverse("admin:login")
    for _ in range(4):
        response = client.post(login, {"username": "root", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert client.post(login, {"username": "root", "password": "wrong"}).status_code == 429

    response = client.post(login, {"username": "root", "password": "the right password"})

    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_account_is_not_locked_by_someone_elses_failures(client):
    User.objects.create_superuser("root", password="the right password")
    User.objects.create_superuser("editor", password="another password")
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "root", "password": "wrong"})
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": "another password"}
    )
    assert response.status_code == 302


@override_settings(RATE_LIMITS=LOW_LIMITS)
def test_questionnaire_posts_are_limited_per_client(client, reference_data):
    client.get(reverse("compare:assess"))
    step = {"assessment_wizard-current_step": "organisation", "organisation-use_case": "lab"}
    for _ in range(3):
        assert client.post(reverse("compare:assess"), step).status_code == 200
    response = client.post(reverse("compare:assess"), step)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many requests" in response.content.decode()
    # Another address is not affected.
    other = client.post(reverse("compare:assess"), step, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


@override_settings(RATE_LIMITS=LOW_LIMITS)
def test_share_link_misses_are_limited_per_client(client, reference_data):
    saved = recommendation_create(answers=ASSURMER)
    for _ in range(2):
        assert client.get("/r/" + "x" * 32 + "/").status_code == 404
    assert client.get("/r/" + "y" * 32 + "/").status_code == 429
    for name in ("share:json", "share:xlsx", "share:csv", "share:recompute", "share:what_if"):
        assert client.get(reverse(name, args=["z" * 32])).status_code == 429
    # Past the limit, guessing stays pointless, but a link that exists still answers: behind
    # one address (a proxy, a company's NAT) a guesser never locks the others out.
    assert client.get(saved.get_absolute_url()).status_code == 200
    for name in ("share:json", "share:xlsx", "share:csv", "share:recompute", "share:what_if"):
        assert client.get(reverse(name, args=[saved.token])).status_code == 200
    assert client.get("/r/" + "x" * 32 + "/", REMOTE_ADDR="192.0.2.8").status_code == 404


def test_a_script_in_the_company_name_is_shown_as_text(client, reference_data, admin_client):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    saved = recommendation_create(answers={**ASSURMER, "company_name": payload})
    for response in (
        client.get(saved.get_absolute_url()),
        admin_client.get(reverse("admin:compare_recommendation_changelist")),
        admin_client.get(reverse("admin:compare_recommendation_change", args=[saved.pk])),
    ):
        page = response.content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert Recommendation.objects.get().company_name == payload


def test_no_template_or_code_marks_text_as_safe():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("compare/**/*.py")]:
        text = path.read_text()
        if re.search(r"\|\s*safe\b|mark_safe\(|autoescape off|format_html\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_model_admin_lists_its_fields():
    admins = [
        model_admin
        for model_admin in admin.site._registry.values()
        if model_admin.__module__.startswith("compare")
    ]
    inlines = [inline for model_admin in admins for inline in model_admin.inlines]
    assert len(admins) >= 16 and inlines
    for model_admin in [*admins, *inlines]:
        declared = model_admin.fields or model_admin.fieldsets
        assert declared, model_admin
        assert not getattr(model_admin, "exclude", None), model_admin


def test_every_model_form_lists_its_fields():
    model_forms = [
        value
        for module in (compare.catalogue.forms, compare.assessment.forms, compare.admin)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.ModelForm)
        and value is not forms.ModelForm
    ]
    assert model_forms
    for form in model_forms:
        assert isinstance(form._meta.fields, list | tuple), form
        assert form._meta.fields != "__all__" and not form._meta.exclude, form
