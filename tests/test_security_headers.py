"""Every public and admin page carries the production security headers and safe cookies."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse

from compare.models import Hypervisor
from compare.reports.services import recommendation_create

pytestmark = pytest.mark.django_db

ASSURMER = json.loads(
    (Path(__file__).resolve().parent.parent / "docs/examples/assurmer.json").read_text()
)
SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin"}


@pytest.fixture
def urls(reference_data):
    saved = recommendation_create(answers=ASSURMER)
    public = [
        reverse("compare:home"),
        reverse("compare:hypervisor_list"),
        reverse("compare:hypervisor_detail", args=["proxmox-ve"]),
        reverse("compare:compare") + "?h=proxmox-ve&h=vmware-esxi",
        reverse("compare:assess"),
        reverse("compare:methodology"),
        saved.get_absolute_url(),
        reverse("share:json", args=[saved.token]),
        reverse("share:xlsx", args=[saved.token]),
        reverse("share:csv", args=[saved.token]),
        reverse("share:recompute", args=[saved.token]),
        reverse("healthz"),
        reverse("admin:login"),
    ]
    hypervisor = Hypervisor.objects.get(slug="proxmox-ve")
    admin = [
        reverse("admin:index"),
        reverse("admin:compare_hypervisor_changelist"),
        reverse("admin:compare_hypervisor_change", args=[hypervisor.pk]),
        reverse("admin:compare_hypervisor_history", args=[hypervisor.pk]),
        reverse("admin:compare_choice_changelist"),
        reverse("admin:compare_recommendation_changelist"),
    ]
    return public, admin


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_secure_headers(response, url):
    csp = directives(response["Content-Security-Policy"])
    scripts = csp.get("script-src", csp.get("default-src"))
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, url
    assert csp["object-src"] == ["'none'"], url
    assert csp["base-uri"] == ["'none'"], url
    assert csp["frame-ancestors"] == ["'none'"], url
    hsts = response["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31_536_000, url
    assert "includeSubDomains" in hsts, url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] in SAFE_REFERRER_POLICIES, url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    for cookie in response.cookies.values():
        assert cookie["secure"], (url, cookie.key)
        assert cookie["samesite"] in ("Lax", "Strict"), (url, cookie.key)
        assert cookie.key.startswith("__Host-"), (url, cookie.key)
        assert cookie["path"] == "/" and not cookie["domain"], (url, cookie.key)


def test_every_public_page_sends_the_security_headers(client, urls):
    public, _ = urls
    for url in public:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_secure_headers(response, url)


def test_every_admin_page_sends_the_security_headers(client, urls):
    _, admin = urls
    client.force_login(User.objects.create_superuser("root", password="pw"))
    for url in admin:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_secure_headers(response, url)


def test_the_session_cookie_is_http_only(client, urls):
    # A visitor gets a session with their first answer, not with the first page.
    assert "__Host-sessionid" not in client.get(reverse("compare:assess"), secure=True).cookies
    response = client.post(
        reverse("compare:assess"),
        {"assessment_wizard-current_step": "organisation"},
        secure=True,
    )
    session = response.cookies["__Host-sessionid"]
    assert session["httponly"] and session["secure"]


def test_the_home_and_share_pages_set_no_cookie(client, urls):
    public, _ = urls
    share = next(url for url in public if url.startswith("/r/") and url.endswith("/"))
    for url in (reverse("compare:home"), share, reverse("compare:hypervisor_list")):
        assert client.get(url, secure=True).cookies == {}, url


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https(client, db):
    response = client.get(reverse("compare:home"))
    assert response.status_code == 301
    assert response.url.startswith("https://")


def test_no_security_check_is_silenced():
    assert not [c for c in settings.SILENCED_SYSTEM_CHECKS if c.startswith("security.")]
