"""GET /api/v1/questionnaire, GET /recommendations/{token} and POST /recommendations, on the
reference catalogue; every answer checked against the OpenAPI schema."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from compare.models import Recommendation
from compare.reports.services import recommendation_create
from tests.api.conftest import assert_documented, example_answers

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = "/api/v1/questionnaire"
SAVED = "/api/v1/recommendations/{token}"
CREATE = "/api/v1/recommendations"


@pytest.fixture
def csrf_checking_client():
    """A client that sends no CSRF token, as a script would, and is refused if one is needed."""
    return Client(enforce_csrf_checks=True)


def post(client, body, **extra):
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(CREATE, content, content_type="application/json", **extra)


def fields(response) -> list[str | None]:
    return [error["field"] for error in response.json()["errors"]]


# The questionnaire -----------------------------------------------------------------------


def test_the_questionnaire_gives_keys_kinds_choices_and_defaults(client, reference_data, openapi):
    response = client.get(QUESTIONNAIRE)
    assert_documented(openapi, response, QUESTIONNAIRE)
    questions = {question["key"]: question for question in response.json()}

    use_case = questions["use_case"]
    assert (use_case["step"], use_case["step_label"], use_case["kind"]) == (
        1,
        "Organisation",
        "single",
    )
    assert use_case["text"] == "What will you virtualise?"
    assert use_case["default"] == "server_consolidation"
    assert use_case["choices"][0] == {
        "key": "server_consolidation",
        "label": "Production servers: files, databases, mail...",
        "help_text": "",
        "min_value": None,
        "max_value": None,
    }
    hosts = questions["host_count"]
    assert (hosts["kind"], hosts["min_value"], hosts["max_value"], hosts["default"]) == (
        "integer",
        1,
        10000,
        3,
    )
    assert hosts["choices"][0] == {
        "key": "one",
        "label": "1 host",
        "help_text": "",
        "min_value": 1,
        "max_value": 1,
    }
    assert questions["guest_os"]["default"] == ["windows", "linux"]
    assert questions["company_name"]["default"] is None
    assert questions["currency"]["default"] == "usd"


def test_the_questionnaire_in_french(client, reference_data, openapi):
    response = client.get(QUESTIONNAIRE, {"lang": "fr"})
    assert_documented(openapi, response, QUESTIONNAIRE)
    questions = {question["key"]: question for question in response.json()}
    assert questions["use_case"]["text"] == "Qu’allez-vous virtualiser\u00a0?"
    assert questions["host_count"]["choices"][0]["label"] == "1 hôte"
    # The report's currency defaults to euros in French.
    assert questions["currency"]["default"] == "eur"


# Saved recommendations ----------------------------------------------------------------------


@pytest.fixture
def saved(reference_data):
    return recommendation_create(answers=example_answers("assurmer"))


def test_a_saved_recommendation_is_its_json_export(client, saved, openapi):
    response = client.get(SAVED.format(token=saved.token))

    assert_documented(openapi, response, SAVED)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response.json() == client.get(reverse("share:json", args=[saved.token])).json()
    export = response.json()
    assert export["url"] == f"http://testserver/r/{saved.token}/"
    assert (export["language"], export["answers"]["company_name"]) == ("en", "Assurmer")
    assert set(export["translations"]) == {"fr"}


@pytest.mark.parametrize("revoked", [True, False], ids=["revoked", "unknown"])
def test_a_revoked_or_unknown_recommendation_is_a_json_404(client, saved, openapi, revoked):
    if revoked:
        Recommendation.objects.filter(pk=saved.pk).revoke()
        token = saved.token
    else:
        token = "x" * 32
    response = client.get(SAVED.format(token=token))
    assert_documented(openapi, response, SAVED)
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no recommendation with this link."}
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@override_settings(RATE_LIMITS={"share_misses": 2})
def test_guessing_tokens_is_limited_like_the_share_links(client, saved, openapi):
    for letter in "ab":
        assert client.get(SAVED.format(token=letter * 32)).status_code == 404
    response = client.get(SAVED.format(token="c" * 32))  # past the limit, a guess waits
    assert_documented(openapi, response, SAVED)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json() == {"detail": "Too many requests: please wait 60 seconds and try again."}
    # A link that exists still answers, whoever shares the guesser's address.
    assert client.get(SAVED.format(token=saved.token)).status_code == 200


# New recommendations ------------------------------------------------------------------------


def test_answers_make_a_saved_recommendation(csrf_checking_client, reference_data, openapi):
    response = post(csrf_checking_client, example_answers("assurmer"))

    assert_documented(openapi, response, CREATE, "post")
    assert response.status_code == 201
    created = response.json()
    saved = Recommendation.objects.get()
    assert created["token"] == saved.token
    assert created["url"] == f"http://testserver/r/{saved.token}/"
    assert created["result"]["ranking"][0]["slug"] == "proxmox-ve"
    assert saved.language == "en" and saved.company_name == "Assurmer"
    # Nothing remembers the caller: no session row, no cookie.
    assert Session.objects.count() == 0
    assert not response.cookies


def test_answers_in_french_make_a_french_recommendation(client, reference_data, openapi):
    response = post(client, example_answers("assurmer"), QUERY_STRING="lang=fr")
    assert_documented(openapi, response, CREATE, "post")
    assert Recommendation.objects.get().language == "fr"
    assert response["Content-Language"] == "fr"


def test_the_result_is_what_the_recommend_command_prints(
    client, reference_data, openapi, tmp_path, capsys
):
    """An uneven estate and the user's own weights too: both read the same document."""
    document = example_answers(
        "assurmer",
        hosts=[{"sockets": 1, "cores_per_socket": 8}, {"sockets": 2, "cores_per_socket": 16}],
        weights={"licensing_cost": 0, "support_community": 5},
    )
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document))

    response = post(client, document)
    call_command("recommend", str(path))
    printed = json.loads(capsys.readouterr().out)

    assert_documented(openapi, response, CREATE, "post")
    assert response.json()["result"] == printed
    assert printed["points"]["licensing_cost"] == 0  # the weights were read by both


