"""Read an RVTools export (one .xlsx workbook, or one CSV file per tab) into the estate's
aggregates: host shapes, VM counts, guest families, and what will need attention before a
migration. See shared/reference/rvtools.md for the sheets and the version drift.

Everything happens in memory, on bytes the upload handler already bounded; the workbook is
checked as a zip first (entry count, total and per-entry uncompressed size) so a zip bomb is
refused before anything is decompressed. Only aggregates leave this module: no VM or host
name is kept.
"""

import csv
import datetime
import io
import re
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 200  # an entry that inflates more than this is a bomb, not XML

# Column aliases by sheet: the workbook's header across RVTools versions, and the CSV
# export's (the tab's name then the column: vInfoCPUs). Compared without case, spaces or signs.
COLUMNS = {
    "vHost": {
        "host": ["Host", "vHostName"],
        "sockets": ["# CPU", "CPU", "vHostNumCPU"],
        "cores_per_socket": ["Cores per CPU", "vHostCoresPerCPU"],
        "cores": ["# Cores", "vHostNumCpuCores", "vHostNumCores"],
    },
    "vInfo": {
        "vm": ["VM", "vInfoVMName"],
        "power": ["Powerstate", "Power state", "vInfoPowerstate"],
        "template": ["Template", "vInfoTemplate"],
        "os_config": ["OS according to the configuration file", "OS", "vInfoOS"],
        "os_tools": ["OS according to the VMware Tools", "vInfoOSTools"],
        "hw_version": ["HW version", "HW Version", "Hardware version", "vInfoHWVersion"],
        "host": ["Host", "vInfoHost"],
    },
    "vSnapshot": {"vm": ["VM", "vSnapshotVMName", "vSnapshotVM"]},
    "vDisk": {
        "vm": ["VM", "vDiskVMName", "vDiskVM"],
        "raw": ["Raw", "vDiskRaw"],
        "shared_bus": ["Shared Bus", "vDiskSharedBus"],
        "sharing": ["Sharing", "vDiskSharing"],
    },
    "vUSB": {"vm": ["VM", "vUSBVMName", "vUSBVM"]},
    "vCD": {"vm": ["VM", "vCDVMName", "vCDVM"], "connected": ["Connected", "vCDConnected"]},
    "vMetaData": {
        "version": ["RVTools version", "vMetaDataRVToolsversion"],
        "created": ["xlsx creation datetime", "vMetaDataxlsxcreationdatetime"],
    },
}
REQUIRED = {
    "vHost": ["sockets"],  # and cores per socket, or the host's cores
    "vInfo": ["vm", "power"],
}
OLD_HARDWARE = 11  # virtual hardware below vmx-11 (ESXi 6.0): older than most tools expect


class ExportError(ValueError):
    """The file is not a usable RVTools export; the message says what is wrong."""


@dataclass
class Readiness:
    """What will need attention before moving, in VMs (templates apart)."""

    snapshots: int = 0  # VMs with snapshots: consolidate first
    rdm_or_shared_disks: int = 0  # raw device mappings or shared disks
    usb_devices: int = 0
    connected_cd: int = 0  # a CD or ISO still connected
    powered_off: int = 0
    templates: int = 0
    oldest_hardware_version: int | None = None
    old_hardware: int = 0  # below OLD_HARDWARE


@dataclass
class ExportSummary:
    exported_on: str  # ISO date, or "" when the export does not say
    rvtools_version: str
    hosts: list[dict]  # grouped: sockets, cores_per_socket, windows_vms, count
    host_count: int
    sockets: int
    cores: int
    vm_count: int  # templates apart
    powered_on: int
    windows_server_vms: int
    families: dict[str, int]  # guest family -> VMs
    readiness: Readiness = field(default_factory=Readiness)

    @property
    def family_shares(self) -> dict[str, float]:
        total = sum(self.families.values()) or 1
        return {family: count / total for family, count in self.families.items()}

    def as_dict(self) -> dict:
        return {**asdict(self), "family_shares": self.family_shares}


