"""What each candidate costs this company: licence and vendor support over the horizon.

Plain data in, plain data out, no Django (shared/reference/pricing.md has the rules and
the worked figures the tests reproduce):

- The estate is a list of host groups (count x sockets x physical cores per socket, and the
  Windows Server VMs each host runs). Logical CPUs never count.
- An offer is an edition x support tier with a metric:
  per core per year: licensed cores = sum over CPUs of max(cores per CPU, the per-CPU minimum),
    raised to the per-order minimum when that rule is active (VMware's 16 and 72);
  per socket per year; per host per year;
  per socket pair per year: per server max(1, ceil(sockets / 2), ceil(cores / core cap))
    subscriptions (OpenShift Virtualization Engine's 2 sockets and 128 cores);
  per core pack, perpetual: per host max(per-server minimum, sum of max(cores, per-CPU
    minimum)) cores in packs, times the stacks the host's Windows VMs need when a licence
    covers only a few VMs (Windows Server Standard: 2 per full licensing; Datacenter: all);
  free; price on quote (never counted as free).
- For a candidate, the offer is the cheapest one that unlocks every required feature it has
  only in a paid edition and includes the vendor support asked for (failing that, the
  cheapest licence that unlocks them, its support marked as extra, on quote); an offer on
  quote is chosen only when no priced one fits. Recurring prices count once a year of the horizon,
  perpetual ones once. Totals stay in the offer's currency and are converted with the dated
  EUR/USD rate for the report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Metric(StrEnum):
    PER_CORE_YEAR = "per_core_year"
    PER_SOCKET_YEAR = "per_socket_year"
    PER_SOCKET_PAIR_YEAR = "per_socket_pair_year"
    PER_HOST_YEAR = "per_host_year"
    PER_CORE_PACK_PERPETUAL = "per_core_pack_perpetual"
    FREE = "free"
    QUOTE = "quote"


class SupportHours(StrEnum):
    NONE = "none"
    BUSINESS_HOURS = "business_hours"
    ROUND_THE_CLOCK = "24x7"


SUPPORT_RANK = {
    SupportHours.NONE: 0,
    SupportHours.BUSINESS_HOURS: 1,
    SupportHours.ROUND_THE_CLOCK: 2,
}


class CostStatus(StrEnum):
    PRICED = "priced"
    FREE = "free"
    QUOTE = "quote"
    OWNED = "owned"  # a licence the company already holds (Windows Server for Hyper-V)


RECURRING = {
    Metric.PER_CORE_YEAR,
    Metric.PER_SOCKET_YEAR,
    Metric.PER_SOCKET_PAIR_YEAR,
    Metric.PER_HOST_YEAR,
}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Host:
    sockets: int
    cores_per_socket: int
    windows_vms: int = 0
    count: int = 1  # identical hosts, counted once

    @property
    def cores(self) -> int:
        return self.sockets * self.cores_per_socket


@dataclass(frozen=True)
class Offer:
    product: str  # the candidate's slug
    name: str
    metric: Metric
    amount: Decimal | None = None
    currency: str = ""
    support: SupportHours = SupportHours.NONE
    unlocks: frozenset[str] = frozenset()
    min_cores_per_cpu: int = 0
    min_cores_per_server: int = 0
    min_cores_per_order: int = 0
    order_minimum_active: bool = False
    cores_per_pack: int = 0
    vms_per_licence: int = 0  # 0: every VM on a licensed host
    core_cap: int = 0
    sources: tuple[str, ...] = ()
    verified_on: str = ""
    confidence: str = ""
    indicative: bool = False


@dataclass(frozen=True)
class Rate:
    """How many USD one EUR buys, on a date, from a source (None: no rate known, so only
    same-currency figures convert)."""

    usd_per_eur: Decimal | None
    on: str = ""
    source: str = ""

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal | None:
        if source == target or not amount:
            return amount
        if self.usd_per_eur is None:
            return None
        if (source, target) == ("EUR", "USD"):
            return amount * self.usd_per_eur
        if (source, target) == ("USD", "EUR"):
            return amount / self.usd_per_eur
        raise ValueError(f"no rate from {source} to {target}")


@dataclass(frozen=True)
class Quantity:
    """What is billed, and why: `licensed` before a per-order minimum, `billed` after it;
    `stacks` is how many times the Windows hosts are licensed for their VMs."""

    unit: str  # "core", "socket", "subscription", "host", "pack"
    billed: int
    licensed: int
    order_minimum: int = 0
    stacks: int = 1


@dataclass(frozen=True)
class Cost:
    product: str
    status: CostStatus
    years: int
    report_currency: str
    offer: Offer | None = None
    quantity: Quantity | None = None
    total: Decimal | None = None  # over the horizon, in the offer's currency
    total_in_report_currency: Decimal | None = None
    yearly_in_report_currency: Decimal | None = None
    fits_needs: bool = True  # False: no listed offer unlocks the features required
    support_included: bool = True  # False: the vendor support asked for is extra, on quote

    @property
    def known(self) -> bool:
        return self.yearly_in_report_currency is not None


@dataclass(frozen=True)
class Estate:
    hosts: tuple[Host, ...]
    years: int = 3
    report_currency: str = "EUR"
    support: SupportHours = SupportHours.BUSINESS_HOURS
    owned_licences: frozenset[str] = frozenset()

    @property
    def host_count(self) -> int:
        return sum(host.count for host in self.hosts)

    @property
    def sockets(self) -> int:
        return sum(host.count * host.sockets for host in self.hosts)

    @property
    def cores(self) -> int:
        return sum(host.count * host.cores for host in self.hosts)


def uniform_hosts(count: int, sockets: int, cores_per_socket: int, windows_vms: int) -> tuple:
    """`count` identical hosts sharing `windows_vms` Windows VMs as evenly as they can: the
    first `windows_vms % count` hosts run one more."""
    if count <= 0:
        return ()
    share, extra = divmod(windows_vms, count)
    groups = [(extra, share + 1), (count - extra, share)]
    return tuple(
        Host(sockets, cores_per_socket, vms, number) for number, vms in groups if number > 0
    )


def quantity(offer: Offer, hosts: tuple[Host, ...]) -> Quantity:
    match offer.metric:
        case Metric.PER_CORE_YEAR:
            licensed = sum(
                host.count * host.sockets * max(host.cores_per_socket, offer.min_cores_per_cpu)
                for host in hosts
            )
            minimum = offer.min_cores_per_order if offer.order_minimum_active else 0
            return Quantity("core", max(licensed, minimum), licensed, minimum)
        case Metric.PER_SOCKET_YEAR:
            sockets = sum(host.count * host.sockets for host in hosts)
            return Quantity("socket", sockets, sockets)
        case Metric.PER_SOCKET_PAIR_YEAR:
            subscriptions = sum(
                host.count
                * max(1, math.ceil(host.sockets / 2), math.ceil(host.cores / offer.core_cap))
                for host in hosts
            )
            return Quantity("subscription", subscriptions, subscriptions)
        case Metric.PER_HOST_YEAR:
            count = sum(host.count for host in hosts)
            return Quantity("host", count, count)
        case Metric.PER_CORE_PACK_PERPETUAL:
            packs = stacked = 0
            for host in hosts:
                cores = max(
                    offer.min_cores_per_server,
                    host.sockets * max(host.cores_per_socket, offer.min_cores_per_cpu),
                )
                per_host = math.ceil(cores / offer.cores_per_pack)
                stacks = (
                    max(1, math.ceil(host.windows_vms / offer.vms_per_licence))
                    if offer.vms_per_licence
                    else 1
                )
                packs += host.count * per_host
                stacked += host.count * per_host * stacks
            return Quantity("pack", stacked, packs, stacks=stacked // packs if packs else 1)
    raise ValueError(f"{offer.metric} has no quantity")


def offer_total(offer: Offer, hosts: tuple[Host, ...], years: int) -> tuple[Quantity, Decimal]:
    billed = quantity(offer, hosts)
    total = offer.amount * billed.billed
    if offer.metric in RECURRING:
        total *= years
    return billed, total


def covers(included: SupportHours, needed: SupportHours) -> bool:
    return SUPPORT_RANK[included] >= SUPPORT_RANK[needed]


def estimate(
    product: str,
    offers: list[Offer],
    estate: Estate,
    rate: Rate,
    *,
    paid_musts: frozenset[str] = frozenset(),
    included_with: str = "",
) -> Cost:
    """The cheapest fitting offer of one product for the estate (see the module's rules)."""
    common = {"product": product, "years": estate.years, "report_currency": estate.report_currency}
    if included_with and included_with in estate.owned_licences:
        zero = Decimal(0)
        return Cost(
            status=CostStatus.OWNED,
            total=zero,
            total_in_report_currency=zero,
            yearly_in_report_currency=zero,
            **common,
        )
    unlocking = [o for o in offers if paid_musts <= o.unlocks]
    supported = [o for o in unlocking if covers(o.support, estate.support)]
    # The support asked for if an offer includes it; otherwise the licence alone, its support
    # left on quote; no offer at all is a price on quote, offers that all miss a required
    # feature are said so.
    candidates = supported or unlocking or offers
    fits_needs = bool(unlocking) or not offers
    support_included = bool(supported)
    priced = []
    for offer in candidates:
        if offer.metric is Metric.FREE:
            priced.append((Decimal(0), offer, None, Decimal(0)))
        elif offer.metric is not Metric.QUOTE:
            billed, total = offer_total(offer, estate.hosts, estate.years)
            converted = rate.convert(total, offer.currency, estate.report_currency)
            if converted is not None:  # without a rate a foreign price cannot be compared
                priced.append((converted, offer, billed, total))
    if not priced or not fits_needs:
        quote = next((o for o in candidates if o.metric is Metric.QUOTE), None)
        return Cost(
            status=CostStatus.QUOTE,
            offer=quote,
            fits_needs=fits_needs,
            support_included=support_included,
            **common,
        )
    converted, offer, billed, total = min(priced, key=lambda item: (item[0], item[1].name))
    return Cost(
        status=CostStatus.FREE if offer.metric is Metric.FREE else CostStatus.PRICED,
        offer=offer,
        quantity=billed,
        total=total,
        total_in_report_currency=converted.quantize(CENT, ROUND_HALF_UP),
        yearly_in_report_currency=(converted / estate.years).quantize(CENT, ROUND_HALF_UP),
        support_included=support_included,
        **common,
    )


# The cost as a 0-10 score ----------------------------------------------------------------

COST_FLOOR_EUR = Decimal(1000)  # a year's spend below which differences hardly matter
POINTS_PER_DECADE = 3  # each tenfold of (cost + floor) over the cheapest's costs 3 points
COST_SHARE = Decimal("0.5")  # the licensing criterion: half cost score, half licence model
FAR_ABOVE = 3  # "far above the others": more than 3 times the median yearly cost


def cost_scores(yearly: dict[str, Decimal], floor: Decimal) -> dict[str, float]:
    """0-10 for each known yearly cost: 10 for the cheapest, minus POINTS_PER_DECADE for each
    tenfold of (cost + floor) over (cheapest + floor), never below 0. Monotonic: a cheaper
    offer never scores lower; the floor keeps a free product from making every paid one 0.
    A cost alone compares with nothing: with fewer than two known costs there is no score."""
    if len(yearly) < 2:
        return {}
    cheapest = min(yearly.values())
    return {
        slug: max(
            0.0,
            10 - POINTS_PER_DECADE * math.log10(float((cost + floor) / (cheapest + floor))),
        )
        for slug, cost in yearly.items()
    }


def far_above(yearly: dict[str, Decimal], floor: Decimal) -> set[str]:
    """The products whose yearly cost is more than FAR_ABOVE times the median of the known
    costs, and more than the floor above it."""
    if len(yearly) < 2:
        return set()
    ordered = sorted(yearly.values())
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {
        slug for slug, cost in yearly.items() if cost > FAR_ABOVE * median and cost - median > floor
    }
