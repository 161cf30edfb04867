"""What if the weights or the requirements were different: the engine run again on a saved
recommendation's own inputs (never the live catalogue). Plain data in, plain data out.

Only what the company said may change: each criterion's points (0-5), the requested features'
points, and whether each requested feature is required, nice to have or not needed. A
requirement changed changes the costs too (an edition no longer required is no longer
priced); the products, their facts, the restrictions and the estate stay as saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum

from compare.engine.inputs import EngineInputs, estimate_costs, priced
from compare.engine.scoring import FEATURES, FeatureUnit, Result, recommend


class Need(StrEnum):
    MUST = "must"
    NICE = "nice"
    NO = "no"


def saved_needs(inputs: EngineInputs) -> dict[str, Need]:
    """Each requested unit's need as the recommendation was saved with."""
    return {unit.key: Need.MUST if unit.must else Need.NICE for unit in inputs.needs.units}


def what_if(inputs: EngineInputs, points: Mapping[str, float], needs: Mapping[str, Need]) -> Result:
    """The recommendation had the company given these `points` (every criterion and
    FEATURES) and these `needs` (by unit key; a unit left out keeps its saved need)."""
    needs = {**saved_needs(inputs), **needs}
    units = []
    for unit in inputs.needs.units:
        need = needs[unit.key]
        if need is Need.NO:
            continue
        must = need is Need.MUST
        gates = tuple(inputs.must_gates.get(unit.key, unit.features)) if must else ()
        units.append(FeatureUnit(unit.key, unit.features, must, gates))
    changed = replace(
        inputs.needs,
        points={key: float(points[key]) for key in inputs.needs.points},
        feature_points=float(points[FEATURES]),
        units=tuple(units),
    )
    costs = estimate_costs(inputs.candidates, inputs.offers, inputs.estate, inputs.rate, changed)
    changed = priced(changed, costs, inputs.estate, inputs.rate)
    return recommend(list(inputs.candidates), changed)
