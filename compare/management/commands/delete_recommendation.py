"""Delete a saved recommendation for good: deliberate and logged, outside the admin.

Revoking (the admin's action) is the normal path: the link answers "not found" and the row
stays. Deleting is for what must not be kept at all (a company asking for its data to go).
"""

import logging

from django.core.management.base import BaseCommand, CommandError

from compare.models import Recommendation

logger = logging.getLogger("hvselect.recommendations")


class Command(BaseCommand):
    help = "Delete one saved recommendation by its token, saying why (logged)."

    def add_arguments(self, parser):
        parser.add_argument("token", help="the token of its link, /r/<token>/")
        parser.add_argument("--reason", required=True, help="why it is deleted, for the log")

    def handle(self, *args, token, reason, **options):
        if not reason.strip():
            raise CommandError("Say why it is deleted (--reason).")
        recommendation = Recommendation.objects.with_token(token).first()
        if recommendation is None:
            raise CommandError(f"No recommendation has the token {token!r}.")
        made = recommendation.created_at.isoformat()
        name = recommendation.company_name or "(no company name)"
        recommendation.delete()
        logger.warning("Recommendation %s… of %s for %s deleted: %s", token[:8], made, name, reason)
        self.stdout.write(f"Deleted the recommendation of {made} for {name}.")
