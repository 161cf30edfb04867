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
from django.db import transaction  # noqa: E402

from compare.models import Criterion, Feature, Hypervisor  # noqa: E402
from compare.reports.services import recommendation_create  # noqa: E402
from tests.factories import add_products  # noqa: E402

CATALOGUE_SIZE = 50


def main(token_file: Path) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    with transaction.atomic():  # the products' sources are checked at commit
        add_products(
            CATALOGUE_SIZE - Hypervisor.objects.count(),
            Criterion.objects.all(),
            Feature.objects.all(),
        )
    answers = json.loads((ROOT / "docs/examples/assurmer.json").read_text())
    token_file.write_text(recommendation_create(answers=answers).token)
    print(f"Catalogue: {Hypervisor.objects.count()} hypervisors; share token in {token_file}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
