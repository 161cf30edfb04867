"""RVTools exports written for the tests with XlsxWriter (workbooks) and csv (one file a tab),
in the header variants of different RVTools versions."""

import csv
import datetime
import io

import xlsxwriter

# Headers by RVTools version: 4.x (current) and an older 3.x workbook.
HEADERS = {
    "4": {
        "vHost": ["Host", "Datacenter", "Cluster", "# CPU", "Cores per CPU", "# Cores", "# Memory"],
        "vInfo": [
            "VM",
            "Powerstate",
            "Template",
            "CPUs",
            "Memory",
            "HW version",
            "Host",
            "OS according to the configuration file",
            "OS according to the VMware Tools",
        ],
        "vMetaData": ["RVTools major version", "RVTools version", "xlsx creation datetime"],
    },
    "3": {
        "vHost": ["Host", "Datacenter", "Cluster", "# CPU", "# Cores", "# Memory"],
        "vInfo": [
            "VM",
            "Power state",
            "Template",
            "CPUs",
            "Memory",
            "HW Version",
            "Host",
            "OS",
        ],
        "vMetaData": ["RVTools version", "xlsx creation datetime"],
    },
}


def host_rows(hosts, version):
    for name, sockets, cores in hosts:
        common = [name, "DC1", "Cluster1", sockets]
        if version == "4":
            yield [*common, cores, sockets * cores, 524288]
        else:
            yield [*common, sockets * cores, 524288]


def vm_rows(vms, version):
    for vm in vms:
        name, power, template, os_name, host, hw = vm
        if version == "4":
            yield [name, power, template, 4, 8192, hw, host, os_name, os_name]
        else:
            yield [name, power, template, 4, 8192, hw, host, os_name]


def sheets(hosts, vms, *, version="4", snapshots=(), disks=(), usb=(), cds=(), skip=()):
    """The tabs of an export as rows (header first)."""
    tabs = {
        "vHost": [HEADERS[version]["vHost"], *host_rows(hosts, version)],
        "vInfo": [HEADERS[version]["vInfo"], *vm_rows(vms, version)],
        "vSnapshot": [
            ["VM", "Name", "Date / time"],
            *([vm, "before-upgrade", ""] for vm in snapshots),
        ],
        "vDisk": [
            ["VM", "Disk", "Raw", "Shared Bus"],
            *([vm, "Hard disk 1", raw, bus] for vm, raw, bus in disks),
        ],
        "vUSB": [["VM", "Device"], *([vm, "USB key"] for vm in usb)],
        "vCD": [
            ["VM", "Connected", "ISO path"],
            *([vm, connected, "[ds] x.iso"] for vm, connected in cds),
        ],
        "vMetaData": [
            HEADERS[version]["vMetaData"],
            (["4", "4.7.1.4"] if version == "4" else ["3.11.9"])
            + [datetime.datetime(2026, 11, 20, 9, 30)],
        ],
    }
    return {name: rows for name, rows in tabs.items() if name not in skip}


def workbook(tabs) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd hh:mm:ss"}
    )
    for name, rows in tabs.items():
        sheet = book.add_worksheet(name)
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
    book.close()
    return buffer.getvalue()


def csv_files(tabs) -> list[tuple[str, bytes]]:
    """The CSV export: one file a tab, every header prefixed with the tab's name."""
    files = []
    for name, rows in tabs.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(name + header.replace("#", "Num").replace(" ", "") for header in rows[0])
        writer.writerows(rows[1:])
        files.append((f"RVTools_tab{name}.csv", buffer.getvalue().encode("utf-8-sig")))
    return files


def estate_of_48_hosts(version="4"):
    """48 hosts x 2 CPUs x 16 cores; 1,212 VMs (1,090 on) and 6 templates; 740 Windows Server
    VMs spread over the hosts, 460 Linux, 12 FreeBSD."""
    hosts = [(f"esx{n:02}.example.com", 2, 16) for n in range(48)]
    vms = []
    for n in range(1212):
        if n < 740:
            os_name = "Microsoft Windows Server 2019 (64-bit)"
        elif n < 1200:
            os_name = "Red Hat Enterprise Linux 8 (64-bit)"
        else:
            os_name = "FreeBSD 13 (64-bit)"
        power = "poweredOn" if n < 1090 else "poweredOff"
        vms.append(
            (f"vm{n:04}", power, False, os_name, hosts[n % 48][0], "vmx-19" if n >= 10 else "vmx-8")
        )
    vms += [
        (
            f"tpl{n}",
            "poweredOff",
            True,
            "Microsoft Windows Server 2022 (64-bit)",
            hosts[0][0],
            "vmx-19",
        )
        for n in range(6)
    ]
    return sheets(
        hosts,
        vms,
        version=version,
        snapshots=["vm0001", "vm0001", "vm0002", "vm0100"],
        disks=[
            ("vm0003", True, "noSharing"),
            ("vm0004", False, "physicalSharing"),
            ("vm0005", False, "noSharing"),
        ],
        usb=["vm0006"],
        cds=[("vm0007", True), ("vm0008", False)],
    )
