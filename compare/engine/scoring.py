"""The HVSelect scoring engine: plain data in, plain data out, no Django.

Method (the /methodology/ page explains it in plain words; the formulas come from
shared/reference/scoring-methods.md and questionnaire-effects.md):

1. Weights. Each criterion has 0-5 points (defaults, plus the answers' effects, clipped once
   to 0..5, then replaced by the user's own value where given). The requested-features
   component F gets P_F = min(5, 1 per must unit + 0.5 per nice unit) points. Points are
   normalised to weights that sum to 1.
2. Requirements. A candidate is eliminated when it fails a restriction (type, host platform,
   guest family, licence, free edition, a platform the company is leaving), lacks a must
   feature (none), has it only in a paid edition when paid editions do not count (paid
   services such as support always count), or is discontinued; every failure is a reason.
   A must met only partly (partial) or not verified (unknown) does not eliminate: the
   candidate is ranked and flagged (`partly_met`, `to_verify`), the feature scored as it is.
3. Score, 0-100: S = 100 * (sum_c w_c * r_c / 10 + w_F * F), where r_c is the 0-10 rating
   (the free edition's rating under free-only budgets; for licensing, half the cost score of
   this estate's yearly cost (costs.cost_scores, among the candidates still in) and half the
   licence-model rating, 9 when the licence is already owned, the rating alone on a price on
   quote; the ecosystem rating mixed half-and-half with the company's fit signals)
   and F = sum_u m_u * coverage_u / sum_u m_u, with m = 2 for a must unit and 1 for a nice
   one, and a unit's coverage the mean value of its features (full 1, paid 0.75 or 0 when
   paid editions do not count, partial 0.5, none and unknown 0).
4. Ranking by score, then F, then slug: deterministic.
5. Contributions to the lead: w_c * (r_first,c - r_second,c), in score points.
6. Flip points: moving one weight to t and rescaling the others proportionally makes every
   score linear in t, so the weight at which another candidate overtakes the winner is exact.
   A challenger tied with the winner now flips it at the current weight; other crossings count
   only strictly inside (0, 1), FLIP_TOLERANCE away from the bounds; when several challengers
   cross at the same weight, the one first just past it (by the ranking's tie-break) is named.
7. Close call: a gap under 5 % of the winner's score, or a TOPSIS cross-check (vector
   normalisation, on the survivors) that puts another candidate first.
8. When every candidate is eliminated, the closest miss is the one that fits the company's
   situation (fewest failed restrictions) and then misses the fewest needs; then the best score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from compare.engine.costs import COST_FLOOR_EUR, COST_SHARE, cost_scores, far_above

ENGINE_VERSION = "2.0"
FEATURES = "features"  # the key of the requested-features component among the criteria
MAX_POINTS = 5
MAX_FEATURE_POINTS = 5
CLOSE_CALL_GAP = 0.05
FLIP_TOLERANCE = 1e-3  # crossings nearer than 0.1 % to 0 or 100 % are not reported
TIE = 1e-9
OWNED_LICENCE_SCORE = 9
LICENSING = "licensing_cost"
ECOSYSTEM = "ecosystem_integration"


class Level(StrEnum):
    FULL = "full"
    PAID = "paid"
    PARTIAL = "partial"
    NONE = "none"
    UNKNOWN = "unknown"


LEVEL_VALUE = {Level.FULL: 1.0, Level.PAID: 0.75, Level.PARTIAL: 0.5, Level.NONE: 0.0}


class Failure(StrEnum):
    RESTRICTION = "restriction"
    MISSING = "missing"  # level none
    PAID_ONLY = "paid_only"  # level paid, when paid editions do not count
    DISCONTINUED = "discontinued"


@dataclass(frozen=True)
class Candidate:
    slug: str
    name: str
    hypervisor_type: int
    host_platforms: frozenset[str]
    guest_families: frozenset[str]
    licence_model: str
    free_edition: str
    admin_skills: frozenset[str] = frozenset()
    included_with: str = ""
    platform: str = ""  # the platform family it belongs to (vmware, hyper_v...), if any
    status: str = "active"
    ratings: Mapping[str, float] = field(default_factory=dict)
    free_edition_ratings: Mapping[str, float] = field(default_factory=dict)
    support: Mapping[str, Level] = field(default_factory=dict)

    def level(self, feature: str) -> Level:
        return self.support.get(feature, Level.UNKNOWN)

    def attribute_values(self, attribute: str) -> frozenset[str]:
        value = {
            "type": str(self.hypervisor_type),
            "host_platform": self.host_platforms,
            "guest_family": self.guest_families,
            "licence": self.licence_model,
            "free_edition": self.free_edition,
            "platform": self.platform,
        }[attribute]
        return value if isinstance(value, frozenset) else frozenset([value])


@dataclass(frozen=True)
class Restriction:
    """Keep only candidates whose `attribute` has one of `allowed` (any of, for sets).

    With `every=True`, a set attribute must contain every allowed value (guest families);
    with `excluded=True`, candidates with any of the values are ruled out instead.
    """

    key: str
    attribute: str
    allowed: frozenset[str]
    every: bool = False
    excluded: bool = False

    def admits(self, candidate: Candidate) -> bool:
        values = candidate.attribute_values(self.attribute)
        if self.excluded:
            return not self.allowed & values
        if self.every:
            return self.allowed <= values
        return bool(self.allowed & values)


@dataclass(frozen=True)
class FeatureUnit:
    """One answer's worth of requested features: one vote in F, however many features."""

    key: str
    features: tuple[str, ...]
    must: bool = False
    gates: tuple[str, ...] = ()  # must features a candidate cannot lack

    @property
    def multiplier(self) -> int:
        return 2 if self.must else 1


