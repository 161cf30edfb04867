"""The catalogue editors' back office.

Every model is edited with its translations side by side (modeltranslation) and keeps an
audit history of who changed what and when (django-simple-history: the "History" button).
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from compare.admin_site import MISSING_FRENCH, missing_french, reverified_message
from compare.catalogue.services import reverify
from compare.models import (
    Choice,
    CorrectionSuggestion,
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
    RefusedDomain,
    Source,
    SuggestionStatus,
    Support,
    SupportLevel,
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


class MissingFrenchFilter(admin.SimpleListFilter):
    title = _("French text")
    parameter_name = MISSING_FRENCH

    def lookups(self, request, model_admin):
        return [("yes", _("Missing"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(missing_french(queryset.model))
        return queryset


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


@admin.action(description=_("Re-verified today against their sources"))
def mark_reverified(modeladmin, request, queryset):
    count = reverify(queryset)
    modeladmin.message_user(request, reverified_message(count))


class CitedFactForm(forms.ModelForm):
    """A fact needs at least one source; a support cell only when its level is known. The
    database checks it too, but only at commit: the form says it next to the field."""

    class Meta:
        fields = ["references"]  # the admin gives each model's own list; this is its concern

    def clean(self):
        cleaned = super().clean()
        needs_source = cleaned.get("level", None) != SupportLevel.UNKNOWN
        if not needs_source and (cleaned.get("references") or cleaned.get("product_term")):
            self.add_error(
                "level",
                _(
                    "A cell that is not verified has no product term and no source: clear "
                    "them, or choose the level the source shows."
                ),
            )
        if "references" in self.fields and needs_source and not cleaned.get("references"):
            self.add_error(
                "references",
                _("Give at least one source, or set the level to “Not verified”.")
                if "level" in self.fields
                else _("Give at least one source."),
            )
        return cleaned


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    actions = [mark_reverified]
    list_display = ["title", "publisher", "kind", "read_on", "url"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "publisher", "url"]
    fields = ["url", "title", "publisher", "kind", "published_on", "read_on"]
    formfield_overrides = HTTPS_URLS

    def has_delete_permission(self, request, obj=None):
        # A fact may lose its last source only by an edit of the fact: the database refuses a
        # known fact without one at commit, and that would reach the editor as a server error.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_cited)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a cited source is not deleted in bulk either
        return actions


@admin.register(RefusedDomain)
class RefusedDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "reason"]
    search_fields = ["domain"]
    fields = ["domain", "reason"]


class RatingInline(TranslationStackedInline):
    model = Rating
    form = CitedFactForm
    fields = [
        ("criterion", "score", "free_edition_score", "verified_on"),
        ("justification_en", "justification_fr"),
        "references",
    ]
    autocomplete_fields = ["criterion", "references"]
    formfield_overrides = COMPACT_TEXT
    extra = 0
    classes = ["collapse"]


class SupportInline(TranslationTabularInline):
    """One row per feature, narrow enough for a laptop: the caveat in its two languages is
    edited on the cell's own page, which the row links to."""

    model = Support
    form = CitedFactForm
    fields = ["feature", "level", "product_term", "references", "confidence", "verified_on"]
    autocomplete_fields = ["feature", "references"]
    formfield_overrides = HTTPS_URLS
    show_change_link = True
    extra = 0


class ProductForm(CitedFactForm):
    change_reason = forms.CharField(
        label=_("Why this change?"),
        required=False,
        max_length=100,
        help_text=_("Kept in the history with the change, for the product and its cells."),
    )


INLINE_HISTORY = 20  # the latest changes to a product's cells shown on its history
# A product's cells, with what names one of them on its product's history.
CELL_MODELS = {Rating: "criterion", Support: "feature", Offer: None}


