"""A frozen snapshot of the catalogue, read in a fixed number of queries, for the engine and
for the texts a recommendation keeps (justifications, product terms, sources)."""

from dataclasses import dataclass

from django.db import connection

from compare.models import (
    Choice,
    Criterion,
    Effect,
    Feature,
    Hypervisor,
    Question,
    Rating,
    Support,
)
from compare.scoring import Candidate, Level


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
    source_url: str
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

    @property
    def default_points(self) -> dict[str, int]:
        return {criterion.key: criterion.default_weight for criterion in self.criteria}


def criterion_infos() -> list[CriterionInfo]:
    return [
        CriterionInfo(c.key, c.name, c.description, c.default_weight)
        for c in Criterion.objects.all()
    ]


def snapshot() -> CatalogueSnapshot:
    criteria = tuple(criterion_infos())
    features = {
        f.key: FeatureInfo(f.key, f.name, f.criterion.key)
        for f in Feature.objects.select_related("criterion")
    }
    hypervisors = list(Hypervisor.objects.with_ratings_and_support())
    return CatalogueSnapshot(
        criteria=criteria,
        features=features,
        candidates=tuple(_candidate(h) for h in hypervisors),
        facts={h.slug: _facts(h) for h in hypervisors},
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
                r.score, r.justification, tuple(r.sources), r.verified_on.isoformat()
            )
            for r in hypervisor.ratings.all()
        },
        support={
            s.feature.key: SupportFacts(
                s.level, s.product_term, s.note, s.source_url, s.verified_on.isoformat()
            )
            for s in hypervisor.supports.all()
        },
    )


VERSIONED_MODELS = (Hypervisor, Criterion, Feature, Rating, Support, Question, Choice, Effect)


def catalogue_version() -> str:
    """When the catalogue or the questionnaire last changed, from their audit history.

    One query, whatever the size of the catalogue: a saved recommendation compares it with
    its own to say whether a recomputation would use different data.
    """
    tables = [connection.ops.quote_name(m.history.model._meta.db_table) for m in VERSIONED_MODELS]
    latest = ", ".join(f"(SELECT MAX(history_date) FROM {table})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT GREATEST({latest})")  # noqa: S608 - table names, not input
        [changed_at] = cursor.fetchone()
    return changed_at.isoformat() if changed_at else ""
