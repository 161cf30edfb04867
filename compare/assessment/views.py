import re

from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from formtools.wizard.views import SessionWizardView

from compare.assessment.estate import (
    HOSTS_KEY,
    describe_export,
    export_answers,
    export_still_applies,
)
from compare.assessment.forms import PrioritiesForm, RVToolsImportForm, StepForm
from compare.assessment.questionnaire import current_questionnaire, interpret
from compare.catalogue.snapshot import criterion_infos
from compare.models import Recommendation, Step
from compare.ratelimit import limit_posts
from compare.reports.models import TOKEN_PATTERN, new_token
from compare.reports.services import recommendation_create

QUESTION_STEPS = ["organisation", "workloads", "operations", "environment", "licensing"]
PRIORITIES = "priorities"
RESET_WEIGHTS = "reset_weights"
IMPORT_EXPORT = "import_export"
# Each run of the questionnaire (from step 1 to its recommendation) has an id, in every page's
# form: a second click on the last step lands on the recommendation it saved, and a post from
# a tab whose run another tab restarted is told so instead of mixing two questionnaires.
RUN_FIELD = "questionnaire_run"
# A step's answers as the session keeps them: the longest text answer is 100 characters, the
# longest multiple choice a dozen options.
MAX_ANSWER_CHARS = 200
MAX_ANSWER_VALUES = 50


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
        first_visit = request.session.session_key is None
        self.storage.reset()
        self.storage.current_step = self.steps.first
        token = request.GET.get("from")
        source = Recommendation.objects.live().with_token(token).first() if token else None
        extra = {"run": new_token()}
        if source:
            # "Change my answers": start again from a saved recommendation's answers, and
            # keep the weights its author set by hand.
            extra.update(prefill=source.answers, own_weights=self.own_weights(source))
        self.storage.extra_data = extra
        response = self.render(self.get_form()).render()
        if first_visit and not source:
            # Nothing to keep yet: a visitor without a session gets none until they answer
            # (every cookieless GET used to write a session row).
            request.session.modified = False
        return response

    def post(self, *args, **kwargs):
        posted_step = self.request.POST.get(f"{self.prefix}-current_step")
        if posted_step is not None and posted_step not in self.get_form_list():
            raise BadRequest("unknown questionnaire step")  # the 400 page, not a KeyError
        posted_run = self.request.POST.get(RUN_FIELD, "")
        current = self.storage.extra_data.get("run")
        if re.fullmatch(TOKEN_PATTERN, posted_run) and posted_run != current:
            # Not the run in progress: one that is over (a second click, the page sent
            # again), the first answer of a new one, or one another tab restarted. A run is
            # over only in a session that saw it through: a visitor's first answer, before
            # any session, needs no look.
            has_session = self.request.session.session_key is not None
            saved = has_session and Recommendation.objects.filter(run=posted_run).first()
            if saved:
                return redirect(saved)
            if current is not None:
                return self.render(self.get_form(), other_tab=True)
            # A first answer: the session starts with it (the first page wrote none).
            self.storage.extra_data = {**self.storage.extra_data, "run": posted_run}
        if self.request.POST.get(IMPORT_EXPORT) and self.steps.current == self.steps.first:
            return self.import_export()
        if self.request.POST.get(RESET_WEIGHTS) and self.steps.current == PRIORITIES:
            extra = self.storage.extra_data
            extra.pop("own_weights", None)
            self.storage.extra_data = extra
            return self.render(self.get_form())
        # Going back keeps what was typed on the step being left, valid or not.
        steps = self.get_form_list()
        leaving = self.request.POST.get(f"{self.prefix}-current_step")
        if self.request.POST.get("wizard_goto_step") in steps and leaving in steps:
            form = self.get_form(step=leaving, data=self.request.POST, files=self.request.FILES)
            self.storage.set_step_data(leaving, self.process_step(form))
        return super().post(*args, **kwargs)

    def import_export(self):
        """Fill the estate answers from an RVTools export, then show step 1 again with what
        was read; every filled answer stays editable."""
        form = RVToolsImportForm(
            self.request.POST,
            self.request.FILES,
            too_large=getattr(self.request, "upload_too_large", False),
        )
        if form.is_valid():
            summary = form.cleaned_data["summary"]
            extra = self.storage.extra_data
            extra["estate_import"] = summary.as_dict()
            extra["prefill"] = {**extra.get("prefill", {}), **export_answers(summary)}
            self.storage.extra_data = extra
            self.storage.set_step_data(self.steps.first, {})
            form = RVToolsImportForm()
        return self.render(self.get_form(), import_form=form)

    def get_form_step_data(self, form):
        """What the session keeps of a posted step: its own fields only, each value bounded.
        formtools keeps the whole body, junk keys included (six posts made an 11 MB row)."""
        kept = {}
        for name in form.fields:
            key = form.add_prefix(name)
            values = form.data.getlist(key)
            if values:
                kept[key] = [value[:MAX_ANSWER_CHARS] for value in values[:MAX_ANSWER_VALUES]]
        return kept

    def process_step_files(self, form):
        # No question takes a file (the export is read by import_export): a file posted to a
        # step is ignored, never stored.
        return {}

    def get_form_kwargs(self, step=None):
        if step == PRIORITIES:
            return {
                "criteria": self.criteria,
                "with_features": bool(self.interpretation.needs.units),
            }
        return {
            "questions": self.questions_of(step),
            "questionnaire": self.questionnaire,
            "earlier_answers": self.earlier_answers(step),
        }

    def questions_of(self, step):
        number = QUESTION_STEPS.index(step) + 1
        return [q for q in self.questionnaire if q.step == number]

    def earlier_answers(self, step) -> dict:
        """The stored answers of the steps before `step`, for its contradictions check."""
        answers = {}
        for earlier in QUESTION_STEPS[: QUESTION_STEPS.index(step)]:
            form = StepForm(
                self.storage.get_step_data(earlier),
                prefix=self.get_form_prefix(earlier, StepForm),
                questions=self.questions_of(earlier),
            )
            if form.is_bound and form.is_valid():
                answers.update(form.cleaned_data)
        return answers

    def get_form_initial(self, step):
        if step == PRIORITIES:
            return {**self.interpretation.computed_points, **self.kept_weights()}
        prefill = self.storage.extra_data.get("prefill", {})
        return {
            question.key: prefill.get(question.key, question.initial)
            for question in self.questions_of(step)
        }

    def answers(self) -> dict:
        answers = {}
        for step in QUESTION_STEPS:
            answers.update(self.get_cleaned_data_for_step(step) or {})
        return answers

    @cached_property
    def interpretation(self):
        # Read after the posted step is stored: the answers do not change afterwards.
        return interpret(self.questionnaire, self.answers(), self.default_points)

    @property
    def default_points(self) -> dict:
        return {c.key: c.default_weight for c in self.criteria}

    def own_weights(self, recommendation) -> dict:
        """The weights a saved recommendation's author changed: those that differ from what
        its answers give."""
        computed = interpret(
            self.questionnaire, recommendation.answers, self.default_points
        ).computed_points
        return {
            key: value
            for key, value in recommendation.weights.items()
            if key in computed and computed[key] != value
        }

    def kept_weights(self) -> dict:
        computed = self.interpretation.computed_points
        own = self.storage.extra_data.get("own_weights", {})
        return {key: value for key, value in own.items() if key in computed}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context["step_names"] = dict(zip(self.get_form_list(), STEP_TITLES, strict=True))
        context["run_field"] = RUN_FIELD
        context["run"] = self.storage.extra_data.get("run", "")
        if self.steps.current == self.steps.first:
            context.setdefault("import_form", RVToolsImportForm())
            context["import_button"] = IMPORT_EXPORT
            export = self.storage.extra_data.get("estate_import")
            context["estate_import"] = describe_export(export) if export else ""
        if self.steps.current == PRIORITIES:
            interpretation = self.interpretation
            context["priority_rows"] = [
                (form[key], interpretation.provenance.get(key, [])) for key in form.fields
            ]
            kept = self.kept_weights()
            context["kept_weights"] = [form[key] for key in form.fields if key in kept]
            context["reset_weights"] = RESET_WEIGHTS
            context["warnings"] = interpretation.warnings
        return context

    def done(self, form_list, form_dict, **kwargs):
        answers = self.answers()
        export = self.storage.extra_data.get("estate_import")
        if export and export_still_applies(export, answers):
            answers[HOSTS_KEY] = export["hosts"]  # each host as the export has it
        recommendation = recommendation_create(
            answers=answers,
            adjusted_points=form_dict[PRIORITIES].cleaned_data,
            estate_export=export,
            run=self.storage.extra_data.get("run"),
        )
        return redirect(recommendation)


STEP_TITLES = [*Step.labels, _("Priorities")]
