"""Turn Locust's CSV statistics into the short report of make loadtest, and check the
targets: no error, the share page within 2x of the baseline's throughput, submission p95
under 200 ms."""

import csv
import platform
import sys
from pathlib import Path

ROWS = [
    ("BaselineUser", "baseline (1 query)"),
    ("ShareReader", "share page"),
    ("Journey", "questionnaire step"),
    ("Journey", "submission"),
    ("Journey", "share page (new)"),
]


def stats(results: Path, user: str, name: str) -> dict:
    with (results / f"{user}_stats.csv").open() as file:
        return next(row for row in csv.DictReader(file) if row["Name"] == name)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    cores = sum(1 for line in cpuinfo if line.startswith("processor"))
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return f"{cores} × {cpu}, {memory_kb // 1024 // 1024} GiB, {platform.platform()}"


def main(results: Path, workers: str, users: str, seconds: str) -> int:
    table = {(user, name): stats(results, user, name) for user, name in ROWS}
    print(f"Machine: {machine()}. gunicorn {workers} sync workers, production settings,")
    print(f"PostgreSQL and Locust on the same machine; {users} users of each kind, {seconds} s")
    print("each: baseline and share page without pause (throughput), the journey with about")
    print("a second between pages (latency at a steady rate). Catalogue of 50 hypervisors.\n")
    print("| Request | Requests | Errors | p50 ms | p95 ms | p99 ms | Requests/s |")
    print("|---|---|---|---|---|---|---|")
    for (_, name), row in table.items():
        print(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} "
            f"| {row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )
    errors = sum(int(row["Failure Count"]) for row in table.values())
    baseline = float(table["BaselineUser", "baseline (1 query)"]["Requests/s"])
    share = float(table["ShareReader", "share page"]["Requests/s"])
    submission_p95 = float(table["Journey", "submission"]["95%"])
    checks = [
        (f"no error ({errors})", errors == 0),
        (
            f"share page within 2x of the baseline ({share:.0f} vs {baseline:.0f} requests/s)",
            share * 2 >= baseline,
        ),
        (f"submission p95 under 200 ms ({submission_p95:.0f} ms)", submission_p95 < 200),
    ]
    print()
    for label, ok in checks:
        print(f"- {'PASS' if ok else 'FAIL'}: {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), *sys.argv[2:5]))
