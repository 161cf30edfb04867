"""How solid a verdict is across plausible weightings: a seeded Monte Carlo.

A company's weights are one honest estimate, not a measurement: two people answering the same
questionnaire would give slightly different points. Each sample draws a weighting from a
Dirichlet distribution centred on the chosen weights, with concentration CONCENTRATION
(alpha_c = CONCENTRATION * w_c), and re-ranks the candidates still in: a score is linear in
the weights (S = 100 * sum_c w_c * v_c), so no other input moves. A candidate's share of wins
is the fraction of samples it comes first in (ties go to the ranking's order). The seed comes
from the inputs, so the same snapshot always gives the same shares.

Why 50: with alpha_c = 50 w_c a weight's standard deviation is sqrt(w (1 - w) / 51), about
5 points of percentage for a 15 % weight, 3 for a 5 % one: one or two points up or down on the
0-5 scale when the points add up to about 35, the disagreement we see between colleagues. A smaller
concentration would test weightings nobody would sign; a larger one would only repeat the
flip points. Criteria weighted 0 stay 0: nobody asked for them.
"""

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import mul

from compare.engine.scoring import Scored

SAMPLES = 2000
CONCENTRATION = 50


@dataclass(frozen=True)
class Robustness:
    samples: int
    seed: int
    wins: dict[str, float]  # slug -> share of the samples it comes first in; they sum to 1


def seed_of(ranking: Sequence[Scored], weights: Mapping[str, float]) -> int:
    """A seed from the inputs themselves: deterministic for a given snapshot."""
    text = repr(([s.slug for s in ranking], sorted((k, round(w, 12)) for k, w in weights.items())))
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def robustness(
    ranking: Sequence[Scored],
    weights: Mapping[str, float],
    *,
    samples: int = SAMPLES,
    seed: int | None = None,
) -> Robustness | None:
    """Each ranked candidate's share of wins over `samples` plausible weightings."""
    if not ranking:
        return None
    seed = seed_of(ranking, weights) if seed is None else seed
    criteria = [key for key, weight in weights.items() if weight > 0]
    alphas = [CONCENTRATION * weights[key] for key in criteria]
    values = [[scored.values.get(key, 0.0) for key in criteria] for scored in ranking]
    rng = random.Random(seed)
    wins = [0] * len(ranking)
    for _sample in range(samples):
        draws = [rng.gammavariate(alpha, 1.0) for alpha in alphas]
        # The first highest score wins: ties go to the ranking's order (the normalisation by
        # the draws' total would not change who is first).
        best, best_score = 0, None
        for index, row in enumerate(values):
            total = sum(map(mul, draws, row))  # twice as fast as a generator, same sums
            if best_score is None or total > best_score + 1e-12:
                best, best_score = index, total
        wins[best] += 1
    return Robustness(
        samples,
        seed,
        {
            scored.slug: count / samples
            for scored, count in zip(ranking, wins, strict=True)
            if count
        },
    )
