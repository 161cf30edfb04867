"""The catalogue's pages are rendered once per catalogue version, language and day, then served
from the process's memory, compressed for the browsers that accept it: an editor's change
shows at once, a fact turning stale with the date too, and nothing a visitor sends makes a
page kept for others."""

import datetime
import gzip
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from compare.models import Criterion, Hypervisor, HypervisorType, Rating, stale_cutoff
from compare.reports.services import recommendation_create
from tests.assessment.test_wizard import ASSURMER
from tests.factories import make_criterion, make_feature, make_hypervisor, make_rating, make_support

pytestmark = pytest.mark.django_db

LIST_URL = reverse("compare:hypervisor_list")
COMPARE_URL = reverse("compare:compare")
PROXMOX_URL = reverse("compare:hypervisor_detail", args=["proxmox-ve"])
THREE = {"h": ["proxmox-ve", "vmware-esxi", "xcp-ng"]}
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def catalogue(db):
    """Three products rated on security, with one feature each: enough for every page."""
    security = make_criterion(key="security", name="Security")
    encryption = make_feature(security, name="Encryption")
    products = [
        make_hypervisor(slug=slug, name=name)
        for slug, name in [("proxmox-ve", "Proxmox VE"), ("vmware-esxi", "VMware ESXi")]
        + [("xcp-ng", "XCP-ng")]
    ]
    for product in products:
        make_rating(product, security, score=5)
        make_support(product, encryption)
    return products


def kept_pages() -> int:
    return len(caches["pages"]._cache)  # LocMemCache's entries: what a crawler could grow


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (LIST_URL, {}),
        (LIST_URL, {"type": "1", "sort": "name"}),
        (PROXMOX_URL, {}),
        (COMPARE_URL, THREE),
        (reverse("compare:methodology"), {}),
    ],
)
def test_a_catalogue_edit_shows_at_once_on_every_kept_page(client, catalogue, url, query):
    before = client.get(url, query).content.decode()
    assert "renamed by an editor" not in before
    assert client.get(url, query).content.decode() == before  # served from the kept copy
    # An editor renames the product and the criterion every page names.
    proxmox = Hypervisor.objects.get(slug="proxmox-ve")
    proxmox.name = "Proxmox, renamed by an editor"
    proxmox.save()
    security = Criterion.objects.get(key="security")
    security.name = "Security, renamed by an editor"
    security.save()
    assert "renamed by an editor" in client.get(url, query).content.decode()


def test_the_home_page_counts_a_product_moved_by_an_editor(client, catalogue):
    def type_2_count():
        page = client.get(reverse("compare:home")).content.decode()
        return int(re.search(r"See the (\d+) type 2 product", page)[1])

    assert type_2_count() == type_2_count() == 0
    proxmox = Hypervisor.objects.get(slug="proxmox-ve")
    proxmox.hypervisor_type = HypervisorType.HOSTED
    proxmox.save()
    assert type_2_count() == 1


def test_a_rating_changed_by_an_editor_shows_on_the_kept_comparison(client, catalogue):
    client.get(COMPARE_URL, THREE)
    rating = Rating.objects.get(hypervisor__slug="proxmox-ve", criterion__key="security")
    rating.score = 1 if rating.score != 1 else 2
    rating.save()
    sections = client.get(COMPARE_URL, THREE).context["comparison"].sections
    [security] = [s for s in sections if s.criterion.key == "security"]
    assert security.ratings[0].score == rating.score


def test_a_fact_turns_stale_on_its_day_without_any_edit(client, catalogue, monkeypatch):
    proxmox = Hypervisor.objects.get(slug="proxmox-ve")
    proxmox.verified_on = stale_cutoff()  # the last day it is still fresh
    proxmox.save()
    today = client.get(PROXMOX_URL).content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get(PROXMOX_URL).content.decode().count("Stale: check again") == (
        today.count("Stale: check again") + 1
    )


def test_each_language_has_its_own_page(client, catalogue):
    english = client.get(LIST_URL).content.decode()
    french = client.get(reverse("compare:hypervisor_list").replace("/en/", "/fr/"))
    assert 'lang="fr"' in french.content.decode()
    assert french.content.decode() != english
    assert 'lang="en"' in client.get(LIST_URL).content.decode()


def test_the_pages_come_compressed_to_browsers_that_accept_it(client, catalogue):
    for url, query in [(LIST_URL, {}), (COMPARE_URL, THREE), (PROXMOX_URL, {})]:
        plain = client.get(url, query)
        for _kept in range(2):  # rendered, then from the kept copy
            compressed = client.get(url, query, **GZIP)
            assert compressed["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in compressed["Vary"]
            assert gzip.decompress(compressed.content) == plain.content
            assert len(compressed.content) < len(plain.content) / 3
        assert not plain.has_header("Content-Encoding")
        assert "Accept-Encoding" in plain["Vary"]
        # Nothing of the visitor's in them: no CSRF token, no cookie.
        assert "csrfmiddlewaretoken" not in plain.content.decode()
        assert not plain.cookies


def test_pages_with_a_secret_are_never_compressed(client, reference_data):
    saved = recommendation_create(answers=ASSURMER)
    pages = [
        saved.get_absolute_url(),  # its address is its key
        reverse("compare:assess"),  # a CSRF token
        reverse("compare:suggest_correction", args=["proxmox-ve"]),  # a CSRF token
        reverse("share:what_if", args=[saved.token]) + "?w.security=5",  # the save's token
    ]
    for url in pages:
        response = client.get(url, **GZIP)
        assert response.status_code == 200, url
        assert not response.has_header("Content-Encoding"), url


def test_what_a_visitor_types_is_never_kept(client, catalogue):
    client.get(LIST_URL)
    client.get(COMPARE_URL, THREE)
    kept = kept_pages()
    for n in range(20):
        searched = client.get(LIST_URL, {"q": f"typed {n}"})
        assert f"typed {n}" in searched.content.decode()  # the search box keeps it
        assert client.get(LIST_URL, {"type": f"junk {n}"}).status_code == 200
        wrong = client.get(COMPARE_URL, {"h": ["proxmox-ve", f"typed-{n}"]})
        assert f"typed-{n}" in wrong.content.decode()  # "There is no hypervisor …"
        assert client.get(reverse("compare:hypervisor_detail", args=[f"x{n}"])).status_code == 404
    assert kept_pages() == kept


def test_parameters_a_page_does_not_read_share_its_kept_copy(client, catalogue):
    client.get(reverse("compare:home"))
    client.get(PROXMOX_URL)
    client.get(COMPARE_URL, THREE)
    kept = kept_pages()
    for n in range(20):
        client.get(reverse("compare:home"), {"utm_source": f"mail {n}"})
        client.get(PROXMOX_URL, {"ref": n})
        client.get(COMPARE_URL, {**THREE, "fbclid": n})
    assert kept_pages() == kept


def test_a_revoked_link_is_gone_even_from_the_kept_copy(client, reference_data):
    saved = recommendation_create(answers=ASSURMER)
    assert client.get(saved.get_absolute_url()).status_code == 200
    assert client.get(saved.get_absolute_url()).status_code == 200  # the process's copy
    saved.__class__.objects.filter(pk=saved.pk).revoke()
    assert client.get(saved.get_absolute_url()).status_code == 404
