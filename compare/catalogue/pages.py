"""The catalogue's public pages (home, list, product, compare, methodology) change only with
the catalogue: each process renders one once per catalogue version, language, day (facts
older than a year are marked so) and variant, then serves its bytes.

They are kept in the process's own bounded memory (the `pages` cache), not the shared one:
the variants (the list's filters, the products a comparison picks) are many, and a crawler
walking through them must neither fill Redis nor push the share pages out of it.

They carry no secret (no CSRF token, no session, nothing of the visitor's), so they are
sent compressed to the browsers that accept it: BREACH needs a secret in the page.
"""

import hashlib
from functools import wraps

from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone, translation
from django.views.decorators.gzip import gzip_page

from compare.catalogue.snapshot import catalogue_version

PAGE_SECONDS = 24 * 60 * 60
KEPT_HEADERS = ("Content-Type", "Content-Encoding", "Content-Length", "Vary")


def same_for_every_query(request, *args, **kwargs):
    """The variant of a page that reads nothing from its query string."""
    return ()


def rendered_once_per_catalogue(variant=same_for_every_query):
    """Serve a view's page from the process's memory while the catalogue stays the same.

    `variant(request, *args, **kwargs)` says what, besides the address's path, makes the page
    differ, from valid values only (so that the entries stay as few as the valid choices),
    or None for a page not to keep: a free-text search, a form's errors quoting what was
    typed. Only 200s are kept; anything else, and every POST, goes to the view each time.
    """

    def decorator(view):
        compressed_view = gzip_page(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            kind = None
            if request.method in ("GET", "HEAD"):
                kind = variant(request, *args, **kwargs)
            version = catalogue_version() if kind is not None else ""
            if not version:  # not to keep, or no history to tell a change by
                return compressed_view(request, *args, **kwargs)
            gzip = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
            today = timezone.localdate().isoformat()
            page = (request.path, kind, translation.get_language(), gzip, version, today)
            key = "page:" + hashlib.sha256(repr(page).encode()).hexdigest()
            pages = caches["pages"]
            kept = pages.get(key)
            if kept is None:
                response = compressed_view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()  # and compressed by gzip_page's callback
                if response.status_code != 200:
                    return response
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                kept = (response.content, headers)
                pages.set(key, kept, timeout=PAGE_SECONDS)
            content, headers = kept
            return HttpResponse(content, headers=headers)

        return wrapped

    return decorator