@dataclass(frozen=True)
class FitSignal:
    """How well a candidate fits the company's estate, 0..1, for the contextual ecosystem score.

    kind "feature": the candidate's support level of `value` (a feature key);
    kind "skill": 1 when the candidate's admin skills include `value`;
    kind "platform": 1 when the candidate belongs to platform `value` (the one a company stays on);
    kind "open_source_api": mean of the rest_api level and 1 for an open-source licence.
    """

    kind: str
    value: str = ""

    def fit(self, candidate: Candidate) -> float:
        if self.kind == "feature":
            return LEVEL_VALUE.get(candidate.level(self.value), 0.0)
        if self.kind == "skill":
            return 1.0 if self.value in candidate.admin_skills else 0.0
        if self.kind == "platform":
            return 1.0 if candidate.platform == self.value else 0.0
        if self.kind == "open_source_api":
            api = LEVEL_VALUE.get(candidate.level("rest_api"), 0.0)
            return (api + (1.0 if candidate.licence_model == "open_source" else 0.0)) / 2
        raise ValueError(f"unknown fit signal {self.kind!r}")


@dataclass(frozen=True)
class Needs:
    """What the company asked for, already turned into the engine's terms."""

    points: Mapping[str, float]  # criterion key -> 0..5, after effects and adjustments
    units: tuple[FeatureUnit, ...] = ()
    restrictions: tuple[Restriction, ...] = ()
    feature_points: float | None = None  # the user's own weight of F, replacing P_F
    paid_counts: bool = True
    services: frozenset[str] = frozenset()  # features sold as a service: paid always counts
    free_edition_only: bool = False
    fit_signals: tuple[FitSignal, ...] = ()
    owned_licences: frozenset[str] = frozenset()
    # The yearly cost of each candidate for this estate (None: price on quote), the floor of
    # the cost score in the same currency, and whether to flag costs far above the others.
    yearly_costs: Mapping[str, Decimal | None] = field(default_factory=dict)
    cost_floor: Decimal = COST_FLOOR_EUR
    watch_cost: bool = False
    cost_scores: Mapping[str, float] = field(default_factory=dict)  # set by recommend()


