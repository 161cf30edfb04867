"""The engine against hand-worked examples, and properties it must keep whatever the data.

No database: the engine takes and returns plain data.
"""

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare.engine.scoring import (
    ECOSYSTEM,
    ENGINE_VERSION,
    FEATURES,
    Candidate,
    Failure,
    FeatureUnit,
    FitSignal,
    Level,
    Needs,
    Reason,
    Restriction,
    criterion_value,
    feature_points,
    recommend,
)

F, P, p, N, U = Level.FULL, Level.PAID, Level.PARTIAL, Level.NONE, Level.UNKNOWN


def candidate(slug, ratings, support=None, **fields):
    values = {
        "slug": slug,
        "name": slug.upper(),
        "hypervisor_type": 1,
        "host_platforms": frozenset({"bare_metal"}),
        "guest_families": frozenset({"windows", "linux"}),
        "licence_model": "open_source",
        "free_edition": "production",
        "ratings": ratings,
        "support": support or {},
    }
    return Candidate(**{**values, **fields})


# Hand-worked example 1 -----------------------------------------------------------------
# Criteria a (3 points) and b (1 point); a must unit {x} and a nice unit {y, z}:
# P_F = 1 + 0.5 = 1.5, total 5.5 points.
# P: a 8, b 4; x full, y partial, z none. Must coverage 1, nice (0.5 + 0) / 2 = 0.25,
#    F = (2 * 1 + 1 * 0.25) / 3 = 0.75.
#    S = 100 * (3 * 0.8 + 1 * 0.4 + 1.5 * 0.75) / 5.5 = 100 * 3.925 / 5.5 = 71.3636...
# Q: a 6, b 9; x paid, y full, z full. Must coverage 0.75, nice 1, F = (1.5 + 1) / 3 = 0.8333.
#    S = 100 * (3 * 0.6 + 1 * 0.9 + 1.5 * 0.8333) / 5.5 = 100 * 3.95 / 5.5 = 71.8181...
EXAMPLE_UNITS = (
    FeatureUnit("need_x", ("x",), must=True, gates=("x",)),
    FeatureUnit("want_yz", ("y", "z")),
)
EXAMPLE = [
    candidate("p", {"a": 8, "b": 4}, {"x": F, "y": p, "z": N}),
    candidate("q", {"a": 6, "b": 9}, {"x": P, "y": F, "z": F}),
]


def example_needs(**changes):
    return Needs(**{"points": {"a": 3, "b": 1}, "units": EXAMPLE_UNITS, **changes})


def test_weights_are_the_points_normalised_with_the_features_component():
    result = recommend(EXAMPLE, example_needs())
    assert result.points == {"a": 3, "b": 1, FEATURES: 1.5}
    assert result.weights == pytest.approx({"a": 3 / 5.5, "b": 1 / 5.5, FEATURES: 1.5 / 5.5})
    assert math.fsum(result.weights.values()) == pytest.approx(1)


def test_scores_of_the_hand_worked_example():
    result = recommend(EXAMPLE, example_needs())
    q, p_ = result.ranking
    assert (q.slug, p_.slug) == ("q", "p")
    assert q.score == pytest.approx(100 * 3.95 / 5.5)
    assert p_.score == pytest.approx(100 * 3.925 / 5.5)
    assert q.values[FEATURES] == pytest.approx(2.5 / 3)
    assert p_.unit_coverage == {"need_x": 1.0, "want_yz": 0.25}
    assert result.gap == pytest.approx((3.95 - 3.925) / 3.95)
    assert result.close_call  # a 0.6 % gap
    assert result.engine_version == ENGINE_VERSION


def test_contributions_explain_the_whole_lead():
    result = recommend(EXAMPLE, example_needs())
    lead = {c.criterion: c.points for c in result.contributions}
    # b: 1/5.5 * (0.9 - 0.4) = +9.09 points; a: 3/5.5 * (0.6 - 0.8) = -10.91;
    # features: 1.5/5.5 * (0.8333 - 0.75) = +2.27.
    assert lead == pytest.approx({"b": 100 / 11, "a": -600 / 55, FEATURES: 25 / 11})
    assert [c.criterion for c in result.contributions] == ["b", FEATURES, "a"]
    assert math.fsum(lead.values()) == pytest.approx(
        result.ranking[0].score - result.ranking[1].score
    )


