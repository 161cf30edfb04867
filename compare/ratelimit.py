"""Per-client request limits, counted in a shared cache of their own (Redis or the database).

Fixed one-minute windows: the first request of a window creates the counter, each request
adds one. With Redis the increment is atomic; with the database cache two simultaneous
requests may count as one, which only ever lets a little more through.
django-ratelimit refuses the database cache outright (its system check is an error), hence
these few lines.
"""

import ipaddress
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.http import Http404
from django.shortcuts import render

WINDOW_SECONDS = 60


def client_address(request) -> str | None:
    """The client's address, for the rate limits and the admin's login lockout alike.

    Behind proxies (HVSELECT_CLIENT_IP_HEADER set), each proxy appends the address it got the
    request from to X-Forwarded-For: the right-most HVSELECT_TRUSTED_PROXIES entries are our
    own proxies' writing, and the one they name first is the client. Entries further left
    come from the client itself and are never trusted. A value that is not an address (a
    misconfigured proxy, or none) falls back to the connection's address."""
    header = settings.CLIENT_IP_HEADER
    entries = [e.strip() for e in request.META.get(header, "").split(",")] if header else []
    entries = [entry for entry in entries if entry]
    if entries:
        candidate = entries[max(len(entries) - settings.TRUSTED_PROXIES, 0)]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None  # None: a request made in code (a login)


def current_window() -> int:
    return int(time.time() // WINDOW_SECONDS)


def _key(scope: str, request) -> str:
    return f"ratelimit:{scope}:{client_address(request) or 'unknown'}:{current_window()}"


def count(scope: str, request) -> int:
    """Count one request of this client in this scope; return the count in this window."""
    counters = caches["ratelimit"]
    key = _key(scope, request)
    counters.add(key, 0, timeout=WINDOW_SECONDS + 1)
    try:
        return counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.set(key, 1, timeout=WINDOW_SECONDS + 1)
        return 1


def too_many_requests(request):
    response = render(request, "429.html", {"retry_after": WINDOW_SECONDS}, status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def limit_requests(scope: str, *, methods=None, refuse=too_many_requests):
    """Refuse a client's requests (those of `methods`, all by default) past the scope's limit
    per minute, with a 429 page (or what `refuse(request)` answers: the API's is JSON)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = settings.RATE_LIMITS.get(scope)
            counted = methods is None or request.method in methods
            if counted and limit and count(scope, request) > limit:
                return refuse(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def limit_posts(scope: str, *, refuse=too_many_requests):
    """Refuse a client's POSTs past the scope's limit per minute."""
    return limit_requests(scope, methods={"POST"}, refuse=refuse)


def limit_misses(scope: str, *, refuse=too_many_requests):
    """Count a client's 404s in the scope, raised or answered (the API answers its own); past
    the limit, its misses answer 429. A link that exists always answers: guessing stays
    pointless, and a stranger sharing an address with a guesser (behind a proxy without the
    client's address, a company's NAT) still reads the links they were given."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = settings.RATE_LIMITS.get(scope)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                if limit and count(scope, request) > limit:
                    return refuse(request)
                raise
            if response.status_code == 404 and limit and count(scope, request) > limit:
                return refuse(request)
            return response

        return wrapped

    return decorator


def login_username(request, credentials) -> str | None:
    """The username django-axes records for a sign-in attempt, cut to the longest a user can
    have: a 300-character one no longer breaks its 255-character column (a 500)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = request.POST.get("username") if request is not None else None
    if not isinstance(username, str):
        return None
    return username[: User.username.field.max_length]
