"""The company's estate as the cost engine needs it: a list of host groups, the horizon, the
currency and the support asked for, from the answers (or an answers file's `hosts` list)."""

import datetime
from collections.abc import Mapping

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compare.engine.costs import Estate, Host, SupportHours, uniform_hosts

HOSTS_KEY = "hosts"
MAX_HOSTS = 10_000
HOST_FIELDS = {  # field: (minimum, maximum, default)
    "sockets": (1, 8, None),
    "cores_per_socket": (1, 256, None),
    "windows_vms": (0, 100_000, 0),
    "count": (1, MAX_HOSTS, 1),
}
SUPPORT_NEEDS = {
    "community": SupportHours.NONE,
    "business_hours": SupportHours.BUSINESS_HOURS,
    "24x7": SupportHours.ROUND_THE_CLOCK,
}


def clean_hosts(value) -> tuple[list[dict], list[str]]:
    """An uneven estate, `[{"sockets": 2, "cores_per_socket": 16, "windows_vms": 10}, ...]`
    (optionally `"count"` identical hosts each): identical hosts grouped, and the problems."""
    if not isinstance(value, list) or not value:
        return [], [_("“hosts” must be a non-empty list of hosts.")]
    groups: dict[tuple, int] = {}
    errors = []
    for number, host in enumerate(value, start=1):
        if not isinstance(host, Mapping):
            errors.append(_("Host %(number)s must be an object.") % {"number": number})
            continue
        unknown = set(host) - set(HOST_FIELDS)
        if unknown:
            errors.append(
                _("Host %(number)s: unknown field “%(field)s”.")
                % {"number": number, "field": sorted(unknown)[0]}
            )
        figures = {}
        for name, (low, high, default) in HOST_FIELDS.items():
            figure = host.get(name, default)
            if isinstance(figure, bool) or not isinstance(figure, int) or not low <= figure <= high:
                errors.append(
                    _(
                        "Host %(number)s: “%(field)s” must be a whole number from %(low)s "
                        "to %(high)s."
                    )
                    % {"number": number, "field": name, "low": low, "high": high}
                )
            figures[name] = figure
        if not errors:
            shape = (figures["sockets"], figures["cores_per_socket"], figures["windows_vms"])
            groups[shape] = groups.get(shape, 0) + figures["count"]
    if not errors and sum(groups.values()) > MAX_HOSTS:
        errors.append(_("At most %(max)s hosts.") % {"max": MAX_HOSTS})
    cleaned = [
        {"sockets": s, "cores_per_socket": c, "windows_vms": w, "count": n}
        for (s, c, w), n in groups.items()
    ]
    return ([] if errors else cleaned), errors


def estate_from(answers: Mapping, *, owned_licences=frozenset()) -> Estate:
    """The estate of cleaned answers: their `hosts` list, or `host_count` identical hosts."""
    if answers.get(HOSTS_KEY):
        hosts = tuple(Host(**host) for host in answers[HOSTS_KEY])
    else:
        hosts = uniform_hosts(
            answers.get("host_count") or 0,
            answers.get("sockets_per_host") or 0,
            answers.get("cores_per_socket") or 0,
            answers.get("windows_vms") or 0,
        )
    return Estate(
        hosts=hosts,
        years=int(answers.get("horizon_years") or 3),
        report_currency=(answers.get("currency") or "eur").upper(),
        support=SUPPORT_NEEDS.get(answers.get("support"), SupportHours.NONE),
        owned_licences=frozenset(owned_licences),
    )


def export_answers(summary) -> dict:
    """The answers an RVTools export gives: the estate (its most common host shape for the
    per-host questions), the guest families present, and VMware as today's platform."""
    shape = max(summary.hosts, key=lambda group: group["count"])
    families = [f for f in ("windows", "linux", "bsd", "macos") if summary.families.get(f)]
    return {
        "host_count": summary.host_count,
        "sockets_per_host": shape["sockets"],
        "cores_per_socket": shape["cores_per_socket"],
        "vm_count": summary.vm_count,
        "windows_vms": summary.windows_server_vms,
        **({"guest_os": families} if families else {}),
        "current_platform": "vmware",
    }


def export_still_applies(export: dict, answers: Mapping) -> bool:
    """The export's host list stands for the estate while the host answers it filled are
    unchanged; a user who edits them describes another estate."""
    shape = max(export["hosts"], key=lambda group: group["count"])
    return (
        answers.get("host_count") == export["host_count"]
        and answers.get("sockets_per_host") == shape["sockets"]
        and answers.get("cores_per_socket") == shape["cores_per_socket"]
        and answers.get("windows_vms") == export["windows_server_vms"]
    )


def describe_export(export: dict) -> str:
    """What was read, in one sentence: "From the RVTools export of 20 November 2026: 48 hosts,
    96 sockets, 1,536 cores, 1,212 VMs of which 1,090 powered on; Windows 61 %, Linux 38 %."."""

    def figure(value):
        return formats.number_format(value, force_grouping=True)

    counts = _("%(hosts)s, %(sockets)s, %(cores)s, %(vms)s of which %(on)s powered on") % {
        "hosts": ngettext("%(n)s host", "%(n)s hosts", export["host_count"])
        % {"n": figure(export["host_count"])},
        "sockets": ngettext("%(n)s socket", "%(n)s sockets", export["sockets"])
        % {"n": figure(export["sockets"])},
        "cores": ngettext("%(n)s core", "%(n)s cores", export["cores"])
        % {"n": figure(export["cores"])},
        "vms": ngettext("%(n)s VM", "%(n)s VMs", export["vm_count"])
        % {"n": figure(export["vm_count"])},
        "on": figure(export["powered_on"]),
    }
    labels = {"windows": "Windows", "linux": "Linux", "bsd": "BSD", "macos": "macOS"}
    shares = ", ".join(
        _("%(family)s %(share)s %%")
        % {"family": labels.get(family, _("other")), "share": round(100 * share)}
        for family, share in export.get("family_shares", {}).items()
    )
    exported_on = export.get("exported_on")
    if exported_on:
        day = formats.date_format(datetime.date.fromisoformat(exported_on), "DATE_FORMAT")
        intro = _("From the RVTools export of %(date)s") % {"date": day}
    else:
        intro = _("From the RVTools export")
    if not shares:
        return _("%(intro)s: %(counts)s.") % {"intro": intro, "counts": counts}
    return _("%(intro)s: %(counts)s; %(shares)s.") % {
        "intro": intro,
        "counts": counts,
        "shares": shares,
    }
