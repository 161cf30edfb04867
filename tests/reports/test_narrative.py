"""The report's sentences: flip points that stay true once rounded, and ties said as such."""

import math
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from compare.catalogue.snapshot import CriterionInfo
from compare.engine.scoring import Flip, Scored
from compare.reports.narrative import cost_formula, flip_text

CATALOGUE = SimpleNamespace(criteria=(CriterionInfo("cost", "Cost", "", 3),))
RESULT = SimpleNamespace(
    ranking=(
        Scored("proxmox", "Proxmox VE", 80, {}, {}),
        Scored("incus", "Incus", 70, {}, {}),
    )
)


def sentence(weight, lower=None, upper=None):
    flip = Flip(
        "cost",
        weight,
        lower,
        "incus" if lower is not None else None,
        upper,
        "incus" if upper is not None else None,
    )
    return flip_text(flip, RESULT, CATALOGUE)


def test_bounds_are_rounded_away_from_the_current_weight():
    assert sentence(0.144, upper=0.1449) == (
        "Proxmox VE stays first unless the weight of “Cost” (now 14 %) rises above 15 % "
        "(then Incus overtakes it)."
    )
    # 13.6 % shows as 14 %, and so would 13.99 % rounded up: one decimal then.
    assert "(now 13.6 %) rises above 14.0 %" in sentence(0.136, upper=0.1399)
    # A lower bound of 0.4 % is never "below 0 %".
    assert "(now 14.0 %) falls below 0.4 %" in sentence(0.14, lower=0.004)


def test_a_tie_now_is_said_as_a_tie():
    assert sentence(0.0, upper=0.0) == (
        "Proxmox VE and Incus are level: the smallest increase in the weight of “Cost” "
        "(now 0 %) puts Incus first."
    )


def numbers(text):
    return [float(n) for n in __import__("re").findall(r"(\d+(?:\.\d+)?) %", text)]


@given(
    st.floats(0.001, 0.998),
    st.floats(0.0011, 0.9989),
)
def test_a_printed_bound_is_always_beyond_the_printed_weight_and_reachable(weight, bound):
    if math.isclose(weight, bound, abs_tol=1e-9):
        return
    rising = bound > weight
    text = sentence(weight, **({"upper": bound} if rising else {"lower": bound}))
    now, shown = numbers(text)
    assert 0 < shown < 100
    assert shown > now if rising else shown < now
    # Rounded away from the current weight: beyond the printed bound the winner has changed.
    assert shown >= 100 * bound - 1e-9 if rising else shown <= 100 * bound + 1e-9


def test_a_free_offer_without_the_support_asked_for_says_so():
    from compare.engine.costs import Cost, CostStatus, Metric, Offer

    cost = Cost(
        "xcp-ng",
        CostStatus.FREE,
        3,
        "EUR",
        offer=Offer("xcp-ng", "Xen Orchestra from sources", Metric.FREE),
        support_included=False,
    )
    assert cost_formula(cost) == (
        "Free: no licence or subscription to buy. "
        "The vendor support you asked for is extra: on quote."
    )
