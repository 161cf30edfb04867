from django.core.management.base import BaseCommand, CommandError

from compare.catalogue.reference import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = (
        "Load the reference catalogue (criteria, features, hypervisors, ratings, support). "
        "Creates what is missing; never changes or duplicates existing rows."
    )

    def handle(self, *args, **options):
        try:
            report = load_reference_data()
        except ReferenceDataError as error:
            raise CommandError(f"Reference data not loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Reference data: {report}"))
