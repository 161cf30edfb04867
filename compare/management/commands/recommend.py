import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compare.catalogue import snapshot
from compare.narrative import flip_text, reason_text
from compare.questionnaire import load_questionnaire
from compare.recommendations import WEIGHTS_KEY, InvalidAnswers, decide


class Command(BaseCommand):
    help = (
        "Recommend a hypervisor for the answers in a JSON file, keyed by the questionnaire's "
        'keys (plus optional "weights": criterion key -> 0-5), and print the result as JSON.'
    )

    def add_arguments(self, parser):
        parser.add_argument("answers", type=Path, help="JSON file of answers")

    def handle(self, *args, answers: Path, **options):
        try:
            data = json.loads(answers.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {answers}: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{answers} is not valid JSON: {error}") from error
        if not isinstance(data, dict):
            raise CommandError(f"{answers} must hold a JSON object of question keys and answers.")

        catalogue = snapshot()
        try:
            decision = decide(
                {key: value for key, value in data.items() if key != WEIGHTS_KEY},
                questionnaire=load_questionnaire(),
                catalogue=catalogue,
                adjusted_points=data.get(WEIGHTS_KEY) or {},
            )
        except InvalidAnswers as error:
            raise CommandError(
                "The answers are not valid:\n" + "\n".join(f"- {e}" for e in error.errors)
            ) from error
        self.stdout.write(json.dumps(as_json(decision, catalogue), indent=2, ensure_ascii=False))


def as_json(decision, catalogue) -> dict:
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
            {"slug": s.slug, "name": s.name, "score": round(s.score, 1)} for s in result.ranking
        ],
        "eliminated": [elimination(item) for item in result.eliminated],
        "closest_miss": elimination(result.closest_miss) if result.closest_miss else None,
        "gap": round(result.gap, 4) if result.gap is not None else None,
        "close_call": result.close_call,
        "topsis_winner": result.topsis_winner,
        "contributions": {c.criterion: round(c.points, 2) for c in result.contributions},
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
        "warnings": interpretation.warnings,
    }
