"""What the API reads and answers, as ninja Schemas: they are its OpenAPI schema too.

Texts (names, labels, justifications) are in the active language; keys never change. A fact
cites its sources by URL; a product's detail lists those sources once, under `references`.
"""

import datetime
from typing import Any, Literal

from ninja import Field, Schema

from compare.assessment.questionnaire import QuestionData
from compare.catalogue.forms import HypervisorFilterForm
from compare.models import (
    Criterion,
    Feature,
    FreeEdition,
    Hypervisor,
    HypervisorType,
    IncludedSupport,
    LicenceModel,
    Offer,
    OfferMetric,
    QuestionKind,
    Rating,
    Source,
    SourceKind,
    Step,
    Support,
    SupportLevel,
)


def urls_of(sources) -> list[str]:
    return [source.url for source in sources]


# Errors ----------------------------------------------------------------------------------


class FieldError(Schema):
    field: str | None = Field(
        description="The key the error is about: a question's, `hosts`, `weights.<criterion>`, "
        "a query parameter; null for the body as a whole."
    )
    message: str


class Errors(Schema):
    errors: list[FieldError] = Field(description="Every problem found, not only the first.")


class Detail(Schema):
    detail: str


# The catalogue ---------------------------------------------------------------------------


class HypervisorFilters(Schema):
    """The list's filters, those of the catalogue page and a few more; all optional."""

    type: HypervisorType | None = Field(None, description="1: bare metal, 2: hosted.")
    licence: LicenceModel | None = None
    open_source: bool | None = Field(None, description="true: open source, false: commercial.")
    free_edition: Literal["any", "production"] | None = Field(
        None, description="any: a free edition of any kind; production: free in production."
    )
    containers: Literal["yes", "no"] | None = Field(
        None, description="Whether it runs containers beside the VMs."
    )
    q: str | None = Field(
        None, max_length=100, pattern=r"^[^\x00]*$", description="Part of the name or vendor."
    )

    def apply(self, hypervisors):
        """The catalogue page's form does the filtering it knows, so both mean the same."""
        form = HypervisorFilterForm(
            {
                "type": self.type or "",
                "licence": self.licence or "",
                "containers": self.containers or "",
                "free_edition": self.free_edition or "",
            }
        )
        form.is_valid()
        hypervisors = form.filter(hypervisors)
        if self.open_source is not None:
            hypervisors = (
                hypervisors.filter(licence_model=LicenceModel.OPEN_SOURCE)
                if self.open_source
                else hypervisors.exclude(licence_model=LicenceModel.OPEN_SOURCE)
            )
        if self.q and self.q.strip():
            hypervisors = hypervisors.search(self.q.strip())
        return hypervisors


class HypervisorItem(Schema):
    slug: str
    name: str
    vendor: str
    type: int = Field(description="1: bare metal, 2: hosted.")
    type_label: str
    host_platforms: list[str] = Field(description="Where it installs: bare_metal, windows...")
    platform: str = Field(description="Its platform family (vmware, proxmox...), or empty.")
    licence_model: str
    open_source: bool
    free_edition: str
    status: str
    summary: str
    url: str = Field(description="Its page on the site, in the language of the answer.")
    latest_version: str
    latest_release_date: datetime.date | None
    stale: bool = Field(description="Some of its facts were last checked over a year ago.")

    @classmethod
    def fields_of(cls, hypervisor: Hypervisor, *, request) -> dict:
        return {
            "slug": hypervisor.slug,
            "name": hypervisor.name,
            "vendor": hypervisor.vendor,
            "type": hypervisor.hypervisor_type,
            "type_label": str(HypervisorType(hypervisor.hypervisor_type).label),
            "host_platforms": hypervisor.host_platforms,
            "platform": hypervisor.platform,
            "licence_model": hypervisor.licence_model,
            "open_source": hypervisor.is_open_source,
            "free_edition": hypervisor.free_edition,
            "status": hypervisor.status,
            "summary": hypervisor.summary,
            "url": request.build_absolute_uri(hypervisor.get_absolute_url()),
            "latest_version": hypervisor.latest_version,
            "latest_release_date": hypervisor.latest_release_date,
            "stale": hypervisor.has_stale_facts,
        }

    @classmethod
    def of(cls, hypervisor: Hypervisor, *, request) -> "HypervisorItem":
        """`hypervisor` comes from `with_stale_facts()`."""
        return cls(**cls.fields_of(hypervisor, request=request))


