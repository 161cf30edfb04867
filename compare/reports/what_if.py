"""What if…: a saved recommendation recomputed with other weights or requirements, from its
own frozen inputs, in words; and saved as a new recommendation when the user asks."""

from dataclasses import asdict

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compare.engine.inputs import from_json
from compare.engine.scoring import FEATURES, MAX_FEATURE_POINTS, MAX_POINTS, Failure
from compare.engine.what_if import Need, what_if
from compare.reports.narrative import feature_reason_text
from compare.reports.services import AnswerError, recommendation_create
from compare.reports.wording import number

WEIGHT_PREFIX = "w."
NEED_PREFIX = "need."
NEED_LABELS = {
    Need.MUST: gettext_lazy("Required"),
    Need.NICE: gettext_lazy("Nice to have"),
    Need.NO: gettext_lazy("Not needed"),
}


def available(recommendation) -> bool:
    """Recommendations saved before the what-if existed keep no engine inputs."""
    return bool(recommendation.inputs) and "what_if" in recommendation.result


class WhatIfForm(forms.Form):
    """Every weight (w.<criterion>, 0-5; w.features in half points) and every adjustable
    requested feature (need.<unit>: must, nice or no). A value left out keeps the saved one;
    a parameter of neither kind is left alone (lang=)."""

    def __init__(self, data, *, recommendation, report):
        self.report = report
        saved = self.saved_values(recommendation, report)
        given = {key: data.get(key) for key in data if key.startswith((WEIGHT_PREFIX, NEED_PREFIX))}
        super().__init__({**saved, **given})
        for criterion in report["criteria"]:
            name = WEIGHT_PREFIX + criterion["key"]
            if criterion["key"] == FEATURES:
                self.fields[name] = forms.FloatField(
                    label=criterion["name"],
                    min_value=0,
                    max_value=MAX_FEATURE_POINTS,
                    step_size=0.5,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )
            else:
                self.fields[name] = forms.IntegerField(
                    label=criterion["name"],
                    min_value=0,
                    max_value=MAX_POINTS,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )
        for unit in self.adjustable_units:
            self.fields[NEED_PREFIX + unit["key"]] = forms.ChoiceField(
                label=unit["label"],
                choices=list(NEED_LABELS.items()),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        self.unknown = [key for key in given if key not in self.fields]

    @property
    def adjustable_units(self) -> list[dict]:
        return [unit for unit in self.report["what_if"]["units"] if unit["adjustable"]]

    @property
    def fixed_units(self) -> list[dict]:
        return [unit for unit in self.report["what_if"]["units"] if not unit["adjustable"]]

    @staticmethod
    def saved_values(recommendation, report) -> dict:
        values = {
            WEIGHT_PREFIX + key: _plain(points) for key, points in recommendation.weights.items()
        }
        values.update(
            {NEED_PREFIX + unit["key"]: unit["need"] for unit in report["what_if"]["units"]}
        )
        return values

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(WEIGHT_PREFIX + c["key"]) for c in self.report["criteria"]]
        if not self.errors and not any(weights):
            raise forms.ValidationError(_("Give at least one criterion a weight above 0."))
        return cleaned

    def is_valid(self) -> bool:
        return super().is_valid() and not self.unknown

    @property
    def problems(self) -> list[AnswerError]:
        """Every problem, each with the parameter it is about."""
        problems = [
            AnswerError(key, _("Unknown parameter “%(key)s”.") % {"key": key})
            for key in self.unknown
        ]
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            for message in errors:
                if field is None:
                    problems.append(AnswerError(WEIGHT_PREFIX.rstrip("."), message))
                else:
                    # Translators: a place in the questionnaire, then what is wrong there.
                    text = _("%(where)s: %(message)s") % {"where": field.label, "message": message}
                    problems.append(AnswerError(name, text))
        return problems

    @property
    def points(self) -> dict[str, float]:
        return {
            c["key"]: self.cleaned_data[WEIGHT_PREFIX + c["key"]] for c in self.report["criteria"]
        }

    @property
    def needs(self) -> dict[str, Need]:
        return {
            unit["key"]: Need(self.cleaned_data[NEED_PREFIX + unit["key"]])
            for unit in self.adjustable_units
        }

    def values(self) -> list[tuple[str, object]]:
        """These values as parameters: what the what-if's link and its save carry."""
        return [(name, _plain(self.cleaned_data[name])) for name in self.fields]


