"""The API's operations: thin, over the querysets, snapshot and services the pages use.

Every operation answers in English unless `?lang=` or the Accept-Language header asks for
another of the site's languages. Errors are JSON: 400 `{"errors": [{"field", "message"}]}`
listing every problem, 404 and 429 `{"detail"}`.
"""

import json
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from compare.api.schemas import (
    CriterionOut,
    Detail,
    Errors,
    FeatureOut,
    HypervisorDetail,
    HypervisorFilters,
    HypervisorItem,
    QuestionOut,
    RecommendationCreated,
    RecommendationExport,
)
from compare.assessment.questionnaire import current_questionnaire
from compare.catalogue.snapshot import catalogue_version, current_snapshot
from compare.models import SLUG_PATTERN, Criterion, Feature, Hypervisor, Recommendation
from compare.ratelimit import WINDOW_SECONDS, limit_misses, limit_posts
from compare.reports.services import (
    AnswerError,
    InvalidAnswers,
    decide,
    recommendation_create,
    split_weights,
)
from compare.reports.summary import decision_summary

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LANGUAGE_PARAMETER = {
    "in": "query",
    "name": "lang",
    "required": False,
    "schema": {"type": "string", "enum": LANGUAGE_CODES},
    "description": "The language of names, labels and texts; without it, the Accept-Language "
    "header's, else English.",
}
BAD_REQUEST = {
    "description": "Bad Request",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}
ANSWERS_EXAMPLE = {
    "company_name": "Assurmer",
    "use_case": "server_consolidation",
    "host_count": 3,
    "vm_count": 40,
    "guest_os": ["windows", "linux"],
    "live_migration": "must",
    "high_availability": "must",
    "support": "business_hours",
    "weights": {"security": 5},
}


class ReadableJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # “Type 2 (hébergé)”, not \u00e9


class HVSelectAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Every operation takes `lang`, read by `in_requested_language` rather than by each,
        and so may answer 400 for an unknown one."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation.setdefault("parameters", []).append(LANGUAGE_PARAMETER)
                operation["responses"].setdefault(400, BAD_REQUEST)  # ninja keys them by number
        return schema


api = HVSelectAPI(
    title="HVSelect API",
    version="1",
    description="The hypervisor catalogue with its sources, the needs questionnaire, and "
    "recommendations: saved ones by their token, new ones from answers.",
    urls_namespace="api",
    renderer=ReadableJSONRenderer(),
)