def read_export(files: list[tuple[str, bytes]]) -> ExportSummary:
    """The summary of an export: one workbook, or CSV files (vHost and vInfo at least)."""
    if not files:
        raise ExportError(_("Choose the RVTools export to read."))
    if sum(len(data) for _name, data in files) > MAX_UPLOAD_BYTES:
        raise ExportError(
            _("The export is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
        )
    if len(files) == 1 and not files[0][0].lower().endswith(".csv"):
        sheets = _workbook_sheets(*files[0])
    else:
        sheets = _csv_sheets(files)
    return _summarise(sheets)


# Reading the files -------------------------------------------------------------------------


def _workbook_sheets(name: str, data: bytes) -> dict[str, list[list]]:
    if not data.startswith(b"PK\x03\x04"):
        raise ExportError(
            _("“%(name)s” is not an .xlsx workbook (nor a CSV file of an RVTools tab).")
            % {"name": name}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ExportError(_("“%(name)s” is a damaged workbook.") % {"name": name}) from error
    total = sum(entry.file_size for entry in entries)
    too_dense = any(
        entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1) for entry in entries
    )
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED_BYTES or too_dense:
        raise ExportError(
            _("“%(name)s” unpacks to far more than a workbook: it was refused.") % {"name": name}
        )
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise ExportError(_("“%(name)s” is not an .xlsx workbook.") % {"name": name})
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        wanted = [sheet for sheet in workbook.sheet_names if sheet in COLUMNS]
        return {sheet: workbook.get_sheet_by_name(sheet).to_python() for sheet in wanted}
    except Exception as error:  # calamine's errors have no common public base class
        raise ExportError(
            _("“%(name)s” could not be read as a workbook.") % {"name": name}
        ) from error


def _csv_sheets(files: list[tuple[str, bytes]]) -> dict[str, list[list]]:
    """Each CSV is one tab; its headers start with the tab's name (vInfoCPUs)."""
    sheets = {}
    for name, data in files:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # RVTools on Windows
        if "\x00" in text:
            raise ExportError(_("“%(name)s” is not a CSV file.") % {"name": name})
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0] if rows else []
        tab = next(
            (
                sheet
                for sheet in COLUMNS
                if header and _normal(header[0]).startswith(_normal(sheet))
            ),
            None,
        )
        if tab is None:
            raise ExportError(
                _("“%(name)s” is not a CSV export of an RVTools tab (vHost, vInfo...).")
                % {"name": name}
            )
        sheets[tab] = rows
    return sheets


# Columns and values ------------------------------------------------------------------------


def _normal(header) -> str:
    return re.sub(r"[^a-z0-9]", "", str(header).lower())


def _columns(sheet: str, rows: list[list]) -> dict[str, int]:
    header = [_normal(cell) for cell in (rows[0] if rows else [])]
    found = {}
    for key, aliases in COLUMNS[sheet].items():
        # Each alias as it is, and with the tab's name before it (the CSV export's way).
        names = [_normal(prefix + alias) for alias in aliases for prefix in ("", sheet)]
        index = next((header.index(name) for name in names if name in header), None)
        if index is not None:
            found[key] = index
    for key in REQUIRED.get(sheet, []):
        if key not in found:
            raise ExportError(
                _("The %(sheet)s sheet has no “%(column)s” column.")
                % {"sheet": sheet, "column": COLUMNS[sheet][key][0]}
            )
    return found


def _records(sheets, sheet: str) -> list[dict]:
    rows = sheets.get(sheet, [])
    columns = _columns(sheet, rows) if rows else {}
    return [
        {key: row[index] if index < len(row) else "" for key, index in columns.items()}
        for row in rows[1:]
        if any(str(cell).strip() for cell in row)
    ]


def _number(value, sheet: str, column: str) -> int:
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise ExportError(
            _("The %(sheet)s sheet has “%(value)s” where a number of %(column)s is expected.")
            % {"sheet": sheet, "value": str(value)[:40], "column": column}
        ) from None
    if not 0 <= number <= 100_000:
        raise ExportError(
            _("The %(sheet)s sheet has an impossible %(column)s: %(value)s.")
            % {"sheet": sheet, "column": column, "value": value}
        )
    return int(number)


def _true(value) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "x")


def _family(os_name: str) -> str:
    name = os_name.lower()
    if "windows" in name:
        return "windows"
    if "bsd" in name:
        return "bsd"
    if any(
        word in name
        for word in (
            "linux",
            "ubuntu",
            "debian",
            "centos",
            "red hat",
            "rhel",
            "suse",
            "sles",
            "fedora",
            "photon",
            "rocky",
            "alma",
        )
    ):
        return "linux"
    if "mac os" in name or "macos" in name or "darwin" in name:
        return "macos"
    return "other"


