"""Bad input to the API, generated: random filters, slugs, tokens and bodies get a JSON answer
the schema documents, never a server error."""

import json
import string
from urllib.parse import quote

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.api.conftest import assert_documented, example_answers
from tests.test_fuzzing import ANSWER_KEYS, answer_values

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def fuzz(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


texts = st.text(alphabet=string.printable + "éü€\u202e\x00", max_size=30)


def test_random_filters_get_the_list_or_a_400(client, openapi):
    parameters = st.dictionaries(
        st.sampled_from(["type", "licence", "open_source", "free_edition", "containers", "q"])
        | st.sampled_from(["lang", "page", "x"]),
        st.one_of(texts, st.sampled_from(["1", "2", "true", "no", "fr", "commercial", "any"])),
        max_size=5,
    )

    @fuzz(300)
    @given(parameters)
    @example({"q": "\x00"})  # PostgreSQL refuses NUL characters
    def visit(query):
        response = client.get("/api/v1/hypervisors", query)
        assert response.status_code in (200, 400), (query, response.status_code)
        assert_documented(openapi, response, "/api/v1/hypervisors")

    visit()


def test_random_slugs_and_tokens_are_not_found(client, openapi):
    @fuzz(300)
    @given(texts.filter(lambda text: text.strip()), st.booleans())
    @example("\x00", True)
    @example("\x00" * 32, False)
    def visit(text, product):
        path = "/api/v1/hypervisors/{slug}" if product else "/api/v1/recommendations/{token}"
        quoted = quote(text, safe="")
        response = client.get(path.format(slug=quoted, token=quoted))
        if response.status_code == 404 and response["Content-Type"].startswith("text/html"):
            return  # a slash or a NUL: no API route, the site's own 404 page
        assert response.status_code == 404, (text, response.status_code)
        assert_documented(openapi, response, path)

    with override_settings(RATE_LIMITS={}):
        visit()


def test_random_bodies_get_a_recommendation_or_every_error(client, openapi):
    bodies = st.one_of(
        st.dictionaries(st.sampled_from(ANSWER_KEYS), answer_values, min_size=1).map(
            lambda changes: json.dumps(example_answers("assurmer", **changes))
        ),
        st.text(max_size=60),
        answer_values.map(json.dumps),
    )

    @fuzz(150)
    @given(bodies)
    def post(body):
        response = client.post(
            "/api/v1/recommendations",
            body.encode("utf-8", "surrogatepass"),
            content_type="application/json",
        )
        assert response.status_code in (201, 400), (body, response.status_code)
        assert_documented(openapi, response, "/api/v1/recommendations", "post")

    with override_settings(RATE_LIMITS={}):
        post()
