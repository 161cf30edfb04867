"""Benchmark: read an RVTools export of 1,000 hosts and 10,000 VMs, every relevant sheet.

    make benchmark-rvtools

Writes the workbook (XlsxWriter), then reads it in a fresh process, as the site would:
bytes in memory, the zip checks, calamine, the aggregates. Prints the wall time of the read
and the process's peak resident memory (Python and Django included). Figures in
docs/performance.md; targets: under 2 s and under 300 MB.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOSTS, VMS = 1_000, 10_000


def write(path: Path) -> None:
    from tests.rvtools_exports import sheets, workbook

    hosts = [(f"esx{n:04}", 2, 24 if n % 3 else 16) for n in range(HOSTS)]
    systems = ["Microsoft Windows Server 2022 (64-bit)", "Red Hat Enterprise Linux 9 (64-bit)"]
    vms = [
        (
            f"vm{n:05}",
            "poweredOn" if n % 10 else "poweredOff",
            n % 97 == 0,
            systems[n % 2],
            hosts[n % HOSTS][0],
            f"vmx-{8 + n % 14}",
        )
        for n in range(VMS)
    ]
    tabs = sheets(
        hosts,
        vms,
        snapshots=[f"vm{n:05}" for n in range(0, VMS, 7)],
        disks=[(f"vm{n:05}", n % 50 == 0, "noSharing") for n in range(VMS)],
        usb=[f"vm{n:05}" for n in range(0, VMS, 101)],
        cds=[(f"vm{n:05}", n % 13 == 0) for n in range(VMS)],
    )
    path.write_bytes(workbook(tabs))


def read(path: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    from compare.assessment.rvtools import read_export

    started = time.perf_counter()
    summary = read_export([(path.name, path.read_bytes())])
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"read {path.stat().st_size / 2**20:.1f} MB: {summary.host_count} hosts, "
        f"{summary.vm_count} VMs in {elapsed:.2f} s; peak memory {peak:.0f} MB"
    )
    ok = elapsed < 2 and peak < 300
    print("targets (< 2 s, < 300 MB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if len(sys.argv) == 3 and sys.argv[1] == "--read":
        read(Path(sys.argv[2]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            export = Path(folder) / "rvtools-1000-hosts.xlsx"
            write(export)
            subprocess.run([sys.executable, __file__, "--read", str(export)], check=True)