def test_a_paid_feature_fails_a_must_when_paid_editions_do_not_count():
    result = recommend(EXAMPLE, example_needs(paid_counts=False))
    assert [s.slug for s in result.ranking] == ["p"]
    assert result.eliminated[0].reasons == (Reason(Failure.PAID_ONLY, "x"),)
    # p's nice unit still counts partial as 0.5: F = (2 + 0.25) / 3.
    assert result.ranking[0].values[FEATURES] == pytest.approx(0.75)
    assert result.gap is None and not result.close_call


def test_only_a_missing_feature_fails_a_must_partial_and_unknown_are_ranked_and_flagged():
    """A must unit {ha} (P_F = 1) and criterion c (1 point): weights 0.5 and 0.5.
    a: c 5, ha unknown -> scored with ha at 0: 100 * (0.5 * 0.5 + 0.5 * 0) = 25, to verify.
    b: c 1, ha partial -> 100 * (0.5 * 0.1 + 0.5 * 0.5) = 30, met only partly.
    n: c 9, ha none -> eliminated."""
    units = (FeatureUnit("ha", ("ha",), must=True, gates=("ha",)),)
    result = recommend(
        [
            candidate("n", {"c": 9}, {"ha": N}),
            candidate("a", {"c": 5}, {}),
            candidate("b", {"c": 1}, {"ha": p}),
        ],
        Needs(points={"c": 1}, units=units),
    )
    assert {e.slug: e.reasons for e in result.eliminated} == {"n": (Reason(Failure.MISSING, "ha"),)}
    b, a = result.ranking
    assert (b.slug, b.score, b.partly_met, b.to_verify) == ("b", pytest.approx(30), ("ha",), ())
    assert (a.slug, a.score, a.partly_met, a.to_verify) == ("a", pytest.approx(25), (), ("ha",))
    assert not a.meets_every_must and not b.meets_every_must


def test_a_wanted_feature_is_never_flagged():
    units = (FeatureUnit("ha", ("ha",)),)
    [scored] = recommend(
        [candidate("a", {"c": 5}, {"ha": p})], Needs(points={"c": 1}, units=units)
    ).ranking
    assert scored.partly_met == scored.to_verify == ()


def test_only_the_gated_features_of_a_must_are_flagged():
    """A required network gates VLANs only; bandwidth policies count in its coverage."""
    units = (FeatureUnit("net", ("vlan", "bw"), must=True, gates=("vlan",)),)
    [scored] = recommend(
        [candidate("a", {"c": 5}, {"vlan": F, "bw": U})], Needs(points={"c": 1}, units=units)
    ).ranking
    assert (scored.to_verify, scored.unit_coverage["net"]) == ((), 0.5)


def test_a_paid_service_counts_even_when_paid_editions_do_not():
    """Round-the-clock support is bought, not a closed edition: under open-source-only answers
    its paid level still meets the requirement, while a paid feature does not."""
    units = (
        FeatureUnit("support", ("support_24x7",), must=True, gates=("support_24x7",)),
        FeatureUnit("backup", ("backup",)),
    )
    needs = Needs(
        points={"c": 1}, units=units, paid_counts=False, services=frozenset({"support_24x7"})
    )
    [scored] = recommend(
        [candidate("a", {"c": 5}, {"support_24x7": P, "backup": P})], needs
    ).ranking
    assert scored.unit_coverage == {"support": 0.75, "backup": 0.0}
    unserviced = Needs(**{**needs.__dict__, "services": frozenset()})
    assert recommend([candidate("a", {"c": 5}, {"support_24x7": P})], unserviced).ranking == ()


