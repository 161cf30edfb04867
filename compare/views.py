"""Site-wide pages: the methodology, the health check, the favicon and the load test's
baseline."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import formats
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import TemplateView

from compare.catalogue.pages import rendered_once_per_catalogue
from compare.catalogue.snapshot import criterion_infos
from compare.engine.robustness import CONCENTRATION, SAMPLES
from compare.engine.scoring import CLOSE_CALL_GAP, ENGINE_VERSION
from compare.models import Criterion


@never_cache
def healthz(request):
    """The database and the cache. Without the database nothing works (503); without Redis the
    site serves from each worker's memory, "degraded" (200: keep the server in rotation)."""
    cache_state = cache_health()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse(
            {"status": "error", "database": "unreachable", "cache": cache_state}, status=503
        )
    status = "ok" if cache_state == "ok" else "degraded"
    return JsonResponse({"status": status, "database": "ok", "cache": cache_state})


def cache_health() -> str:
    try:
        cache.get("healthz")  # tries Redis again, unless it failed a moment ago
    except Exception:  # noqa: BLE001 - any cache failure is a state to report, not a 500
        return "unreachable"
    if getattr(cache, "reachable", True):
        return "ok"
    return "unreachable: serving from each worker's memory"


@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page links: send them to
    the icon (a temporary redirect, since its static name changes with its content)."""
    return redirect(static("img/favicon-32.png"))


@method_decorator(rendered_once_per_catalogue(), name="dispatch")
class MethodologyView(TemplateView):
    template_name = "compare/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            criteria=criterion_infos(),
            close_call_gap=round(100 * CLOSE_CALL_GAP),
            samples=formats.number_format(SAMPLES, force_grouping=True),
            concentration=CONCENTRATION,
            engine_version=ENGINE_VERSION,
            **kwargs,
        )


def benchmark_baseline(request):
    """One query and a small template: the stack's own limit, for `make loadtest` to compare
    the real pages with. Off (404) unless HVSELECT_BENCHMARK_VIEW is set."""
    if not settings.BENCHMARK_VIEW:
        raise Http404
    names = list(Criterion.objects.values_list("name", flat=True))
    return render(request, "compare/benchmark_baseline.html", {"names": names})
