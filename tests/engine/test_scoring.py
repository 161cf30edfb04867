"""The engine against hand-worked examples, and properties it must keep whatever the data.

No database: the engine takes and returns plain data.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare.engine.scoring import (
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


def test_unknown_and_missing_features_fail_a_must_with_distinct_reasons():
    units = (FeatureUnit("ha", ("ha",), must=True, gates=("ha",)),)
    result = recommend(
        [
            candidate("a", {"c": 5}, {"ha": N}),
            candidate("b", {"c": 5}, {}),
            candidate("c", {"c": 1}, {"ha": p}),
        ],
        Needs(points={"c": 1}, units=units),
    )
    reasons = {e.slug: e.reasons for e in result.eliminated}
    assert reasons == {
        "a": (Reason(Failure.MISSING, "ha"),),
        "b": (Reason(Failure.UNVERIFIED, "ha"),),
    }
    assert [s.slug for s in result.ranking] == ["c"]  # partial passes a must


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
