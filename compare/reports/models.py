"""Saved recommendations: answers, weights and the whole result, frozen."""

import re
import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 24  # 192 bits: far beyond guessing
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32,64}$"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class RecommendationQuerySet(models.QuerySet):
    def live(self):
        """Those whose link works: not revoked."""
        return self.filter(revoked_at__isnull=True)

    def with_token(self, token):
        """The one a link names; a token that cannot be one (a NUL byte, which PostgreSQL
        refuses in a query) names none."""
        if not isinstance(token, str) or not re.fullmatch(TOKEN_PATTERN, token):
            return self.none()
        return self.filter(token=token)

    def revoke(self) -> int:
        # The only change the database lets through (see migration 0006's trigger).
        return self.live().update(revoked_at=timezone.now())


class Recommendation(models.Model):
    """A recommendation as it was made: answers, weights and the whole result, frozen.

    The page is rendered from `result` alone, so later catalogue edits never change it. A
    database trigger refuses any UPDATE of a saved recommendation but its revocation.
    """

    token = models.CharField(_("token"), max_length=64, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=10)
    company_name = models.CharField(_("company or project"), max_length=100, blank=True)
    answers = models.JSONField(_("answers"))
    weights = models.JSONField(_("weights"), help_text=_("Criterion key: points 0-5."))
    result = models.JSONField(
        _("result"), help_text=_("The report, in the language it was made in.")
    )
    translations = models.JSONField(
        _("other languages"),
        default=dict,
        blank=True,
        help_text=_("The same report written in the other languages, by language code."),
    )
    inputs = models.JSONField(
        _("engine inputs"),
        default=dict,
        blank=True,
        help_text=_(
            "What the engine was given (products, needs, offers, estate), for the what-if; "
            "empty for recommendations saved before it."
        ),
    )
    engine_version = models.CharField(_("engine version"), max_length=20)
    catalogue_version = models.CharField(_("catalogue version"), max_length=40)
    run = models.CharField(
        _("questionnaire run"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text=_("The questionnaire run that saved it: saving the same run again finds it."),
    )
    revoked_at = models.DateTimeField(
        _("revoked"), null=True, blank=True, help_text=_("A revoked link answers “not found”.")
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["token"], name="recommendation_token_unique"),
            models.CheckConstraint(
                condition=Q(token__regex=TOKEN_PATTERN),
                name="recommendation_token_format",
            ),
            # One recommendation per questionnaire run, even for two clicks at once.
            models.UniqueConstraint(
                fields=["run"], condition=~Q(run=""), name="recommendation_run_unique"
            ),
        ]

    def __str__(self):
        return self.company_name or self.token[:8]

    def get_absolute_url(self):
        return reverse("share:detail", kwargs={"token": self.token})

    @property
    def languages(self) -> list[str]:
        """The languages it reads in: its own first. Those saved before the second release
        have only their own."""
        return [self.language, *(code for code in self.translations if code != self.language)]

    def reading_language(self, chosen: str) -> str:
        """The language it was made in, unless the reader chose another it was written in."""
        return chosen if chosen in self.languages else self.language

    def export(self, *, url: str) -> dict:
        """Everything it keeps, as its JSON download and the API give it; `url` is its page's
        absolute address."""
        return {
            "url": url,
            "created_at": self.created_at.isoformat(),
            "language": self.language,
            "engine_version": self.engine_version,
            "catalogue_version": self.catalogue_version,
            "answers": self.answers,
            "weights": self.weights,
            "result": self.result,
            "translations": self.translations,
        }

    def report_in(self, language: str) -> dict:
        """The report in `language` if it was written in it, else in its own language."""
        if language != self.language and language in self.translations:
            return self.translations[language]
        return self.result

    def download_name(self, extension: str) -> str:
        """The take-away's file name: hvselect-assurmer-2026-12-01.pdf."""
        company = slugify(self.company_name) or "recommendation"
        return f"hvselect-{company}-{timezone.localdate(self.created_at).isoformat()}.{extension}"
