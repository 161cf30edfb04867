"""Benchmark: the PDF download of a recommendation, first render and from the cache.

    make benchmark-pdf

Creates a throwaway test database (as the test suite does), loads the shipped catalogue,
saves Assurmer's recommendation, then times GET /r/<token>.pdf through Django's test client:
the first request renders with WeasyPrint, the next ones come from the cache. Figures in
docs/performance.md.
"""

import json
import statistics
import time

from throwaway import ROOT, throwaway_database

RUNS = 5


def main() -> None:
    with throwaway_database():
        from django.core.cache import cache
        from django.test import Client

        from compare.catalogue.reference import load_reference_data
        from compare.reports.services import recommendation_create

        load_reference_data()
        answers = json.loads((ROOT / "docs/examples/assurmer.json").read_text())
        token = recommendation_create(answers=answers).token
        client = Client()
        first, cached = [], []
        for _run in range(RUNS):
            cache.clear()
            first.append(timed(client, token))
            cached.append(timed(client, token))
        size = len(client.get(f"/r/{token}.pdf").content)
        print(f"PDF of {size / 1024:.0f} KiB, {RUNS} runs")
        print(f"first render: median {statistics.median(first):.2f} s, max {max(first):.2f} s")
        print(f"from the cache: median {1000 * statistics.median(cached):.1f} ms")


def timed(client, token: str) -> float:
    start = time.perf_counter()
    response = client.get(f"/r/{token}.pdf")
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed


if __name__ == "__main__":
    main()
