import re

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from compare.models import (
    CorrectionSuggestion,
    FreeEdition,
    Hypervisor,
    HypervisorType,
    LicenceModel,
    SupportLevel,
)

ANY = ""
CONTAINER_LEVELS = [SupportLevel.FULL, SupportLevel.PAID, SupportLevel.PARTIAL]


class CatalogueOrder(models.TextChoices):
    NAME = "name", _("Name")
    VENDOR = "vendor", _("Vendor")
    TYPE = "type", _("Type (bare metal first)")
    RELEASE = "release", _("Latest release, newest first")


ORDERINGS = {
    CatalogueOrder.NAME: ["name"],
    CatalogueOrder.VENDOR: ["vendor", "name"],
    CatalogueOrder.TYPE: ["hypervisor_type", "name"],
    CatalogueOrder.RELEASE: [models.F("latest_release_date").desc(nulls_last=True), "name"],
}


class HypervisorFilterForm(forms.Form):
    """The catalogue's search, filters and order. Every field is optional; an invalid one is
    simply not applied."""

    q = forms.CharField(
        label=_("Search by name or vendor"),
        required=False,
        max_length=100,
        widget=forms.SearchInput,
    )
    type = forms.TypedChoiceField(
        label=_("Type"),
        choices=[(ANY, _("Any type")), *HypervisorType.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=[(ANY, _("Any licence")), *LicenceModel.choices],
        required=False,
    )
    containers = forms.ChoiceField(
        label=_("Containers beside VMs"),
        choices=[(ANY, _("No matter")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    free_edition = forms.ChoiceField(
        label=_("Free edition"),
        choices=[
            (ANY, _("No matter")),
            ("any", _("Any free edition")),
            (FreeEdition.PRODUCTION, _("Free for production use")),
        ],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=CatalogueOrder.choices, required=False)

    def filter(self, queryset):
        data = self.cleaned_data if self.is_bound else {}
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("type"):
            queryset = queryset.filter(hypervisor_type=data["type"])
        if data.get("licence"):
            queryset = queryset.filter(licence_model=data["licence"])
        if data.get("containers") == "yes":
            queryset = queryset.with_feature("containers", CONTAINER_LEVELS)
        elif data.get("containers") == "no":
            queryset = queryset.without_feature("containers", CONTAINER_LEVELS)
        if data.get("free_edition") == "any":
            queryset = queryset.exclude(free_edition=FreeEdition.NONE)
        elif data.get("free_edition") == FreeEdition.PRODUCTION:
            queryset = queryset.filter(free_edition=FreeEdition.PRODUCTION)
        return queryset.order_by(*ORDERINGS[data.get("sort") or CatalogueOrder.NAME])


class CompareForm(forms.Form):
    """Pick 2 to 5 hypervisors by slug (`?h=proxmox-ve&h=vmware-esxi`), optionally only the
    rows where they differ (`&diff=1`)."""

    MIN_CHOICES = 2
    MAX_CHOICES = 5

    h = forms.ModelMultipleChoiceField(
        label=_("Hypervisors to compare"),
        queryset=Hypervisor.objects.only("name", "slug"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose between 2 and 5."),
        error_messages={
            "required": _("Choose at least 2 hypervisors to compare."),
            "invalid_choice": _("There is no hypervisor “%(value)s” in the catalogue."),
            "invalid_pk_value": _("“%(pk)s” is not a valid hypervisor."),
        },
    )
    diff = forms.BooleanField(
        label=_("Only the rows where they differ"),
        required=False,
        help_text=_("Hides the rows where every product has the same score or support level."),
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # Empty values (`?h=`) are no choice at all, not a hypervisor named "".
            data = data.copy()
            data.setlist("h", [slug for slug in data.getlist("h") if slug.strip()])
        super().__init__(data, **kwargs)

    def clean_h(self):
        chosen = self.cleaned_data["h"]
        count = len(chosen)
        if count < self.MIN_CHOICES:
            raise forms.ValidationError(self.fields["h"].error_messages["required"], code="too_few")
        if count > self.MAX_CHOICES:
            raise forms.ValidationError(
                ngettext(
                    "You chose %(count)d hypervisor; compare at most %(max)d at once.",
                    "You chose %(count)d hypervisors; compare at most %(max)d at once.",
                    count,
                ),
                code="too_many",
                params={"count": count, "max": self.MAX_CHOICES},
            )
        # Keep the order the user picked them in.
        order = {slug: index for index, slug in enumerate(self.data.getlist("h"))}
        return sorted(chosen, key=lambda hypervisor: order[hypervisor.slug])


NO_HTML = re.compile(r"<\s*[a-zA-Z/!?]")


def https_url_formfield(db_field, **kwargs):
    """A link typed without a scheme is taken as https, the scheme Django 6 assumes."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class CorrectionSuggestionForm(forms.ModelForm):
    """Anyone may suggest a correction of a product's fact: plain text and a source."""

    class Meta:
        model = CorrectionSuggestion
        formfield_callback = https_url_formfield
        fields = ["fact", "proposed", "source_url", "contact"]
        widgets = {"proposed": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "proposed": _("What is wrong, and what it should say."),
            "source_url": _("A page that shows it, the vendor's own if you can."),
            "contact": _("Optional: an e-mail address if you accept a question from an editor."),
        }

    def __init__(self, *args, hypervisor, criteria, features, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.hypervisor = hypervisor
        self.fields["fact"] = forms.ChoiceField(
            label=_("Which fact?"),
            choices=[
                (
                    _("The product"),
                    [(str(_("Product facts")), _("Product facts: versions, licence, platforms"))],
                ),
                (_("Ratings"), [(c.name, c.name) for c in criteria]),
                (_("Features"), [(f.name, f.name) for f in features]),
            ],
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("proposed", "contact"):
            if NO_HTML.search(cleaned.get(name) or ""):
                self.add_error(name, _("Write plain text, without HTML."))
        return cleaned