def test_the_platform_being_left_is_ruled_out_and_the_one_stayed_on_fits():
    leaving = Restriction(
        "current_platform:vmware:platform", "platform", frozenset({"vmware"}), excluded=True
    )
    esxi = candidate("esxi", {"c": 9}, platform="vmware")
    proxmox = candidate("proxmox", {"c": 5}, platform="proxmox")
    other = candidate("other", {"c": 5})
    result = recommend([esxi, proxmox, other], Needs(points={"c": 1}, restrictions=(leaving,)))
    assert [e.slug for e in result.eliminated] == ["esxi"]
    assert result.eliminated[0].reasons == (Reason(Failure.RESTRICTION, leaving.key),)
    staying = Needs(points={ECOSYSTEM: 1}, fit_signals=(FitSignal("platform", "vmware"),))
    # ½ general 4 + ½ × 10 × fit 1 = 7; without the platform's fit ½ × 4 = 2.
    assert (
        criterion_value(candidate("esxi", {ECOSYSTEM: 4}, platform="vmware"), ECOSYSTEM, staying)
        == 7
    )
    assert criterion_value(candidate("kvm", {ECOSYSTEM: 4}), ECOSYSTEM, staying) == 2


def test_the_users_own_features_weight_replaces_p_f():
    needs = example_needs(feature_points=4)
    result = recommend(EXAMPLE, needs)
    assert result.points[FEATURES] == 4
    assert result.weights[FEATURES] == pytest.approx(4 / 8)


def test_restrictions_and_discontinued_products_eliminate_with_every_reason():
    server_only = Restriction("use_case:server", "type", frozenset({"1"}))
    windows_guests = Restriction("guest:windows", "guest_family", frozenset({"windows"}))
    desktop = candidate("desk", {"c": 9}, hypervisor_type=2, guest_families=frozenset({"linux"}))
    dead = candidate("dead", {"c": 9}, status="discontinued")
    alive = candidate("alive", {"c": 1})

    result = recommend(
        [desktop, dead, alive],
        Needs(points={"c": 1}, restrictions=(server_only, windows_guests)),
    )

    reasons = {e.slug: e.reasons for e in result.eliminated}
    assert reasons["desk"] == (
        Reason(Failure.RESTRICTION, "use_case:server"),
        Reason(Failure.RESTRICTION, "guest:windows"),
    )
    assert reasons["dead"] == (Reason(Failure.DISCONTINUED, "status"),)
    assert [s.slug for s in result.ranking] == ["alive"]


def test_a_restriction_on_every_value_needs_all_of_them():
    both = Restriction("guests", "guest_family", frozenset({"windows", "bsd"}), every=True)
    assert not both.admits(candidate("a", {}))
    assert both.admits(candidate("b", {}, guest_families=frozenset({"windows", "bsd", "linux"})))


def test_when_everything_is_eliminated_the_closest_miss_is_shown():
    units = (
        FeatureUnit("ha", ("ha",), must=True, gates=("ha",)),
        FeatureUnit("lm", ("lm",), must=True, gates=("lm",)),
    )
    one_miss = candidate("one", {"c": 2}, {"ha": F, "lm": N})
    two_misses = candidate("two", {"c": 9}, {"ha": N, "lm": N})
    result = recommend([two_misses, one_miss], Needs(points={"c": 1}, units=units))
    assert result.ranking == ()
    assert result.closest_miss.slug == "one"
    assert result.closest_miss.reasons == (Reason(Failure.MISSING, "lm"),)


def test_the_assurmer_case_scores_proxmox_82_3():
    """questionnaire-effects.md section 4 (a): points VT 2, MI 4, MF 5, LC 5, SC 4, PF 2, SE 3,
    NS 2, EI 1, HC 2 and P_F 5 (4 must + 5 nice units = 6.5, capped); Proxmox's fixture
    ratings 9 8 8 9 7 8 7 8 6 8 with every asked feature built in:
    100 * (238 / 10 + 5 * 1) / 35 = 82.29."""
    keys = ["vt", "mi", "mf", "lc", "sc", "pf", "se", "ns", "ei", "hc"]
    points = dict(zip(keys, [2, 4, 5, 5, 4, 2, 3, 2, 1, 2], strict=True))
    ratings = dict(zip(keys, [9, 8, 8, 9, 7, 8, 7, 8, 6, 8], strict=True))
    musts = [FeatureUnit(k, (k,), must=True, gates=(k,)) for k in ("lm", "ha", "bk", "web")]
    nices = [
        FeatureUnit("snap", ("snap",)),
        FeatureUnit("central", ("central",)),
        FeatureUnit("net", ("vlan", "bw", "sdn")),
        FeatureUnit("containers", ("containers",)),
        FeatureUnit("vtpm", ("vtpm",)),
    ]
    features = {f for unit in musts + nices for f in unit.features}
    proxmox = candidate("proxmox-ve", ratings, dict.fromkeys(features, F))

    assert feature_points(tuple(musts + nices)) == 5
    result = recommend([proxmox], Needs(points=points, units=tuple(musts + nices)))
    assert round(result.ranking[0].score, 1) == 82.3


