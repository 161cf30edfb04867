import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compare.assessment.estate import export_answers
from compare.assessment.questionnaire import current_questionnaire
from compare.assessment.rvtools import MAX_UPLOAD_BYTES, ExportError, read_export
from compare.catalogue.snapshot import catalogue_version, current_snapshot
from compare.reports.services import InvalidAnswers, decide, recommendation_create, split_weights
from compare.reports.summary import decision_summary


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

        answers_only, adjusted = split_weights(data)
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
            output = decision_summary(decision, catalogue)
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
                "The answers are not valid:\n" + "\n".join(f"- {e}" for e in error.messages)
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