def cell_changes(hypervisor_id) -> list[dict]:
    """The latest changes to a product's ratings, cells and offers, each with its fields'
    changes since the record before it, sources included: a fixed number of queries, however
    long the history."""
    latest = sorted(
        (
            (date, model, history_id, row_id)
            for model in CELL_MODELS
            for history_id, row_id, date in model.history.filter(hypervisor_id=hypervisor_id)
            .order_by("-history_date")
            .values_list("history_id", "id", "history_date")[:INLINE_HISTORY]
        ),
        key=lambda entry: entry[0],
        reverse=True,
    )[:INLINE_HISTORY]
    with_previous = {}  # (model, history_id) -> (record, the record before it or None)
    cited = {}  # (model, history_id) -> the sources that record lists
    for model, label in CELL_MODELS.items():
        rows = {row_id for _date, shown, _history_id, row_id in latest if shown is model}
        if not rows:
            continue
        records = list(
            model.history.filter(id__in=rows)
            .select_related("history_user", *([label] if label else []))
            .order_by("history_date")
        )
        last_seen = {}
        for record in records:
            with_previous[model, record.history_id] = (record, last_seen.get(record.id))
            last_seen[record.id] = record
            cited[model, record.history_id] = set()
        links = model.history.model.references.model.objects.filter(
            history_id__in=[record.history_id for record in records]
        )
        for history_id, source_id in links.values_list("history_id", "source_id"):
            cited[model, history_id].add(source_id)
    titles = dict(
        Source.objects.filter(pk__in=set().union(*cited.values())).values_list("pk", "title")
    )

    def sources_of(model, record) -> list[str]:
        return sorted(titles.get(pk, "?") for pk in cited[model, record.history_id])

    changes = []
    for _date, model, history_id, _row_id in latest:
        record, previous = with_previous[model, history_id]
        fields = []
        if previous:
            fields = [
                (model._meta.get_field(change.field).verbose_name, change.old, change.new)
                for change in record.diff_against(previous, excluded_fields=["references"]).changes
            ]
            before, after = sources_of(model, previous), sources_of(model, record)
            if before != after:
                fields.append((_("sources"), ", ".join(before), ", ".join(after)))
        label = CELL_MODELS[model]
        changes.append(
            {
                "record": record,
                "what": getattr(record, label).name if label else record.name,
                "fields": fields,
            }
        )
    return changes


@admin.register(Hypervisor)
class HypervisorAdmin(CatalogueAdmin):
    actions = [mark_reverified]
    object_history_template = "admin/compare/hypervisor/object_history.html"

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get("change_reason") or None
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def history_view(self, request, object_id, extra_context=None):
        """The product's own history, and the field changes of its ratings, cells and offers:
        edited inline, they would otherwise show as "Changed" with nothing to see."""
        context = {**(extra_context or {}), "cell_changes": cell_changes(object_id)}
        return super().history_view(request, object_id, context)

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
    list_filter = [
        "hypervisor_type",
        "licence_model",
        "free_edition",
        "status",
        StaleFactsFilter,
        MissingFrenchFilter,
    ]
    search_fields = ["name", "slug", "vendor", "technology"]
    autocomplete_fields = ["references"]
    form = ProductForm
    prepopulated_fields = {"slug": ["name"]}
    # Each text's English and French side by side, in rows that fit a 1366-wide screen.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name", "slug"),
                    ("vendor", "status"),
                    ("summary_en", "summary_fr"),
                    ("description_en", "description_fr"),
                ]
            },
        ),
        (
            _("Technology"),
            {
                "fields": [
                    "hypervisor_type",
                    ("technology_en", "technology_fr"),
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
                    ("pricing_note_en", "pricing_note_fr"),
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
                    "references",
                    "verified_on",
                ]
            },
        ),
        (_("This change"), {"fields": ["change_reason"]}),
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
    list_filter = ["criterion", "is_service", MissingFrenchFilter]
    list_select_related = ["criterion"]
    search_fields = ["key", "name"]
    autocomplete_fields = ["criterion"]
    fields = ["key", "name", "description", "criterion", "is_service", "position"]