# Results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    kind: Failure
    key: str  # the restriction's key or the feature's key


@dataclass(frozen=True)
class Elimination:
    slug: str
    name: str
    reasons: tuple[Reason, ...]
    # Had nothing ruled it out: its score, and the place it would take in the ranking.
    score_if_kept: float | None = None
    rank_if_kept: int | None = None


@dataclass(frozen=True)
class Scored:
    slug: str
    name: str
    score: float  # 0-100
    values: Mapping[str, float]  # criterion key (and FEATURES) -> 0..1, as scored
    unit_coverage: Mapping[str, float]
    partly_met: tuple[str, ...] = ()  # must features it has only partly
    to_verify: tuple[str, ...] = ()  # must features not verified: to check with the vendor
    cost_score: float | None = None  # 0-10 for this estate's cost; None: no price known
    costs_far_more: bool = False  # far above the others' yearly cost, with a moderate budget

    @property
    def meets_every_must(self) -> bool:
        return not self.partly_met and not self.to_verify


@dataclass(frozen=True)
class Contribution:
    criterion: str
    points: float  # score points the criterion adds to the winner's lead (negative: costs)


@dataclass(frozen=True)
class Flip:
    criterion: str
    weight: float  # current normalised weight
    lower: float | None  # below this weight another candidate wins (None: never)
    lower_challenger: str | None
    upper: float | None  # above this weight another candidate wins (None: never)
    upper_challenger: str | None

    @property
    def stable(self) -> bool:
        return self.lower is None and self.upper is None

    @property
    def tied(self) -> bool:
        """Level with a challenger now: any move of this weight one way changes the winner."""
        return self.weight in (self.lower, self.upper)

    @property
    def margin(self) -> float:
        """The smallest change of weight that changes the winner, relative to the weight."""
        distances = [abs(t - self.weight) for t in (self.lower, self.upper) if t is not None]
        if not distances:
            return math.inf
        if min(distances) == 0:
            return 0.0
        return min(distances) / self.weight if self.weight > 0 else math.inf


@dataclass(frozen=True)
class Result:
    engine_version: str
    points: Mapping[str, float]  # criterion key (and FEATURES) -> points before normalising
    weights: Mapping[str, float]  # criterion key (and FEATURES) -> normalised weight
    ranking: tuple[Scored, ...]
    eliminated: tuple[Elimination, ...]
    closest_miss: Elimination | None
    gap: float | None  # (S1 - S2) / S1
    contributions: tuple[Contribution, ...]
    flips: tuple[Flip, ...]
    most_critical: Flip | None
    topsis_winner: str | None
    close_call: bool

    @property
    def winner(self) -> Scored | None:
        return self.ranking[0] if self.ranking else None


# The engine ----------------------------------------------------------------------------


def feature_points(units: tuple[FeatureUnit, ...]) -> float:
    musts = sum(1 for unit in units if unit.must)
    nices = len(units) - musts
    return min(MAX_FEATURE_POINTS, musts + 0.5 * nices)


def normalise(points: Mapping[str, float]) -> dict[str, float]:
    total = sum(points.values())
    if total <= 0:
        raise ValueError("at least one criterion needs a weight above 0")
    return {key: value / total for key, value in points.items()}


def gated_features(needs: Needs) -> tuple[str, ...]:
    """The must features, each once, in the order they were asked for."""
    return tuple(dict.fromkeys(f for unit in needs.units if unit.must for f in unit.gates))


def paid_counts_for(feature: str, needs: Needs) -> bool:
    return needs.paid_counts or feature in needs.services


