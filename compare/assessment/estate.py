"""The company's estate as the cost engine needs it: a list of host groups, the horizon, the
currency and the support asked for, from the answers (or an answers file's `hosts` list)."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

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
