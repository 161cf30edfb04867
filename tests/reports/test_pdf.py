"""The PDF download: WeasyPrint renders the page with its print stylesheet, once per link
and language; the same rules as the page (revocation, noindex)."""

import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from compare.engine.scoring import FEATURES
from compare.models import Recommendation
from compare.reports import views
from compare.reports.services import recommendation_create

ASSURMER = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json").read_text()
)
A4 = (595.28, 841.89)  # points: 210 x 297 mm


@pytest.fixture
def saved(reference_data):
    cache.clear()
    return recommendation_create(answers=ASSURMER)


def pdf_of(client, recommendation, **params):
    return client.get(f"/r/{recommendation.token}.pdf", params)


def text_of(page) -> str:
    """A page's text, words separated by single spaces (pypdf reads some of WeasyPrint's
    two-byte glyph codes with a NUL byte before each character)."""
    return " ".join(page.extract_text().replace("\x00", "").split())


def test_the_pdf_is_a4_with_the_executive_summary_first_and_the_references_last(client, saved):
    response = pdf_of(client, saved)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 0), round(height, 0)) == (round(A4[0]), round(A4[1]))
    first = text_of(reader.pages[0])
    assert "We recommend Proxmox VE for Assurmer" in first
    assert "Why it fits Assurmer" in first
    assert "The alternative you know" in first
    # The evidence starts on a page of its own, after the summary.
    assert "Criterion by criterion" not in first
    text = " ".join(text_of(page) for page in reader.pages)
    assert text.index("References") > text.index("Criterion by criterion")
    reference = saved.result["references"][0]
    assert reference["title"][:30] in text


def test_the_file_is_named_after_the_company_and_the_day(client, saved):
    response = pdf_of(client, saved)
    day = timezone.localdate(saved.created_at).isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="hvselect-assurmer-{day}.pdf"'
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_pdf_reads_in_french_on_request(client, saved):
    response = pdf_of(client, saved, lang="fr")
    first = text_of(PdfReader(io.BytesIO(response.content)).pages[0])
    assert "Nous recommandons Proxmox VE pour Assurmer" in first


def test_it_is_rendered_once_per_link_and_language_then_served_from_the_cache(client, saved):
    with mock.patch.object(views, "render_pdf", wraps=views.render_pdf) as render:
        first = pdf_of(client, saved)
        again = pdf_of(client, saved)
        pdf_of(client, saved, lang="fr")
    assert first.content == again.content
    assert render.call_count == 2  # English once, French once


def test_a_revoked_link_has_no_pdf(client, saved):
    Recommendation.objects.filter(pk=saved.pk).revoke()
    assert pdf_of(client, saved).status_code == 404


def test_without_pango_the_page_says_why_and_print_remains(client, saved):
    reason = "PDF download is unavailable on this server"
    with mock.patch.object(views, "unavailable_reason", return_value=reason + "."):
        page = client.get(saved.get_absolute_url() + "?lang=en").content.decode()
        response = pdf_of(client, saved)
    assert reason in page
    assert 'disabled aria-describedby="pdf-unavailable">Download PDF</button>' in page
    assert "data-print" in page
    assert response.status_code == 503
    assert reason in response.content.decode()


def test_the_page_offers_the_downloads_beside_print_in_the_language_read(client, saved):
    page = client.get(saved.get_absolute_url()).content.decode()
    assert f'href="/r/{saved.token}.pdf" download>Download PDF</a>' in page
    assert f'href="/r/{saved.token}.xlsx" download>Spreadsheet (XLSX)</a>' in page
    assert f'href="/r/{saved.token}.csv" download>Ranking (CSV)</a>' in page
    french = client.get(saved.get_absolute_url(), {"lang": "fr"}).content.decode()
    assert f'href="/r/{saved.token}.pdf?lang=fr" download>' in french
    assert f'href="/r/{saved.token}.xlsx?lang=fr" download>' in french


def test_the_radar_tells_candidates_apart_without_colour(client, saved):
    page = client.get(saved.get_absolute_url()).content.decode()
    radar = page[page.index('<svg class="radar') : page.index("</figcaption>")]
    # Second and third candidates: dashed and dotted lines, in the chart and the legend.
    assert radar.count('stroke-dasharray="6 3"') == 2
    assert radar.count('stroke-dasharray="2 2"') == 2
    criteria = sum(1 for c in saved.result["criteria"] if c["key"] != FEATURES)
    # One marker per criterion and candidate, plus one in each legend sample.
    assert radar.count("<circle ") == criteria + 1
    assert radar.count("<rect x=") == criteria + 1