def test_an_owned_licence_rates_licensing_9():
    hyper_v = candidate("hyper-v", {"licensing_cost": 6}, included_with="windows_server")
    owned = Needs(points={"licensing_cost": 1}, owned_licences=frozenset({"windows_server"}))
    assert criterion_value(hyper_v, "licensing_cost", owned) == 9
    assert criterion_value(hyper_v, "licensing_cost", Needs(points={})) == 6


def test_the_ecosystem_rating_mixes_the_general_rating_and_the_fit():
    """'Ecosystem fit (Microsoft shop): ½ general 8 + ½ Microsoft integration full -> 9'."""
    microsoft = (FitSignal("feature", "microsoft_integration"), FitSignal("skill", "windows"))
    needs = Needs(points={"ecosystem_integration": 1}, fit_signals=microsoft)
    hyper_v = candidate(
        "hyper-v",
        {"ecosystem_integration": 8},
        {"microsoft_integration": F},
        admin_skills=frozenset({"windows"}),
    )
    proxmox = candidate(
        "proxmox-ve",
        {"ecosystem_integration": 6},
        {"microsoft_integration": p},
        admin_skills=frozenset({"linux"}),
    )
    assert criterion_value(hyper_v, "ecosystem_integration", needs) == 9
    # 6 / 2 + 10 * mean(0.5, 0) / 2 = 3 + 1.25
    assert criterion_value(proxmox, "ecosystem_integration", needs) == 4.25


def test_open_source_api_fit_signal():
    signal = FitSignal("open_source_api")
    assert signal.fit(candidate("a", {}, {"rest_api": F})) == 1
    assert signal.fit(candidate("b", {}, {"rest_api": P}, licence_model="commercial")) == 0.375


def test_the_free_edition_rating_replaces_the_rating_under_free_only():
    esxi = candidate(
        "esxi", {"management_features": 9}, free_edition_ratings={"management_features": 3}
    )
    assert (
        criterion_value(esxi, "management_features", Needs(points={}, free_edition_only=True)) == 3
    )
    assert criterion_value(esxi, "management_features", Needs(points={})) == 9


# Hand-worked example 2: flip points and TOPSIS ----------------------------------------
# Criteria k and o, 1 point each (weights 0.5). A: k 10, o 2 -> S 60. B: k 4, o 7 -> S 55.
# For o: B_A = (0.6 - 0.5 * 0.2) / 0.5 = 1.0, B_B = (0.55 - 0.5 * 0.7) / 0.5 = 0.4,
# t* = (0.4 - 1.0) / ((0.2 - 1.0) - (0.7 - 0.4)) = 6/11 = 0.5455: the absolute form gives
# delta = (0.60 - 0.55) / (0.7 - 0.2) = 0.10 and (0.5 + 0.10) / 1.10 = 0.5455 too
# (scoring-methods.md, section 5). For k, symmetrically, B wins below 5/11 = 0.4545.
FLIP_EXAMPLE = [candidate("a", {"k": 10, "o": 2}), candidate("b", {"k": 4, "o": 7})]


def test_flip_points_of_the_hand_worked_example():
    result = recommend(FLIP_EXAMPLE, Needs(points={"k": 1, "o": 1}))
    flips = {flip.criterion: flip for flip in result.flips}
    assert flips["o"].upper == pytest.approx(6 / 11)
    assert flips["o"].upper_challenger == "b"
    assert flips["o"].lower is None
    assert flips["k"].lower == pytest.approx(5 / 11)
    assert flips["k"].upper is None
    assert flips["o"].margin == pytest.approx((6 / 11 - 0.5) / 0.5)
    assert FEATURES not in flips  # no feature was asked for


