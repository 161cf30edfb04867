"""The API's docs page, as a developer opens it: Swagger UI from the site's own static files,
every endpoint listed, nothing blocked by the Content Security Policy (the `page` fixture
fails on any violation) and nothing fetched from elsewhere."""

import pytest
from playwright.sync_api import expect

from compare.catalogue.reference import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

ENDPOINTS = [
    ("GET", "/api/v1/hypervisors"),
    ("GET", "/api/v1/hypervisors/{slug}"),
    ("GET", "/api/v1/criteria"),
    ("GET", "/api/v1/features"),
    ("GET", "/api/v1/questionnaire"),
    ("GET", "/api/v1/recommendations/{token}"),
    ("POST", "/api/v1/recommendations"),
]


def test_the_docs_list_every_endpoint_from_local_files(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/api/v1/docs")

    expect(page.get_by_role("heading", name="HVSelect API")).to_be_visible()
    operations = page.locator(".opblock-summary")
    expect(operations).to_have_count(len(ENDPOINTS))
    shown = [
        (
            operation.locator(".opblock-summary-method").inner_text(),
            operation.locator(".opblock-summary-path").inner_text().replace("\u200b", ""),
        )
        for operation in operations.all()
    ]
    assert sorted(shown) == sorted(ENDPOINTS)
    assert requested and all(url.startswith(live_server.url) for url in requested), requested


def test_an_operation_is_tried_from_the_docs(page, live_server):
    load_reference_data()
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock-summary", has_text="/api/v1/criteria").click()
    operation = page.locator(".opblock.is-open")
    expect(operation.locator('tr[data-param-name="lang"]')).to_be_visible()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator('tr[data-param-name="lang"] select').select_option("fr")
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".responses-wrapper .live-responses-table .microlight").first
    expect(body).to_contain_text("Type de virtualisation")
