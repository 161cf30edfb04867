"""The questionnaire as plain data, and the answers turned into the engine's `Needs`.

The questions, choices and effects live in the database (editable in the admin);
`load_questionnaire()` reads them in a fixed number of queries, and `interpret()` applies the
effect rules of questionnaire-effects.md section 0:

- weight changes are summed (a change with a group counts once per group and criterion),
  added to the defaults and clipped to 0..5 once; the user's own values then replace them
  (the requested-features weight too); each weight keeps the list of answers that moved it;
- one answer is one unit of the features component; a feature counts once, in its strongest
  mention (required beats wanted); derived wants never override an explicit answer;
- restrictions and exclusions, fit signals, owned licences and the paid/free rules pass to
  the engine;
- warnings are collected once each, in the questionnaire's order; contradictions (`conflict`
  effects) are refused by the step that completes them (see `contradictions`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from compare.catalogue.snapshot import cached_by_catalogue_version
from compare.engine.scoring import (
    FEATURES,
    MAX_POINTS,
    FeatureUnit,
    FitSignal,
    Needs,
    Restriction,
    feature_points,
)
from compare.models import Choice, Effect, EffectKind, Question, QuestionKind


@dataclass(frozen=True)
class EffectData:
    kind: str
    criterion: str | None = None
    amount: int = 0
    group: str = ""
    features: tuple[str, ...] = ()
    gates: tuple[str, ...] = ()
    derived: bool = False
    attribute: str = ""
    values: tuple[str, ...] = ()
    signal: str = ""
    value: str = ""
    message: str = ""
    when_question: str = ""
    when_choices: tuple[str, ...] = ()
    when_negated: bool = False


@dataclass(frozen=True)
class ChoiceData:
    key: str
    label: str
    help_text: str = ""
    min_value: int | None = None
    max_value: int | None = None
    effects: tuple[EffectData, ...] = ()

    def contains(self, number: int) -> bool:
        return (self.min_value is None or number >= self.min_value) and (
            self.max_value is None or number <= self.max_value
        )


@dataclass(frozen=True)
class QuestionData:
    key: str
    step: int
    kind: str
    text: str
    help_text: str = ""
    required: bool = True
    min_value: int | None = None
    max_value: int | None = None
    default: str = ""
    at_most: str = ""  # another number question's key that this answer cannot exceed
    choices: tuple[ChoiceData, ...] = ()

    @property
    def initial(self):
        """The default answer, as the question's form field takes it."""
        if self.kind == QuestionKind.MULTIPLE:
            return [value for value in self.default.split(",") if value]
        return self.default or None

    def chosen(self, answer) -> list[ChoiceData]:
        """The choices an answer selects: a band for numbers, none for text."""
        if answer in (None, "", []):
            return []
        if self.kind == QuestionKind.INTEGER:
            return [choice for choice in self.choices if choice.contains(int(answer))][:1]
        keys = set(answer) if self.kind == QuestionKind.MULTIPLE else {answer}
        return [choice for choice in self.choices if choice.key in keys]


def load_questionnaire() -> tuple[QuestionData, ...]:
    effects = Effect.objects.select_related("criterion").prefetch_related("features", "gates")
    choices = Choice.objects.prefetch_related(Prefetch("effects", queryset=effects))
    questions = Question.objects.prefetch_related(Prefetch("choices", queryset=choices))
    return tuple(_question_data(question) for question in questions)


current_questionnaire = cached_by_catalogue_version(load_questionnaire)


def _question_data(question: Question) -> QuestionData:
    return QuestionData(
        key=question.key,
        step=question.step,
        kind=question.kind,
        text=question.text,
        help_text=question.help_text,
        required=question.required,
        min_value=question.min_value,
        max_value=question.max_value,
        default=question.default,
        at_most=question.at_most,
        choices=tuple(
            ChoiceData(
                key=choice.key,
                label=choice.label,
                help_text=choice.help_text,
                min_value=choice.min_value,
                max_value=choice.max_value,
                effects=tuple(_effect_data(effect) for effect in choice.effects.all()),
            )
            for choice in question.choices.all()
        ),
    )


def _effect_data(effect: Effect) -> EffectData:
    return EffectData(
        kind=effect.kind,
        criterion=effect.criterion.key if effect.criterion else None,
        amount=effect.amount or 0,
        group=effect.group,
        features=tuple(feature.key for feature in effect.features.all()),
        gates=tuple(feature.key for feature in effect.gates.all()),
        derived=effect.derived,
        attribute=effect.attribute,
        values=tuple(effect.values),
        signal=effect.signal,
        value=effect.value,
        message=effect.message,
        when_question=effect.when_question,
        when_choices=tuple(effect.when_choices),
        when_negated=effect.when_negated,
    )


@dataclass(frozen=True)
class RestrictionSource:
    """Why a restriction applies: the question and the answer that set it."""

    question: str
    answer: str
    attribute: str
    values: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True)
class Provenance:
    """The answers that moved a weight together, and by how many points (a group's change
    counts once, however many of its answers ask for it)."""

    answers: tuple[tuple[str, str], ...]  # (question, answer)
    points: float


