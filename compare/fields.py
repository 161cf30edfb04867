"""PostgreSQL array fields that editors can fill in comfortably in the admin."""

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.forms import SimpleArrayField
from django.db import models


class ChoiceArrayField(ArrayField):
    """An array of choices, edited as checkboxes instead of comma-separated text."""

    def formfield(self, **kwargs):
        # Skip ArrayField.formfield, which forces a SimpleArrayField.
        return models.Field.formfield(
            self,
            form_class=forms.TypedMultipleChoiceField,
            choices=self.base_field.choices,
            coerce=self.base_field.to_python,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class URLListFormField(SimpleArrayField):
    """One URL per line; blank lines and surrounding spaces are ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(
            forms.URLField(max_length=500, assume_scheme="https"), delimiter="\n", **kwargs
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = "\n".join(line.strip() for line in value.splitlines() if line.strip())
        return super().to_python(value)


class URLListField(ArrayField):
    """A list of source URLs, one per line in forms."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_field", models.URLField(max_length=500))
        super().__init__(**kwargs)

    def formfield(self, **kwargs):
        # Skip ArrayField.formfield, which builds a base form field this one does not use.
        return models.Field.formfield(self, form_class=URLListFormField, **kwargs)
