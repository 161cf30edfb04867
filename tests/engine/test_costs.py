"""The cost engine against the worked figures of shared/reference/pricing.md, by hand.

No database: plain data in, plain data out.
"""

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare.engine.costs import (
    CostStatus,
    Estate,
    Host,
    Metric,
    Offer,
    Rate,
    SupportHours,
    cost_scores,
    estimate,
    far_above,
    quantity,
    uniform_hosts,
)

D = Decimal
SAME = Rate(D("1.10"))
ASSURMER = uniform_hosts(3, 2, 16, 0)  # 6 sockets, 96 cores

PROXMOX = [
    Offer("proxmox-ve", "No subscription", Metric.FREE),
    Offer("proxmox-ve", "Community", Metric.PER_SOCKET_YEAR, D(120), "EUR"),
    Offer(
        "proxmox-ve", "Basic", Metric.PER_SOCKET_YEAR, D(370), "EUR", SupportHours.BUSINESS_HOURS
    ),
    Offer(
        "proxmox-ve", "Standard", Metric.PER_SOCKET_YEAR, D(550), "EUR", SupportHours.BUSINESS_HOURS
    ),
    Offer(
        "proxmox-ve", "Premium", Metric.PER_SOCKET_YEAR, D(1100), "EUR", SupportHours.BUSINESS_HOURS
    ),
]
VMWARE = {"metric": Metric.PER_CORE_YEAR, "currency": "USD", "min_cores_per_cpu": 16}
VVF = Offer(
    "vmware-esxi",
    "VVF",
    amount=D(135),
    support=SupportHours.ROUND_THE_CLOCK,
    unlocks=frozenset({"live_migration", "high_availability"}),
    min_cores_per_order=72,
    **VMWARE,
)
VCF = Offer("vmware-esxi", "VCF", amount=D(350), support=SupportHours.ROUND_THE_CLOCK, **VMWARE)
WINDOWS = {
    "metric": Metric.PER_CORE_PACK_PERPETUAL,
    "currency": "USD",
    "cores_per_pack": 16,
    "min_cores_per_cpu": 8,
    "min_cores_per_server": 16,
}
DATACENTER = Offer("microsoft-hyper-v", "Datacenter", amount=D(6771), **WINDOWS)
STANDARD = Offer("microsoft-hyper-v", "Standard", amount=D(1176), vms_per_licence=2, **WINDOWS)


def estate(hosts=ASSURMER, **changes):
    values = {"years": 3, "report_currency": "EUR", "support": SupportHours.NONE}
    return Estate(hosts=hosts, **{**values, **changes})


def test_proxmox_subscriptions_are_per_socket_and_year():
    """6 sockets x 3 years: Community 6 x 120 x 3 = 2,160; Basic 6,660; Standard 9,900;
    Premium 19,800 (EUR)."""
    totals = [quantity(offer, ASSURMER).billed * offer.amount * 3 for offer in PROXMOX[1:]]
    assert totals == [2160, 6660, 9900, 19800]


def test_the_cheapest_offer_with_the_support_asked_for_is_chosen():
    community = estimate("proxmox-ve", PROXMOX, estate(), SAME)
    assert (community.status, community.total) == (CostStatus.FREE, 0)
    business = estimate("proxmox-ve", PROXMOX, estate(support=SupportHours.BUSINESS_HOURS), SAME)
    assert (business.offer.name, business.total) == ("Basic", 6660)
    assert business.yearly_in_report_currency == 2220


def test_vmware_counts_16_cores_per_cpu_and_72_per_order_when_the_rule_is_on():
    """VVF: 96 cores (over 72, no minimum bites) x 135 x 3 = USD 38,880; VCF 100,800.
    2 hosts x 1 socket x 8 cores: 2 x max(8, 16) = 32 licensed cores; 72 billed with the rule."""
    assert quantity(VVF, ASSURMER).billed * 135 * 3 == 38880
    assert quantity(VCF, ASSURMER).billed * 350 * 3 == 100800
    small = uniform_hosts(2, 1, 8, 0)
    assert quantity(VCF, small).billed == 32
    with_rule = Offer(**{**VVF.__dict__, "order_minimum_active": True})
    billed = quantity(with_rule, small)
    assert (billed.licensed, billed.billed, billed.order_minimum) == (32, 72, 72)
    assert quantity(with_rule, ASSURMER).billed == 96