def test_at_the_flip_point_the_scores_are_equal():
    for points in ({"k": 5, "o": 6}, {"k": 4.99, "o": 6.01}):
        result = recommend(FLIP_EXAMPLE, Needs(points=points))
        a, b = (next(s for s in result.ranking if s.slug == slug) for slug in "ab")
        if points["o"] == 6:
            assert a.score == pytest.approx(b.score)
        else:
            assert result.ranking[0].slug == "b"


def test_topsis_disagreeing_makes_a_close_call():
    """Vector-normalised TOPSIS: A (0.4642, 0.1374), B (0.1857, 0.4808) weighted;
    closeness A 0.448, B 0.552: B first, while the weighted sum puts A first by 8.3 %."""
    result = recommend(FLIP_EXAMPLE, Needs(points={"k": 1, "o": 1}))
    assert result.ranking[0].slug == "a"
    assert result.gap == pytest.approx(5 / 60)
    assert result.topsis_winner == "b"
    assert result.close_call


def test_a_clear_winner_is_not_a_close_call():
    clear = [candidate("a", {"k": 9, "o": 9}), candidate("b", {"k": 5, "o": 6})]
    result = recommend(clear, Needs(points={"k": 1, "o": 1}))
    assert (result.topsis_winner, result.close_call) == ("a", False)
    assert all(flip.stable for flip in result.flips)
    assert result.most_critical is None


def test_ties_are_broken_by_features_then_slug():
    twins = [candidate("b", {"k": 5}), candidate("a", {"k": 5})]
    assert [s.slug for s in recommend(twins, Needs(points={"k": 1})).ranking] == ["a", "b"]


# Flip points on exact ties --------------------------------------------------------------


def test_d1_a_tie_at_a_zero_weight_flips_at_once():
    """a00 = [5, 10], a01 = [9, 10], a02 = [5, 0], points [0, 1]: a00 and a01 tie at 100
    (a00 first by slug); any weight t > 0 on criterion 0 puts a01 ahead (9 > 5)."""
    result = recommend(
        [
            candidate("a00", {"c0": 5, "c1": 10}),
            candidate("a01", {"c0": 9, "c1": 10}),
            candidate("a02", {"c0": 5, "c1": 0}),
        ],
        Needs(points={"c0": 0, "c1": 1}),
    )
    assert result.ranking[0].slug == "a00"
    flip = next(f for f in result.flips if f.criterion == "c0")
    assert (flip.upper, flip.upper_challenger, flip.lower) == (0, "a01", None)
    assert flip.tied and flip.margin == 0
    assert result.most_critical == flip


def test_d2_ties_at_the_bounds_are_not_flips():
    """A (a 4, b 1) and B (a 2, b 1), points 1 and 1: they meet only when a weighs nothing
    (t = 1 on b, computed as 0.9999999999999999) or b weighs everything: A stays first on
    the whole open range, so neither criterion has a flip point."""
    result = recommend(
        [candidate("a", {"a": 4, "b": 1}), candidate("b", {"a": 2, "b": 1})],
        Needs(points={"a": 1, "b": 1}),
    )
    assert all(flip.stable for flip in result.flips)
    assert result.most_critical is None


def test_d3_two_challengers_crossing_together_the_first_past_it_is_named():
    """Points 1 and 1 (weights 0.5). On o's weight t: A = 0.8 (1 - t) + 0.4 t, B = 0.5
    (slope 0), C = 0.2 (1 - t) + 0.6 t. B and C both meet A at t = 0.75 (0.5 each); past it C
    climbs (slope 0.4) and B does not: C is first, although B ranks above it now."""
    result = recommend(
        [
            candidate("a", {"k": 8, "o": 4}),
            candidate("b", {"k": 5, "o": 5}),
            candidate("c", {"k": 2, "o": 6}),
        ],
        Needs(points={"k": 1, "o": 1}),
    )
    assert [s.slug for s in result.ranking] == ["a", "b", "c"]
    flip = next(f for f in result.flips if f.criterion == "o")
    assert flip.upper == pytest.approx(0.75)
    assert flip.upper_challenger == "c"


