"""A frozen snapshot of the catalogue, read in a fixed number of queries, for the engine and
for the texts a recommendation keeps (justifications, product terms, sources)."""

from dataclasses import dataclass, field
from functools import cache, wraps

from django.db import connection
from django.db.models import DateTimeField
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from compare.engine import costs
from compare.engine.scoring import Candidate, Level
from compare.models import (
    AUDITED_MODELS,
    Criterion,
    ExchangeRate,
    Feature,
    Hypervisor,
    Offer,
    Source,
)


@dataclass(frozen=True)
class CriterionInfo:
    key: str
    name: str
    description: str
    default_weight: int


@dataclass(frozen=True)
class FeatureInfo:
    key: str
    name: str
    criterion: str
    is_service: bool = False


@dataclass(frozen=True)
class SourceInfo:
    url: str
    title: str
    publisher: str
    kind: str
    read_on: str

    @classmethod
    def of(cls, source: Source) -> "SourceInfo":
        return cls(
            source.url, source.title, source.publisher, source.kind, source.read_on.isoformat()
        )


@dataclass(frozen=True)
class RatingFacts:
    score: int
    justification: str
    sources: tuple[str, ...]
    verified_on: str


@dataclass(frozen=True)
class SupportFacts:
    level: str
    product_term: str
    note: str
    sources: tuple[str, ...]
    verified_on: str


@dataclass(frozen=True)
class HypervisorFacts:
    slug: str
    name: str
    vendor: str
    summary: str
    hypervisor_type: int
    licence_model: str
    url: str
    ratings: dict[str, RatingFacts]
    support: dict[str, SupportFacts]


@dataclass(frozen=True)
class CatalogueSnapshot:
    criteria: tuple[CriterionInfo, ...]
    features: dict[str, FeatureInfo]
    candidates: tuple[Candidate, ...]
    facts: dict[str, HypervisorFacts]
    offers: dict[str, tuple[costs.Offer, ...]] = field(default_factory=dict)
    sources: dict[str, SourceInfo] = field(default_factory=dict)  # by URL: every one cited
    rate: costs.Rate | None = None  # the latest EUR/USD rate

    @property
    def default_points(self) -> dict[str, int]:
        return {criterion.key: criterion.default_weight for criterion in self.criteria}

    @property
    def services(self) -> frozenset[str]:
        return frozenset(key for key, info in self.features.items() if info.is_service)


def criterion_infos() -> list[CriterionInfo]:
    return [
        CriterionInfo(c.key, c.name, c.description, c.default_weight)
        for c in Criterion.objects.all()
    ]


def snapshot() -> CatalogueSnapshot:
    criteria = tuple(criterion_infos())
    features = {
        f.key: FeatureInfo(f.key, f.name, f.criterion.key, f.is_service)
        for f in Feature.objects.select_related("criterion")
    }
    hypervisors = list(Hypervisor.objects.with_ratings_and_support())
    offer_rows = list(Offer.objects.with_unlocks())
    offers: dict[str, list[costs.Offer]] = {}
    for offer in offer_rows:
        offers.setdefault(offer.hypervisor.slug, []).append(_offer(offer))
    cited = [
        source
        for h in hypervisors
        for fact in (*h.ratings.all(), *h.supports.all())
        for source in fact.references.all()
    ] + [source for offer in offer_rows for source in offer.references.all()]
    rate = ExchangeRate.objects.latest_first().first()
    return CatalogueSnapshot(
        criteria=criteria,
        features=features,
        candidates=tuple(_candidate(h) for h in hypervisors),
        facts={h.slug: _facts(h) for h in hypervisors},
        offers={slug: tuple(items) for slug, items in offers.items()},
        sources={source.url: SourceInfo.of(source) for source in cited},
        rate=costs.Rate(rate.usd_per_eur, rate.on.isoformat(), rate.source) if rate else None,
    )


