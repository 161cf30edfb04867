"""The public pages' throughput, each measured by Debian's `wrk` against the running server,
one page at a time in one run, as a ratio to the one-query baseline's.

Run by loadtest/run.sh: `throughput.py <base URL> <results dir>`, with HVSELECT_LOADTEST_TOKEN
naming the saved recommendation to read. wrk is a small C program: unlike Locust it leaves
the two cores to the server, so the ratios measure the pages, not the load generator.
"""

import json
import os
import subprocess
import sys
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONNECTIONS = os.environ.get("LOADTEST_CONNECTIONS", "8")
SECONDS_EACH = os.environ.get("LOADTEST_SECONDS", "20")
# What a browser behind the TLS proxy sends, gzip included.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    target: float  # the least throughput, as a ratio to the baseline's


BASELINE = Page("baseline (1 query)", "/benchmark/baseline/", 1.0)


def pages(token: str) -> list[Page]:
    return [
        Page("share page", f"/r/{token}/", 0.8),
        Page("home", "/en/", 0.5),
        Page("catalogue", "/en/hypervisors/", 0.5),
        Page("product detail", "/en/hypervisors/proxmox-ve/", 0.5),
        Page(
            "compare (3 products)",
            "/en/compare/?h=proxmox-ve&h=vmware-esxi&h=microsoft-hyper-v",
            0.5,
        ),
        Page("methodology", "/en/methodology/", 0.5),
    ]


def measure(base_url: str, page: Page) -> dict:
    url = base_url + page.path
    # One request first: it must answer 200, and it fills the cache as a first reader would.
    with urllib.request.urlopen(urllib.request.Request(url, headers=HEADERS)) as response:
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
    command = ["wrk", "--threads", "1", "--connections", CONNECTIONS]
    command += ["--duration", f"{SECONDS_EACH}s", "--timeout", "10s"]
    command += ["--script", str(HERE / "wrk_summary.lua")]
    for name, value in HEADERS.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    summary = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    seconds = summary["duration_us"] / 1e6
    return {
        **asdict(page),
        "requests": summary["requests"],
        "errors": summary["socket_errors"] + summary["status_errors"],
        "requests_per_second": summary["requests"] / seconds,
        "kilobytes_per_request": summary["bytes"] / max(summary["requests"], 1) / 1024,
        "p50_ms": summary["p50_us"] / 1000,
        "p99_ms": summary["p99_us"] / 1000,
    }


def main(base_url: str, results: Path) -> None:
    token = os.environ["HVSELECT_LOADTEST_TOKEN"]
    # The baseline before and after the pages: the ratios use their mean, so a machine
    # that slows down during the run does not flatter or blame the pages.
    rows = [measure(base_url, BASELINE)]
    for page in pages(token):
        print(f"== {page.name}: {CONNECTIONS} connections for {SECONDS_EACH} s", flush=True)
        rows.append(measure(base_url, page))
    rows.append(measure(base_url, BASELINE))
    run = {"connections": CONNECTIONS, "seconds": SECONDS_EACH, "pages": rows}
    (results / "throughput.json").write_text(json.dumps(run, indent=2))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
