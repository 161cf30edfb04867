"""Plain helpers that build catalogue rows for tests, with valid defaults to override."""

import itertools

from django.utils import timezone

from compare.models import Criterion, Feature, Hypervisor, Rating, Support, SupportLevel

_sequence = itertools.count(1)
SOURCE = "https://example.org/source"


def make_criterion(**fields) -> Criterion:
    n = next(_sequence)
    values = {
        "key": f"criterion_{n}",
        "name": f"Criterion {n}",
        "description": f"What criterion {n} measures.",
        "default_weight": 3,
        "position": n,
    }
    return Criterion.objects.create(**{**values, **fields})


def make_feature(criterion: Criterion | None = None, **fields) -> Feature:
    n = next(_sequence)
    values = {
        "key": f"feature_{n}",
        "name": f"Feature {n}",
        "description": f"What feature {n} does.",
        "criterion": criterion or make_criterion(),
        "position": n,
    }
    return Feature.objects.create(**{**values, **fields})


def hypervisor_values(**fields) -> dict:
    n = next(_sequence)
    values = {
        "name": f"Hypervisor {n}",
        "slug": f"hypervisor-{n}",
        "vendor": f"Vendor {n}",
        "hypervisor_type": 1,
        "technology": "KVM",
        "host_platforms": ["bare_metal"],
        "guest_os_families": ["windows", "linux"],
        "licence_model": "open_source",
        "free_edition": "production",
        "admin_skills": ["linux"],
        "summary": f"Hypervisor {n} in one sentence.",
        "sources": [SOURCE],
        "verified_on": timezone.localdate(),
    }
    return {**values, **fields}


def make_hypervisor(**fields) -> Hypervisor:
    return Hypervisor.objects.create(**hypervisor_values(**fields))


def rating_values(hypervisor, criterion, **fields) -> dict:
    values = {
        "hypervisor": hypervisor,
        "criterion": criterion,
        "score": 7,
        "justification": f"{hypervisor.name} on {criterion.name}.",
        "sources": [SOURCE],
        "verified_on": timezone.localdate(),
    }
    return {**values, **fields}


def make_rating(hypervisor, criterion, **fields) -> Rating:
    return Rating.objects.create(**rating_values(hypervisor, criterion, **fields))


def support_values(hypervisor, feature, **fields) -> dict:
    values = {
        "hypervisor": hypervisor,
        "feature": feature,
        "level": SupportLevel.FULL,
        "product_term": f"{feature.name} by {hypervisor.name}",
        "note": "",
        "source_url": SOURCE,
        "confidence": "sure",
        "verified_on": timezone.localdate(),
    }
    return {**values, **fields}


def make_support(hypervisor, feature, **fields) -> Support:
    return Support.objects.create(**support_values(hypervisor, feature, **fields))


def make_catalogue(*, hypervisors: int, criteria: int = 3, features_per_criterion: int = 2):
    """A complete catalogue: every hypervisor rated on every criterion and every feature."""
    all_criteria = [make_criterion() for _ in range(criteria)]
    features = [
        make_feature(criterion) for criterion in all_criteria for _ in range(features_per_criterion)
    ]
    products = Hypervisor.objects.bulk_create(
        [Hypervisor(**hypervisor_values()) for _ in range(hypervisors)]
    )
    Rating.objects.bulk_create(
        [Rating(**rating_values(h, c)) for h in products for c in all_criteria]
    )
    Support.objects.bulk_create(
        [Support(**support_values(h, f)) for h in products for f in features]
    )
    return products
