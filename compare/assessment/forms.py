from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from compare.assessment.questionnaire import Contradiction, contradictions
from compare.assessment.rvtools import MAX_UPLOAD_BYTES, ExportError, read_export
from compare.engine.scoring import FEATURES, MAX_FEATURE_POINTS
from compare.models import MAX_POINTS, QuestionKind


class ContradictionError(forms.ValidationError):
    """A contradiction, an error of the step as a whole, that keeps the key of the question
    whose answer raised it (the API names that field)."""

    def __init__(self, contradiction: Contradiction):
        super().__init__(contradiction.message, code="contradiction")
        self.question = contradiction.question


class StepForm(forms.Form):
    """One step of the needs questionnaire, with a field per question of that step.

    Given the whole questionnaire and the earlier steps' answers, it also refuses answers
    that contradict each other (the questionnaire's `conflict` effects), naming both.
    """

    def __init__(self, *args, questions, questionnaire=(), earlier_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.questionnaire = questionnaire
        self.earlier_answers = earlier_answers or {}
        for question in questions:
            self.fields[question.key] = self._field(question)

    def clean(self):
        cleaned = super().clean()
        if self.questions and self.questionnaire and not self.errors:
            answers = {**self.earlier_answers, **cleaned}
            step = self.questions[0].step
            for contradiction in contradictions(self.questionnaire, answers, step=step):
                self.add_error(None, ContradictionError(contradiction))
            self._check_bounds(answers)
        return cleaned

    def _check_bounds(self, answers) -> None:
        """A number that cannot exceed another answer (Windows VMs among all the VMs)."""
        texts = {question.key: question.text for question in self.questionnaire}
        for question in self.questions:
            limit = answers.get(question.at_most)
            value = answers.get(question.key)
            if question.at_most and None not in (limit, value) and value > limit:
                self.add_error(
                    question.key,
                    forms.ValidationError(
                        _("At most %(limit)s: your answer to “%(question)s”.")
                        % {"limit": limit, "question": texts.get(question.at_most, "")},
                        code="above_other_answer",
                    ),
                )

    @staticmethod
    def _field(question):
        # crispy-bootstrap5 prints help text unescaped: an editor's text is escaped here, so
        # that no markup from the catalogue reaches the public questionnaire.
        common = {"label": question.text, "help_text": escape(question.help_text)}
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
    """The last step: every criterion's weight, 0 to 5, as the answers set it; any can change.

    With `with_features`, the requested features' weight too (0 to 5 in half points: a
    requirement counts 1, a wish 0.5)."""

    def __init__(self, *args, criteria, with_features=False, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[criterion.key] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=MAX_POINTS,
                help_text=criterion.description,
            )
        if with_features:
            self.fields[FEATURES] = forms.FloatField(
                label=_("Requested features"),
                min_value=0,
                max_value=MAX_FEATURE_POINTS,
                step_size=0.5,
                required=False,  # left out: what the answers give
                help_text=_(
                    "How much the features you asked for count together: 1 point per "
                    "requirement and half a point per wish, 5 at most."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        if self.fields and not self.errors and not any(cleaned.values()):
            raise forms.ValidationError(
                _("Give at least one criterion a weight above 0."), code="all_zero"
            )
        return cleaned


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class RVToolsImportForm(forms.Form):
    """An RVTools export, read in memory into the estate's aggregates (`summary`)."""

    # The files are read in clean(): a plain field, as FileField takes one file only.
    export = forms.Field(
        label=_("RVTools export"),
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv"}),
        required=False,
        help_text=_(
            "The .xlsx workbook, or the vHost and vInfo CSV files (with vSnapshot, vDisk, vUSB "
            "and vCD if you have them). Read in memory, %(size)s MB at most; only totals are "
            "kept, never a VM or host name."
        )
        % {"size": MAX_UPLOAD_BYTES // 2**20},
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self):
        cleaned = super().clean()
        if self.too_large:
            raise forms.ValidationError(
                _("The export is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20},
                code="too_large",
            )
        uploads = self.files.getlist("export") if self.files else []
        try:
            cleaned["summary"] = read_export([(f.name, f.read()) for f in uploads])
        except ExportError as error:
            raise forms.ValidationError(str(error), code="bad_export") from error
        return cleaned
