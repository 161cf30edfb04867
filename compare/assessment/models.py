"""The needs questionnaire: questions by step, their choices and what each choice does."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from compare.catalogue.models import (
    CHOICE_KEY_PATTERN,
    MAX_POINTS,
    Criterion,
    Feature,
    in_choices,
    key_constraints,
)


class Step(models.IntegerChoices):
    ORGANISATION = 1, _("Organisation")
    WORKLOADS = 2, _("Workloads")
    OPERATIONS = 3, _("Operations")
    ENVIRONMENT = 4, _("Environment")
    LICENSING = 5, _("Licensing and support")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    INTEGER = "integer", _("Whole number")
    TEXT = "text", _("Text")


class Question(models.Model):
    key = models.CharField(_("key"), max_length=40, help_text=_("Stable identifier."))
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.IntegerField(_("minimum"), null=True, blank=True)
    max_value = models.IntegerField(_("maximum"), null=True, blank=True)
    default = models.CharField(
        _("default answer"), max_length=40, blank=True, help_text=_("A choice key or a number.")
    )
    at_most = models.CharField(
        _("at most the answer to"),
        max_length=40,
        blank=True,
        help_text=_("A number question's key: this answer cannot exceed it."),
    )

    class Meta:
        ordering = ["step", "position", "key"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            *key_constraints("question", _("Another question already uses this key.")),
            models.CheckConstraint(condition=in_choices("step", Step), name="question_step_valid"),
            models.CheckConstraint(
                condition=in_choices("kind", QuestionKind), name="question_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="question_range_ordered",
                violation_error_message=_("The minimum must not exceed the maximum."),
            ),
        ]

    def __str__(self):
        return self.text


class Choice(models.Model):
    """One answer to a question; for a number question, a band of values (inclusive)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    key = models.CharField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    min_value = models.IntegerField(_("from"), null=True, blank=True)
    max_value = models.IntegerField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["question__step", "question__position", "position", "key"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "key"],
                name="choice_key_unique_per_question",
                violation_error_message=_("This question already has a choice with this key."),
            ),
            models.CheckConstraint(
                condition=Q(key__regex=CHOICE_KEY_PATTERN),
                name="choice_key_format",
                violation_error_message=_(
                    "The key must be lower-case letters, digits and underscores."
                ),
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="choice_range_ordered",
                violation_error_message=_("“From” must not exceed “to”."),
            ),
        ]

    def __str__(self):
        return f"{self.question.key} = {self.key}"

    def contains(self, number: int) -> bool:
        return (self.min_value is None or number >= self.min_value) and (
            self.max_value is None or number <= self.max_value
        )


class EffectKind(models.TextChoices):
    WEIGHT = "weight", _("Change a criterion's weight")
    MUST = "must", _("Require features")
    NICE = "nice", _("Want features")
    RESTRICT = "restrict", _("Keep only some products")
    EXCLUDE = "exclude", _("Rule out some products")
    FIT = "fit", _("Ecosystem fit signal")
    OWNED = "owned", _("Licence already owned")
    PAID_EXCLUDED = "paid_excluded", _("Paid editions do not count")
    FREE_EDITION_SCORES = "free_edition_scores", _("Rate the free editions")
    WATCH_COST = "watch_cost", _("Flag costs far above the others")
    WARN = "warn", _("Warning")
    CONFLICT = "conflict", _("Refuse as contradictory")


class RestrictedAttribute(models.TextChoices):
    TYPE = "type", _("Hypervisor type")
    HOST_PLATFORM = "host_platform", _("Host platform")
    GUEST_FAMILY = "guest_family", _("Guest system")
    LICENCE = "licence", _("Licence model")
    FREE_EDITION = "free_edition", _("Free edition")
    PLATFORM = "platform", _("Platform family")


class FitSignalKind(models.TextChoices):
    FEATURE = "feature", _("Support level of a feature")
    SKILL = "skill", _("Administration skill")
    PLATFORM = "platform", _("Platform stayed on")
    OPEN_SOURCE_API = "open_source_api", _("Open source and REST API")


class Effect(models.Model):
    """What choosing an answer does to the recommendation (see the methodology page)."""

    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, related_name="effects", verbose_name=_("choice")
    )
    kind = models.CharField(_("effect"), max_length=20, choices=EffectKind.choices)
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criterion"),
    )
    amount = models.SmallIntegerField(_("points"), null=True, blank=True)
    group = models.CharField(
        _("once per group"),
        max_length=40,
        blank=True,
        help_text=_("Weight changes with the same group count once, however many answers."),
    )
    features = models.ManyToManyField(
        Feature, blank=True, related_name="+", verbose_name=_("features")
    )
    gates = models.ManyToManyField(
        Feature,
        blank=True,
        related_name="+",
        verbose_name=_("required features"),
        help_text=_("For a requirement: the features a product cannot lack (default: all)."),
    )
    derived = models.BooleanField(
        _("derived"),
        default=False,
        help_text=_("Wanted features nobody asked for: they never override an explicit answer."),
    )
    attribute = models.CharField(
        _("restricted attribute"), max_length=20, choices=RestrictedAttribute.choices, blank=True
    )
    values = ArrayField(
        models.CharField(max_length=40),
        verbose_name=_("allowed values"),
        default=list,
        blank=True,
    )
    signal = models.CharField(_("signal"), max_length=20, choices=FitSignalKind.choices, blank=True)
    value = models.CharField(
        _("value"), max_length=40, blank=True, help_text=_("Feature key, skill or licence.")
    )
    message = models.TextField(_("message"), blank=True)
    when_question = models.CharField(
        _("only when question"), max_length=40, blank=True, help_text=_("A question key.")
    )
    when_choices = ArrayField(
        models.CharField(max_length=40),
        verbose_name=_("has one of the answers"),
        default=list,
        blank=True,
    )
    when_negated = models.BooleanField(_("… has none of them"), default=False)

    class Meta:
        ordering = ["choice", "pk"]
        verbose_name = _("effect")
        verbose_name_plural = _("effects")
        constraints = [
            models.CheckConstraint(
                condition=in_choices("kind", EffectKind), name="effect_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=EffectKind.WEIGHT)
                | (
                    Q(criterion__isnull=False)
                    & Q(amount__isnull=False)
                    & Q(amount__gte=-MAX_POINTS)
                    & Q(amount__lte=MAX_POINTS)
                ),
                name="effect_weight_has_criterion_and_amount",
                violation_error_message=_(
                    "A weight change needs a criterion and points between -5 and 5."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[EffectKind.RESTRICT, EffectKind.EXCLUDE])
                | (in_choices("attribute", RestrictedAttribute) & Q(values__len__gt=0)),
                name="effect_restriction_has_attribute_and_values",
                violation_error_message=_("A restriction needs an attribute and values."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=EffectKind.FIT) | in_choices("signal", FitSignalKind),
                name="effect_fit_has_signal",
                violation_error_message=_("A fit signal needs its kind."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=EffectKind.WARN) | ~Q(message=""),
                name="effect_warning_has_message",
                violation_error_message=_("A warning needs a message."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=EffectKind.CONFLICT) | (~Q(message="") & ~Q(when_question="")),
                name="effect_conflict_has_condition_and_message",
                violation_error_message=_(
                    "A contradiction needs the other question (“only when question”) and a "
                    "message saying why the answers conflict."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.choice}: {self.get_kind_display()}"