@admin.register(Offer)
class OfferAdmin(CatalogueAdmin):
    actions = [mark_reverified]
    form = CitedFactForm
    list_display = ["hypervisor", "name", "metric", "amount", "currency", "support", "verified_on"]
    list_filter = [
        "metric",
        "support",
        "currency",
        "indicative",
        StaleFactsFilter,
        MissingFrenchFilter,
        "hypervisor",
    ]
    list_select_related = ["hypervisor"]
    search_fields = ["hypervisor__name", "name", "key"]
    autocomplete_fields = ["hypervisor", "references"]
    filter_horizontal = ["unlocks"]
    fieldsets = [
        (None, {"fields": ["hypervisor", "key", ("name_en", "name_fr"), "position"]}),
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
            {
                "fields": [
                    "references",
                    ("verified_on", "confidence", "indicative"),
                    ("notes_en", "notes_fr"),
                ]
            },
        ),
    ]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ["on", "usd_per_eur", "source_title"]
    fields = ["usd_per_eur", "on", "source", "source_title"]
    formfield_overrides = HTTPS_URLS


@admin.register(CorrectionSuggestion)
class CorrectionSuggestionAdmin(admin.ModelAdmin):
    """The moderation queue: accept (linking the change it led to) or reject."""

    list_display = ["created_at", "hypervisor", "fact", "status", "decided_by"]
    list_filter = ["status", "hypervisor"]
    list_select_related = ["hypervisor", "decided_by"]
    search_fields = ["fact", "proposed", "source_url"]
    formfield_overrides = HTTPS_URLS
    fields = [
        "hypervisor",
        "fact",
        "proposed",
        "source_url",
        "contact",
        "created_at",
        "status",
        "resulting_change",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = [
        "hypervisor",
        "fact",
        "proposed",
        "source_url",
        "contact",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    actions = ["reject"]

    def has_add_permission(self, request):
        return False  # suggestions come from the product pages

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.decided_by, obj.decided_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Reject the selected suggestions"))
    def reject(self, request, queryset):
        for suggestion in queryset.pending():
            suggestion.status = SuggestionStatus.REJECTED
            suggestion.decided_by, suggestion.decided_at = request.user, timezone.now()
            suggestion.save(update_fields=["status", "decided_by", "decided_at"])


@admin.register(Rating)
class RatingAdmin(CatalogueAdmin):
    actions = [mark_reverified]
    list_display = ["hypervisor", "criterion", "score", "verified_on", "is_up_to_date"]
    list_filter = ["criterion", StaleFactsFilter, MissingFrenchFilter, "hypervisor"]
    list_select_related = ["hypervisor", "criterion"]
    search_fields = ["hypervisor__name", "criterion__name", "justification"]
    autocomplete_fields = ["hypervisor", "criterion", "references"]
    form = CitedFactForm
    fields = [
        "hypervisor",
        "criterion",
        ("score", "free_edition_score"),
        ("justification_en", "justification_fr"),
        "references",
        "verified_on",
    ]

    @admin.display(boolean=True, description=_("up to date"))
    def is_up_to_date(self, rating):
        return not rating.is_stale


@admin.register(Support)
class SupportAdmin(CatalogueAdmin):
    actions = [mark_reverified]
    list_display = ["hypervisor", "feature", "level", "product_term", "confidence", "verified_on"]
    list_filter = [
        "level",
        "confidence",
        StaleFactsFilter,
        MissingFrenchFilter,
        "feature__criterion",
        "feature",
    ]
    list_select_related = ["hypervisor", "feature"]
    search_fields = ["hypervisor__name", "feature__name", "product_term", "note"]
    autocomplete_fields = ["hypervisor", "feature", "references"]
    form = CitedFactForm
    fields = [
        "hypervisor",
        "feature",
        "level",
        "product_term",
        ("note_en", "note_fr"),
        "references",
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
    list_filter = ["step", "kind", MissingFrenchFilter]
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
    list_filter = ["question__step", "question", MissingFrenchFilter]
    list_select_related = ["question"]
    search_fields = ["key", "label", "question__key"]
    autocomplete_fields = ["question"]
    fields = ["question", "key", "label", "help_text", "position", "min_value", "max_value"]
    inlines = [EffectInline]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """Saved recommendations can be read and revoked, never edited nor deleted here: deleting
    one is deliberate and logged (`manage.py delete_recommendation`)."""

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
        description=_("Revoke the links of the selected recommendations"), permissions=["revoke"]
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

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        # Those who could delete a recommendation before may revoke its link.
        return request.user.has_perm("compare.delete_recommendation")


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
