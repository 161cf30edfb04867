"""The what-if on a saved recommendation: its page, its JSON, its validation, saving it as a
new recommendation, and that it reads the frozen snapshot, never the live catalogue."""

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from compare.models import Rating, Recommendation, Support, SupportLevel
from compare.ratelimit import clear_counters
from compare.reports.services import recommendation_create
from tests.assessment.test_wizard import grow_catalogue

ASSURMER = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json").read_text()
)
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def saved(reference_data):
    return recommendation_create(answers=ASSURMER)


def what_if_url(saved, query=""):
    return reverse("share:what_if", args=[saved.token]) + (f"?{query}" if query else "")


def ranked(items):
    return [(item["slug"], item["score"]) for item in items]


def test_the_saved_values_reproduce_the_saved_ranking(client, saved):
    answer = client.get(what_if_url(saved), **JSON).json()
    assert ranked(answer["ranking"]) == ranked(saved.result["ranking"])
    assert [e["slug"] for e in answer["eliminated"]] == [
        e["slug"] for e in saved.result["eliminated"]
    ]
    assert answer["unchanged"] is True and answer["changes"] == []
    assert answer["headline"] == (
        "Proxmox VE would stay first, 7.5 points ahead of Microsoft Hyper-V."
    )
    page = client.get(what_if_url(saved)).content.decode()
    assert "These are the saved weights and requirements: the saved ranking." in page
    assert "Save as a new recommendation" not in page  # nothing to save


def test_security_alone_ranks_by_the_security_rating(client, saved):
    criteria = [c["key"] for c in saved.result["criteria"]]
    query = "&".join(f"w.{key}={5 if key == 'security' else 0}" for key in criteria)
    answer = client.get(what_if_url(saved, query), **JSON).json()
    # With every other weight at 0 a score is 10 x the security rating, from the catalogue.
    ranked_slugs = [item["slug"] for item in answer["ranking"]]
    security = dict(
        Rating.objects.filter(
            criterion__key="security", hypervisor__slug__in=ranked_slugs
        ).values_list("hypervisor__slug", "score")
    )
    assert {item["slug"]: item["score"] for item in answer["ranking"]} == {
        slug: 10.0 * score for slug, score in security.items()
    }
    assert answer["ranking"][0]["score"] == 10.0 * max(security.values())
    assert "Security: 3 → 5" in answer["changes"]
    assert answer["result"]["weights"]["security"] == 1.0


def test_a_requirement_made_a_wish_brings_back_what_it_ruled_out(client, saved):
    esxi = next(e for e in saved.result["eliminated"] if e["slug"] == "vmware-esxi")
    assert "VMware ESXi has no built-in backups." in esxi["reasons"]

    answer = client.get(what_if_url(saved, "need.builtin_backup=nice"), **JSON).json()

    places = {item["slug"]: item for item in answer["ranking"]}
    assert places["vmware-esxi"]["saved_place"] is None  # ruled out when saved
    assert places["vmware-esxi"]["change"] is None
    assert "vmware-esxi" not in [e["slug"] for e in answer["eliminated"]]
    assert answer["changes"] == ["Built-in backups: Required → Nice to have"]


def test_a_wish_made_a_requirement_rules_out_who_lacks_it_and_says_why(client, saved):
    answer = client.get(what_if_url(saved, "need.sdn=must"), **JSON)
    assert answer.status_code == 400  # SDN was not requested: no such field
    assert answer.json()["errors"][0]["field"] == "need.sdn"

    answer = client.get(what_if_url(saved, "need.containers=must"), **JSON).json()
    newly = {e["slug"]: e for e in answer["eliminated"] if e["newly"]}
    # Those ranked when saved that the catalogue says have no system containers.
    lacking = set(
        Support.objects.filter(
            feature__key="containers",
            level=SupportLevel.NONE,
            hypervisor__slug__in=[item["slug"] for item in saved.result["ranking"]],
        ).values_list("hypervisor__slug", flat=True)
    )
    assert lacking and set(newly) == lacking
    assert newly["xcp-ng"]["reasons"] == ["XCP-ng has no system containers beside VMs."]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("w.security=6", "w.security", "Security: Ensure this value is less than or equal to 5."),
        ("w.security=lots", "w.security", "Security: Enter a whole number."),
        ("w.features=1.3", "w.features", "Requested features: Ensure this value is a multiple"),
        ("w.speed=3", "w.speed", "Unknown parameter “w.speed”."),
        ("need.builtin_backup=maybe", "need.builtin_backup", "Built-in backups: Select a valid"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, saved, query, field, message):
    answer = client.get(what_if_url(saved, query), **JSON)
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert error["field"] == field and error["message"].startswith(message)
    page = client.get(what_if_url(saved, query))
    assert page.status_code == 400
    assert "These values cannot be used:" in page.content.decode()


def test_every_weight_at_zero_is_refused(client, saved):
    query = "&".join(f"w.{c['key']}=0" for c in saved.result["criteria"])
    answer = client.get(what_if_url(saved, query), **JSON)
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"field": "w", "message": "Give at least one criterion a weight above 0."}
    ]


