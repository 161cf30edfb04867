"""Issue 14's findings from the outside security and reliability test, each pinned: what a
stranger's request could do before, and must no longer do."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from compare.reports.services import recommendation_create

ASSURMER = json.loads(
    (Path(__file__).resolve().parents[1] / "docs/examples/assurmer.json").read_text()
)


@pytest.fixture
def saved(reference_data):
    return recommendation_create(answers=ASSURMER)


def cached_keys(fragment: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM hvselect_cache WHERE cache_key LIKE %s", [f"%{fragment}%"]
        )
        return cursor.fetchone()[0]


def test_the_share_page_is_cached_once_whatever_the_port(client, saved):
    pages = [
        client.get(saved.get_absolute_url(), HTTP_HOST=f"testserver:{port}").content.decode()
        for port in (8001, 8002, 8003)
    ]
    assert cached_keys(f"share-page:{saved.token}") == 1
    # Each reader still sees the address they came by.
    for port, page in zip((8001, 8002, 8003), pages, strict=True):
        assert f'value="http://testserver:{port}{saved.get_absolute_url()}"' in page


def test_a_download_is_cached_once_whatever_the_port(client, saved):
    for port in (8001, 8002):
        client.get(f"/r/{saved.token}.csv", HTTP_HOST=f"testserver:{port}")
    assert cached_keys(f"share-download:csv:{saved.token}") == 1


# Redis down ---------------------------------------------------------------------------------

UNREACHABLE_REDIS = {
    **{
        alias: {
            "BACKEND": "hvselect.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "KEY_PREFIX": alias,
        }
        for alias in ("default", "ratelimit")  # as the settings have them with REDIS_URL
    },
    "pages": settings.CACHES["pages"],
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = UNREACHABLE_REDIS
    from django.core.cache import cache, caches

    from hvselect import cache as resilient

    resilient._down_since.clear()  # a new outage for each test

    cache.clear()  # the workers' fallback memory, as Redis cannot be reached
    caches["ratelimit"].clear()
    yield cache


def test_with_redis_down_the_site_keeps_serving_and_says_so(client, saved, redis_down, caplog):
    caplog.set_level("WARNING", logger="hvselect.cache")
    assert client.get(saved.get_absolute_url()).status_code == 200
    assert client.get(f"/r/{saved.token}.json").status_code == 200
    assert client.get(f"/r/{saved.token}/what-if/?w.security=5").status_code == 200
    assert client.get("/en/assess/").status_code == 200
    response = client.post("/en/assess/", {"assessment_wizard-current_step": "organisation"})
    assert response.status_code == 200  # the step's form errors, not a 500
    recompute = client.post(f"/r/{saved.token}/recompute/")
    assert recompute.status_code == 302
    health = client.get("/healthz").json()
    assert health == {
        "status": "degraded",
        "database": "ok",
        "cache": "unreachable: serving from each worker's memory",
    }
    # Said once for the outage, not once per request.
    logged = caplog.get_records("setup") + caplog.get_records("call")
    warnings = [r for r in logged if r.name == "hvselect.cache"]
    assert len(warnings) == 1 and "Redis unreachable" in warnings[0].getMessage()


def test_with_redis_down_the_rate_limits_still_count_in_the_worker(
    client, saved, redis_down, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "what_if": 2}
    url = f"/r/{saved.token}/what-if/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_redis_gets_short_timeouts(redis_down):
    options = redis_down._cache._pool_options
    assert options["socket_connect_timeout"] <= 0.25 and options["socket_timeout"] <= 0.25


def test_with_redis_back_the_shared_cache_is_used_again(redis_down, monkeypatch):
    from hvselect import cache as resilient

    redis_down.get("anything")
    assert redis_down.reachable is False
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0)
    monkeypatch.setattr(
        resilient.RedisCache, "get", lambda self, key, default=None, version=None: "from redis"
    )
    assert redis_down.get("anything") == "from redis"
    assert redis_down.reachable is True


def test_healthz_with_the_cache_working(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


# The client's address behind a proxy --------------------------------------------------------

BEHIND_A_PROXY = {"CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR", "TRUSTED_PROXIES": 1}


@pytest.mark.parametrize(
    ("forwarded", "proxies", "client"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        # A client forging the header: our proxy appends the real address at the right.
        ("10.9.9.9, 203.0.113.7", 1, "203.0.113.7"),
        ("1.1.1.1, 2.2.2.2, 203.0.113.7", 1, "203.0.113.7"),
        # Two proxies of ours: the CDN's entry names the client, the load balancer's the CDN.
        ("1.1.1.1, 203.0.113.7, 198.51.100.2", 2, "203.0.113.7"),
        ("not an address", 1, "192.0.2.1"),  # a misconfiguration: the connection's address
    ],
)
def test_the_client_is_the_right_most_trusted_entry(rf, settings, forwarded, proxies, client):
    from compare.ratelimit import client_address

    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="192.0.2.1")
    assert client_address(request) == client


def test_behind_a_proxy_bad_passwords_lock_out_their_sender_only(client, settings, db):
    from django.contrib.auth.models import User
    from django.urls import reverse

    for name, value in BEHIND_A_PROXY.items():
        setattr(settings, name, value)
    User.objects.create_superuser("root", password="the right password")
    login = reverse("admin:login")
    # Every request comes from the proxy (127.0.0.1); the attacker also forges the header.
    attacker = {"HTTP_X_FORWARDED_FOR": "10.0.0.1, 203.0.113.66"}
    for _ in range(5):
        client.post(login, {"username": "root", "password": "wrong"}, **attacker)
    assert (
        client.post(login, {"username": "root", "password": "wrong"}, **attacker).status_code == 429
    )
    # The administrator, from another address through the same proxy, still signs in.
    admin = {"HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    signed_in = client.post(login, {"username": "root", "password": "the right password"}, **admin)
    assert signed_in.status_code == 302


# The questionnaire's session ------------------------------------------------------------------


def test_a_first_visit_to_the_questionnaire_writes_no_session(client, reference_data):
    from django.contrib.sessions.models import Session

    response = client.get("/en/assess/")
    assert response.status_code == 200
    assert Session.objects.count() == 0
    assert not any("session" in name for name in response.cookies)


def test_the_session_keeps_only_the_steps_own_fields_and_bounded(client, reference_data):
    from django.contrib.sessions.models import Session

    from tests.assessment.test_wizard import STEPS, step_data

    client.get("/en/assess/")
    junk = {f"junk-{n}": "x" * 10_000 for n in range(20)}
    client.post("/en/assess/", {**step_data("organisation"), **junk})
    # Going back keeps what was typed on the step being left, valid or not: bounded too.
    client.post(
        "/en/assess/",
        {
            **step_data("workloads"),
            "workloads-containers": "y" * 10_000,
            "wizard_goto_step": "organisation",
            **junk,
        },
    )
    [session] = Session.objects.all()
    stored = session.get_decoded()["wizard_assessment_wizard"]["step_data"]
    for step in ("organisation", "workloads"):
        assert set(stored[step]) <= {f"{step}-{name}" for name in STEPS[step]}
    assert stored["workloads"]["workloads-containers"] == ["y" * 200]
    assert len(session.session_data) < 5_000


# Input that used to give a 5xx ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/en/assess/", "/en/", "/admin/login/", "/api/v1/recommendations", "/healthz"]
)
@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "no-such-charset", '"utf-32"'])
def test_a_form_body_in_another_charset_is_a_400_with_headers(client, db, url, charset):
    response = client.generic(
        "POST", url, b"a=b", content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
    assert "This request could not be understood" in response.content.decode()


def test_a_multipart_body_in_another_charset_is_a_400(client, db):
    response = client.generic(
        "POST",
        "/en/assess/",
        b"--x--",
        content_type="multipart/form-data; boundary=x; charset=utf-16",
    )
    assert response.status_code == 400


def test_utf8_bodies_still_go_through(client, reference_data):
    client.get("/en/assess/")
    response = client.generic(
        "POST",
        "/en/assess/",
        b"assessment_wizard-current_step=organisation",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"assessment_wizard-current_step": "no-such-step"},
        {"assessment_wizard-current_step": "../organisation"},
    ],
)
def test_an_unknown_questionnaire_step_is_a_400(client, reference_data, data):
    client.get("/en/assess/")
    assert client.post("/en/assess/", data).status_code == 400


def test_going_to_an_unknown_step_stays_on_the_step(client, reference_data):
    from tests.assessment.test_wizard import step_data

    client.get("/en/assess/")
    response = client.post(
        "/en/assess/", {**step_data("organisation"), "wizard_goto_step": "no-such-step"}
    )
    assert response.status_code in (200, 302)


def test_a_file_posted_to_a_question_step_is_ignored(client, reference_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.assessment.test_wizard import step_data

    client.get("/en/assess/")
    for step in ("organisation", "workloads"):
        response = client.post(
            "/en/assess/",
            {**step_data(step), f"{step}-company_name": SimpleUploadedFile("a.txt", b"x")},
        )
        assert response.status_code == 200


@pytest.mark.parametrize("token", ["\x00", "%00", "x" * 1000, "ab\x00cd" * 10])
def test_a_malformed_from_link_starts_an_empty_questionnaire(client, reference_data, token):
    response = client.get("/en/assess/", {"from": token})
    assert response.status_code == 200


def test_a_malformed_token_in_the_api_is_a_404(client, db):
    assert client.get("/api/v1/recommendations/%00").status_code == 404


def test_an_admin_username_of_300_characters_is_refused_not_a_500(client, db):
    response = client.post("/admin/login/", {"username": "u" * 300, "password": "x"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode() or (
        "Please enter the correct username and password" in response.content.decode()
    )


# Rate limits ----------------------------------------------------------------------------------


def test_the_database_counts_a_clients_requests_per_minute_and_forgets_old_minutes(db):
    from compare.ratelimit import RateCounter

    assert [RateCounter.objects.hit("questionnaire:192.0.2.1", 100) for _ in range(3)] == [
        1,
        2,
        3,
    ]
    assert RateCounter.objects.hit("questionnaire:192.0.2.2", 100) == 1  # another client
    assert RateCounter.objects.hit("questionnaire:192.0.2.1", 101) == 1  # the next minute
    # Minute 101's first request deleted the other client's counter of minute 100.
    assert list(RateCounter.objects.values_list("key", "hits")) == [("questionnaire:192.0.2.1", 1)]


@pytest.mark.django_db(transaction=True)
def test_requests_at_once_are_each_counted_once():
    """Eight clients' threads, each with its own connection, count into one row."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from compare.ratelimit import RateCounter

    def hits(_thread):
        try:
            return [RateCounter.objects.hit("share_misses:192.0.2.9", 7) for _ in range(25)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = [count for batch in pool.map(hits, range(8)) for count in batch]
    assert sorted(counts) == list(range(1, 201))


def test_the_counters_survive_the_page_cache_being_culled(
    client, reference_data, settings, monkeypatch
):
    from django.core.cache import caches

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "questionnaire": 3}
    # A small page cache, culled as soon as it is full; the minute held still.
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 10}},
    }
    monkeypatch.setattr("compare.ratelimit.current_window", lambda: 1)
    client.get("/en/assess/")
    step = {"assessment_wizard-current_step": "organisation"}
    statuses = []
    for n in range(5):
        caches["default"].set_many({f"share-page:{n}:{i}": "x" for i in range(20)})
        statuses.append(client.post("/en/assess/", step).status_code)
    assert statuses == [200, 200, 200, 429, 429]