def _hardware(value) -> int | None:
    match = re.search(r"(\d+)", str(value))
    return int(match.group(1)) if match else None


def _date(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, int | float) and 20000 < value < 80000:  # an Excel day number
        return (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))).isoformat()
    match = re.search(r"(\d{4})[-/](\d{2})[-/](\d{2})", str(value))
    return "-".join(match.groups()) if match else ""


# The summary ---------------------------------------------------------------------------


def _summarise(sheets) -> ExportSummary:
    for sheet in REQUIRED:
        if sheet not in sheets:
            raise ExportError(_("The export has no %(sheet)s sheet.") % {"sheet": sheet})
    hosts = _records(sheets, "vHost")
    if not hosts:
        raise ExportError(_("The vHost sheet lists no host."))
    if "cores_per_socket" not in hosts[0] and "cores" not in hosts[0]:
        raise ExportError(
            _("The vHost sheet has no “%(column)s” column.") % {"column": "Cores per CPU"}
        )
    vms = _records(sheets, "vInfo")
    machines = [vm for vm in vms if not _true(vm.get("template", ""))]
    templates = len(vms) - len(machines)

    windows_by_host = Counter()
    families = Counter()
    for vm in machines:
        os_name = str(vm.get("os_tools") or vm.get("os_config") or "")
        families[_family(os_name)] += 1
        if "windows server" in os_name.lower():
            windows_by_host[str(vm.get("host", ""))] += 1

    shapes = Counter()
    for host in hosts:
        sockets = _number(host["sockets"], "vHost", "CPUs")
        if "cores_per_socket" in host and str(host["cores_per_socket"]).strip():
            per_socket = _number(host["cores_per_socket"], "vHost", "cores per CPU")
        else:
            per_socket = _number(host["cores"], "vHost", "cores") // max(sockets, 1)
        if not (1 <= sockets <= 8 and 1 <= per_socket <= 256):
            raise ExportError(
                _("The vHost sheet has a host with %(sockets)s CPUs of %(cores)s cores.")
                % {"sockets": sockets, "cores": per_socket}
            )
        shapes[(sockets, per_socket, windows_by_host.get(str(host.get("host", "")), 0))] += 1
    groups = [
        {"sockets": s, "cores_per_socket": c, "windows_vms": w, "count": n}
        for (s, c, w), n in sorted(shapes.items())
    ]
    readiness = _readiness(sheets, machines, templates)
    meta = (_records(sheets, "vMetaData") or [{}])[0]
    return ExportSummary(
        exported_on=_date(meta.get("created", "")),
        rvtools_version=str(meta.get("version", "")).strip(),
        hosts=groups,
        host_count=sum(g["count"] for g in groups),
        sockets=sum(g["count"] * g["sockets"] for g in groups),
        cores=sum(g["count"] * g["sockets"] * g["cores_per_socket"] for g in groups),
        vm_count=len(machines),
        powered_on=sum(str(vm["power"]).strip().lower() == "poweredon" for vm in machines),
        # The VMs whose host is in the vHost sheet count towards its Windows licence.
        windows_server_vms=sum(g["count"] * g["windows_vms"] for g in groups),
        families=dict(families.most_common()),
        readiness=readiness,
    )


def _readiness(sheets, machines, templates) -> Readiness:
    def vms_in(sheet, keep=lambda record: True) -> int:
        return len({str(r.get("vm", "")) for r in _records(sheets, sheet) if keep(r)})

    def shared_or_raw(disk) -> bool:
        bus = str(disk.get("shared_bus", "")).strip().lower()
        sharing = str(disk.get("sharing", "")).strip().lower()
        return (
            _true(disk.get("raw", ""))
            or bus not in ("", "nosharing", "none")
            or sharing not in ("", "nosharing", "sharingnone")
        )

    versions = [v for v in (_hardware(vm.get("hw_version", "")) for vm in machines) if v]
    return Readiness(
        snapshots=vms_in("vSnapshot"),
        rdm_or_shared_disks=vms_in("vDisk", shared_or_raw),
        usb_devices=vms_in("vUSB"),
        connected_cd=vms_in("vCD", lambda cd: _true(cd.get("connected", ""))),
        powered_off=sum(str(vm["power"]).strip().lower() != "poweredon" for vm in machines),
        templates=templates,
        oldest_hardware_version=min(versions) if versions else None,
        old_hardware=sum(v < OLD_HARDWARE for v in versions),
    )