def test_it_reads_the_frozen_snapshot_not_the_live_catalogue(client, saved):
    before = client.get(what_if_url(saved, "w.security=5"), **JSON).json()
    # An editor rates the winner 0 everywhere: the what-if of the saved page does not move.
    Rating.objects.filter(hypervisor__slug="proxmox-ve").update(score=0)
    after = client.get(what_if_url(saved, "w.security=5"), **JSON).json()
    assert ranked(after["ranking"]) == ranked(before["ranking"])


def test_the_panel_is_a_plain_form_on_the_share_page(client, saved):
    page = client.get(saved.get_absolute_url()).content.decode()
    action = reverse("share:what_if", args=[saved.token])
    assert f'<form class="what-if-form" method="get" action="{action}"' in page
    assert f'hx-get="{action}"' in page
    assert 'name="w.licensing_cost"' in page and 'name="need.builtin_backup"' in page
    assert "vendor/htmx-2.0.11/htmx.min.js" in page
    assert '<meta name="htmx-config"' in page and '"allowEval": false' in page
    # Its fields start at the saved values.
    assert 'name="w.licensing_cost" value="5"' in page


def test_htmx_gets_the_result_alone(client, saved):
    answer = client.get(what_if_url(saved, "w.licensing_cost=0"), HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in html
    assert 'id="what-if-headline"' in html and "Save as a new recommendation" in html
    assert "Accept" in answer["Vary"] and "HX-Request" in answer["Vary"]
    assert answer["X-Robots-Tag"] == "noindex, nofollow"


def test_french_reads_in_french(client, saved):
    answer = client.get(what_if_url(saved, "lang=fr&need.builtin_backup=nice"), **JSON).json()
    assert answer["headline"].startswith("Proxmox VE resterait premier")
    assert answer["changes"] == ["Sauvegardes intégrées\u00a0: Indispensable → Souhaitable"]


def test_saving_makes_a_new_recommendation_and_leaves_the_original(client, saved):
    original = Recommendation.objects.get(pk=saved.pk)
    shown = client.get(what_if_url(saved, "w.security=5&need.builtin_backup=nice"), **JSON).json()

    answer = client.post(
        reverse("share:what_if_save", args=[saved.token]),
        {"w.security": "5", "need.builtin_backup": "nice"},
    )

    fresh = Recommendation.objects.exclude(pk=saved.pk).get()
    assert answer.status_code == 302 and answer["Location"] == fresh.get_absolute_url()
    assert fresh.answers["builtin_backup"] == "nice"
    assert fresh.weights["security"] == 5
    # The catalogue has not changed: the new page ranks as the what-if showed.
    assert ranked(fresh.result["ranking"]) == ranked(shown["ranking"])
    unchanged = Recommendation.objects.get(pk=saved.pk)
    assert (unchanged.result, unchanged.answers, unchanged.weights) == (
        original.result,
        original.answers,
        original.weights,
    )


def test_saving_needs_the_csrf_token_and_a_post(saved):
    url = reverse("share:what_if_save", args=[saved.token])
    assert Client(enforce_csrf_checks=True).post(url, {"w.security": "5"}).status_code == 403
    assert Client().get(url).status_code == 405
    assert Recommendation.objects.count() == 1


def test_saving_bad_values_saves_nothing(client, saved):
    url = reverse("share:what_if_save", args=[saved.token])
    answer = client.post(url, {"w.security": "9"})
    assert answer.status_code == 400
    assert Recommendation.objects.count() == 1


def test_an_old_recommendation_without_inputs_says_so(client, saved):
    Recommendation.objects.filter(pk=saved.pk).delete()
    old = Recommendation.objects.create(
        language="en",
        answers=saved.answers,
        weights=saved.weights,
        result=saved.result,
        engine_version="2.0",
        catalogue_version=saved.catalogue_version,
    )
    answer = client.get(what_if_url(old), **JSON)
    assert answer.status_code == 409
    assert "saved before the what-if existed" in answer.json()["errors"][0]["message"]
    assert 'class="what-if-form"' not in client.get(old.get_absolute_url()).content.decode()


def test_a_revoked_link_has_no_what_if(client, saved):
    Recommendation.objects.filter(pk=saved.pk).revoke()
    assert client.get(what_if_url(saved)).status_code == 404


def test_the_what_if_is_rate_limited(client, saved, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "what_if": 3}
    for _ in range(3):
        assert client.get(what_if_url(saved), **JSON).status_code == 200
    refused = client.get(what_if_url(saved), **JSON)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert refused.json()["errors"][0]["message"].startswith("Too many requests")
    assert client.get(what_if_url(saved)).status_code == 429


@pytest.fixture(params=[0, 84], ids=["16-hypervisors", "100-hypervisors"])
def sized(request, reference_data):
    grow_catalogue(request.param)
    return recommendation_create(answers=ASSURMER)


def test_the_what_if_runs_a_fixed_number_of_queries(client, sized, django_assert_num_queries):
    # The what-if counter, one statement in the database (Redis makes it two commands); the
    # recommendation with the catalogue's version. Nothing of the live catalogue.
    # Each request is a new visitor's first of the minute, so that both count alike.
    clear_counters()
    with django_assert_num_queries(2):
        answer = client.get(what_if_url(sized, "w.security=5"))
    assert answer.status_code == 200
    clear_counters()
    with django_assert_num_queries(2):
        assert client.get(what_if_url(sized, "w.security=4"), **JSON).status_code == 200
