from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.generic import DetailView

from compare.catalogue.snapshot import version_of, with_catalogue_version
from compare.engine.scoring import FEATURES
from compare.models import Recommendation
from compare.ratelimit import limit_misses, limit_posts
from compare.reports.charts import cost_chart, radar
from compare.reports.narrative import COST_CANDIDATES
from compare.reports.services import InvalidAnswers, catalogue_changes, recommendation_create

SHARE_PAGE_CACHE_SECONDS = 24 * 60 * 60


@method_decorator(limit_misses("share_misses"), name="dispatch")
class RecommendationDetailView(DetailView):
    queryset = with_catalogue_version(Recommendation.objects.live())
    slug_field = slug_url_kwarg = "token"
    template_name = "compare/recommendation_detail.html"
    context_object_name = "recommendation"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        current = version_of(self.object.catalogue_changed_at)
        changed = self.object.catalogue_version != current
        # The page never changes (the row is frozen): render it once, serve it from the cache;
        # when the catalogue moved on, its notice depends on the catalogue's version too.
        state = current if changed else "frozen"
        language = self.reading_language()
        key = (
            f"share-page:{self.object.token}:{language}:{request.scheme}:{request.get_host()}:"
            f"{state}"
        )
        html = cache.get(key)
        if html is None:
            with translation.override(language):
                context = self.get_context_data(
                    object=self.object,
                    catalogue_changed=changed,
                    changes=catalogue_changes(self.object) if changed else None,
                )
                html = self.render_to_response(context).render().content
            cache.set(key, html, timeout=SHARE_PAGE_CACHE_SECONDS)
        response = HttpResponse(html)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def reading_language(self) -> str:
        """The language it was made in, unless the reader chose another it was written in."""
        chosen = self.request.GET.get("lang", "")
        return chosen if chosen in self.object.languages else self.object.language

    def get_context_data(self, **kwargs):
        report = self.object.report_in(translation.get_language())
        url = self.object.get_absolute_url()
        criteria = [c for c in report["criteria"] if c["key"] != FEATURES]
        costs = report.get("costs", [])
        ranked_costs = [item for item in costs if item["ranked"]]
        shown = ranked_costs[:COST_CANDIDATES]
        return super().get_context_data(
            report=report,
            radar=radar(criteria, report["ranking"][:3]) if report["ranking"] else None,
            shown_costs=shown,
            folded_costs=[item for item in costs if item not in shown],
            cost_chart=cost_chart(shown),
            share_url=self.request.build_absolute_uri(url),
            # The header's switcher: this page in the other languages it was written in.
            language_links=[
                (code, url if code == self.object.language else f"{url}?lang={code}")
                for code, _name in settings.LANGUAGES
                if code in self.object.languages
            ]
            if len(self.object.languages) > 1
            else [],
            **kwargs,
        )


@limit_misses("share_misses")
def recommendation_json(request, token):
    recommendation = get_object_or_404(Recommendation.objects.live(), token=token)
    export = recommendation.export(
        url=request.build_absolute_uri(recommendation.get_absolute_url())
    )
    response = JsonResponse(export, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@limit_misses("share_misses")
@limit_posts("questionnaire")
def recommendation_recompute(request, token):
    """Recompute with the same answers and weights: a new page; the old one stays."""
    recommendation = get_object_or_404(Recommendation.objects.live(), token=token)
    problems = []
    if request.method == "POST":
        try:
            with translation.override(recommendation.language):
                fresh = recommendation_create(
                    answers=recommendation.answers, adjusted_points=recommendation.weights
                )
        except InvalidAnswers as error:
            # The questionnaire changed since: some old answers no longer exist.
            problems = error.messages
        else:
            return redirect(fresh)
    return render(
        request,
        "compare/recommendation_recompute.html",
        {"recommendation": recommendation, "problems": problems},
        status=400 if problems else 200,
    )
