from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView
from formtools.wizard.views import SessionWizardView

from compare.catalogue import criterion_infos, version_of, with_catalogue_version
from compare.charts import radar
from compare.comparison import build_comparison
from compare.forms import CompareForm, HypervisorFilterForm, PrioritiesForm, StepForm
from compare.models import Criterion, Hypervisor, HypervisorType, Recommendation, Step
from compare.questionnaire import current_questionnaire, interpret
from compare.ratelimit import limit_misses, limit_posts
from compare.recommendations import InvalidAnswers, recommendation_create
from compare.scoring import CLOSE_CALL_GAP, ENGINE_VERSION, FEATURES


class HomeView(TemplateView):
    template_name = "compare/home.html"

    def get_context_data(self, **kwargs):
        counts = Hypervisor.objects.type_counts()
        return super().get_context_data(
            type1_count=counts.get(HypervisorType.BARE_METAL, 0),
            type2_count=counts.get(HypervisorType.HOSTED, 0),
            **kwargs,
        )


class HypervisorListView(ListView):
    template_name = "compare/hypervisor_list.html"
    context_object_name = "hypervisors"

    def get_queryset(self):
        self.filter_form = HypervisorFilterForm(self.request.GET or None)
        self.filter_form.is_valid()
        return self.filter_form.filter(Hypervisor.objects.for_catalogue())

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class HypervisorDetailView(DetailView):
    template_name = "compare/hypervisor_detail.html"
    context_object_name = "hypervisor"

    def get_queryset(self):
        return Hypervisor.objects.with_ratings_and_support()

    def get_context_data(self, **kwargs):
        return super().get_context_data(comparison=build_comparison([self.object]), **kwargs)


def compare(request):
    form = CompareForm(request.GET or None)
    comparison = None
    if form.is_valid():
        chosen = form.cleaned_data["h"]
        hypervisors = Hypervisor.objects.with_ratings_and_support().in_order_of(
            [hypervisor.slug for hypervisor in chosen]
        )
        comparison = build_comparison(hypervisors)
    return render(request, "compare/compare.html", {"form": form, "comparison": comparison})


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# The questionnaire -------------------------------------------------------------------------

SHARE_PAGE_CACHE_SECONDS = 24 * 60 * 60

QUESTION_STEPS = ["organisation", "workloads", "operations", "environment", "licensing"]
PRIORITIES = "priorities"


@method_decorator(limit_posts("questionnaire"), name="dispatch")
class AssessmentWizard(SessionWizardView):
    """The needs questionnaire: five steps of questions, then the priorities (weights).

    formtools keeps each step's data in the session and validates every step again before
    `done`, so posting a later step without valid earlier ones never produces a result.
    """

    form_list = [(name, StepForm) for name in QUESTION_STEPS] + [(PRIORITIES, PrioritiesForm)]
    template_name = "compare/assess.html"

    @cached_property
    def questionnaire(self):
        return current_questionnaire()

    @cached_property
    def criteria(self):
        return tuple(criterion_infos())

    def get(self, request, *args, **kwargs):
        self.storage.reset()
        self.storage.current_step = self.steps.first
        token = request.GET.get("from")
        source = Recommendation.objects.live().filter(token=token).first() if token else None
        if source:
            # "Change my answers": start again from a saved recommendation's answers.
            self.storage.extra_data = {"prefill": source.answers}
        return self.render(self.get_form())

    def post(self, *args, **kwargs):
        # Going back keeps what was typed on the step being left, valid or not.
        steps = self.get_form_list()
        leaving = self.request.POST.get(f"{self.prefix}-current_step")
        if self.request.POST.get("wizard_goto_step") in steps and leaving in steps:
            form = self.get_form(step=leaving, data=self.request.POST, files=self.request.FILES)
            self.storage.set_step_data(leaving, self.process_step(form))
        return super().post(*args, **kwargs)

    def get_form_kwargs(self, step=None):
        if step == PRIORITIES:
            return {"criteria": self.criteria}
        number = QUESTION_STEPS.index(step) + 1
        return {"questions": [q for q in self.questionnaire if q.step == number]}

    def get_form_initial(self, step):
        if step == PRIORITIES:
            return self.interpretation().computed_points
        prefill = self.storage.extra_data.get("prefill", {})
        return {
            question.key: prefill.get(question.key, question.initial)
            for question in self.get_form_kwargs(step)["questions"]
        }

    def answers(self) -> dict:
        answers = {}
        for step in QUESTION_STEPS:
            answers.update(self.get_cleaned_data_for_step(step) or {})
        return answers

    def interpretation(self):
        default_points = {c.key: c.default_weight for c in self.criteria}
        return interpret(self.questionnaire, self.answers(), default_points)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context["step_names"] = dict(zip(self.get_form_list(), STEP_TITLES, strict=True))
        if self.steps.current == PRIORITIES:
            interpretation = self.interpretation()
            context["priority_rows"] = [
                (form[key], interpretation.provenance.get(key, [])) for key in form.fields
            ]
            context["warnings"] = interpretation.warnings
        return context

    def done(self, form_list, form_dict, **kwargs):
        recommendation = recommendation_create(
            answers=self.answers(), adjusted_points=form_dict[PRIORITIES].cleaned_data
        )
        return redirect(recommendation)


STEP_TITLES = [*Step.labels, _("Priorities")]


# Saved recommendations -------------------------------------------------------------------


@method_decorator(limit_misses("share_misses"), name="dispatch")
class RecommendationDetailView(DetailView):
    queryset = with_catalogue_version(Recommendation.objects.live())
    slug_field = slug_url_kwarg = "token"
    template_name = "compare/recommendation_detail.html"
    context_object_name = "recommendation"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        changed = self.object.catalogue_version != version_of(self.object.catalogue_changed_at)
        # The page never changes (the row is frozen): render it once, serve it from the cache.
        key = f"share-page:{self.object.token}:{request.scheme}:{request.get_host()}:{changed}"
        html = cache.get(key)
        if html is None:
            # It reads in the language the recommendation was made in.
            with translation.override(self.object.language):
                context = self.get_context_data(object=self.object, catalogue_changed=changed)
                html = self.render_to_response(context).render().content
            cache.set(key, html, timeout=SHARE_PAGE_CACHE_SECONDS)
        response = HttpResponse(html)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        report = self.object.result
        criteria = [c for c in report["criteria"] if c["key"] != FEATURES]
        return super().get_context_data(
            report=report,
            radar=radar(criteria, report["ranking"][:3]) if report["ranking"] else None,
            share_url=self.request.build_absolute_uri(self.object.get_absolute_url()),
            **kwargs,
        )


@limit_misses("share_misses")
def recommendation_json(request, token):
    recommendation = get_object_or_404(Recommendation.objects.live(), token=token)
    export = {
        "url": request.build_absolute_uri(recommendation.get_absolute_url()),
        "created_at": recommendation.created_at.isoformat(),
        "language": recommendation.language,
        "engine_version": recommendation.engine_version,
        "catalogue_version": recommendation.catalogue_version,
        "answers": recommendation.answers,
        "weights": recommendation.weights,
        "result": recommendation.result,
    }
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
            problems = error.errors
        else:
            return redirect(fresh)
    return render(
        request,
        "compare/recommendation_recompute.html",
        {"recommendation": recommendation, "problems": problems},
        status=400 if problems else 200,
    )


class MethodologyView(TemplateView):
    template_name = "compare/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            criteria=criterion_infos(),
            close_call_gap=round(100 * CLOSE_CALL_GAP),
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
