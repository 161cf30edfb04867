"""Benchmark: the what-if panel's response, and the robustness computed at save time.

    make benchmark-what-if

Creates a throwaway test database (as the test suite does), loads the shipped catalogue
(16 products), saves Assurmer's recommendation and times the panel's request
(GET /r/<token>/what-if/?w.…, as htmx sends it) through Django's test client, with random
weights and requirements; then grows the catalogue to 100 products and does it again.
Last, the Monte Carlo of 2,000 weightings for a recommendation with 50 ranked products.
Figures in docs/performance.md.
"""

import json
import random
import statistics
import time

from throwaway import ROOT, throwaway_database

REQUESTS = 300
ROBUSTNESS_RUNS = 5


def main() -> None:
    with throwaway_database():
        from django.conf import settings
        from django.db import transaction
        from django.test import Client

        from compare.assessment.questionnaire import current_questionnaire
        from compare.catalogue.reference import load_reference_data
        from compare.catalogue.snapshot import current_snapshot
        from compare.engine import robustness as monte_carlo
        from compare.models import Criterion, Feature, Hypervisor
        from compare.reports.services import decide, recommendation_create
        from tests.factories import add_products

        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "what_if": 0}  # the work, not 429s
        load_reference_data()
        answers = json.loads((ROOT / "docs/examples/assurmer.json").read_text())
        cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(f"cache: {cache}; {REQUESTS} what-if requests per catalogue size")
        for size in (16, 100):
            with transaction.atomic():  # the products' sources are checked at commit
                add_products(
                    size - Hypervisor.objects.count(),
                    Criterion.objects.all(),
                    Feature.objects.all(),
                )
            saved = recommendation_create(answers=answers)
            times = what_if_times(Client(), saved)
            print(
                f"what-if, {size} products ({len(saved.inputs['candidates'])} in the snapshot): "
                f"median {statistics.median(times):.1f} ms, "
                f"p95 {statistics.quantiles(times, n=20)[-1]:.1f} ms, max {max(times):.1f} ms"
            )
        # 50 ranked products: the shipped ones that pass Assurmer's needs and generated ones.
        catalogue = current_snapshot()
        decision = decide(answers, questionnaire=current_questionnaire(), catalogue=catalogue)
        ranking = decision.result.ranking[:50]
        runs = []
        for _run in range(ROBUSTNESS_RUNS):
            start = time.perf_counter()
            monte_carlo.robustness(ranking, decision.result.weights)
            runs.append(1000 * (time.perf_counter() - start))
        print(
            f"robustness, {len(ranking)} ranked products, {monte_carlo.SAMPLES} weightings: "
            f"median {statistics.median(runs):.0f} ms, max {max(runs):.0f} ms"
        )


def what_if_times(client, saved) -> list[float]:
    """Milliseconds per request, for random weights and requirements (seeded)."""
    rng = random.Random(13)
    criteria = [c["key"] for c in saved.result["criteria"]]
    units = [u["key"] for u in saved.result["what_if"]["units"] if u["adjustable"]]
    url = f"/r/{saved.token}/what-if/"
    times = []
    for _request in range(REQUESTS):
        query = {f"w.{key}": rng.randint(1, 5) for key in criteria if key != "features"}
        query.update({f"need.{key}": rng.choice(["must", "nice", "no"]) for key in units})
        start = time.perf_counter()
        response = client.get(url, query, HTTP_HX_REQUEST="true")
        times.append(1000 * (time.perf_counter() - start))
        assert response.status_code == 200, response.status_code
    return times


if __name__ == "__main__":
    main()