def failures(candidate: Candidate, needs: Needs) -> tuple[Reason, ...]:
    reasons = []
    if candidate.status == "discontinued":
        reasons.append(Reason(Failure.DISCONTINUED, "status"))
    reasons += [
        Reason(Failure.RESTRICTION, restriction.key)
        for restriction in needs.restrictions
        if not restriction.admits(candidate)
    ]
    for feature in gated_features(needs):
        level = candidate.level(feature)
        if level is Level.NONE:
            reasons.append(Reason(Failure.MISSING, feature))
        elif level is Level.PAID and not paid_counts_for(feature, needs):
            reasons.append(Reason(Failure.PAID_ONLY, feature))
    return tuple(reasons)


def shortfalls(candidate: Candidate, needs: Needs) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The must features a ranked candidate meets only partly, and those not verified."""
    gated = gated_features(needs)
    partly = tuple(f for f in gated if candidate.level(f) is Level.PARTIAL)
    unverified = tuple(f for f in gated if candidate.level(f) is Level.UNKNOWN)
    return partly, unverified


def level_value(level: Level, *, paid_counts: bool) -> float:
    if level is Level.PAID and not paid_counts:
        return 0.0
    return LEVEL_VALUE.get(level, 0.0)


def criterion_value(candidate: Candidate, criterion: str, needs: Needs) -> float:
    """The 0-10 rating the score uses, after the free-edition, owned-licence and fit rules."""
    rating = candidate.ratings.get(criterion, 0.0)
    if needs.free_edition_only and criterion in candidate.free_edition_ratings:
        rating = candidate.free_edition_ratings[criterion]
    if criterion == LICENSING:
        if candidate.included_with in needs.owned_licences:
            rating = OWNED_LICENCE_SCORE
        if candidate.slug in needs.cost_scores:
            share = float(COST_SHARE)
            rating = share * needs.cost_scores[candidate.slug] + (1 - share) * rating
    if criterion == ECOSYSTEM and needs.fit_signals:
        fit = sum(signal.fit(candidate) for signal in needs.fit_signals) / len(needs.fit_signals)
        rating = rating / 2 + 10 * fit / 2
    return rating


def score(candidate: Candidate, needs: Needs, weights: Mapping[str, float]) -> Scored:
    values = {
        criterion: criterion_value(candidate, criterion, needs) / 10 for criterion in needs.points
    }
    coverage = {
        unit.key: sum(
            level_value(candidate.level(feature), paid_counts=paid_counts_for(feature, needs))
            for feature in unit.features
        )
        / len(unit.features)
        for unit in needs.units
    }
    multipliers = sum(unit.multiplier for unit in needs.units)
    values[FEATURES] = (
        sum(unit.multiplier * coverage[unit.key] for unit in needs.units) / multipliers
        if multipliers
        else 0.0
    )
    total = sum(weights[key] * value for key, value in values.items())
    partly, unverified = shortfalls(candidate, needs)
    return Scored(
        slug=candidate.slug,
        name=candidate.name,
        score=100 * total,
        values=values,
        unit_coverage=coverage,
        partly_met=partly,
        to_verify=unverified,
        cost_score=needs.cost_scores.get(candidate.slug),
    )


def rank(scored: list[Scored]) -> tuple[Scored, ...]:
    return tuple(sorted(scored, key=lambda s: (-round(s.score, 9), -s.values[FEATURES], s.slug)))


def contributions(first: Scored, second: Scored, weights: Mapping[str, float]):
    lead = [
        Contribution(key, 100 * weight * (first.values[key] - second.values[key]))
        for key, weight in weights.items()
        if weight > 0
    ]
    return tuple(sorted(lead, key=lambda c: (-c.points, c.criterion)))


def flip_points(
    ranking: tuple[Scored, ...], weights: Mapping[str, float], criteria
) -> tuple[Flip, ...]:
    """For each of `criteria`, the weights below and above which the winner loses first place.

    With w_k moved to t and the other weights scaled by (1 - t) / (1 - w_k), a score is
    S(t) = B + t (r_k - B) with B = (S - w_k r_k) / (1 - w_k), so the winner's lead over a
    challenger, D(t) = (B_a - B_b) + t ((r_ak - B_a) - (r_bk - B_b)), is linear in t: it
    vanishes at t* = (B_b - B_a) / ((r_ak - B_a) - (r_bk - B_b)).
    """
    winner, challengers = ranking[0], ranking[1:]
    flips = []
    for key in criteria:
        weight = weights[key]
        lower: tuple | None = None  # (crossing, challenger)
        upper: tuple | None = None
        if weight < 1:
            base_a = _base(winner, key, weights)
            for challenger in challengers:
                base_b = _base(challenger, key, weights)
                rise = challenger.values[key] - base_b  # dS_b/dt
                slope = (winner.values[key] - base_a) - rise  # dD/dt
                if abs(slope) < TIE:
                    continue  # parallel: the order never changes with this weight
                lead_now = (base_a - base_b) + weight * slope
                if abs(lead_now) < TIE:
                    crossing = weight  # level now, first by the tie-break
                else:
                    crossing = (base_b - base_a) / slope
                    if not FLIP_TOLERANCE < crossing < 1 - FLIP_TOLERANCE:
                        continue
                if slope < 0 and crossing < 1:  # the challenger gains as the weight rises
                    upper = _nearer(upper, (crossing, challenger, rise), rising=True)
                elif slope > 0 and crossing > 0:
                    lower = _nearer(lower, (crossing, challenger, rise), rising=False)
        flips.append(
            Flip(
                key,
                weight,
                lower[0] if lower else None,
                lower[1].slug if lower else None,
                upper[0] if upper else None,
                upper[1].slug if upper else None,
            )
        )
    return tuple(flips)


def sensitivity_line(
    scored: Scored, weights: Mapping[str, float], key: str
) -> tuple[float, float] | None:
    """A candidate's score (0-100) with `key`'s weight moved to 0 and to 100 %, the other
    weights rescaled as in flip_points: in between, the score is the straight line joining
    them. None when `key` holds all the weight (nothing to rescale)."""
    if weights[key] >= 1:
        return None
    return 100 * _base(scored, key, weights), 100 * scored.values[key]


def _nearer(best: tuple | None, new: tuple, *, rising: bool) -> tuple:
    """The crossing met first moving away from the current weight; at the same weight, the
    challenger that is first just past it: the steepest climber (rising) or the slowest
    faller, then the ranking's tie-break (more requested features, then slug)."""
    if best is None:
        return new
    t_best, t_new = best[0], new[0]
    if abs(t_new - t_best) >= TIE:
        return new if (t_new < t_best) == rising else best

    def first_past(crossing):
        _, challenger, rise = crossing
        return (-rise if rising else rise, -challenger.values[FEATURES], challenger.slug)

    return min(best, new, key=first_past)


