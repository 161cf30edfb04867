"""Per-client request limits: fixed one-minute windows, counted where every app server sees
them. With Redis, in a cache of its own (the `ratelimit` alias: culling the pages never
deletes a counter) by its atomic increment; without, in a table of the database, one
statement a request (RateCounter). django-ratelimit refuses the database cache outright (its
system check is an error), and costs a dozen queries a request there, hence these lines.
"""

import ipaddress
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection, models
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


class RateCounterQuerySet(models.QuerySet):
    def hit(self, key: str, window: int) -> int:
        """Count one request under `key` in `window`; return its count there.

        One statement: the row's lock makes the count exact when requests come at once, and
        the same statement deletes the counters of earlier windows, so the table holds
        about one row per client of the last minute. It skips the rows another request is
        deleting or counting: no request waits on another's clean-up, none deadlocks.
        """
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH stale AS (
                    DELETE FROM {table} WHERE key IN (
                        SELECT key FROM {table} WHERE time_window < %(window)s AND key <> %(key)s
                        FOR UPDATE SKIP LOCKED
                    )
                )
                INSERT INTO {table} AS counter (key, time_window, hits)
                VALUES (%(key)s, %(window)s, 1)
                ON CONFLICT (key) DO UPDATE SET
                    hits = CASE WHEN counter.time_window = EXCLUDED.time_window
                        THEN counter.hits + 1 ELSE 1 END,
                    time_window = EXCLUDED.time_window
                RETURNING hits
                """,  # noqa: S608 - the table's name, not input
                {"key": key, "window": window},
            )
            [hits] = cursor.fetchone()
        return hits


class RateCounter(models.Model):
    """A client's requests in one scope and one window, when the limits count in the
    database (no Redis)."""

    key = models.CharField(primary_key=True, max_length=200)  # scope:address
    time_window = models.BigIntegerField(db_index=True)  # minutes since the epoch
    hits = models.PositiveIntegerField()

    objects = RateCounterQuerySet.as_manager()

    def __str__(self):
        return f"{self.key}: {self.hits}"


def count(scope: str, request) -> int:
    """Count one request of this client in this scope; return the count in this window."""
    key = f"{scope}:{client_address(request) or 'unknown'}"
    window = current_window()
    if "ratelimit" not in settings.CACHES:
        return RateCounter.objects.hit(key, window)
    counters = caches["ratelimit"]
    key = f"ratelimit:{key}:{window}"
    counters.add(key, 0, timeout=WINDOW_SECONDS + 1)
    try:
        return counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.set(key, 1, timeout=WINDOW_SECONDS + 1)
        return 1


def clear_counters() -> None:
    """Forget every count: each test starts from none."""
    if "ratelimit" in settings.CACHES:
        caches["ratelimit"].clear()
    RateCounter.objects.all().delete()


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