def test_every_invalid_field_is_named(client, reference_data, openapi):
    response = post(
        client,
        example_answers(
            "assurmer",
            colour="blue",
            use_case="mainframe",
            hosts=[{"sockets": 9, "cores_per_socket": 16}],
            weights={"security": 9, "beauty": 2},
        ),
    )

    assert_documented(openapi, response, CREATE, "post")
    assert response.status_code == 400
    assert fields(response) == [
        "colour",
        "hosts",
        "use_case",
        "weights.beauty",
        "weights.security",
    ]
    messages = [error["message"] for error in response.json()["errors"]]
    assert messages[0] == "Unknown question “colour”."
    assert messages[1] == "Host 1: “sockets” must be a whole number from 1 to 8."
    assert messages[2] == (
        "Organisation, What will you virtualise?: Select a valid choice. mainframe is not one "
        "of the available choices."
    )
    assert messages[4].endswith("Ensure this value is less than or equal to 5.")
    assert Recommendation.objects.count() == 0


def test_a_number_out_of_range_is_named(client, reference_data):
    response = post(client, example_answers("assurmer", host_count=0, vm_count="many"))
    assert fields(response) == ["host_count", "vm_count"]


def test_a_contradiction_names_the_answer_that_raised_it(client, reference_data, openapi):
    response = post(
        client, example_answers("assurmer", current_platform="none", platform_plan="leaving")
    )
    assert_documented(openapi, response, CREATE, "post")
    [error] = response.json()["errors"]
    assert error["field"] == "platform_plan"
    assert error["message"].startswith("Organisation: “Leaving it” (And your plan for that")


def test_invalid_answers_are_explained_in_french(client, reference_data):
    response = post(
        client, example_answers("assurmer", use_case="mainframe"), QUERY_STRING="lang=fr"
    )
    [error] = response.json()["errors"]
    assert error["field"] == "use_case"
    assert error["message"] == (
        "Organisation, Qu’allez-vous virtualiser\u00a0?\u00a0: Sélectionnez un choix valide. "
        "mainframe n’en fait pas partie."
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{oops", "The body is not valid JSON: Expecting property name enclosed in double quotes"),
        ("", "The body is not valid JSON: Expecting value"),
        (b"\xff\xfe\x00", "The body is not valid JSON"),
        ("[1, 2]", "The body must be a JSON object of question keys and answers."),
        ('"assurmer"', "The body must be a JSON object of question keys and answers."),
        ('{"weights": [1, 2]}', "“weights” must be an object of criterion keys and 0-5 values."),
    ],
)
def test_a_body_that_is_not_answers_is_a_400(client, reference_data, openapi, body, message):
    response = post(client, body)
    assert_documented(openapi, response, CREATE, "post")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["message"].startswith(message)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_huge_body_is_a_400(client, reference_data, openapi):
    response = post(client, example_answers("assurmer", company_name="x" * 2000))
    assert_documented(openapi, response, CREATE, "post")
    assert response.json() == {
        "errors": [
            {"field": None, "message": "The body is too large: answers take a few kilobytes."}
        ]
    }


@override_settings(RATE_LIMITS={"questionnaire": 2})
def test_posts_are_limited_like_the_questionnaire(client, reference_data, openapi):
    for _ in range(2):
        assert post(client, "[]").status_code == 400
    response = post(client, example_answers("assurmer"))
    assert_documented(openapi, response, CREATE, "post")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert Recommendation.objects.count() == 0
    # Another address is not affected.
    assert post(client, "[]", REMOTE_ADDR="192.0.2.9").status_code == 400


def test_french_is_asked_for_request_by_request(client, reference_data):
    client.get(QUESTIONNAIRE, {"lang": "fr"})
    questions = {question["key"]: question for question in client.get(QUESTIONNAIRE).json()}
    assert questions["use_case"]["text"] == "What will you virtualise?"
