"""The editors' admin site: Django's, with what needs attention on its index page and the
facts by age."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.translator import translator

from compare.catalogue.models import months_ago, stale_cutoff
from compare.catalogue.services import reverify
from compare.models import (
    AUDITED_MODELS,
    CorrectionSuggestion,
    Hypervisor,
    Offer,
    Rating,
    Support,
)

MISSING_FRENCH = "missing_fr"
DATED_FACTS = (Hypervisor, Rating, Support, Offer)  # the models whose rows carry verified_on


def missing_french(model) -> Q:
    """Rows with an English text whose French version is empty."""
    condition = Q()
    for name in translator.get_options_for_model(model).fields:
        condition |= Q(**{f"{name}_en__gt": ""}) & (
            Q(**{f"{name}_fr__isnull": True}) | Q(**{f"{name}_fr": ""})
        )
    return condition


def reverified_message(count: int) -> str:
    return ngettext(
        "%(count)d fact marked as re-verified today.",
        "%(count)d facts marked as re-verified today.",
        count,
    ) % {"count": count}


class FactsByAgeForm(forms.Form):
    older_than = forms.TypedChoiceField(
        label=_("Checked more than"),
        coerce=int,
        initial=12,
        choices=[
            (0, _("any time ago (all facts)")),
            (6, _("6 months ago")),
            (12, _("12 months ago (stale)")),
            (24, _("24 months ago")),
        ],
    )
    product = forms.ModelChoiceField(
        label=_("Product"), required=False, queryset=None, empty_label=_("all products")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Hypervisor.objects.order_by("name")


@dataclass(frozen=True)
class AgedFact:
    kind: str  # the model's name, and the prefix of `token`
    label: str
    fact: object

    @property
    def token(self) -> str:
        return f"{self.kind}-{self.fact.pk}"

    @property
    def admin_url(self) -> str:
        return reverse(f"admin:compare_{self.kind}_change", args=[self.fact.pk])


def facts_by_age(cutoff: datetime.date, product=None) -> list[tuple[object, list[AgedFact]]]:
    """Each product with its facts checked before `cutoff`, oldest first: four queries
    whatever the size of the catalogue."""
    products = Hypervisor.objects.order_by("name")
    if product is not None:
        products = products.filter(pk=product.pk)
    facts = {hypervisor.pk: [] for hypervisor in products}
    for hypervisor in products:
        if hypervisor.verified_on < cutoff:
            facts[hypervisor.pk].append(AgedFact("hypervisor", _("Product facts"), hypervisor))
    for model, label in (
        (Rating.objects.select_related("criterion"), lambda r: r.criterion.name),
        (Support.objects.select_related("feature"), lambda s: s.feature.name),
        (Offer.objects.all(), lambda o: o.name),
    ):
        kind = model.model._meta.model_name
        for fact in model.checked_before(cutoff).filter(hypervisor_id__in=facts):
            facts[fact.hypervisor_id].append(AgedFact(kind, label(fact), fact))
    return [
        (hypervisor, sorted(facts[hypervisor.pk], key=lambda aged: aged.fact.verified_on))
        for hypervisor in products
        if facts[hypervisor.pk]
    ]


def stale_fact_count() -> int:
    return sum(
        model.objects.filter(verified_on__lt=stale_cutoff()).count() for model in DATED_FACTS
    )


class HVSelectAdminSite(admin.AdminSite):
    # The side menu would take a quarter of a laptop's width from the forms; the home page and
    # the breadcrumbs lead everywhere it does.
    enable_nav_sidebar = False

    def get_urls(self):
        return [
            path("facts-by-age/", self.admin_view(self.facts_by_age_view), name="facts_by_age"),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        counts = []
        for model in AUDITED_MODELS:
            if model not in translator.get_registered_models():
                continue
            count = model.objects.filter(missing_french(model)).count()
            if count:
                url = reverse(f"admin:compare_{model._meta.model_name}_changelist")
                counts.append(
                    (model._meta.verbose_name_plural, count, f"{url}?{MISSING_FRENCH}=yes")
                )
        pending = CorrectionSuggestion.objects.pending().count()
        context = {
            "missing_french": counts,
            "pending_suggestions": pending,
            "stale_facts": stale_fact_count(),
        }
        return super().index(request, {**(extra_context or {}), **context})

    def facts_by_age_view(self, request):
        """The facts checked longest ago, by product; tick those checked again today."""
        models = {model._meta.model_name: model for model in DATED_FACTS}
        if not any(request.user.has_perm(f"compare.view_{name}") for name in models):
            raise PermissionDenied
        if request.method == "POST":
            chosen = {}
            for token in request.POST.getlist("fact"):
                kind, _sep, pk = token.partition("-")
                if kind in models and pk.isdigit():
                    chosen.setdefault(kind, []).append(int(pk))
            if any(not request.user.has_perm(f"compare.change_{kind}") for kind in chosen):
                raise PermissionDenied
            count = reverify(
                fact
                for kind, pks in chosen.items()
                for fact in models[kind].objects.filter(pk__in=pks)
            )
            if count:
                messages.success(request, reverified_message(count))
            else:
                messages.warning(request, _("Tick the facts you checked again."))
            return redirect(request.get_full_path())
        form = FactsByAgeForm(request.GET or None)
        older_than, product = 12, None
        if form.is_valid():
            older_than, product = form.cleaned_data["older_than"], form.cleaned_data["product"]
        if older_than:
            cutoff = months_ago(older_than)
        else:  # every fact, today's included
            cutoff = timezone.localdate() + datetime.timedelta(days=1)
        groups = facts_by_age(cutoff, product)
        context = {
            **self.each_context(request),
            "title": _("Facts by age"),
            "form": form if form.is_bound else FactsByAgeForm(),
            "groups": groups,
            "fact_count": sum(len(facts) for _product, facts in groups),
            "older_than": older_than,
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/facts_by_age.html", context)
