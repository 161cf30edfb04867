"""Reading RVTools exports: the figures of a generated 48-host estate, both header variants,
the CSV export, and every refusal with a message that names the problem."""

import io
import struct
import zipfile
import zlib

import pytest

from compare.assessment.rvtools import ExportError, read_export
from tests.rvtools_exports import csv_files, estate_of_48_hosts, sheets, workbook

ESTATE = [
    {"sockets": 2, "cores_per_socket": 16, "windows_vms": 15, "count": 28},
    {"sockets": 2, "cores_per_socket": 16, "windows_vms": 16, "count": 20},
]


@pytest.mark.parametrize("version", ["4", "3"])
def test_the_48_host_export_in_both_header_variants(version):
    summary = read_export([("export.xlsx", workbook(estate_of_48_hosts(version)))])
    assert (summary.host_count, summary.sockets, summary.cores) == (48, 96, 1536)
    assert (summary.vm_count, summary.powered_on) == (1212, 1090)
    # 740 Windows Server VMs on 48 hosts: 20 hosts run 16 of them, 28 run 15.
    assert sorted(summary.hosts, key=lambda g: g["windows_vms"]) == ESTATE
    assert summary.windows_server_vms == 740
    assert summary.families == {"windows": 740, "linux": 460, "bsd": 12}
    assert round(100 * summary.family_shares["windows"]) == 61
    assert round(100 * summary.family_shares["linux"]) == 38
    assert summary.exported_on == "2026-11-20"
    readiness = summary.readiness
    assert (readiness.snapshots, readiness.rdm_or_shared_disks) == (3, 2)
    assert (readiness.usb_devices, readiness.connected_cd) == (1, 1)
    assert (readiness.powered_off, readiness.templates) == (122, 6)
    assert (readiness.oldest_hardware_version, readiness.old_hardware) == (8, 10)


def test_the_csv_export_reads_the_same():
    summary = read_export(csv_files(estate_of_48_hosts()))
    assert (summary.host_count, summary.cores, summary.vm_count) == (48, 1536, 1212)
    assert summary.readiness.snapshots == 3


def test_uneven_hosts_keep_their_own_shape():
    tabs = sheets([("a", 1, 8), ("b", 2, 16), ("c", 4, 24)], [])
    summary = read_export([("uneven.xlsx", workbook(tabs))])
    assert summary.hosts == [
        {"sockets": 1, "cores_per_socket": 8, "windows_vms": 0, "count": 1},
        {"sockets": 2, "cores_per_socket": 16, "windows_vms": 0, "count": 1},
        {"sockets": 4, "cores_per_socket": 24, "windows_vms": 0, "count": 1},
    ]
    assert summary.vm_count == 0


def test_no_name_is_kept():
    summary = read_export([("export.xlsx", workbook(estate_of_48_hosts()))])
    assert "esx" not in str(summary.as_dict()) and "vm0" not in str(summary.as_dict())


def zip_bomb() -> bytes:
    """A workbook-shaped zip whose one entry inflates 1,000 times: 100 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 100 * 1024 * 1024)
    return buffer.getvalue()


def png() -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0"))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [
                (
                    "export.xlsx",
                    workbook(
                        estate_of_48_hosts(),
                    ),
                )
            ],
            None,
        ),
        (
            [("export.xlsx", workbook(sheets([("a", 2, 16)], [], skip=("vHost",))))],
            "The export has no vHost sheet.",
        ),
        (
            [
                (
                    "export.xlsx",
                    workbook(
                        {
                            **sheets([("a", 2, 16)], []),
                            "vHost": [["Host", "Cores per CPU"], ["a", 16]],
                        }
                    ),
                )
            ],
            "The vHost sheet has no “# CPU” column.",
        ),
        ([("photo.xlsx", png())], "“photo.xlsx” is not an .xlsx workbook"),
        ([("bomb.xlsx", zip_bomb())], "“bomb.xlsx” unpacks to far more than a workbook"),
        ([("big.xlsx", b"PK\x03\x04" + b"\0" * (30 * 1024 * 1024))], "larger than 25 MB"),
        ([("notes.csv", b"name,colour\nx,blue\n")], "is not a CSV export of an RVTools tab"),
        (
            [("export.xlsx", workbook(sheets([("a", "two", 16)], [])))],
            "where a number of CPUs is expected",
        ),
        ([], "Choose the RVTools export to read."),
    ],
)
def test_a_bad_export_is_refused_with_its_reason(files, message):
    if message is None:
        assert read_export(files).host_count == 48
        return
    with pytest.raises(ExportError, match=message):
        read_export(files)