def _offer(offer: Offer) -> costs.Offer:
    return costs.Offer(
        product=offer.hypervisor.slug,
        name=offer.name,
        metric=costs.Metric(offer.metric),
        amount=offer.amount,
        currency=offer.currency,
        support=costs.SupportHours(offer.support),
        unlocks=frozenset(feature.key for feature in offer.unlocks.all()),
        min_cores_per_cpu=offer.min_cores_per_cpu or 0,
        min_cores_per_server=offer.min_cores_per_server or 0,
        min_cores_per_order=offer.min_cores_per_order or 0,
        order_minimum_active=offer.order_minimum_active,
        cores_per_pack=offer.cores_per_pack or 0,
        vms_per_licence=offer.vms_per_licence or 0,
        core_cap=offer.core_cap or 0,
        sources=tuple(source.url for source in offer.references.all()),
        verified_on=offer.verified_on.isoformat(),
        confidence=offer.confidence,
        indicative=offer.indicative,
    )


def _candidate(hypervisor: Hypervisor) -> Candidate:
    ratings = list(hypervisor.ratings.all())
    return Candidate(
        slug=hypervisor.slug,
        name=hypervisor.name,
        hypervisor_type=hypervisor.hypervisor_type,
        host_platforms=frozenset(hypervisor.host_platforms),
        guest_families=frozenset(hypervisor.guest_os_families),
        licence_model=hypervisor.licence_model,
        free_edition=hypervisor.free_edition,
        admin_skills=frozenset(hypervisor.admin_skills),
        included_with=hypervisor.included_with,
        platform=hypervisor.platform,
        status=hypervisor.status,
        ratings={r.criterion.key: r.score for r in ratings},
        free_edition_ratings={
            r.criterion.key: r.free_edition_score
            for r in ratings
            if r.free_edition_score is not None
        },
        support={s.feature.key: Level(s.level) for s in hypervisor.supports.all()},
    )


def _facts(hypervisor: Hypervisor) -> HypervisorFacts:
    return HypervisorFacts(
        slug=hypervisor.slug,
        name=hypervisor.name,
        vendor=hypervisor.vendor,
        summary=hypervisor.summary,
        hypervisor_type=hypervisor.hypervisor_type,
        licence_model=hypervisor.licence_model,
        url=hypervisor.get_absolute_url(),
        ratings={
            r.criterion.key: RatingFacts(
                r.score,
                r.justification,
                tuple(source.url for source in r.references.all()),
                r.verified_on.isoformat(),
            )
            for r in hypervisor.ratings.all()
        },
        support={
            s.feature.key: SupportFacts(
                s.level,
                s.product_term,
                s.note,
                tuple(source.url for source in s.references.all()),
                s.verified_on.isoformat(),
            )
            for s in hypervisor.supports.all()
        },
    )


@cache  # reading `Model.history` builds a manager class: 8 ms a request for 11 models
def _latest_change_sql() -> str:
    tables = [connection.ops.quote_name(m.history.model._meta.db_table) for m in AUDITED_MODELS]
    return "GREATEST({})".format(
        ", ".join(f"(SELECT MAX(history_date) FROM {table})" for table in tables)
    )


def version_of(changed_at) -> str:
    return changed_at.isoformat() if changed_at else ""


def catalogue_version() -> str:
    """When the catalogue or the questionnaire last changed, from their audit history.

    One query, whatever the size of the catalogue: a saved recommendation compares it with
    its own to say whether a recomputation would use different data.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_latest_change_sql()}")  # noqa: S608 - table names, not input
        [changed_at] = cursor.fetchone()
    return version_of(changed_at)


def with_catalogue_version(queryset):
    """Annotate `catalogue_changed_at` (see catalogue_version) in the same query."""
    return queryset.annotate(
        catalogue_changed_at=RawSQL(_latest_change_sql(), [], output_field=DateTimeField())
    )


def cached_by_catalogue_version(load):
    """Keep what `load()` returns, per language, until the catalogue or questionnaire changes.

    The loaders read and build a few hundred objects; their results are immutable data, so
    every request in between can share them. The key is the audit history's latest date,
    one query, that the caller may pass when it has it already.
    """
    kept = {}

    @wraps(load)
    def current(version: str | None = None):
        version = catalogue_version() if version is None else version
        if not version:  # no history at all (data written behind it): never trust a copy
            return load()
        key = (get_language(), version)
        if key not in kept:
            # One copy per language of the current version: a report is written in each.
            for stale in [k for k in kept if k[1] != version]:
                del kept[stale]
            kept[key] = load()
        return kept[key]

    return current


current_snapshot = cached_by_catalogue_version(snapshot)
