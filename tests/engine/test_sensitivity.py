"""The one-at-a-time sensitivity charts, checked by brute force: the engine is run again with
one weight moved step by step, and the winner changes where the charts mark a flip point."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compare.engine.scoring import FEATURES, Candidate, FeatureUnit, Level, Needs, recommend
from compare.reports.charts import SENSITIVITY_PLOT, sensitivity_chart
from compare.reports.narrative import sensitivity

CRITERIA = ["a", "b", "c"]
STEPS = 2000  # the brute force's grid: a flip is found within 1/2000 of the weight


def moved(needs: Needs, key: str, weight: float) -> Needs:
    """The same needs with `key`'s normalised weight at `weight`, the others in proportion."""
    points = {**needs.points, FEATURES: needs.feature_points}
    others = sum(value for k, value in points.items() if k != key)
    points[key] = weight / (1 - weight) * others
    features = points.pop(FEATURES)
    return Needs(points=points, units=needs.units, feature_points=features)


def winner_at(candidates, needs, key, weight):
    ranking = recommend(candidates, moved(needs, key, weight)).ranking
    return ranking[0].slug, {scored.slug: scored.score for scored in ranking}


def first_change(candidates, needs, key, start, direction):
    """Walking from the current weight, the first grid weight where another product wins."""
    now, _ = winner_at(candidates, needs, key, start)
    step = 1 / STEPS
    weight = start + direction * step
    while 0 < weight < 1:
        if winner_at(candidates, needs, key, weight)[0] != now:
            return weight
        weight += direction * step
    return None


ratings = st.lists(st.integers(0, 10), min_size=3, max_size=3)
support = st.sampled_from([Level.FULL, Level.PARTIAL, Level.NONE])


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.tuples(ratings, support), min_size=2, max_size=5, unique_by=lambda r: tuple(r[0])),
    st.lists(st.integers(1, 5), min_size=3, max_size=3),
)
def test_the_charts_flip_points_are_where_the_winner_changes(rows, points):
    candidates = [
        Candidate(
            f"p{i}",
            f"P{i}",
            1,
            frozenset(),
            frozenset(),
            "open_source",
            "full",
            ratings=dict(zip(CRITERIA, values, strict=True)),
            support={"ha": level},
        )
        for i, (values, level) in enumerate(rows)
    ]
    needs = Needs(
        points=dict(zip(CRITERIA, points, strict=True)),
        units=(FeatureUnit("ha", ("ha",)),),
        feature_points=1.0,
    )
    result = recommend(candidates, needs)
    for flip in result.flips:
        chart = sensitivity(flip, result)
        key, weight = flip.criterion, flip.weight
        # The lines are the scores: at the current weight and at any other, as recomputed.
        _, scores_now = winner_at(candidates, needs, key, weight)
        for line in chart["lines"]:
            at = line["start"] + weight * (line["end"] - line["start"])
            assert at == pytest.approx(scores_now[line["slug"]], abs=1e-6)
        _, scores_later = winner_at(candidates, needs, key, 0.9)
        for line in chart["lines"]:
            at = line["start"] + 0.9 * (line["end"] - line["start"])
            assert at == pytest.approx(scores_later[line["slug"]], abs=1e-6)
        if flip.tied:
            continue  # level now: the next grid step either way may already change the winner
        for bound, direction in ((flip.upper, 1), (flip.lower, -1)):
            found = first_change(candidates, needs, key, weight, direction)
            if bound is None:
                # No flip that way, except one closer to 0 or 100 % than the engine reports.
                assert found is None or min(found, 1 - found) < 2e-3
            else:
                assert found == pytest.approx(bound, abs=1.5 / STEPS)


def test_the_chart_marks_the_current_weight_and_each_flip_on_the_winners_line():
    data = {
        "weight": 0.25,
        "lower": None,
        "upper": 0.5,
        "lines": [
            {"slug": "x", "name": "X", "start": 80.0, "end": 60.0},
            {"slug": "y", "name": "Y", "start": 60.0, "end": 80.0},
        ],
    }
    chart = sensitivity_chart(data)
    left, top, right, bottom = SENSITIVITY_PLOT
    assert chart.current.x == pytest.approx(left + 0.25 * (right - left), abs=0.1)
    assert chart.current.label == "25\u00a0%"
    # The lines cross at 50 %, score 70: the middle of the 60-80 scale.
    [flip] = chart.flips
    assert (flip.x, flip.y) == pytest.approx(((left + right) / 2, (top + bottom) / 2), abs=0.1)
    assert flip.label == "50\u00a0%"
    assert [line.name for line in chart.lines] == ["X", "Y"]
    assert len({(line.colour, line.dash) for line in chart.lines}) == 2