# One questionnaire run, one recommendation --------------------------------------------------


def answer_every_step(client, run, *, through="licensing"):
    """Post every question step with Assurmer's answers and the page's run id."""
    from tests.assessment.test_wizard import STEPS, step_data

    response = None
    for step in STEPS:
        response = client.post("/en/assess/", {**step_data(step), "questionnaire_run": run})
        if step == through:
            break
    return response


def final_step(response, run):
    from tests.assessment.test_wizard import priorities_data

    return {**priorities_data(response), "questionnaire_run": run}


def test_a_second_click_on_the_last_step_lands_on_the_same_recommendation(client, reference_data):
    from compare.models import Recommendation

    run = client.get("/en/assess/").context["run"]
    last = final_step(answer_every_step(client, run), run)

    first = client.post("/en/assess/", last)
    again = client.post("/en/assess/", last)  # the session was reset by the first

    saved = Recommendation.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == saved.get_absolute_url()
    assert saved.run == run


def test_two_saves_of_one_run_at_once_make_one_recommendation(reference_data):
    from compare.models import Recommendation

    one = recommendation_create(answers=ASSURMER, run="r" * 32)
    other = recommendation_create(answers=ASSURMER, run="r" * 32)
    assert one.pk == other.pk and Recommendation.objects.count() == 1
    # Without a run (the API, the command), every save is a new recommendation.
    recommendation_create(answers=ASSURMER)
    recommendation_create(answers=ASSURMER)
    assert Recommendation.objects.count() == 3


def test_a_tab_whose_run_another_tab_restarted_is_told_so(client, reference_data):
    from compare.models import Recommendation
    from tests.assessment.test_wizard import step_data

    first_tab = client.get("/en/assess/").context["run"]
    answer_every_step(client, first_tab, through="workloads")
    second_tab = client.get("/en/assess/").context["run"]  # the same session, started again
    assert second_tab != first_tab

    late = client.post("/en/assess/", {**step_data("operations"), "questionnaire_run": first_tab})

    page = late.content.decode()
    assert late.status_code == 200
    assert "was started again in another tab or window" in page
    assert late.context["wizard"]["steps"].current == "organisation"  # where the other stands
    # The second tab goes on undisturbed, and saves its own answers alone.
    last = final_step(answer_every_step(client, second_tab), second_tab)
    assert client.post("/en/assess/", last).status_code == 302
    assert Recommendation.objects.get().run == second_tab


def test_a_forged_run_is_ignored(client, reference_data):
    from tests.assessment.test_wizard import step_data

    client.get("/en/assess/")
    for run in ["\x00", "x" * 500, "../../etc"]:
        response = client.post(
            "/en/assess/", {**step_data("organisation"), "questionnaire_run": run}
        )
        assert response.status_code == 200