def _plain(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def what_if_result(recommendation, report, points, needs) -> tuple:
    """The engine's result with these points and needs, and the page's account of it."""
    inputs = from_json(recommendation.inputs)
    result = what_if(inputs, points, needs)
    return result, describe(result, recommendation, report, points, needs)


def describe(result, recommendation, report, points, needs) -> dict:
    """The what-if in words, beside the saved verdict: the new ranking with each score's
    change, what is ruled out and why, and what changed in the answers."""
    saved_ranking = {item["slug"]: (place, item) for place, item in enumerate(report["ranking"], 1)}
    texts = report["what_if"]
    ranking = []
    for place, scored in enumerate(result.ranking, 1):
        saved = saved_ranking.get(scored.slug)
        ranking.append(
            {
                "place": place,
                "slug": scored.slug,
                "name": scored.name,
                "score": round(scored.score, 1),
                # None: it was ruled out when saved.
                "change": round(scored.score - saved[1]["score"], 1) if saved else None,
                "change_text": _signed(scored.score - saved[1]["score"]) if saved else "",
                "saved_place": saved[0] if saved else None,
            }
        )
    eliminated = [
        {
            "slug": item.slug,
            "name": item.name,
            "reasons": [
                feature_reason_text(r, item.name, texts["feature_names"].get(r.key, r.key))
                for r in item.reasons
                if r.kind in (Failure.MISSING, Failure.PAID_ONLY)
            ]
            + texts["restricted"].get(item.slug, []),
            "newly": item.slug in saved_ranking,
        }
        for item in sorted(result.eliminated, key=lambda e: (len(e.reasons), e.name))
    ]
    changes = _changes(recommendation, report, points, needs)
    return {
        "headline": _headline(result, report),
        "unchanged": not changes,
        "changes": changes,
        "ranking": ranking,
        "eliminated": eliminated,
        "close_call": result.close_call,
        "catalogue_version": recommendation.catalogue_version,
    }


def _signed(change: float) -> str:
    """A score's change as read in a column: "+1.2", "−0.5" (a minus sign), "=" for none."""
    if round(change, 1) == 0:
        return "="
    return ("+" if change > 0 else "−") + number(abs(change))


def _headline(result, report) -> str:
    saved = report["ranking"][0] if report["ranking"] else None
    if not result.ranking:
        return _("No product would meet every requirement.")
    first = result.ranking[0]
    second = result.ranking[1] if len(result.ranking) > 1 else None
    params = {
        "first": first.name,
        "margin": number(first.score - second.score) if second else "",
        "second": second.name if second else "",
    }
    if saved and first.slug == saved["slug"]:
        if second is None:
            return _("%(first)s would stay first, the only product left.") % params
        return _("%(first)s would stay first, %(margin)s points ahead of %(second)s.") % params
    if second is None:
        return _("%(first)s would come first, the only product left.") % params
    return _("%(first)s would come first, by %(margin)s points ahead of %(second)s.") % params


def _changes(recommendation, report, points, needs) -> list[str]:
    """What differs from the saved answers, as "Licensing and cost: 5 → 3"."""
    changes = []
    for criterion in report["criteria"]:
        was = recommendation.weights.get(criterion["key"])
        now = points[criterion["key"]]
        if was is not None and float(was) != float(now):
            changes.append(_change(criterion["name"], _points(was), _points(now)))
    for unit in report["what_if"]["units"]:
        now = needs.get(unit["key"])
        if now is not None and now != unit["need"]:
            changes.append(
                _change(unit["label"], NEED_LABELS[Need(unit["need"])], NEED_LABELS[now])
            )
    return changes


def _change(name, was, now) -> str:
    # Translators: a weight or a requirement changed in the what-if: "Security: 3 → 5".
    return _("%(name)s: %(was)s → %(now)s") % {"name": name, "was": was, "now": now}


def _points(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else number(value)


def as_json(result, account, points, needs) -> dict:
    """The what-if as JSON: the inputs used, the account, and the engine's whole result."""
    return {
        "points": points,
        "needs": {key: str(need) for key, need in needs.items()},
        **account,
        "result": asdict(result),
    }


def save_as_new(recommendation, points, needs):
    """A new recommendation with the saved answers, these needs and these weights (from the
    catalogue as it is now; the original stays as it is)."""
    answers = {**recommendation.answers, **{key: str(need) for key, need in needs.items()}}
    return recommendation_create(answers=answers, adjusted_points=points)