def errors_response(errors: list[AnswerError]) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"field": error.field, "message": error.message} for error in errors]},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def too_many_requests(request) -> JsonResponse:
    response = JsonResponse(
        {
            "detail": _("Too many requests: please wait %(seconds)s seconds and try again.")
            % {"seconds": WINDOW_SECONDS}
        },
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def in_requested_language(run):
    """Run an operation in the language `?lang=` names, or else the one LocaleMiddleware
    took from Accept-Language (English by default)."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        language = request.GET.get("lang") or translation.get_language()
        if language not in LANGUAGE_CODES:
            return errors_response(
                [
                    AnswerError(
                        "lang",
                        _("Unknown language “%(code)s”: use one of %(codes)s.")
                        % {"code": language, "codes": ", ".join(LANGUAGE_CODES)},
                    )
                ]
            )
        with translation.override(language):
            response = run(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapped


api.add_decorator(in_requested_language, mode="view")


@api.exception_handler(ValidationError)
def invalid_parameters(request, error: ValidationError):
    """ninja's 422 for a bad query parameter, as the API's 400 with the parameter named."""
    return errors_response(
        [AnswerError(str(problem["loc"][-1]), problem["msg"]) for problem in error.errors]
    )


def answers_document(request) -> dict:
    """The body's JSON object, or InvalidAnswers saying why there is none."""

    def refused(message: str) -> InvalidAnswers:
        return InvalidAnswers([AnswerError(None, message)])

    try:
        document = json.loads(request.body)
    except RequestDataTooBig:
        raise refused(_("The body is too large: answers take a few kilobytes.")) from None
    except ValueError as error:  # not UTF-8, or not JSON
        raise refused(_("The body is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(document, dict):
        raise refused(_("The body must be a JSON object of question keys and answers."))
    return document


# The catalogue ---------------------------------------------------------------------------


@api.get("/hypervisors", response={200: list[HypervisorItem], 400: Errors}, tags=["catalogue"])
def hypervisor_list(request, filters: Query[HypervisorFilters]):
    """The catalogue, by name, with the filters of its page."""
    hypervisors = filters.apply(Hypervisor.objects.with_stale_facts())
    return [HypervisorItem.of(hypervisor, request=request) for hypervisor in hypervisors]


@api.get("/hypervisors/{slug}", response={200: HypervisorDetail, 404: Detail}, tags=["catalogue"])
def hypervisor_detail(request, slug: str):
    """One product: its facts, ratings, feature support and offers, with their sources."""
    # A slug that cannot exist is not looked up (PostgreSQL refuses some characters).
    hypervisor = re.match(SLUG_PATTERN, slug) and (
        Hypervisor.objects.with_stale_facts()
        .with_ratings_and_support()
        .with_offers()
        .filter(slug=slug)
        .first()
    )
    if not hypervisor:
        return Status(
            404,
            {"detail": _("There is no hypervisor “%(slug)s” in the catalogue.") % {"slug": slug}},
        )
    return HypervisorDetail.of(hypervisor, request=request)


@api.get("/criteria", response=list[CriterionOut], tags=["catalogue"])
def criterion_list(request):
    """The criteria products are rated on, in the report's order."""
    criteria = Criterion.objects.prefetch_related("features")
    return [CriterionOut.of(criterion) for criterion in criteria]


@api.get("/features", response=list[FeatureOut], tags=["catalogue"])
def feature_list(request):
    """The features whose support the catalogue records, criterion by criterion."""
    return [FeatureOut.of(feature) for feature in Feature.objects.select_related("criterion")]


# The questionnaire and recommendations ----------------------------------------------------


@api.get("/questionnaire", response=list[QuestionOut], tags=["recommendations"])
def questionnaire(request):
    """The questions whose keys the answers of POST /recommendations use, step by step."""
    return [QuestionOut.of(question) for question in current_questionnaire()]


@api.get(
    "/recommendations/{token}",
    response={200: RecommendationExport, 404: Detail, 429: Detail},
    tags=["recommendations"],
)
@decorate_view(limit_misses("share_misses", refuse=too_many_requests))
def recommendation_detail(request, token: str, response: HttpResponse):
    """A saved recommendation, as its JSON download; a revoked one is not found."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    recommendation = Recommendation.objects.live().with_token(token).first()
    if not recommendation:
        return Status(404, {"detail": _("There is no recommendation with this link.")})
    return recommendation.export(url=request.build_absolute_uri(recommendation.get_absolute_url()))


@api.post(
    "/recommendations",
    response={201: RecommendationCreated, 400: Errors, 429: Detail},
    tags=["recommendations"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "Answers by question key (GET /questionnaire; a question left out "
            "takes its default), optionally `hosts` (a list of {sockets, cores_per_socket, "
            "windows_vms, count}) and `weights` (criterion key: 0-5): the format of "
            "`manage.py recommend`'s files.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "weights": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "number",
                                    "minimum": 0,
                                    "maximum": 5,
                                },
                            }
                        },
                        "additionalProperties": True,
                    },
                    "example": ANSWERS_EXAMPLE,
                }
            },
        }
    },
)
@decorate_view(limit_posts("questionnaire", refuse=too_many_requests))
def recommendation_create_from_answers(request):
    """Recommend and save: the decision, and the link to its page. No session, no cookie."""
    try:
        answers, weights = split_weights(answers_document(request))
        version = catalogue_version()
        catalogue = current_snapshot(version)
        decision = decide(
            answers,
            questionnaire=current_questionnaire(version),
            catalogue=catalogue,
            adjusted_points=weights,
        )
        recommendation = recommendation_create(answers=answers, adjusted_points=weights)
    except InvalidAnswers as error:
        return errors_response(error.errors)
    return Status(
        201,
        {
            "url": request.build_absolute_uri(recommendation.get_absolute_url()),
            "token": recommendation.token,
            "result": decision_summary(decision, catalogue),
        },
    )
