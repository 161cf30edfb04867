"""From answers to a recommendation: validate with the questionnaire's forms, interpret the
answers, score the catalogue snapshot. Used by the browser flow and the `recommend` command."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from compare.assessment.estate import HOSTS_KEY, clean_hosts, estate_from
from compare.assessment.forms import PrioritiesForm, StepForm
from compare.assessment.questionnaire import (
    Interpretation,
    QuestionData,
    current_questionnaire,
    interpret,
    requirement_gates,
)
from compare.catalogue.snapshot import CatalogueSnapshot, catalogue_version, current_snapshot
from compare.engine import robustness as monte_carlo
from compare.engine.costs import Cost, Estate, Rate
from compare.engine.inputs import EngineInputs, estimate_costs, priced
from compare.engine.inputs import to_json as inputs_json
from compare.engine.scoring import FEATURES, Result, recommend
from compare.models import Hypervisor, Offer, Rating, Recommendation, Step, Support
from compare.reports.narrative import build_report

WEIGHTS_KEY = "weights"


@dataclass(frozen=True)
class AnswerError:
    """One problem with the answers: the key it is about (a question, `hosts`, `weights` or
    `weights.<criterion>`; None for the answers as a whole) and the sentence that explains it,
    naming the step and the question as a person reads them."""

    field: str | None
    message: str

    def __str__(self):
        return self.message


class InvalidAnswers(ValueError):
    """The answers do not pass the questionnaire's validation; `errors` says where and why."""

    def __init__(self, errors: list[AnswerError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors

    @property
    def messages(self) -> list[str]:
        return [error.message for error in self.errors]


@dataclass(frozen=True)
class Decision:
    answers: dict
    interpretation: Interpretation
    result: Result
    estate: Estate | None = None
    costs: dict[str, Cost] = field(default_factory=dict)
    inputs: EngineInputs | None = None  # what the engine was given, kept for the what-if

    @cached_property
    def robustness(self) -> monte_carlo.Robustness | None:
        """Computed when read: the share page's changed-catalogue check never needs it."""
        return monte_carlo.robustness(self.result.ranking, self.result.weights)


def split_weights(document: Mapping) -> tuple[dict, object]:
    """An answers document (the `recommend` command's file, the API's body): the answers,
    and the user's own weights under "weights" (validated with the answers)."""
    answers = {key: value for key, value in document.items() if key != WEIGHTS_KEY}
    return answers, document.get(WEIGHTS_KEY) or {}


def validate_answers(questionnaire: tuple[QuestionData, ...], answers: Mapping) -> dict:
    """The cleaned answers of every step, or InvalidAnswers listing every problem.

    A question left out takes its default answer, as the questionnaire shows it: answers
    written before a question existed still mean what they meant."""
    if not isinstance(answers, Mapping):
        raise InvalidAnswers(
            [AnswerError(None, _("The answers must be an object of question keys and answers."))]
        )
    known = {question.key for question in questionnaire} | {WEIGHTS_KEY, HOSTS_KEY}
    errors = [
        AnswerError(key, _("Unknown question “%(key)s”.") % {"key": key})
        for key in answers
        if key not in known
    ]
    hosts = []
    if HOSTS_KEY in answers:
        hosts, host_errors = clean_hosts(answers[HOSTS_KEY])
        errors += [AnswerError(HOSTS_KEY, message) for message in host_errors]
        # The list is the estate: its totals answer the questions it replaces.
        answers = {
            **answers,
            "host_count": sum(h["count"] for h in hosts) or answers.get("host_count"),
            "windows_vms": sum(h["count"] * h["windows_vms"] for h in hosts),
        }
    cleaned = {}
    for step in Step:
        questions = [q for q in questionnaire if q.step == step]
        form = StepForm(
            {q.key: answers.get(q.key, q.initial) for q in questions},
            questions=questions,
            questionnaire=questionnaire,
            earlier_answers=cleaned,
        )
        if form.is_valid():
            cleaned.update(form.cleaned_data)
        else:
            errors += _form_errors(form, step.label)
    if errors:
        raise InvalidAnswers(errors)
    if hosts:
        cleaned[HOSTS_KEY] = hosts
        for key in ("sockets_per_host", "cores_per_socket"):
            cleaned.pop(key, None)  # each host says its own
    return cleaned


def validate_points(catalogue: CatalogueSnapshot, computed: Mapping, adjusted: Mapping) -> dict:
    """The weights: those the answers set, replaced by the user's own (0-5), criteria and the
    requested features alike."""
    if not isinstance(adjusted, Mapping):
        raise InvalidAnswers(
            [
                AnswerError(
                    WEIGHTS_KEY, _("“weights” must be an object of criterion keys and 0-5 values.")
                )
            ]
        )
    known = {criterion.key for criterion in catalogue.criteria} | {FEATURES}
    errors = [
        AnswerError(
            f"{WEIGHTS_KEY}.{key}", _("Unknown criterion “%(key)s” in the weights.") % {"key": key}
        )
        for key in adjusted
        if key not in known
    ]
    form = PrioritiesForm({**computed, **adjusted}, criteria=catalogue.criteria, with_features=True)
    if not form.is_valid():
        errors += _form_errors(form, _("Priorities"), prefix=f"{WEIGHTS_KEY}.")
    if errors:
        raise InvalidAnswers(errors)
    return form.cleaned_data


def decide(
    answers: Mapping,
    *,
    questionnaire: tuple[QuestionData, ...],
    catalogue: CatalogueSnapshot,
    adjusted_points: Mapping | None = None,
) -> Decision:
    try:
        cleaned = validate_answers(questionnaire, answers)
    except InvalidAnswers as invalid:
        # The weights' own problems too (against the default weights), so that one reply
        # lists every problem.
        try:
            validate_points(catalogue, catalogue.default_points, adjusted_points or {})
        except InvalidAnswers as also:
            raise InvalidAnswers(invalid.errors + also.errors) from None
        raise
    computed = interpret(questionnaire, cleaned, catalogue.default_points).computed_points
    points = validate_points(catalogue, computed, adjusted_points or {})
    interpretation = interpret(
        questionnaire, cleaned, catalogue.default_points, points, services=catalogue.services
    )
    estate = estate_from(cleaned, owned_licences=interpretation.needs.owned_licences)
    rate = catalogue.rate or Rate(None)
    costs = estimate_costs(
        catalogue.candidates, catalogue.offers, estate, rate, interpretation.needs
    )
    interpretation.needs = priced(interpretation.needs, costs, estate, rate)
    inputs = EngineInputs(
        candidates=catalogue.candidates,
        needs=interpretation.needs,
        estate=estate,
        offers=catalogue.offers,
        rate=rate,
        must_gates=requirement_gates(questionnaire, interpretation.needs.units),
    )
    result = recommend(list(catalogue.candidates), interpretation.needs)
    return Decision(cleaned, interpretation, result, estate, costs, inputs)


def _form_errors(form, where, *, prefix: str = "") -> list[AnswerError]:
    """A form's errors, each with the key of its field (`prefix` + the field's name). An
    error of the form as a whole is about the question that raised it (a contradiction
    names it), or else, for the weights, about all of them."""
    errors = []
    for name, field_errors in form.errors.as_data().items():
        for error in field_errors:
            if name == NON_FIELD_ERRORS:
                field = getattr(error, "question", None) or prefix.rstrip(".") or None
                where_exactly = where
            else:
                field = prefix + name
                where_exactly = f"{where}, {form.fields[name].label}"
            errors += [
                AnswerError(
                    field,
                    # Translators: a place in the questionnaire, then what is wrong there.
                    _("%(where)s: %(message)s") % {"where": where_exactly, "message": text},
                )
                for text in error.messages
            ]
    return errors


@transaction.atomic
def recommendation_create(
    *,
    answers: Mapping,
    adjusted_points: Mapping | None = None,
    estate_export: dict | None = None,
    run: str | None = None,
) -> Recommendation:
    """Validate, score and save a recommendation, in one transaction: made in the active
    language, and written in every language of the site so that it reads in any of them.
    `estate_export` is an RVTools export's summary (aggregates only), for the report; `run`
    the questionnaire run saving it: a run saved already gives its recommendation back."""
    version = catalogue_version()
    made_in = get_language()
    reports, decisions = {}, {}
    # The language it is made in first: its invalid answers are explained in that language.
    for code in [made_in, *(code for code, _name in settings.LANGUAGES if code != made_in)]:
        with translation.override(code):
            questionnaire, catalogue = current_questionnaire(version), current_snapshot(version)
            decisions[code] = decide(
                answers,
                questionnaire=questionnaire,
                catalogue=catalogue,
                adjusted_points=adjusted_points,
            )
            if code != made_in:
                # The same answers on the same catalogue rank alike in every language: the
                # Monte Carlo (a quarter of a second for 50 products) runs once, not per
                # language. Its cached value is the decision's own.
                decisions[code].__dict__["robustness"] = decisions[made_in].robustness
            reports[code] = build_report(
                decisions[code], catalogue, questionnaire, estate_export=estate_export
            )
    decision = decisions[made_in]
    fields = {
        "language": made_in,
        "company_name": decision.answers.get("company_name", ""),
        "answers": decision.answers,
        "weights": dict(decision.result.points),
        "result": reports.pop(made_in),
        "translations": reports,
        "engine_version": decision.result.engine_version,
        "catalogue_version": version,
        "inputs": inputs_json(decision.inputs),
        "run": run or "",
    }
    try:
        with transaction.atomic():
            return Recommendation.objects.create(**fields)
    except IntegrityError:
        # Two clicks at once: the other one saved this run first.
        existing = Recommendation.objects.filter(run=run).first() if run else None
        if existing is None:
            raise
        return existing


def catalogue_changes(recommendation: Recommendation) -> dict:
    """What changed since a recommendation was made: the products it names whose facts were
    edited since, and whether recomputing its answers would change the winner (nothing is
    saved)."""
    report = recommendation.result
    named = {item["slug"] for item in (*report["ranking"], *report["eliminated"])}
    edited = set(
        Hypervisor.history.filter(history_date__gt=recommendation.created_at).values_list(
            "id", flat=True
        )
    )
    for model in (Rating, Support, Offer):
        edited |= set(
            model.history.filter(history_date__gt=recommendation.created_at).values_list(
                "hypervisor_id", flat=True
            )
        )
    products = list(
        Hypervisor.objects.filter(pk__in=edited, slug__in=named)
        .order_by("name")
        .values_list("name", flat=True)
    )
    version = catalogue_version()
    try:
        decision = decide(
            recommendation.answers,
            questionnaire=current_questionnaire(version),
            catalogue=current_snapshot(version),
            adjusted_points=recommendation.weights,
        )
    except InvalidAnswers:
        return {"products": products, "winner_now": "", "same_winner": None}
    winner = decision.result.winner
    was = report["ranking"][0]["slug"] if report["ranking"] else None
    return {
        "products": products,
        "winner_now": winner.name if winner else "",
        "same_winner": (winner.slug if winner else None) == was,
    }