def test_windows_datacenter_is_16_core_packs_once():
    """Per host max(16, 2 x max(8, 16)) = 32 cores = 2 packs; 3 hosts x 2 x 6,771 = 40,626,
    once: perpetual, whatever the horizon."""
    cost = estimate("microsoft-hyper-v", [DATACENTER], estate(years=5), SAME)
    assert cost.quantity.billed == 6 and cost.total == 40626


def test_windows_standard_stacks_for_every_two_vms_and_breaks_even_with_datacenter():
    """10 Windows VMs on a host: ceil(10 / 2) = 5 stacks x 2 packs x 1,176 = 11,760, under
    Datacenter's 2 x 6,771 = 13,542; 11 or 12 VMs need 6 stacks: 14,112, over it."""
    one_host = lambda vms: (Host(2, 16, vms),)  # noqa: E731
    assert quantity(STANDARD, one_host(10)).billed * 1176 == 11760
    assert quantity(STANDARD, one_host(12)).billed * 1176 == 14112
    offers = [STANDARD, DATACENTER]
    assert estimate("h", offers, estate(one_host(10)), SAME).offer.name == "Standard"
    for vms in (11, 12):
        assert estimate("h", offers, estate(one_host(vms)), SAME).offer.name == "Datacenter"
    # Small hosts still license 16 cores: 1 socket x 4 cores -> 1 pack.
    assert quantity(DATACENTER, (Host(1, 4),)).billed == 1


def test_socket_pairs_cap_cores_per_subscription():
    """Per server max(1, ceil(sockets / 2), ceil(cores / 128)): 2 x 16 -> 1; 4 x 64 = 256
    cores -> 2; 1 x 8 -> 1."""
    engine = Offer("openshift", "OVE", Metric.PER_SOCKET_PAIR_YEAR, D(1000), "USD", core_cap=128)
    assert quantity(engine, ASSURMER).billed == 3
    assert quantity(engine, (Host(4, 64), Host(1, 8))).billed == 3


def test_uneven_hosts_count_each_host_as_it_is():
    """1 socket x 8, 2 x 16, 4 x 24 cores: VMware licenses 16 + 32 + 96 = 144 cores; Proxmox
    1 + 2 + 4 = 7 sockets; a per-host offer 3 hosts."""
    hosts = (Host(1, 8), Host(2, 16), Host(4, 24))
    assert quantity(VVF, hosts).billed == 144
    assert quantity(PROXMOX[2], hosts).billed == 7
    vates = Offer("xcp-ng", "Pro", Metric.PER_HOST_YEAR, D(1250), "EUR")
    assert quantity(vates, hosts).billed == 3


def test_windows_vms_are_shared_evenly_between_identical_hosts():
    assert uniform_hosts(3, 2, 16, 10) == (Host(2, 16, 4, 1), Host(2, 16, 3, 2))
    assert uniform_hosts(2, 2, 16, 0) == (Host(2, 16, 0, 2),)


def test_required_paid_features_and_round_the_clock_support_pick_the_offer():
    offers = [VCF, VVF]  # VCF unlocks nothing listed here
    cost = estimate("vmware-esxi", offers, estate(), SAME, paid_musts=frozenset({"live_migration"}))
    assert cost.offer.name == "VVF" and cost.fits_needs
    none_fits = estimate("vmware-esxi", offers, estate(), SAME, paid_musts=frozenset({"sdn"}))
    assert none_fits.status is CostStatus.QUOTE and not none_fits.fits_needs