class SourceOut(Schema):
    url: str
    title: str
    publisher: str
    kind: str
    kind_label: str
    published_on: datetime.date | None
    read_on: datetime.date = Field(description="When an editor last read it.")

    @classmethod
    def of(cls, source: Source) -> "SourceOut":
        return cls(
            url=source.url,
            title=source.title,
            publisher=source.publisher,
            kind=source.kind,
            kind_label=str(SourceKind(source.kind).label),
            published_on=source.published_on,
            read_on=source.read_on,
        )


class RatingOut(Schema):
    criterion: str
    criterion_name: str
    score: int = Field(description="0 (poor) to 10 (best).")
    free_edition_score: int | None
    justification: str
    verified_on: datetime.date
    stale: bool
    sources: list[str] = Field(description="URLs, listed under `references`.")

    @classmethod
    def of(cls, rating: Rating) -> "RatingOut":
        return cls(
            criterion=rating.criterion.key,
            criterion_name=rating.criterion.name,
            score=rating.score,
            free_edition_score=rating.free_edition_score,
            justification=rating.justification,
            verified_on=rating.verified_on,
            stale=rating.is_stale,
            sources=urls_of(rating.references.all()),
        )


class SupportOut(Schema):
    feature: str
    feature_name: str
    criterion: str
    level: str = Field(description="full, paid, partial, none or unknown (not verified).")
    level_label: str
    product_term: str = Field(description="The product's own name for it.")
    note: str = Field(description="Caveats.")
    confidence: str
    verified_on: datetime.date
    stale: bool
    sources: list[str]

    @classmethod
    def of(cls, support: Support) -> "SupportOut":
        return cls(
            feature=support.feature.key,
            feature_name=support.feature.name,
            criterion=support.feature.criterion.key,
            level=support.level,
            level_label=str(SupportLevel(support.level).label),
            product_term=support.product_term,
            note=support.note,
            confidence=support.confidence,
            verified_on=support.verified_on,
            stale=support.is_stale,
            sources=urls_of(support.references.all()),
        )


class OfferOut(Schema):
    key: str
    name: str
    metric: str
    metric_label: str = Field(description="e.g. “Per core per year”, “Price on quote”.")
    amount: float | None = Field(description="One unit's list price; null when free or on quote.")
    currency: str | None
    on_quote: bool = Field(description="No listed price: ask the vendor.")
    support: str
    support_label: str
    unlocks: list[str] = Field(description="The keys of the paid features it includes.")
    min_cores_per_cpu: int | None
    min_cores_per_server: int | None
    min_cores_per_order: int | None = Field(description="Only when the vendor applies it.")
    cores_per_pack: int | None
    vms_per_licence: int | None
    core_cap: int | None
    indicative: bool = Field(description="Not from the vendor's own price list.")
    confidence: str
    notes: str
    verified_on: datetime.date
    stale: bool
    sources: list[str]

    @classmethod
    def of(cls, offer: Offer) -> "OfferOut":
        return cls(
            key=offer.key,
            name=offer.name,
            metric=offer.metric,
            metric_label=str(OfferMetric(offer.metric).label),
            amount=offer.amount,
            currency=offer.currency or None,
            on_quote=offer.metric == OfferMetric.QUOTE,
            support=offer.support,
            support_label=str(IncludedSupport(offer.support).label),
            unlocks=[feature.key for feature in offer.unlocks.all()],
            min_cores_per_cpu=offer.min_cores_per_cpu,
            min_cores_per_server=offer.min_cores_per_server,
            min_cores_per_order=offer.min_cores_per_order if offer.order_minimum_active else None,
            cores_per_pack=offer.cores_per_pack,
            vms_per_licence=offer.vms_per_licence,
            core_cap=offer.core_cap,
            indicative=offer.indicative,
            confidence=offer.confidence,
            notes=offer.notes,
            verified_on=offer.verified_on,
            stale=offer.is_stale,
            sources=urls_of(offer.references.all()),
        )


