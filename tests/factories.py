"""Plain helpers that build catalogue rows for tests, with valid defaults to override."""

import itertools

from django.utils import timezone

from compare.models import Criterion, Feature, Hypervisor, Rating, Source, Support, SupportLevel

_sequence = itertools.count(1)
SOURCE = "https://example.org/source"


def the_source() -> Source:
    """The one source the helpers cite: a vendor's documentation page."""
    source, _ = Source.objects.get_or_create(
        url=SOURCE,
        defaults={
            "title": "Product documentation",
            "publisher": "Example vendor",
            "kind": "vendor_documentation",
            "read_on": timezone.localdate(),
        },
    )
    return source


def cite(rows) -> None:
    """Give every row (hypervisors, ratings or support cells of one model) the source."""
    rows = list(rows)
    if not rows:
        return
    through = type(rows[0]).references.through
    column = f"{type(rows[0])._meta.model_name}_id"
    source = the_source()
    through.objects.bulk_create(
        [through(**{column: row.pk, "source_id": source.pk}) for row in rows]
    )


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
        "verified_on": timezone.localdate(),
    }
    return {**values, **fields}


def make_hypervisor(**fields) -> Hypervisor:
    hypervisor = Hypervisor.objects.create(**hypervisor_values(**fields))
    cite([hypervisor])
    return hypervisor


def rating_values(hypervisor, criterion, **fields) -> dict:
    values = {
        "hypervisor": hypervisor,
        "criterion": criterion,
        "score": 7,
        "justification": f"{hypervisor.name} on {criterion.name}.",
        "verified_on": timezone.localdate(),
    }
    return {**values, **fields}


def make_rating(hypervisor, criterion, **fields) -> Rating:
    rating = Rating.objects.create(**rating_values(hypervisor, criterion, **fields))
    cite([rating])
    return rating


def support_values(hypervisor, feature, **fields) -> dict:
    values = {
        "hypervisor": hypervisor,
        "feature": feature,
        "level": SupportLevel.FULL,
        "product_term": f"{feature.name} by {hypervisor.name}",
        "note": "",
        "confidence": "sure",
        "verified_on": timezone.localdate(),
    }
    return {**values, **fields}


def make_support(hypervisor, feature, **fields) -> Support:
    support = Support.objects.create(**support_values(hypervisor, feature, **fields))
    if support.level != SupportLevel.UNKNOWN:
        cite([support])
    return support


def support_form(cell, **changes) -> dict:
    """The admin form's data for a support cell as it is, with `changes`."""
    data = {
        "hypervisor": cell.hypervisor_id,
        "feature": cell.feature_id,
        "level": cell.level,
        "product_term": cell.product_term,
        "note_en": cell.note_en or "",
        "note_fr": cell.note_fr or "",
        "references": [source.pk for source in cell.references.all()],
        "confidence": cell.confidence,
        "verified_on": cell.verified_on.isoformat(),
    }
    return {**data, **changes}


def make_catalogue(*, hypervisors: int, criteria: int = 3, features_per_criterion: int = 2):
    """A complete catalogue: every hypervisor rated on every criterion and every feature."""
    all_criteria = [make_criterion() for _ in range(criteria)]
    features = [
        make_feature(criterion) for criterion in all_criteria for _ in range(features_per_criterion)
    ]
    return add_products(hypervisors, all_criteria, features)


def add_products(count: int, criteria, features) -> list[Hypervisor]:
    """`count` cited products, rated on every criterion, with a cell for every feature."""
    products = Hypervisor.objects.bulk_create(
        [Hypervisor(**hypervisor_values()) for _ in range(count)]
    )
    cite(products)
    cite(
        Rating.objects.bulk_create(
            [Rating(**rating_values(h, c)) for h in products for c in criteria]
        )
    )
    cite(
        Support.objects.bulk_create(
            [Support(**support_values(h, f)) for h in products for f in features]
        )
    )
    return products