def test_without_an_offer_that_includes_the_support_the_licence_is_priced_support_extra():
    """Windows Server licences include no support: Datacenter is priced, support on quote."""
    needs_support = estate(support=SupportHours.BUSINESS_HOURS)
    cost = estimate("microsoft-hyper-v", [DATACENTER], needs_support, SAME)
    assert (cost.status, cost.total, cost.support_included) == (CostStatus.PRICED, 40626, False)
    basic = estimate("proxmox-ve", PROXMOX, needs_support, SAME)
    assert basic.support_included


def test_a_price_on_quote_is_never_free_and_only_chosen_when_nothing_priced_fits():
    quote = Offer("nutanix-ahv", "NCI Pro", Metric.QUOTE)
    cost = estimate("nutanix-ahv", [quote], estate(), SAME)
    assert (cost.status, cost.total, cost.yearly_in_report_currency) == (
        CostStatus.QUOTE,
        None,
        None,
    )
    assert not cost.known
    assert estimate("p", [quote, PROXMOX[1]], estate(), SAME).offer.name == "Community"


def test_totals_are_converted_with_the_dated_rate():
    """USD 38,880 at 1.08 USD per EUR: EUR 36,000.00; EUR 6,660 at 1.08: USD 7,192.80."""
    rate = Rate(D("1.08"), "2026-11-27", "https://www.ecb.europa.eu/")
    vvf = estimate("vmware-esxi", [VVF], estate(), rate)
    assert (vvf.total, vvf.total_in_report_currency) == (38880, D("36000.00"))
    basic = estimate(
        "proxmox-ve",
        PROXMOX[2:3],
        estate(report_currency="USD", support=SupportHours.BUSINESS_HOURS),
        rate,
    )
    assert basic.total_in_report_currency == D("7192.80")


def test_an_owned_licence_costs_nothing_new():
    cost = estimate(
        "microsoft-hyper-v",
        [DATACENTER],
        estate(owned_licences=frozenset({"windows_server"})),
        SAME,
        included_with="windows_server",
    )
    assert (cost.status, cost.total) == (CostStatus.OWNED, 0)


def test_the_cost_score_by_hand():
    """Floor 1,000: cheapest 0 -> 10; 9,000 a year: (9,000 + 1,000) / 1,000 = 10 -> 10 - 3 = 7;
    99,000: 100 -> 4; 9,999,000: 10,000 -> 10 - 12 < 0 -> 0."""
    scores = cost_scores(
        {"free": D(0), "mid": D(9000), "big": D(99000), "huge": D(9999000)}, D(1000)
    )
    assert scores == pytest.approx({"free": 10, "mid": 7, "big": 4, "huge": 0})


def test_a_single_known_cost_is_not_scored():
    """The only priced product among products on quote is not "the cheapest"."""
    assert cost_scores({"vmware-esxi": D(51840)}, D(1000)) == {}


def test_far_above_is_three_times_the_median():
    """Median of 0, 2,000, 3,000 and 20,000 is 2,500: 20,000 > 7,500 (and 17,500 over it,
    above the 1,000 floor); 3,000 is not."""
    yearly = {"a": D(0), "b": D(2000), "c": D(3000), "d": D(20000)}
    assert far_above(yearly, D(1000)) == {"d"}


costs = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdef"), costs, min_size=2), st.sampled_from("abcdef"))
def test_a_cheaper_offer_never_scores_lower(yearly, cheaper):
    scores = cost_scores(yearly, D(1000))
    assert max(scores.values()) == 10
    for slug, cost in yearly.items():
        for other, other_cost in yearly.items():
            if cost <= other_cost:
                assert scores[slug] >= scores[other]
        assert 0 <= scores[slug] <= 10


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 600), st.integers(1, 8), st.integers(1, 128), st.integers(1, 10))
def test_growing_the_estate_never_raises_a_per_core_product_against_a_free_one(
    hosts, sockets, cores, growth
):
    def score(count):
        small = estate(uniform_hosts(count, sockets, cores, 0))
        vvf = estimate("vmware-esxi", [VVF], small, SAME).yearly_in_report_currency
        return cost_scores({"vmware-esxi": vvf, "incus": D(0)}, D(1000))["vmware-esxi"]

    assert score(hosts + growth) <= score(hosts)
    assert not math.isnan(score(hosts))
