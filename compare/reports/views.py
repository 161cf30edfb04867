from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from compare.catalogue.snapshot import version_of, with_catalogue_version
from compare.engine.scoring import FEATURES
from compare.models import Recommendation
from compare.ratelimit import (
    WINDOW_SECONDS,
    limit_misses,
    limit_posts,
    limit_requests,
    too_many_requests,
)
from compare.reports import what_if
from compare.reports.charts import cost_chart, radar, sensitivity_chart
from compare.reports.narrative import COST_CANDIDATES
from compare.reports.pdf import render_pdf, unavailable_reason
from compare.reports.services import (
    AnswerError,
    InvalidAnswers,
    catalogue_changes,
    recommendation_create,
)
from compare.reports.spreadsheet import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    About,
    ranking_csv,
    workbook,
)

SHARE_PAGE_CACHE_SECONDS = 24 * 60 * 60
# Where the cached share page takes its own absolute address (private-use characters, which
# no text of the page contains).
SHARE_URL_MARK = "\ue000share-url\ue000"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@method_decorator(limit_misses("share_misses"), name="dispatch")
class RecommendationDetailView(DetailView):
    queryset = with_catalogue_version(Recommendation.objects.live())
    slug_field = slug_url_kwarg = "token"
    template_name = "compare/recommendation_detail.html"
    context_object_name = "recommendation"

    def get(self, request, *args, **kwargs):
        # What picks the cached page, without the report's columns: hundreds of kilobytes of
        # JSON to read and decode, on every request, for a page already rendered.
        found = self.get_object(self.get_queryset().only("token", "catalogue_version"))
        current = version_of(found.catalogue_changed_at)
        changed = found.catalogue_version != current
        # The page never changes (the row is frozen): render it once, serve it from the cache;
        # when the catalogue moved on, its notice depends on the catalogue's version too.
        state = current if changed else "frozen"
        asked = request.GET.get("lang", "")
        asked = asked if asked in LANGUAGE_CODES else ""  # any other ?lang= asks for none
        # One entry per link, language asked and state, whatever the Host header says: the
        # page's own address is written in at each request.
        key = f"share-page:{found.token}:{asked}:{state}"
        html = self.kept_page(key, lambda: self.share_page_html(asked, changed))
        address = escape(request.build_absolute_uri(found.get_absolute_url()))
        response = HttpResponse(html.replace(SHARE_URL_MARK.encode(), address.encode()))
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    @staticmethod
    def kept_page(key: str, render) -> bytes:
        """From this process's memory, else from the shared cache, else `render()`d once."""
        html = caches["pages"].get(key)
        if html is None:
            html = cache.get(key)
            if html is None:
                html = render()
                cache.set(key, html, timeout=SHARE_PAGE_CACHE_SECONDS)
            caches["pages"].set(key, html, timeout=SHARE_PAGE_CACHE_SECONDS)
        return html

    def page_html(self, language: str, changed: bool, **extra) -> bytes:
        with translation.override(language):
            context = self.get_context_data(
                object=self.object,
                catalogue_changed=changed,
                changes=catalogue_changes(self.object) if changed else None,
                **extra,
            )
            return self.render_to_response(context).render().content

    def share_page_html(self, asked: str, changed: bool) -> bytes:
        self.object = self.get_object()  # the whole row, report included
        language = self.object.reading_language(asked)
        return self.page_html(language, changed, share_url=SHARE_URL_MARK)

    def get_context_data(self, share_url=None, **kwargs):
        report = self.object.report_in(translation.get_language())
        url = self.object.get_absolute_url()
        reading = translation.get_language()
        reading_lang = "" if reading == self.object.language else reading
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
            # Reports saved before the charts have the flip points as text only.
            sensitivity_charts=[
                {"criterion": criterion, "chart": sensitivity_chart(criterion["sensitivity"])}
                for criterion in report["criteria"]
                if criterion.get("sensitivity")
            ],
            # Reports saved before grouping list each product on its own.
            ruled_out=report.get("ruled_out")
            or [{"summary": "", "items": [item]} for item in report["eliminated"]],
            share_url=share_url or self.request.build_absolute_uri(url),
            pdf_unavailable=unavailable_reason(),
            what_if_form=what_if.WhatIfForm({}, recommendation=self.object, report=report)
            if what_if.available(self.object)
            else None,
            # The what-if and the downloads in the language being read.
            reading_lang=reading_lang,
            reading_query=f"?lang={reading_lang}" if reading_lang else "",
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
def recommendation_xlsx(request, token):
    return download(
        request, token, build=workbook, extension="xlsx", content_type=XLSX_CONTENT_TYPE
    )


@limit_misses("share_misses")
def recommendation_csv(request, token):
    return download(
        request, token, build=ranking_csv, extension="csv", content_type=CSV_CONTENT_TYPE
    )