@dataclass
class Interpretation:
    needs: Needs
    computed_points: dict[str, float]  # after the answers, before the user's own values
    provenance: dict[str, list[Provenance]]  # criterion (and FEATURES) -> what moved it
    restriction_sources: dict[str, RestrictionSource] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def interpret(
    questionnaire: tuple[QuestionData, ...],
    answers: Mapping,
    default_points: Mapping[str, int],
    adjusted_points: Mapping[str, float] | None = None,
    *,
    services: frozenset[str] = frozenset(),
) -> Interpretation:
    """`adjusted_points` are the user's own weights, criteria and FEATURES alike; `services`
    the features sold as a service (support), whose paid level always counts."""
    selected = {q.key: [c.key for c in q.chosen(answers.get(q.key))] for q in questionnaire}
    effects = _Effects(provenance={key: [] for key in default_points})
    for question in questionnaire:
        for choice in question.chosen(answers.get(question.key)):
            for effect in choice.effects:
                if _applies(effect, selected):
                    effects.apply(question, choice, effect)

    computed: dict[str, float] = {
        key: max(0, min(MAX_POINTS, default + effects.additions.get(key, 0)))
        for key, default in default_points.items()
    }
    units = _deduplicate(effects.explicit_units, effects.derived_units)
    computed[FEATURES] = feature_points(units)
    provenance = {**effects.provenance, FEATURES: effects.unit_provenance(units)}
    own = {k: v for k, v in (adjusted_points or {}).items() if k in computed and v is not None}
    needs = Needs(
        points={key: own.get(key, value) for key, value in computed.items() if key != FEATURES},
        units=units,
        restrictions=tuple(effects.restrictions),
        feature_points=own.get(FEATURES),
        paid_counts=effects.paid_counts,
        services=services,
        free_edition_only=effects.free_edition_only,
        watch_cost=effects.watch_cost,
        fit_signals=tuple(effects.signals),
        owned_licences=frozenset(effects.owned),
    )
    return Interpretation(
        needs, computed, provenance, effects.restriction_sources, effects.warnings
    )


NEEDS = ("must", "nice", "no")  # the choices of a question that asks how much a feature matters


def need_questions(questionnaire: tuple[QuestionData, ...]) -> dict[str, QuestionData]:
    """The questions answered required / nice to have / not needed, by key: a what-if may
    change their answer; other requested features follow from answers about the estate."""
    return {
        question.key: question
        for question in questionnaire
        if set(NEEDS) <= {choice.key for choice in question.choices}
    }


def requirement_gates(
    questionnaire: tuple[QuestionData, ...], units: tuple[FeatureUnit, ...]
) -> dict[str, tuple[str, ...]]:
    """What each requested unit would rule out were it required: the features its question's
    "required" answer gates, among the unit's own (all of them when no answer says)."""
    by_key = {question.key: question for question in questionnaire}
    gates = {}
    for unit in units:
        question = by_key.get(unit.key)
        effects = [
            effect
            for choice in (question.choices if question else ())
            for effect in choice.effects
            if effect.kind == EffectKind.MUST and set(effect.features) & set(unit.features)
        ]
        gated = effects[0].gates or effects[0].features if effects else unit.features
        gates[unit.key] = (
            unit.gates or tuple(f for f in unit.features if f in gated) or unit.features
        )
    return gates


@dataclass(frozen=True)
class Contradiction:
    """Two answers that do not go together: `question` is the key of the one whose chosen
    answer refuses the other's, `message` says why, naming both."""

    question: str
    message: str


def contradictions(
    questionnaire: tuple[QuestionData, ...], answers: Mapping, *, step: int
) -> list[Contradiction]:
    """Why the answers contradict each other, for the contradictions `step` completes: a
    `conflict` effect of a chosen answer whose other question has a matching answer, told
    on the later of the two questions' steps (earlier steps were accepted already)."""
    steps = {question.key: question.step for question in questionnaire}
    by_key = {question.key: question for question in questionnaire}
    selected = {q.key: q.chosen(answers.get(q.key)) for q in questionnaire}
    found = []
    for question in questionnaire:
        for choice in selected[question.key]:
            for effect in choice.effects:
                other = effect.when_question
                if effect.kind != EffectKind.CONFLICT or other not in by_key:
                    continue
                if max(question.step, steps[other]) != step:
                    continue
                if not _applies(effect, {k: [c.key for c in v] for k, v in selected.items()}):
                    continue
                clashing = [
                    c.label
                    for c in selected[other]
                    if (c.key in effect.when_choices) != effect.when_negated
                ] or [_("no answer")]
                message = _(
                    "“%(answer)s” (%(question)s) does not go with “%(other)s” "
                    "(%(other_question)s): %(why)s"
                ) % {
                    "answer": choice.label,
                    "question": question.text,
                    "other": _(" or ").join(clashing),
                    "other_question": by_key[other].text,
                    "why": effect.message,
                }
                found.append(Contradiction(question.key, message))
    return found


