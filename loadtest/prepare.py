"""Prepare the load-test database: migrations, the reference catalogue grown to 50
hypervisors, and one saved recommendation whose token the share-page users read.

Run by loadtest/run.sh with the load test's environment (see there).
"""

import json
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hvselect.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from compare.models import Criterion, Feature, Hypervisor, Rating, Source, Support  # noqa: E402
from compare.reports.services import recommendation_create  # noqa: E402

CATALOGUE_SIZE = 50
SOURCE = "https://example.org/load-test"


def grow_catalogue(size: int) -> None:
    """Add rated products, with every feature, until the catalogue holds `size`."""
    missing = size - Hypervisor.objects.count()
    if missing <= 0:
        return
    today = timezone.localdate()
    products = Hypervisor.objects.bulk_create(
        Hypervisor(
            name=f"Load-test product {n}",
            slug=f"load-test-product-{n}",
            vendor="Load test",
            hypervisor_type=1,
            technology="KVM",
            host_platforms=["bare_metal"],
            guest_os_families=["windows", "linux"],
            licence_model="open_source",
            free_edition="production",
            admin_skills=["linux"],
            summary="A synthetic product for the load test.",
            verified_on=today,
        )
        for n in range(missing)
    )
    criteria, features = list(Criterion.objects.all()), list(Feature.objects.all())
    ratings = Rating.objects.bulk_create(
        Rating(
            hypervisor=product,
            criterion=criterion,
            score=(n + i) % 11,
            justification="Synthetic.",
            verified_on=today,
        )
        for n, product in enumerate(products)
        for i, criterion in enumerate(criteria)
    )
    levels = ["full", "paid", "partial", "none"]
    supports = Support.objects.bulk_create(
        Support(
            hypervisor=product,
            feature=feature,
            level=levels[(n + i) % 4],
            verified_on=today,
        )
        for n, product in enumerate(products)
        for i, feature in enumerate(features)
    )
    cite(products, SOURCE, today)
    cite(ratings, SOURCE, today)
    cite(supports, SOURCE, today)


def cite(rows, url, today) -> None:
    """Every synthetic fact cites one synthetic source."""
    source, _ = Source.objects.get_or_create(
        url=url,
        defaults={
            "title": "Load test",
            "publisher": "Load test",
            "kind": "other",
            "read_on": today,
        },
    )
    through = type(rows[0]).references.through
    column = f"{type(rows[0])._meta.model_name}_id"
    through.objects.bulk_create(
        [through(**{column: row.pk, "source_id": source.pk}) for row in rows]
    )


def main(token_file: Path) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    grow_catalogue(CATALOGUE_SIZE)
    answers = json.loads((ROOT / "docs/examples/assurmer.json").read_text())
    token_file.write_text(recommendation_create(answers=answers).token)
    print(f"Catalogue: {Hypervisor.objects.count()} hypervisors; share token in {token_file}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