# Properties ------------------------------------------------------------------------------

CRITERIA = ["c1", "c2", "c3", "c4"]
levels = st.sampled_from(list(Level))


@st.composite
def decisions(draw):
    count = draw(st.integers(min_value=2, max_value=6))
    candidates = [
        candidate(
            f"h{i}",
            {c: draw(st.integers(0, 10)) for c in CRITERIA},
            {"x": draw(levels), "y": draw(levels)},
            hypervisor_type=draw(st.sampled_from([1, 2])),
        )
        for i in range(count)
    ]
    points = {c: draw(st.integers(0, 5)) for c in CRITERIA}
    if not any(points.values()):
        points["c1"] = 1
    units = []
    if draw(st.booleans()):
        units.append(FeatureUnit("x", ("x",), must=True, gates=("x",)))
    if draw(st.booleans()):
        units.append(FeatureUnit("y", ("y",)))
    restrictions = ()
    if draw(st.booleans()):
        restrictions = (Restriction("type", "type", frozenset({"1"})),)
    needs = Needs(
        points=points,
        units=tuple(units),
        restrictions=restrictions,
        paid_counts=draw(st.booleans()),
    )
    return candidates, needs


@settings(max_examples=300, deadline=None)
@given(decisions())
def test_weights_always_sum_to_one(decision):
    result = recommend(*decision)
    assert math.fsum(result.weights.values()) == pytest.approx(1)
    assert all(0 <= score.score <= 100 for score in result.ranking)


@settings(max_examples=300, deadline=None)
@given(decisions())
def test_eliminated_products_are_never_ranked(decision):
    result = recommend(*decision)
    ranked = {s.slug for s in result.ranking}
    eliminated = {e.slug for e in result.eliminated}
    assert not ranked & eliminated
    assert ranked | eliminated == {c.slug for c in decision[0]}
    assert all(e.reasons for e in result.eliminated)
    assert (result.closest_miss is not None) == (not ranked)


@settings(max_examples=300, deadline=None)
@given(decisions(), st.sampled_from(CRITERIA), st.integers(1, 20))
def test_raising_a_criterion_where_the_winner_leads_never_dethrones_it(decision, key, extra):
    candidates, needs = decision
    result = recommend(candidates, needs)
    if not result.ranking:
        return
    winner = result.ranking[0]
    if any(other.values[key] > winner.values[key] for other in result.ranking[1:]):
        return
    raised = Needs(**{**needs.__dict__, "points": {**needs.points, key: needs.points[key] + extra}})
    assert recommend(candidates, raised).ranking[0].slug == winner.slug


@settings(max_examples=200, deadline=None)
@given(decisions())
def test_each_flip_point_really_changes_the_winner(decision):
    candidates, needs = decision
    result = recommend(candidates, needs)
    for flip in result.flips:
        for crossing, challenger, step in (
            (flip.lower, flip.lower_challenger, -1e-6),
            (flip.upper, flip.upper_challenger, 1e-6),
        ):
            if crossing is None:
                continue
            beyond = crossing + step
            weights = {
                key: beyond if key == flip.criterion else w * (1 - beyond) / (1 - flip.weight)
                for key, w in result.weights.items()
            }
            scores = {
                s.slug: sum(weights[k] * v for k, v in s.values.items()) for s in result.ranking
            }
            assert scores[challenger] > scores[result.ranking[0].slug]


@settings(max_examples=300, deadline=None)
@given(decisions())
def test_only_unverified_or_partial_requirements_never_eliminate(decision):
    """Ranked exactly when nothing but partial or unverified musts stand in the way; the
    flags name only musts, at the level they say."""
    candidates, needs = decision
    result = recommend(candidates, needs)
    musts = {f for unit in needs.units if unit.must for f in unit.gates}
    ranked = {s.slug: s for s in result.ranking}
    for c in candidates:
        real_failure = (
            c.status == "discontinued"
            or not all(r.admits(c) for r in needs.restrictions)
            or any(c.level(f) is Level.NONE for f in musts)
            or any(c.level(f) is Level.PAID and not needs.paid_counts for f in musts)
        )
        assert (c.slug in ranked) == (not real_failure)
        if c.slug in ranked:
            scored = ranked[c.slug]
            assert set(scored.partly_met) | set(scored.to_verify) <= musts
            assert all(c.level(f) is Level.PARTIAL for f in scored.partly_met)
            assert all(c.level(f) is Level.UNKNOWN for f in scored.to_verify)


