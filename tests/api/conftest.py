"""The API's own OpenAPI schema, served at /api/v1/openapi.json, checks every answer the
tests get: its status must be documented for that operation and its body must match."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_URI = "urn:hvselect:api:v1"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def no_duplicate_keys(pairs: list[tuple]) -> dict:
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), f"duplicated keys in {keys}"  # Swagger UI refuses them
    return dict(pairs)


@pytest.fixture
def openapi(client):
    """The schema as served, a valid OpenAPI 3.1 document."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content, object_pairs_hook=no_duplicate_keys)
    assert document["openapi"].startswith("3.1.")
    return document


def pointer_part(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


def assert_documented(openapi: dict, response, path: str, method: str = "get") -> None:
    """`response` (from the test client) is one that `path`'s operation documents: its status,
    and a JSON body matching that status's schema."""
    responses = openapi["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method.upper()} {path} does not document {status}"
    assert response["Content-Type"].startswith("application/json")
    pointer = "/".join(
        pointer_part(part)
        for part in ("paths", path, method, "responses", status, "content")
        + ("application/json", "schema")
    )
    registry = Registry().with_resource(
        SCHEMA_URI, Resource(contents=openapi, specification=DRAFT202012)
    )
    validator = Draft202012Validator(
        {"$ref": f"{SCHEMA_URI}#/{pointer}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(json.loads(response.content))
    ]
    assert errors == [], errors[:5]


def example_answers(name: str, **changes) -> dict:
    """An answers file of docs/examples, with `changes`."""
    return {**json.loads((EXAMPLES / f"{name}.json").read_text()), **changes}
