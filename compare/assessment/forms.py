from django import forms
from django.utils.translation import gettext_lazy as _

from compare.models import MAX_POINTS, QuestionKind


class StepForm(forms.Form):
    """One step of the needs questionnaire, with a field per question of that step."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.key] = self._field(question)

    @staticmethod
    def _field(question):
        common = {"label": question.text, "help_text": question.help_text}
        choices = [(choice.key, choice.label) for choice in question.choices]
        if question.kind == QuestionKind.SINGLE:
            return forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, required=question.required, **common
            )
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                required=question.required,
                **common,
            )
        if question.kind == QuestionKind.INTEGER:
            return forms.IntegerField(
                min_value=question.min_value,
                max_value=question.max_value,
                required=question.required,
                **common,
            )
        return forms.CharField(max_length=100, required=question.required, **common)


class PrioritiesForm(forms.Form):
    """The last step: every criterion's weight, 0 to 5, as the answers set it; any can change."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[criterion.key] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=MAX_POINTS,
                help_text=criterion.description,
            )

    def clean(self):
        cleaned = super().clean()
        if self.fields and not self.errors and not any(cleaned.values()):
            raise forms.ValidationError(
                _("Give at least one criterion a weight above 0."), code="all_zero"
            )
        return cleaned
