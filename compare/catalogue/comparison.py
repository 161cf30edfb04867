"""Side-by-side tables of hypervisors, criterion by criterion, as the report compares them."""

from dataclasses import dataclass

from compare.models import Criterion, Feature, Hypervisor, Rating, Support


@dataclass(frozen=True)
class FeatureRow:
    feature: Feature
    supports: list[Support | None]


@dataclass(frozen=True)
class CriterionSection:
    criterion: Criterion
    ratings: list[Rating | None]
    features: list[FeatureRow]


@dataclass(frozen=True)
class Comparison:
    hypervisors: list[Hypervisor]
    sections: list[CriterionSection]


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
