"""Issue 14's findings from the outside security and reliability test, each pinned: what a
stranger's request could do before, and must no longer do."""

import json
from pathlib import Path

import pytest
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
