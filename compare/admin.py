"""The catalogue editors' back office.

Every model is edited with its translations side by side (modeltranslation) and keeps an
audit history of who changed what and when (django-simple-history: the "History" button).
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from compare.models import (
    Choice,
    Criterion,
    Effect,
    EffectKind,
    ExchangeRate,
    Feature,
    Hypervisor,
    Offer,
    Question,
    Rating,
    Recommendation,
    Support,
)

admin.site.site_header = _("HVSelect catalogue")
admin.site.site_title = _("HVSelect catalogue")
admin.site.index_title = _("Reference data")

# Django 6 assumes https for a URL typed without a scheme; so do we, already.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}
COMPACT_TEXT = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})},
    **HTTPS_URLS,
}


class StaleFactsFilter(admin.SimpleListFilter):
    title = _("facts older than 12 months")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("Stale: check again")), ("no", _("Checked within 12 months"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        if self.value() == "no":
            return queryset.fresh()
        return queryset


class CatalogueAdmin(SimpleHistoryAdmin, TranslationAdmin):
    formfield_overrides = COMPACT_TEXT


class RatingInline(TranslationStackedInline):
    model = Rating
    fields = [
        ("criterion", "score", "free_edition_score", "verified_on"),
        "justification",
        "sources",
    ]
    autocomplete_fields = ["criterion"]
    formfield_overrides = COMPACT_TEXT
    extra = 0
    classes = ["collapse"]


class SupportInline(TranslationTabularInline):
    model = Support
    fields = ["feature", "level", "product_term", "note", "source_url", "confidence", "verified_on"]
    autocomplete_fields = ["feature"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
        **HTTPS_URLS,
    }
    extra = 0


@admin.register(Hypervisor)
class HypervisorAdmin(CatalogueAdmin):
    list_display = [
        "name",
        "vendor",
        "hypervisor_type",
        "licence_model",
        "free_edition",
        "status",
        "verified_on",
        "facts_up_to_date",
    ]
    list_filter = ["hypervisor_type", "licence_model", "free_edition", "status", StaleFactsFilter]
    search_fields = ["name", "slug", "vendor", "technology"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "vendor", "status", "summary", "description"]}),
        (
            _("Technology"),
            {
                "fields": [
                    "hypervisor_type",
                    "technology",
                    "host_platforms",
                    "guest_os_families",
                    "admin_skills",
                ]
            },
        ),
        (
            _("Licence and price"),
            {
                "fields": [
                    "licence_model",
                    "licence_name",
                    "free_edition",
                    "included_with",
                    "platform",
                    "pricing_note",
                    "pricing_as_of",
                ]
            },
        ),
        (
            _("Versions and sources"),
            {
                "fields": [
                    "latest_version",
                    "latest_release_date",
                    "website",
                    "sources",
                    "verified_on",
                ]
            },
        ),
    ]
    inlines = [RatingInline, SupportInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_stale_facts()

    @admin.display(boolean=True, description=_("facts up to date"), ordering="has_stale_facts")
    def facts_up_to_date(self, hypervisor):
        return not hypervisor.has_stale_facts


@admin.register(Criterion)
class CriterionAdmin(CatalogueAdmin):
    list_display = ["name", "key", "default_weight", "position"]
    search_fields = ["key", "name"]
    fields = ["key", "name", "description", "default_weight", "position"]


@admin.register(Feature)
class FeatureAdmin(CatalogueAdmin):
    list_display = ["name", "key", "criterion", "is_service", "position"]
    list_filter = ["criterion", "is_service"]
    list_select_related = ["criterion"]
    search_fields = ["key", "name"]
    autocomplete_fields = ["criterion"]
    fields = ["key", "name", "description", "criterion", "is_service", "position"]


@admin.register(Offer)
class OfferAdmin(CatalogueAdmin):
    list_display = ["hypervisor", "name", "metric", "amount", "currency", "support", "verified_on"]
    list_filter = ["metric", "support", "currency", "indicative", StaleFactsFilter, "hypervisor"]
    list_select_related = ["hypervisor"]
    search_fields = ["hypervisor__name", "name", "key"]
    autocomplete_fields = ["hypervisor"]
    filter_horizontal = ["unlocks"]
    fieldsets = [
        (None, {"fields": ["hypervisor", "key", "name", "position"]}),
        (_("Price"), {"fields": [("metric", "amount", "currency"), "support", "unlocks"]}),
        (
            _("Rules of the metric"),
            {
                "description": _(
                    "Per core: the minimum cores per CPU, and an order minimum that can be "
                    "switched off. Per pair of sockets: the cores one subscription covers. Per "
                    "pack of cores: cores per pack, minimums per CPU and per server, and VMs per "
                    "licensing (0 for unlimited)."
                ),
                "fields": [
                    ("min_cores_per_cpu", "min_cores_per_server"),
                    ("min_cores_per_order", "order_minimum_active"),
                    ("cores_per_pack", "vms_per_licence", "core_cap"),
                ],
            },
        ),
        (
            _("Sources"),
            {"fields": ["sources", ("verified_on", "confidence", "indicative"), "notes"]},
        ),
    ]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ["on", "usd_per_eur", "source_title"]
    fields = ["usd_per_eur", "on", "source", "source_title"]
    formfield_overrides = HTTPS_URLS


@admin.register(Rating)
class RatingAdmin(CatalogueAdmin):
    list_display = ["hypervisor", "criterion", "score", "verified_on", "is_up_to_date"]
    list_filter = ["criterion", StaleFactsFilter, "hypervisor"]
    list_select_related = ["hypervisor", "criterion"]
    search_fields = ["hypervisor__name", "criterion__name", "justification"]
    autocomplete_fields = ["hypervisor", "criterion"]
    fields = [
        "hypervisor",
        "criterion",
        "score",
        "free_edition_score",
        "justification",
        "sources",
        "verified_on",
    ]

    @admin.display(boolean=True, description=_("up to date"))
    def is_up_to_date(self, rating):
        return not rating.is_stale


@admin.register(Support)
class SupportAdmin(CatalogueAdmin):
    list_display = ["hypervisor", "feature", "level", "product_term", "confidence", "verified_on"]
    list_filter = ["level", "confidence", StaleFactsFilter, "feature__criterion", "feature"]
    list_select_related = ["hypervisor", "feature"]
    search_fields = ["hypervisor__name", "feature__name", "product_term", "note"]
    autocomplete_fields = ["hypervisor", "feature"]
    fields = [
        "hypervisor",
        "feature",
        "level",
        "product_term",
        "note",
        "source_url",
        "confidence",
        "verified_on",
    ]


class ChoiceInline(TranslationTabularInline):
    model = Choice
    fields = ["key", "label", "help_text", "position", "min_value", "max_value"]
    extra = 0
    show_change_link = True


@admin.register(Question)
class QuestionAdmin(CatalogueAdmin):
    list_display = ["text", "key", "step", "kind", "required", "position"]
    list_filter = ["step", "kind"]
    search_fields = ["key", "text"]
    fields = [
        "key",
        "step",
        "position",
        "kind",
        "text",
        "help_text",
        "required",
        "min_value",
        "max_value",
        "default",
    ]
    inlines = [ChoiceInline]


class EffectForm(forms.ModelForm):
    class Meta:
        model = Effect
        fields = [
            "kind",
            "criterion",
            "amount",
            "group",
            "features",
            "gates",
            "derived",
            "attribute",
            "values",
            "signal",
            "value",
            "message",
            "when_question",
            "when_choices",
            "when_negated",
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in (EffectKind.MUST, EffectKind.NICE) and not cleaned.get("features"):
            self.add_error("features", _("Choose the features this answer asks for."))
        gates = set(cleaned.get("gates") or [])
        if gates and not gates <= set(cleaned.get("features") or []):
            self.add_error("gates", _("Required features must be among the features."))
        return cleaned


class EffectInline(TranslationStackedInline):
    model = Effect
    form = EffectForm
    fields = [
        ("kind", "criterion", "amount", "group"),
        ("features", "gates", "derived"),
        ("attribute", "values"),
        ("signal", "value"),
        "message",
        ("when_question", "when_choices", "when_negated"),
    ]
    filter_horizontal = ["features", "gates"]
    extra = 0


@admin.register(Choice)
class ChoiceAdmin(CatalogueAdmin):
    list_display = ["__str__", "label", "position"]
    list_filter = ["question__step", "question"]
    list_select_related = ["question"]
    search_fields = ["key", "label", "question__key"]
    autocomplete_fields = ["question"]
    fields = ["question", "key", "label", "help_text", "position", "min_value", "max_value"]
    inlines = [EffectInline]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """Saved recommendations can be read and deleted, never edited."""

    list_display = ["created_at", "company_name", "language", "engine_version", "revoked_at"]
    list_filter = ["language", "engine_version", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["company_name", "token"]
    date_hierarchy = "created_at"
    fields = [
        "token",
        "created_at",
        "language",
        "company_name",
        "engine_version",
        "catalogue_version",
        "revoked_at",
        "answers",
        "weights",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(
        description=_("Revoke the links of the selected recommendations"), permissions=["delete"]
    )
    def revoke(self, request, queryset):
        revoked = queryset.revoke()
        self.message_user(
            request,
            ngettext(
                "%(count)d link revoked: it now answers “not found”.",
                "%(count)d links revoked: they now answer “not found”.",
                revoked,
            )
            % {"count": revoked},
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ChangeLogAdmin(admin.ModelAdmin):
    """Every recorded change of one kind of catalogue row, newest first: who, what, when."""

    list_filter = [
        "history_type",
        "history_date",
        ("history_user", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["history_change_reason", "history_user__username"]
    date_hierarchy = "history_date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def register_change_log(model, columns: list[str], related: tuple[str, ...] = ()) -> None:
    """A read-only admin list of `model`'s history, showing `columns` of each version.

    `related` adds joins that the columns' own names need (for their __str__).
    """
    history_model = model.history.model
    related = [
        *[name for name in columns if history_model._meta.get_field(name).is_relation],
        *related,
    ]
    admin_class = type(
        f"{model.__name__}ChangeLogAdmin",
        (ChangeLogAdmin,),
        {
            "list_display": ["history_date", "history_user", "history_type", *columns],
            "fields": ["history_date", "history_user", "history_type", *columns],
            "list_select_related": ["history_user", *related],
            "__module__": __name__,
        },
    )
    admin.site.register(history_model, admin_class)


register_change_log(Hypervisor, ["name", "status", "verified_on", "history_change_reason"])
register_change_log(Criterion, ["name", "default_weight", "history_change_reason"])
register_change_log(Feature, ["name", "criterion", "history_change_reason"])
register_change_log(Rating, ["hypervisor", "criterion", "score", "history_change_reason"])
register_change_log(Support, ["hypervisor", "feature", "level", "history_change_reason"])
register_change_log(Offer, ["hypervisor", "name", "amount", "currency", "history_change_reason"])
register_change_log(ExchangeRate, ["on", "usd_per_eur", "history_change_reason"])
register_change_log(Question, ["key", "text", "history_change_reason"])
register_change_log(Choice, ["question", "key", "label", "history_change_reason"])
register_change_log(Effect, ["choice", "kind", "history_change_reason"], ("choice__question",))
