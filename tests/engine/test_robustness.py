"""The Monte Carlo over plausible weightings: properties it keeps whatever the data."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare.engine.robustness import robustness
from compare.engine.scoring import Scored

CRITERIA = ["a", "b", "c"]


def scored(slug, values):
    return Scored(slug, slug.upper(), 0.0, dict(zip(CRITERIA, values, strict=True)), {})


values = st.lists(st.floats(0, 1), min_size=3, max_size=3)
weights = st.lists(st.floats(0.01, 1), min_size=3, max_size=3).map(
    lambda raw: {key: w / sum(raw) for key, w in zip(CRITERIA, raw, strict=True)}
)


@settings(max_examples=50, deadline=None)
@given(st.lists(values, min_size=1, max_size=6), weights)
def test_the_shares_sum_to_one_and_the_same_seed_gives_the_same_shares(rows, weighting):
    ranking = [scored(f"p{i}", row) for i, row in enumerate(rows)]
    first = robustness(ranking, weighting, samples=200)
    assert math.fsum(first.wins.values()) == pytest.approx(1)
    assert robustness(ranking, weighting, samples=200) == first


@settings(max_examples=50, deadline=None)
@given(st.lists(values, min_size=1, max_size=5), weights, st.floats(0.01, 0.5))
def test_a_candidate_better_on_every_criterion_wins_every_weighting(rows, weighting, lead):
    others = [scored(f"p{i}", row) for i, row in enumerate(rows)]
    best = scored("best", [max(r[i] for r in rows) + lead for i in range(3)])
    assert robustness([best, *others], weighting, samples=200).wins == {"best": 1.0}


def test_two_candidates_level_on_average_share_the_wins():
    # x is better on a, y on b; a and b weigh the same: each wins about half the weightings
    # (2,000 samples: the share's standard error is about 1.1 %).
    x = Scored("x", "X", 0, {"a": 1.0, "b": 0.0}, {})
    y = Scored("y", "Y", 0, {"a": 0.0, "b": 1.0}, {})
    wins = robustness([x, y], {"a": 0.5, "b": 0.5}).wins
    assert wins["x"] == pytest.approx(0.5, abs=0.05)
    assert wins["x"] + wins["y"] == pytest.approx(1)


def test_a_criterion_nobody_weighted_never_decides():
    # y is better only on c, weighted 0: x wins every sample.
    x = Scored("x", "X", 0, {"a": 0.6, "c": 0.0}, {})
    y = Scored("y", "Y", 0, {"a": 0.5, "c": 1.0}, {})
    assert robustness([x, y], {"a": 1.0, "c": 0.0}).wins == {"x": 1.0}


def test_another_seed_draws_other_weightings():
    x = Scored("x", "X", 0, {"a": 1.0, "b": 0.0}, {})
    y = Scored("y", "Y", 0, {"a": 0.0, "b": 1.0}, {})
    one = robustness([x, y], {"a": 0.5, "b": 0.5}, seed=1)
    two = robustness([x, y], {"a": 0.5, "b": 0.5}, seed=2)
    assert (one.seed, two.seed) == (1, 2) and one.wins != two.wins