def _base(scored: Scored, key: str, weights: Mapping[str, float]) -> float:
    """The candidate's score (0..1) from every criterion but `key`, rescaled to sum 1."""
    total = sum(weights[k] * v for k, v in scored.values.items())
    return (total - weights[key] * scored.values[key]) / (1 - weights[key])


def topsis_winner(ranking: tuple[Scored, ...], weights: Mapping[str, float]) -> str:
    """The first candidate by TOPSIS closeness (vector normalisation, benefit criteria)."""
    keys = [key for key, weight in weights.items() if weight > 0]
    norms = {key: math.sqrt(sum(s.values[key] ** 2 for s in ranking)) for key in keys}
    weighted = [
        {key: weights[key] * (s.values[key] / norms[key] if norms[key] else 0.0) for key in keys}
        for s in ranking
    ]
    best = {key: max(row[key] for row in weighted) for key in keys}
    worst = {key: min(row[key] for row in weighted) for key in keys}

    def closeness(row):
        to_best = math.dist([row[k] for k in keys], [best[k] for k in keys])
        to_worst = math.dist([row[k] for k in keys], [worst[k] for k in keys])
        return to_worst / (to_best + to_worst) if to_best + to_worst else 0.5

    scores = [(closeness(row), s) for row, s in zip(weighted, ranking, strict=True)]
    # Ties keep the weighted-sum order, so only a real disagreement changes the winner.
    return max(scores, key=lambda pair: (round(pair[0], 12), -ranking.index(pair[1])))[1].slug


