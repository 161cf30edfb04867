"""The error pages a visitor may meet (400, 404, 429, 500) are the site's own: in the
visitor's language, with the navigation, a way home and the production security headers."""

import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from compare.models import Recommendation
from compare.reports.services import recommendation_create
from tests.test_security_headers import ASSURMER, assert_secure_headers

pytestmark = pytest.mark.django_db

NAVIGATION = {"en": "Find my hypervisor", "fr": "Trouver mon hyperviseur"}


def assert_branded(response, *, status: int, language: str, heading: str):
    page = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in page
    assert re.search(rf"<h1[^>]*>{re.escape(heading)}</h1>", page), page
    assert NAVIGATION[language] in page  # the header's menu
    assert f'href="/{language}/"' in page  # home
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert_secure_headers(response, response.request["PATH_INFO"])


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("fr", "Page introuvable")]
)
def test_an_unknown_page_is_a_branded_404_in_the_language_of_its_address(client, language, heading):
    response = client.get(f"/{language}/no-such-page/", secure=True)
    assert_branded(response, status=404, language=language, heading=heading)
    assert f'href="/{language}/hypervisors/"' in response.content.decode()


def test_the_404_language_switcher_points_at_the_same_address(client):
    page = client.get("/en/no-such-page/", secure=True).content.decode()
    assert 'href="/fr/no-such-page/" hreflang="fr"' in page


@pytest.mark.parametrize(
    ("accept_language", "language", "heading", "advice"),
    [
        ("en", "en", "Recommendation not found", "it may have been revoked, or mistyped"),
        ("fr-FR,fr;q=0.9", "fr", "Recommandation introuvable", "il a peut-être été révoqué"),
    ],
)
def test_an_unknown_recommendation_link_says_it_may_be_revoked_or_mistyped(
    client, db, accept_language, language, heading, advice
):
    response = client.get("/r/" + "x" * 32 + "/", secure=True, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert_branded(response, status=404, language=language, heading=heading)
    assert advice in response.content.decode()


def test_a_revoked_recommendation_gets_the_same_page(client, reference_data):
    saved = recommendation_create(answers=ASSURMER)
    Recommendation.objects.filter(pk=saved.pk).revoke()
    response = client.get(saved.get_absolute_url(), secure=True, HTTP_ACCEPT_LANGUAGE="en")
    assert_branded(response, status=404, language="en", heading="Recommendation not found")


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Something went wrong on our side"), ("fr", "Une erreur s’est produite de notre côté")],
)
def test_a_bug_is_a_branded_500_in_the_language_of_its_address(db, language, heading):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "compare.catalogue.views.HomeView.get_context_data", side_effect=RuntimeError("bug")
    ):
        response = client.get(f"/{language}/", secure=True)
    assert_branded(response, status=500, language=language, heading=heading)
    assert "bug" not in response.content.decode()


def test_the_500_page_needs_no_database(db):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/fr/hypervisors/", secure=True)
    assert_branded(
        response, status=500, language="fr", heading="Une erreur s’est produite de notre côté"
    )


def test_a_broken_500_template_still_answers_a_plain_500(db):
    client = Client(raise_request_exception=False)
    with (
        mock.patch(
            "compare.catalogue.views.HomeView.get_context_data", side_effect=RuntimeError("bug")
        ),
        mock.patch("compare.errors.loader.render_to_string", side_effect=ValueError("manifest")),
    ):
        response = client.get("/en/", secure=True)
    assert response.status_code == 500
    assert "<h1>Server error</h1>" in response.content.decode()
    assert_secure_headers(response, "/en/")


def test_an_unknown_host_is_a_branded_400(client, db):
    response = client.get("/en/", secure=True, HTTP_HOST="attacker.example.com")
    assert_branded(
        response, status=400, language="en", heading="This request could not be understood"
    )


def test_too_many_query_parameters_are_a_branded_400_in_french(client, db):
    flood = "&".join(f"p{number}=1" for number in range(1001))  # Django accepts 1000 fields
    response = client.get(f"/fr/hypervisors/?{flood}", secure=True)
    assert_branded(
        response, status=400, language="fr", heading="Cette requête n’a pas pu être comprise"
    )


@pytest.mark.parametrize(
    ("accept_language", "language", "heading", "wait"),
    [
        ("en", "en", "Too many requests", "Please wait 60 seconds"),
        ("fr", "fr", "Trop de requêtes", "Patientez 60 secondes"),
    ],
)
def test_too_many_misses_are_a_branded_429(client, db, accept_language, language, heading, wait):
    with override_settings(RATE_LIMITS={"share_misses": 1}):
        client.get("/r/" + "x" * 32 + "/", secure=True)
        response = client.get(
            "/r/" + "y" * 32 + "/", secure=True, HTTP_ACCEPT_LANGUAGE=accept_language
        )
    assert_branded(response, status=429, language=language, heading=heading)
    assert response["Retry-After"] == "60"
    assert wait in response.content.decode()
