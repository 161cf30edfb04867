"""Side-by-side tables of hypervisors, criterion by criterion, as the report compares them."""

from dataclasses import dataclass, replace

from compare.models import Criterion, Feature, Hypervisor, Rating, Support, SupportLevel


@dataclass(frozen=True)
class FeatureRow:
    feature: Feature
    supports: list[Support | None]

    @property
    def differs(self) -> bool:
        """Whether the products' levels differ; a missing cell reads "not verified" too."""
        levels = {support.level if support else SupportLevel.UNKNOWN for support in self.supports}
        return len(levels) > 1


@dataclass(frozen=True)
class CriterionSection:
    criterion: Criterion
    ratings: list[Rating | None]
    features: list[FeatureRow]
    shows_ratings: bool = True

    @property
    def ratings_differ(self) -> bool:
        return len({rating.score if rating else None for rating in self.ratings}) > 1


@dataclass(frozen=True)
class Comparison:
    hypervisors: list[Hypervisor]
    sections: list[CriterionSection]
    hidden_rows: int = 0

    def differences_only(self) -> "Comparison":
        """Only the rows where the products differ (a score, a support level), counting the
        rows left out in `hidden_rows`; a criterion where nothing differs is left out."""
        sections = []
        hidden_rows = 0
        for section in self.sections:
            features = [row for row in section.features if row.differs]
            hidden_rows += len(section.features) - len(features) + (not section.ratings_differ)
            if features or section.ratings_differ:
                sections.append(
                    replace(section, features=features, shows_ratings=section.ratings_differ)
                )
        return replace(self, sections=sections, hidden_rows=hidden_rows)


def build_comparison(hypervisors) -> Comparison:
    """Lay out the hypervisors' ratings and feature support in the criteria's order.

    The hypervisors must come with their ratings and support prefetched
    (`Hypervisor.objects.with_ratings_and_support()`); a missing cell is None.
    """
    hypervisors = list(hypervisors)
    ratings = {
        (rating.hypervisor_id, rating.criterion_id): rating
        for hypervisor in hypervisors
        for rating in hypervisor.ratings.all()
    }
    supports = {
        (support.hypervisor_id, support.feature_id): support
        for hypervisor in hypervisors
        for support in hypervisor.supports.all()
    }
    sections = [
        CriterionSection(
            criterion=criterion,
            ratings=[ratings.get((hypervisor.pk, criterion.pk)) for hypervisor in hypervisors],
            features=[
                FeatureRow(
                    feature=feature,
                    supports=[
                        supports.get((hypervisor.pk, feature.pk)) for hypervisor in hypervisors
                    ],
                )
                for feature in criterion.features.all()
            ],
        )
        for criterion in Criterion.objects.prefetch_related("features")
    ]
    return Comparison(hypervisors=hypervisors, sections=sections)