def download(request, token, *, build, extension: str, content_type: str) -> HttpResponse:
    """A file made from the frozen report, in the reading language (?lang= as on the page):
    built once per language and address, then served from the cache."""
    recommendation = get_object_or_404(Recommendation.objects.live(), token=token)
    language = recommendation.reading_language(request.GET.get("lang", ""))
    # The file names its page's address: one entry per scheme and host name, any port.
    host, _port = split_domain_port(request.get_host())
    key = f"share-download:{extension}:{recommendation.token}:{language}:{request.scheme}:{host}"
    url = recommendation.get_absolute_url()
    if language != recommendation.language:
        url += f"?lang={language}"
    about = About.of(recommendation, url=request.build_absolute_uri(url))
    content = cache.get(key)
    if content is None:
        with translation.override(language):
            content = build(recommendation.report_in(language), about)
        cache.set(key, content, timeout=SHARE_PAGE_CACHE_SECONDS)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=recommendation.download_name(extension)
    )
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


class RecommendationPdfView(RecommendationDetailView):
    """The page as an A4 PDF, in its reading language: rendered once, then from the cache
    (the snapshot is frozen; the catalogue-changed notice is not printed)."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        language = self.object.reading_language(request.GET.get("lang", ""))
        if reason := unavailable_reason():
            response = render(
                request,
                "compare/pdf_unavailable.html",
                {"reason": reason, "recommendation": self.object},
            )
            response.status_code = 503
            return response
        key = f"share-pdf:{self.object.token}:{language}"
        pdf = cache.get(key)
        if pdf is None:
            html = self.page_html(language, changed=False, pdf=True).decode()
            pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
            cache.set(key, pdf, timeout=SHARE_PAGE_CACHE_SECONDS)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.object.download_name("pdf")}"'
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def _what_if_refused(request):
    if not _wants_json(request):
        return too_many_requests(request)
    message = _("Too many requests: please wait %(seconds)s seconds and try again.")
    return JsonResponse(
        {"errors": [{"field": None, "message": message % {"seconds": WINDOW_SECONDS}}]},
        status=429,
        headers={"Retry-After": str(WINDOW_SECONDS)},
        json_dumps_params={"ensure_ascii": False},
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@limit_misses("share_misses")
@limit_requests("what_if", refuse=_what_if_refused)
def recommendation_what_if(request, token):
    """The saved recommendation recomputed with other weights or requirements, from its own
    frozen inputs: a page, the result alone for the panel (htmx), or JSON."""
    recommendation = get_object_or_404(
        with_catalogue_version(Recommendation.objects.live()), token=token
    )
    language = recommendation.reading_language(request.GET.get("lang", ""))
    with translation.override(language):
        report = recommendation.report_in(language)
        if not what_if.available(recommendation):
            return _what_if_problem(
                request,
                recommendation,
                [
                    _(
                        "This recommendation was saved before the what-if existed: recompute it "
                        "with the same answers, then try other weights on the new page."
                    )
                ],
                status=409,
            )
        form = what_if.WhatIfForm(request.GET, recommendation=recommendation, report=report)
        if not form.is_valid():
            return _what_if_problem(request, recommendation, form.problems, form=form, status=400)
        result, account = what_if.what_if_result(recommendation, report, form.points, form.needs)
        if _wants_json(request):
            response = JsonResponse(
                what_if.as_json(result, account, form.points, form.needs),
                json_dumps_params={"ensure_ascii": False},
            )
        else:
            partial = request.headers.get("HX-Request") == "true"
            response = render(
                request,
                "compare/includes/_what_if_result.html"
                if partial
                else "compare/recommendation_what_if.html",
                _what_if_context(recommendation, report, form, account, language),
            )
    response["Vary"] = "Accept, HX-Request"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
@limit_misses("share_misses")
@limit_posts("questionnaire")
def recommendation_what_if_save(request, token):
    """Save the what-if as a new recommendation (today's catalogue); the original stays."""
    recommendation = get_object_or_404(Recommendation.objects.live(), token=token)
    language = recommendation.reading_language(request.GET.get("lang", ""))
    with translation.override(language):
        if not what_if.available(recommendation):
            return redirect(recommendation)
        report = recommendation.report_in(language)
        form = what_if.WhatIfForm(request.POST, recommendation=recommendation, report=report)
        if not form.is_valid():
            return _what_if_problem(request, recommendation, form.problems, form=form, status=400)
        try:
            fresh = what_if.save_as_new(recommendation, form.points, form.needs)
        except InvalidAnswers as error:
            # The questionnaire changed since: some old answers no longer exist.
            return _what_if_problem(request, recommendation, error.messages, form=form, status=400)
    return redirect(fresh)


def _what_if_context(recommendation, report, form, account, language) -> dict:
    lang = "" if language == recommendation.language else language
    values = form.values()
    return {
        "recommendation": recommendation,
        "report": report,
        "form": form,
        "account": account,
        "lang": lang,
        "link_query": urlencode([*values, *([("lang", lang)] if lang else [])]),
        "hidden_values": values,
        "catalogue_moved": recommendation.catalogue_version
        != version_of(recommendation.catalogue_changed_at),
    }


def _what_if_problem(request, recommendation, messages, *, status, form=None):
    if _wants_json(request):
        problems = [
            message if isinstance(message, AnswerError) else AnswerError(None, str(message))
            for message in messages
        ]
        return JsonResponse(
            {"errors": [{"field": p.field, "message": p.message} for p in problems]},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "compare/recommendation_what_if.html",
        {
            "recommendation": recommendation,
            "report": recommendation.report_in(translation.get_language()),
            "form": form,
            "problems": [str(message) for message in messages],
        },
        status=status,
    )
