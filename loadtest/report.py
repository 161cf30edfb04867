"""Turn wrk's and Locust's figures into the short report of make loadtest, and check the
targets: no error; each public page's throughput at least its share of the baseline's (the
share page 0.8x, the catalogue's pages 0.5x); the submission's p95 under 200 ms."""

import csv
import json
import platform
import sys
from pathlib import Path

JOURNEY_ROWS = ["questionnaire step", "submission", "share page (new)"]


def journey_stats(results: Path) -> dict[str, dict]:
    with (results / "Journey_stats.csv").open() as file:
        rows = {row["Name"]: row for row in csv.DictReader(file)}
    return {name: rows[name] for name in JOURNEY_ROWS}


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    cores = sum(1 for line in cpuinfo if line.startswith("processor"))
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return f"{cores} × {cpu}, {memory_kb // 1024 // 1024} GiB, {platform.platform()}"


def main(results: Path, workers: str, users: str) -> int:
    run = json.loads((results / "throughput.json").read_text())
    pages = run["pages"]
    first, *measured, last = pages
    baseline = (first["requests_per_second"] + last["requests_per_second"]) / 2
    journey = journey_stats(results)
    print(f"Machine: {machine()}. gunicorn {workers} sync workers, production settings;")
    print("PostgreSQL, Redis (when it answers) and the load generators on the same machine.")
    print("Catalogue of 50 hypervisors.\n")
    print(f"Throughput: wrk, one page at a time, {run['connections']} connections without pause")
    print(f"for {run['seconds']} s each, gzip accepted. The baseline ran first and last; the")
    print(f"ratios use its mean, {baseline:.0f} requests/s.\n")
    print("| Page | Requests | Errors | KB | p50 ms | p99 ms | Requests/s | × baseline | Target |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in pages:
        ratio = row["requests_per_second"] / baseline
        target = "" if row is first or row is last else f"≥ {row['target']:.1f}"
        print(
            f"| {row['name']} | {row['requests']} | {row['errors']} "
            f"| {row['kilobytes_per_request']:.1f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {row['requests_per_second']:.0f} | {ratio:.2f} | {target} |"
        )
    print(f"\nJourney: Locust, {users} people filling the questionnaire, about a second between")
    print("pages, submitting it and opening their page.\n")
    print("| Request | Requests | Errors | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for name, row in journey.items():
        print(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} "
            f"| {row['95%']} | {row['99%']} |"
        )
    errors = sum(row["errors"] for row in pages)
    errors += sum(int(row["Failure Count"]) for row in journey.values())
    submission_p95 = float(journey["submission"]["95%"])
    checks = [(f"no error ({errors})", errors == 0)]
    for row in measured:
        ratio = row["requests_per_second"] / baseline
        checks.append(
            (
                f"{row['name']} at {ratio:.2f}× the baseline (≥ {row['target']})",
                ratio >= row["target"],
            )
        )
    checks.append((f"submission p95 under 200 ms ({submission_p95:.0f} ms)", submission_p95 < 200))
    print()
    for label, ok in checks:
        print(f"- {'PASS' if ok else 'FAIL'}: {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), *sys.argv[2:4]))
