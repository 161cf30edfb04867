"""A decision as plain JSON, what `manage.py recommend` prints and the API's POST returns:
the engine's result with the texts a person reads (reasons, sensitivity, cost formulas)."""

from compare.catalogue.snapshot import CatalogueSnapshot
from compare.reports.narrative import cost_items, flip_text, reason_text, robustness_export
from compare.reports.services import Decision


def decision_summary(decision: Decision, catalogue: CatalogueSnapshot) -> dict:
    """The decision in plain JSON: weights, ranking with scores, eliminations and their
    reasons, sensitivity, costs with their formulas, warnings."""
    result, interpretation = decision.result, decision.interpretation
    names = {candidate.slug: candidate.name for candidate in catalogue.candidates}

    def elimination(item):
        return {
            "slug": item.slug,
            "name": item.name,
            "reasons": [
                reason_text(r, names[item.slug], interpretation, catalogue) for r in item.reasons
            ],
        }

    return {
        "engine_version": result.engine_version,
        "weights": {key: round(weight, 4) for key, weight in result.weights.items()},
        "points": result.points,
        "ranking": [
            {
                "slug": s.slug,
                "name": s.name,
                "score": round(s.score, 1),
                "partly_met": list(s.partly_met),
                "to_verify": list(s.to_verify),
            }
            for s in result.ranking
        ],
        "eliminated": [elimination(item) for item in result.eliminated],
        "closest_miss": elimination(result.closest_miss) if result.closest_miss else None,
        "gap": round(result.gap, 4) if result.gap is not None else None,
        "close_call": result.close_call,
        "topsis_winner": result.topsis_winner,
        "contributions": {c.criterion: round(c.points, 2) for c in result.contributions},
        "robustness": robustness_export(decision.robustness),
        "sensitivity": {
            "most_critical": (
                flip_text(result.most_critical, result, catalogue) if result.most_critical else None
            ),
            "flips": [
                {
                    "criterion": flip.criterion,
                    "weight": round(flip.weight, 4),
                    "lower": round(flip.lower, 4) if flip.lower is not None else None,
                    "upper": round(flip.upper, 4) if flip.upper is not None else None,
                    "text": flip_text(flip, result, catalogue),
                }
                for flip in result.flips
            ],
        },
        "costs": [
            {key: item[key] for key in COST_KEYS} for item in cost_items(decision, catalogue)
        ],
        "warnings": interpretation.warnings,
    }


COST_KEYS = [
    "slug",
    "offer",
    "metric",
    "quantity",
    "unit_price",
    "currency",
    "years",
    "total",
    "report_currency",
    "total_in_report_currency",
    "status",
    "formula",
    "sources",
]