def _as_if_kept(elimination, candidate, needs, weights, yearly, ranking) -> Elimination:
    """What a ruled-out candidate would score had nothing ruled it out, its cost scored on the
    scale of the candidates it would join (it moves nobody else's score), and its place."""
    own = needs.yearly_costs.get(candidate.slug)
    joined = (
        cost_scores({**yearly, candidate.slug: own}, needs.cost_floor) if own is not None else {}
    )
    scale = {candidate.slug: joined[candidate.slug]} if candidate.slug in joined else {}
    kept = score(candidate, replace(needs, cost_scores=scale), weights).score
    place = 1 + sum(1 for scored in ranking if round(scored.score, 9) >= round(kept, 9))
    return replace(elimination, score_if_kept=kept, rank_if_kept=place)


def recommend(candidates: list[Candidate], needs: Needs) -> Result:
    points = {key: float(value) for key, value in needs.points.items()}
    points[FEATURES] = (
        feature_points(needs.units) if needs.feature_points is None else needs.feature_points
    )
    weights = normalise(points)

    eliminated, survivors = [], []
    for candidate in sorted(candidates, key=lambda c: c.slug):
        reasons = failures(candidate, needs)
        if reasons:
            eliminated.append(Elimination(candidate.slug, candidate.name, reasons))
        else:
            survivors.append(candidate)
    # The cost score compares the candidates still in: an eliminated one sets no scale.
    yearly = {
        c.slug: needs.yearly_costs[c.slug]
        for c in survivors
        if needs.yearly_costs.get(c.slug) is not None
    }
    needs = replace(needs, cost_scores=cost_scores(yearly, needs.cost_floor))
    expensive = far_above(yearly, needs.cost_floor) if needs.watch_cost else set()
    ranking = rank(
        [
            replace(score(candidate, needs, weights), costs_far_more=candidate.slug in expensive)
            for candidate in survivors
        ]
    )

    by_slug = {c.slug: c for c in candidates}
    eliminated = [
        _as_if_kept(e, by_slug[e.slug], needs, weights, yearly, ranking) for e in eliminated
    ]
    closest_miss = None
    if not ranking and eliminated:
        scores = {c.slug: score(c, needs, weights).score for c in candidates}
        closest_miss = min(
            eliminated,
            key=lambda e: (
                sum(r.kind is Failure.RESTRICTION for r in e.reasons),
                len(e.reasons),
                -round(scores[e.slug], 9),
                e.slug,
            ),
        )

    gap = lead = flips = most_critical = topsis = None
    if len(ranking) >= 2:
        first, second = ranking[0], ranking[1]
        gap = (first.score - second.score) / first.score if first.score else 0.0
        lead = contributions(first, second, weights)
        # Without requested features F is no criterion of this decision.
        analysed = [key for key in weights if key != FEATURES or needs.units]
        flips = flip_points(ranking, weights, analysed)
        critical = [flip for flip in flips if not flip.stable and flip.margin < math.inf]
        most_critical = min(critical, key=lambda f: (f.margin, f.criterion), default=None)
        topsis = topsis_winner(ranking, weights)
    close_call = gap is not None and (gap < CLOSE_CALL_GAP or topsis != ranking[0].slug)
    return Result(
        engine_version=ENGINE_VERSION,
        points=points,
        weights=weights,
        ranking=ranking,
        eliminated=tuple(eliminated),
        closest_miss=closest_miss,
        gap=gap,
        contributions=lead or (),
        flips=flips or (),
        most_critical=most_critical,
        topsis_winner=topsis,
        close_call=close_call,
    )
