"""The site's own 404 and 500 handlers (Django's default serves 400.html)."""

import logging
import re

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import parse_header_parameters

logger = logging.getLogger(__name__)

# Shown only when 500.html itself cannot be rendered (a broken template, a missing static
# manifest entry): a page with nothing that could fail in turn.
PLAIN_SERVER_ERROR = (
    "<!doctype html><html lang='en'><meta charset='utf-8'><title>Server error · HVSelect</title>"
    "<h1>Server error</h1><p>Something went wrong on our side. Please try again in a few "
    "minutes.</p><p lang='fr'>Une erreur s’est produite de notre côté. Réessayez dans "
    "quelques minutes.</p><p><a href='/'>HVSelect</a></p></html>"
)


def page_not_found(request, exception):
    """The 404 page; a recommendation link that is unknown or revoked says so. The language
    switcher points at this same address in each language (the switcher's `translate_url`
    cannot translate an address that matches nothing)."""
    match = request.resolver_match
    template = "404_share.html" if match and match.namespace == "share" else "404.html"
    language = translation.get_language_from_path(request.path_info)
    links = (
        [
            (code, re.sub(rf"^/{language}/", f"/{code}/", request.path_info))
            for code, _name in settings.LANGUAGES
        ]
        if language
        else []
    )
    return render(request, template, {"language_links": links}, status=404)


def server_error(request):
    """The 500 page, without context processors (the database or the session may be what
    failed), in the language of the address, else of the visitor's cookie or browser."""
    language = translation.get_language_from_request(request, check_path=True)
    try:
        with translation.override(language):
            html = loader.render_to_string("500.html")
    except Exception:  # the error page must never fail in turn
        logger.exception("The 500 page could not be rendered")
        html = PLAIN_SERVER_ERROR
    return HttpResponseServerError(html)


# Bodies Django reads as forms: anything but UTF-8 makes request.POST raise, and the error
# report's own reading of the body raised again (a bare 500, a long traceback logged).
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
READABLE_CHARSETS = {"utf-8", "utf8"}


class RefuseUnreadableBodies:
    """A form post in another charset than UTF-8 is a 400 at once, before anything reads
    the body; placed after the middleware that add the security headers, so it has them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type, parameters = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
        charset = parameters.get("charset", "utf-8").lower()
        if content_type in FORM_CONTENT_TYPES and charset not in READABLE_CHARSETS:
            return render(request, "400.html", status=400)
        return self.get_response(request)
