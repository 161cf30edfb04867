"""The what-if: the engine run again on a recommendation's saved inputs, with other weights
or requirements; figures worked by hand."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare.engine.costs import Estate, Host, Metric, Offer, Rate, SupportHours
from compare.engine.inputs import EngineInputs, estimate_costs, from_json, priced, to_json
from compare.engine.scoring import (
    FEATURES,
    Candidate,
    Failure,
    FeatureUnit,
    Level,
    Needs,
    Reason,
    Restriction,
    recommend,
)
from compare.engine.what_if import Need, saved_needs, what_if


def candidate(slug, ratings, support, **fields):
    values = {
        "hypervisor_type": 1,
        "host_platforms": frozenset({"dedicated"}),
        "guest_families": frozenset({"linux", "windows"}),
        "licence_model": "open_source",
        "free_edition": "full",
        **fields,
    }
    return Candidate(slug, slug.title(), ratings=ratings, support=support, **values)


# Two products: "alpha" has backups only in its paid edition (EUR 100 per host and year),
# "beta" has none; both have HA. Two hosts, three years.
ALPHA = candidate(
    "alpha", {"licensing_cost": 6, "security": 8}, {"backup": Level.PAID, "ha": Level.FULL}
)
BETA = candidate(
    "beta", {"licensing_cost": 8, "security": 6}, {"backup": Level.NONE, "ha": Level.FULL}
)
OFFERS = {
    "alpha": (
        Offer("alpha", "Community", Metric.FREE),
        Offer(
            "alpha",
            "Standard",
            Metric.PER_HOST_YEAR,
            Decimal(100),
            "EUR",
            SupportHours.BUSINESS_HOURS,
            frozenset({"backup"}),
        ),
    ),
    "beta": (Offer("beta", "Free", Metric.FREE),),
}
ESTATE = Estate((Host(2, 8, count=2),), years=3, support=SupportHours.NONE)


def inputs(units, points=None, restrictions=()):
    needs = Needs(
        points=points or {"licensing_cost": 3, "security": 2},
        units=units,
        restrictions=restrictions,
    )
    candidates = (ALPHA, BETA)
    costs = estimate_costs(candidates, OFFERS, ESTATE, Rate(None), needs)
    return EngineInputs(
        candidates=candidates,
        needs=priced(needs, costs, ESTATE, Rate(None)),
        estate=ESTATE,
        offers=OFFERS,
        rate=Rate(None),
        must_gates={unit.key: unit.features for unit in units},
    )


BACKUP_MUST = FeatureUnit("backup", ("backup",), must=True, gates=("backup",))
HA_NICE = FeatureUnit("ha", ("ha",))


def points_of(result):
    return dict(result.points)


def test_unchanged_inputs_reproduce_the_saved_result_exactly():
    saved = inputs((BACKUP_MUST, HA_NICE))
    result = recommend(list(saved.candidates), saved.needs)
    assert what_if(saved, points_of(result), saved_needs(saved)) == result


def test_the_saved_inputs_survive_their_json():
    saved = inputs((BACKUP_MUST, HA_NICE), restrictions=(Restriction("k", "type", frozenset("1")),))
    back = from_json(to_json(saved))
    assert back == saved
    assert back.candidates[0].support["backup"] is Level.PAID  # the engine compares with `is`


def test_a_requirement_made_a_wish_brings_back_who_lacked_it_and_reprices():
    saved = inputs((BACKUP_MUST, HA_NICE))
    result = recommend(list(saved.candidates), saved.needs)
    # Required: beta (no backups) is ruled out; alpha must buy Standard: 2 hosts x 100 a year.
    assert [e.slug for e in result.eliminated] == ["beta"]
    assert saved.needs.yearly_costs["alpha"] == Decimal("200.00")

    wish = what_if(saved, points_of(result), {"backup": Need.NICE})

    assert [s.slug for s in wish.ranking] == ["alpha", "beta"] and not wish.eliminated
    # Both free now (the paid edition is no longer required): equal cost scores, 10 each.
    # F: backup (nice, x1) and ha (nice, x1); P_F kept at the saved 1.5 points.
    # alpha: licensing 0.5 x 10 + 0.5 x 6 = 8 -> 0.8; security 0.8; F = (0.75 + 1) / 2 = 0.875
    # beta:  licensing 0.5 x 10 + 0.5 x 8 = 9 -> 0.9; security 0.6; F = (0 + 1) / 2 = 0.5
    # weights 3, 2, 1.5 of 6.5.
    alpha = 100 * (3 * 0.8 + 2 * 0.8 + 1.5 * 0.875) / 6.5
    beta = 100 * (3 * 0.9 + 2 * 0.6 + 1.5 * 0.5) / 6.5
    assert {s.slug: s.score for s in wish.ranking} == pytest.approx({"alpha": alpha, "beta": beta})
    assert alpha == pytest.approx(81.73, abs=0.01) and beta == pytest.approx(71.54, abs=0.01)


def test_a_wish_made_a_requirement_rules_out_who_lacks_it():
    saved = inputs((FeatureUnit("backup", ("backup",)), HA_NICE))
    result = recommend(list(saved.candidates), saved.needs)
    assert not result.eliminated

    required = what_if(saved, points_of(result), {"backup": Need.MUST})

    assert [s.slug for s in required.ranking] == ["alpha"]
    assert required.eliminated[0].slug == "beta"
    assert required.eliminated[0].reasons == (Reason(Failure.MISSING, "backup"),)


def test_a_feature_not_needed_leaves_the_features_component():
    saved = inputs((BACKUP_MUST, HA_NICE))
    result = recommend(list(saved.candidates), saved.needs)
    without = what_if(saved, points_of(result), {"backup": Need.NO})
    # Only HA is left in F, and both have it fully.
    assert {s.slug: s.values[FEATURES] for s in without.ranking} == {"alpha": 1.0, "beta": 1.0}


def test_weights_move_the_ranking_as_the_ratings_say():
    saved = inputs((HA_NICE,))
    result = recommend(list(saved.candidates), saved.needs)
    # Security alone: alpha's 8 against beta's 6, 80 and 60 out of 100.
    security = what_if(saved, {**points_of(result), "licensing_cost": 0, FEATURES: 0}, {})
    assert [(s.slug, round(s.score, 6)) for s in security.ranking] == [
        ("alpha", 80.0),
        ("beta", 60.0),
    ]


ratings = st.integers(0, 10)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(ratings, ratings), min_size=2, max_size=6),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_the_what_if_with_the_saved_values_always_gives_the_saved_result(rows, a, b):
    candidates = tuple(
        candidate(f"p{i}", {"a": x, "b": y}, {"ha": Level.FULL if x > y else Level.PARTIAL})
        for i, (x, y) in enumerate(rows)
    )
    needs = Needs(points={"a": a, "b": b or 1}, units=(FeatureUnit("ha", ("ha",)),))
    saved = EngineInputs(candidates, needs, Estate((Host(1, 8),)))
    result = recommend(list(candidates), needs)
    assert what_if(saved, points_of(result), {}) == result
