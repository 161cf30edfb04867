"""Everything the engine was given for one recommendation, kept with it so that a what-if
recomputes from the frozen snapshot alone, never from the live catalogue.

The candidates carry their ratings, support levels and restriction facts; the needs carry the
weights, the requested units and the restrictions; the offers, the estate and the exchange
rate let the costs follow a change of requirement (an edition no longer needed is no longer
priced). Plain data in, plain data out: JSON through pydantic's dataclass support.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pydantic import TypeAdapter

from compare.engine.costs import COST_FLOOR_EUR, Cost, Estate, Offer, Rate, estimate
from compare.engine.scoring import Candidate, Level, Needs, gated_features


@dataclass(frozen=True)
class EngineInputs:
    candidates: tuple[Candidate, ...]
    needs: Needs  # as recommend() received it: the yearly costs already in
    estate: Estate
    offers: Mapping[str, tuple[Offer, ...]] = field(default_factory=dict)
    rate: Rate = Rate(None)
    # What each requested unit would rule out when required: the must answer's gates.
    must_gates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


_ADAPTER = TypeAdapter(EngineInputs)


def to_json(inputs: EngineInputs) -> dict:
    return _ADAPTER.dump_python(inputs, mode="json", warnings=False)


def from_json(data: Mapping) -> EngineInputs:
    return _ADAPTER.validate_python(data)


def estimate_costs(
    candidates, offers: Mapping[str, tuple[Offer, ...]], estate: Estate, rate: Rate, needs: Needs
) -> dict[str, Cost]:
    """Every candidate's cost for the estate, ranked or not: the cheapest offer that unlocks
    the required features it has only in a paid edition."""
    musts = gated_features(needs)
    return {
        candidate.slug: estimate(
            candidate.slug,
            list(offers.get(candidate.slug, ())),
            estate,
            rate,
            # A paid service (round-the-clock support) is matched by the offer's support.
            paid_musts=frozenset(
                f for f in musts if candidate.level(f) is Level.PAID and f not in needs.services
            ),
            included_with=candidate.included_with,
        )
        for candidate in candidates
    }


def priced(needs: Needs, costs: Mapping[str, Cost], estate: Estate, rate: Rate) -> Needs:
    """The needs with each candidate's yearly cost to score, in the report's currency."""
    return replace(
        needs,
        # Only a complete figure is scored: support left on quote is a price on quote too.
        yearly_costs={
            slug: cost.yearly_in_report_currency if cost.support_included else None
            for slug, cost in costs.items()
        },
        cost_floor=_cost_floor(rate, estate.report_currency),
    )


def _cost_floor(rate: Rate, currency: str) -> Decimal:
    return rate.convert(COST_FLOOR_EUR, "EUR", currency) or COST_FLOOR_EUR