@settings(max_examples=200, deadline=None)
@given(decisions(), st.integers(0, 5))
def test_a_product_of_a_platform_being_left_is_never_ranked(decision, leaver):
    candidates, needs = decision
    left = {c.slug for i, c in enumerate(candidates) if i % 2 == leaver % 2}
    candidates = [
        Candidate(**{**c.__dict__, "platform": "vmware" if c.slug in left else "proxmox"})
        for c in candidates
    ]
    leaving = Restriction("plan", "platform", frozenset({"vmware"}), excluded=True)
    needs = Needs(**{**needs.__dict__, "restrictions": (*needs.restrictions, leaving)})
    assert not {s.slug for s in recommend(candidates, needs).ranking} & left


# Where a ruled-out candidate would stand -----------------------------------------------
# Criteria a (1 point) and licensing (1 point), no feature: weights 1/2 each. Yearly costs
# s1 9,000, s2 0, e 0; floor 1,000. Survivors' cost scores: s2 10 (the cheapest), s1
# 10 - 3 * log10(10,000 / 1,000) = 7. s1: licensing 0.5 * 7 + 0.5 * 6 = 6.5,
# S = 100 * (0.5 * 0.8 + 0.5 * 0.65) = 72.5; s2: licensing 8, S = 100 * (0.3 + 0.4) = 70.
# e, a type 2 hypervisor ruled out by "type 1 only", joins at the cheapest: cost score 10,
# licensing 0.5 * 10 + 0.5 * 4 = 7, S = 100 * (0.5 * 1.0 + 0.5 * 0.7) = 85: it would be first.
def test_a_ruled_out_candidate_says_where_it_would_rank_had_nothing_ruled_it_out():
    candidates = [
        candidate("s1", {"a": 8, "licensing_cost": 6}),
        candidate("s2", {"a": 6, "licensing_cost": 6}),
        candidate("e", {"a": 10, "licensing_cost": 4}, hypervisor_type=2),
    ]
    needs = Needs(
        points={"a": 1, "licensing_cost": 1},
        restrictions=(Restriction("server", "type", frozenset({"1"})),),
        yearly_costs={"s1": Decimal(9000), "s2": Decimal(0), "e": Decimal(0)},
        cost_floor=Decimal(1000),
    )
    result = recommend(candidates, needs)
    assert [(s.slug, round(s.score, 6)) for s in result.ranking] == [("s1", 72.5), ("s2", 70)]
    (ruled_out,) = result.eliminated
    assert ruled_out.score_if_kept == pytest.approx(85)
    assert ruled_out.rank_if_kept == 1


def test_a_ruled_out_candidate_below_the_ranked_ones_takes_the_place_after_them():
    # e as above but rated a 2 and priced on quote (no cost score: licensing 4 alone):
    # S = 100 * (0.5 * 0.2 + 0.5 * 0.4) = 30, below s1 (72.5) and s2 (70): third.
    candidates = [
        candidate("s1", {"a": 8, "licensing_cost": 6}),
        candidate("s2", {"a": 6, "licensing_cost": 6}),
        candidate("e", {"a": 2, "licensing_cost": 4}, hypervisor_type=2),
    ]
    needs = Needs(
        points={"a": 1, "licensing_cost": 1},
        restrictions=(Restriction("server", "type", frozenset({"1"})),),
        yearly_costs={"s1": Decimal(9000), "s2": Decimal(0), "e": None},
        cost_floor=Decimal(1000),
    )
    (ruled_out,) = recommend(candidates, needs).eliminated
    assert ruled_out.score_if_kept == pytest.approx(30)
    assert ruled_out.rank_if_kept == 3
