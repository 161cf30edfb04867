"""The recommendation page as a PDF: WeasyPrint renders the page's HTML with its print
stylesheet. WeasyPrint needs the operating system's Pango; without it the site still serves
the page (and its Print button), and says why the PDF is unavailable."""

import functools
import logging
import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class PdfUnavailable(RuntimeError):
    pass


@functools.cache
def _weasyprint():
    try:
        import weasyprint
    except OSError as error:  # the library is installed, the OS's Pango is not
        logger.warning("PDF downloads unavailable: %s", error)
        return None
    return weasyprint


def unavailable_reason() -> str:
    """Why this server cannot make PDFs, in words for the page; "" when it can."""
    if _weasyprint() is None:
        return _(
            "PDF download is unavailable on this server (its Pango library is missing): use "
            "Print, and choose “Save as PDF”."
        )
    return ""


def render_pdf(html: str, base_url: str) -> bytes:
    """A4 pages from the page's HTML; only the site's own static files are fetched."""
    weasyprint = _weasyprint()
    if weasyprint is None:
        raise PdfUnavailable(unavailable_reason())
    return weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=_static_fetcher(), media_type="print"
    ).write_pdf()


@functools.cache
def _static_fetcher():
    """The stylesheets come from disk, never over the network: a page cannot make the server
    fetch anything else (no request to another host, no local file outside the static ones)."""
    weasyprint = _weasyprint()

    class StaticFilesOnly(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            name = _static_name(url)
            return weasyprint.urls.URLFetcherResponse(
                url, _static_bytes(name), {"Content-Type": mimetypes.guess_type(name)[0] or ""}
            )

    return StaticFilesOnly()


def _static_name(url: str) -> str:
    path = urlsplit(url).path
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not path.startswith(prefix):
        raise ValueError(f"Not fetched for the PDF: {url}")
    return path.removeprefix(prefix)


def _static_bytes(name: str) -> bytes:
    found = finders.find(name) or _collected(name)
    if not found:
        raise ValueError(f"No such static file: {name}")
    with open(found, "rb") as file:
        return file.read()


def _collected(name: str) -> str | None:
    """In production the names carry a hash (collectstatic's manifest): look there too."""
    try:
        path = staticfiles_storage.path(name)
    except NotImplementedError:
        return None
    return path if staticfiles_storage.exists(name) else None
