from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compare.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: the database's contents are replaced by the "
        "backup's, in one transaction (nothing changes if it fails)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="file written by the backup command")
        parser.add_argument("--dbname", help="restore into this database instead")
        parser.add_argument("--noinput", action="store_true", help="do not ask to confirm")

    def handle(self, *args, backup: Path, dbname: str | None, noinput: bool, **options):
        if not noinput:
            answer = input(f"Replace the contents of the database with {backup}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Restore cancelled.")
        try:
            restore(backup, dbname=dbname)
        except BackupError as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Restored {backup}"))
