from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compare.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database (pg_dump, custom format) to a file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="file to write (default: backups/hvselect-<date and time>.dump)",
        )

    def handle(self, *args, output: Path | None, **options):
        path = output or Path("backups") / f"hvselect-{timezone.now():%Y%m%d-%H%M%S}.dump"
        try:
            backup(path)
        except BackupError as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