@dataclass
class _Effects:
    """What the chosen answers' effects add up to, as they are applied one by one."""

    provenance: dict[str, list[Provenance]]
    additions: dict[str, int] = field(default_factory=dict)
    counted_groups: dict[tuple[str, str], int] = field(default_factory=dict)  # -> its entry
    unit_answers: dict[str, tuple[str, str]] = field(default_factory=dict)
    explicit_units: list[FeatureUnit] = field(default_factory=list)
    derived_units: list[FeatureUnit] = field(default_factory=list)
    restrictions: list[Restriction] = field(default_factory=list)
    restriction_sources: dict[str, RestrictionSource] = field(default_factory=dict)
    signals: list[FitSignal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    owned: set[str] = field(default_factory=set)
    paid_counts: bool = True
    free_edition_only: bool = False
    watch_cost: bool = False

    def apply(self, question: QuestionData, choice: ChoiceData, effect: EffectData) -> None:
        match effect.kind:
            case EffectKind.WEIGHT:
                self._weight(question, choice, effect)
            case EffectKind.MUST | EffectKind.NICE:
                self._unit(question, choice, effect)
            case EffectKind.RESTRICT | EffectKind.EXCLUDE:
                self._restriction(question, choice, effect)
            case EffectKind.FIT:
                self.signals.append(FitSignal(effect.signal, effect.value))
            case EffectKind.OWNED:
                self.owned.add(effect.value)
            case EffectKind.PAID_EXCLUDED:
                self.paid_counts = False
            case EffectKind.FREE_EDITION_SCORES:
                self.free_edition_only = True
            case EffectKind.WATCH_COST:
                self.watch_cost = True
            case EffectKind.WARN if effect.message not in self.warnings:
                self.warnings.append(effect.message)

    def _weight(self, question, choice, effect) -> None:
        entries = self.provenance.setdefault(effect.criterion, [])
        answer = (question.text, choice.label)
        group = (effect.group, effect.criterion)
        if effect.group and group in self.counted_groups:
            # Counted once already: the answer joins the group's entry.
            index = self.counted_groups[group]
            entries[index] = Provenance((*entries[index].answers, answer), entries[index].points)
            return
        if effect.group:
            self.counted_groups[group] = len(entries)
        self.additions[effect.criterion] = self.additions.get(effect.criterion, 0) + effect.amount
        entries.append(Provenance((answer,), effect.amount))

    def _unit(self, question, choice, effect) -> None:
        must = effect.kind == EffectKind.MUST
        unit = FeatureUnit(
            key=question.key,
            features=effect.features,
            must=must,
            gates=(effect.gates or effect.features) if must else (),
        )
        self.unit_answers.setdefault(question.key, (question.text, choice.label))
        (self.derived_units if effect.derived else self.explicit_units).append(unit)

    def unit_provenance(self, units: tuple[FeatureUnit, ...]) -> list[Provenance]:
        """One entry per answer counted in the requested features: 1 point a requirement,
        half a point a wish (the total is capped at 5)."""
        return [
            Provenance((self.unit_answers[unit.key],), 1 if unit.must else 0.5) for unit in units
        ]

    def _restriction(self, question, choice, effect) -> None:
        excluded = effect.kind == EffectKind.EXCLUDE
        key = f"{question.key}:{choice.key}:{effect.attribute}"
        restriction = Restriction(
            key, effect.attribute, frozenset(effect.values), excluded=excluded
        )
        if any(_same_rule(restriction, other) for other in self.restrictions):
            return  # two answers asking the same thing: one reason is enough
        self.restrictions.append(restriction)
        self.restriction_sources[key] = RestrictionSource(
            question.text, choice.label, effect.attribute, effect.values, excluded
        )


def _same_rule(one: Restriction, other: Restriction) -> bool:
    def rule(restriction):
        return (
            restriction.attribute,
            restriction.allowed,
            restriction.every,
            restriction.excluded,
        )

    return rule(one) == rule(other)


def _applies(effect: EffectData, selected: Mapping[str, list[str]]) -> bool:
    if not effect.when_question:
        return True
    matches = bool(set(selected.get(effect.when_question, [])) & set(effect.when_choices))
    return matches != effect.when_negated


def _deduplicate(explicit: list[FeatureUnit], derived: list[FeatureUnit]) -> tuple:
    """Count each feature once: in a required unit if any asks for it, else its first mention;
    derived units keep only features no explicit answer mentions."""
    required = {feature for unit in explicit if unit.must for feature in unit.features}
    seen: set[str] = set()
    units = []
    for unit in explicit:
        features = tuple(
            f for f in unit.features if f not in seen and (unit.must or f not in required)
        )
        seen.update(features)
        if features:
            units.append(FeatureUnit(unit.key, features, unit.must, unit.gates))
    for unit in derived:
        features = tuple(f for f in unit.features if f not in seen)
        seen.update(features)
        if features:
            units.append(FeatureUnit(unit.key, features, unit.must, unit.gates))
    return tuple(units)
