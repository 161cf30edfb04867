import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compare.assessment.estate import export_answers
from compare.assessment.questionnaire import current_questionnaire
from compare.assessment.rvtools import MAX_UPLOAD_BYTES, ExportError, read_export
from compare.catalogue.snapshot import catalogue_version, current_snapshot
from compare.reports.narrative import cost_items, flip_text, reason_text
from compare.reports.services import WEIGHTS_KEY, InvalidAnswers, decide, recommendation_create


class Command(BaseCommand):
    help = (
        "Recommend a hypervisor for the answers in a JSON file, keyed by the questionnaire's "
        'keys (plus optional "weights": criterion key -> 0-5), and print the result as JSON.'
    )

    def add_arguments(self, parser):
        parser.add_argument("answers", type=Path, help="JSON file of answers")
        parser.add_argument(
            "--save",
            action="store_true",
            help="also save the recommendation and print the URL of its page",
        )
        parser.add_argument(
            "--rvtools",
            nargs="+",
            type=Path,
            metavar="EXPORT",
            help="an RVTools export (.xlsx, or the vHost and vInfo CSV files): its figures "
            "replace the estate answers",
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="site address used for the printed URL (default: %(default)s)",
        )

    def handle(self, *args, answers: Path, save: bool, base_url: str, rvtools=None, **options):
        try:
            data = json.loads(answers.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {answers}: {error.strerror}") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{answers} is not valid JSON: {error}") from error
        if not isinstance(data, dict):
            raise CommandError(f"{answers} must hold a JSON object of question keys and answers.")

        answers_only = {key: value for key, value in data.items() if key != WEIGHTS_KEY}
        adjusted = data.get(WEIGHTS_KEY) or {}
        export = read_rvtools(rvtools) if rvtools else None
        if export:
            answers_only.update(export_answers(export), hosts=export.hosts)
        version = catalogue_version()
        catalogue = current_snapshot(version)
        try:
            decision = decide(
                answers_only,
                questionnaire=current_questionnaire(version),
                catalogue=catalogue,
                adjusted_points=adjusted,
            )
            output = as_json(decision, catalogue)
            if export:
                output["estate"] = export.as_dict()
            if save:
                recommendation = recommendation_create(
                    answers=answers_only,
                    adjusted_points=adjusted,
                    estate_export=export.as_dict() if export else None,
                )
                output["url"] = base_url.rstrip("/") + recommendation.get_absolute_url()
        except InvalidAnswers as error:
            raise CommandError(
                "The answers are not valid:\n" + "\n".join(f"- {e}" for e in error.errors)
            ) from error
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))


def read_rvtools(paths: list[Path]):
    files = []
    for path in paths:
        try:
            if path.stat().st_size > MAX_UPLOAD_BYTES:
                raise CommandError(f"{path} is larger than {MAX_UPLOAD_BYTES // 2**20} MB.")
            files.append((path.name, path.read_bytes()))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
    try:
        return read_export(files)
    except ExportError as error:
        raise CommandError(f"The RVTools export was not read: {error}") from error


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