class HypervisorDetail(HypervisorItem):
    technology: str
    guest_os_families: list[str]
    admin_skills: list[str]
    licence_name: str
    free_edition_label: str
    included_with: str
    website: str
    description: str
    pricing_note: str
    pricing_as_of: datetime.date | None
    verified_on: datetime.date
    sources: list[str] = Field(description="The sources of the product's own facts.")
    ratings: list[RatingOut] = Field(description="One per criterion, in the report's order.")
    support: list[SupportOut] = Field(description="One per feature, criterion by criterion.")
    offers: list[OfferOut] = Field(description="The ways to buy it: edition x support tier.")
    references: list[SourceOut] = Field(description="Every source cited above, once each.")

    @classmethod
    def of(cls, hypervisor: Hypervisor, *, request) -> "HypervisorDetail":
        """`hypervisor` comes from `with_stale_facts().with_ratings_and_support()
        .with_offers()`."""
        ratings = list(hypervisor.ratings.all())
        supports = list(hypervisor.supports.all())
        offers = list(hypervisor.offers.all())
        cited = {
            source.url: source
            for fact in (hypervisor, *ratings, *supports, *offers)
            for source in fact.references.all()
        }
        return cls(
            **cls.fields_of(hypervisor, request=request),
            technology=hypervisor.technology,
            guest_os_families=hypervisor.guest_os_families,
            admin_skills=hypervisor.admin_skills,
            licence_name=hypervisor.licence_name,
            free_edition_label=str(FreeEdition(hypervisor.free_edition).label),
            included_with=hypervisor.included_with,
            website=hypervisor.website,
            description=hypervisor.description,
            pricing_note=hypervisor.pricing_note,
            pricing_as_of=hypervisor.pricing_as_of,
            verified_on=hypervisor.verified_on,
            sources=urls_of(hypervisor.references.all()),
            ratings=[RatingOut.of(rating) for rating in ratings],
            support=[SupportOut.of(support) for support in supports],
            offers=[OfferOut.of(offer) for offer in offers],
            references=[
                SourceOut.of(source)
                for source in sorted(cited.values(), key=lambda s: (s.publisher, s.title))
            ],
        )


class CriterionOut(Schema):
    key: str
    name: str
    description: str
    default_weight: int = Field(description="0 (ignored) to 5 (decisive).")
    features: list[str] = Field(description="The keys of the features it covers.")

    @classmethod
    def of(cls, criterion: Criterion) -> "CriterionOut":
        return cls(
            key=criterion.key,
            name=criterion.name,
            description=criterion.description,
            default_weight=criterion.default_weight,
            features=[feature.key for feature in criterion.features.all()],
        )


class FeatureOut(Schema):
    key: str
    name: str
    description: str
    criterion: str
    is_service: bool = Field(description="Sold as a service (support), not in an edition.")

    @classmethod
    def of(cls, feature: Feature) -> "FeatureOut":
        return cls(
            key=feature.key,
            name=feature.name,
            description=feature.description,
            criterion=feature.criterion.key,
            is_service=feature.is_service,
        )


# The questionnaire -----------------------------------------------------------------------


class ChoiceOut(Schema):
    key: str
    label: str
    help_text: str
    min_value: int | None = Field(description="A number question's band: from (inclusive).")
    max_value: int | None = Field(description="… to (inclusive).")


class QuestionOut(Schema):
    key: str
    step: int
    step_label: str
    kind: str = Field(
        description="single (a choice key), multiple (a list of them), integer or text."
    )
    text: str
    help_text: str
    required: bool
    min_value: int | None
    max_value: int | None
    default: str | int | list[str] | None = Field(
        description="The answer taken when the question is left out."
    )
    at_most: str = Field(description="Another number question this answer cannot exceed.")
    choices: list[ChoiceOut]

    @classmethod
    def of(cls, question: QuestionData) -> "QuestionOut":
        default = question.initial
        if question.kind == QuestionKind.INTEGER and default is not None:
            default = int(default)
        return cls(
            key=question.key,
            step=question.step,
            step_label=str(Step(question.step).label),
            kind=question.kind,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
            min_value=question.min_value,
            max_value=question.max_value,
            default=default,
            at_most=question.at_most,
            choices=[
                ChoiceOut(
                    key=choice.key,
                    label=choice.label,
                    help_text=choice.help_text,
                    min_value=choice.min_value,
                    max_value=choice.max_value,
                )
                for choice in question.choices
            ],
        )


# Recommendations -------------------------------------------------------------------------


class RecommendationExport(Schema):
    """A saved recommendation, as its JSON download gives it."""

    url: str = Field(description="Its page, in the language it was made in.")
    created_at: str = Field(description="ISO 8601.")
    language: str
    engine_version: str
    catalogue_version: str = Field(description="When the catalogue last changed, then.")
    answers: dict[str, Any] = Field(description="The cleaned answers, by question key.")
    weights: dict[str, int | float] = Field(description="The points of each criterion, 0-5.")
    result: dict[str, Any] = Field(description="The whole report, in its language.")
    translations: dict[str, dict[str, Any]] = Field(
        description="The same report in the other languages, by language code."
    )


class RecommendationCreated(Schema):
    url: str = Field(description="The page to share.")
    token: str = Field(description="For GET /recommendations/{token}.")
    result: dict[str, Any] = Field(
        description="The decision: weights, ranking, eliminations and why, sensitivity, costs "
        "with their formulas, warnings; what `manage.py recommend` prints."
    )
