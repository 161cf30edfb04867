"""Load the reference catalogue shipped in `compare/reference_data/` (format: FORMAT.md there).

The load creates what is missing. A row that exists belongs to the editors as soon as one of
them changes it in the admin (its audit history then holds a record that is not the
loader's): the load never overwrites it, only fills a translation it lacks. A row no editor
has touched follows the files: a corrected fact, a new caveat or a questionnaire revision
reaches a catalogue loaded earlier, and a choice the files no longer have is removed. Every
row it creates, updates or removes is recorded in the audit history.
"""

import csv
import datetime
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from modeltranslation.translator import translator
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from compare.models import (
    Choice,
    Criterion,
    Effect,
    ExchangeRate,
    Feature,
    Hypervisor,
    Offer,
    Question,
    Rating,
    Source,
    Support,
)

REFERENCE_DATA_DIR = Path(__file__).resolve().parent.parent / "reference_data"
CHANGE_REASON = "Loaded from the reference data"
TRANSLATION_REASON = "Translation added from the reference data"
UPDATE_REASON = "Updated from the reference data"
LOADER_REASONS = (CHANGE_REASON, TRANSLATION_REASON, UPDATE_REASON)


class ReferenceDataError(Exception):
    """The reference files are malformed or contradict the database's rules."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    translated: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    def __str__(self):
        names = [
            "sources",
            "criteria",
            "features",
            "hypervisors",
            "ratings",
            "support",
            "offers",
            "exchange rates",
            "questions",
            "choices",
            "effects",
        ]
        parts = []
        for name in names:
            said = [
                f"{counter[name]} {what}"
                for counter, what in (
                    (self.created, "created"),
                    (self.translated, "translated"),
                    (self.updated, "updated"),
                    (self.removed, "removed"),
                    (self.kept, "already there"),
                )
                if counter[name]
            ]
            if said:
                parts.append(f"{name}: {', '.join(said)}")
        changed = self.created + self.translated + self.updated + self.removed
        state = "loaded" if changed else "up to date, nothing to add"
        return f"{state} ({'; '.join(parts)})" if parts else state


def load_reference_data(directory: Path = REFERENCE_DATA_DIR) -> LoadReport:
    catalogue = _read_toml(directory / "catalogue.toml")
    products = [_read_toml(path) for path in sorted((directory / "hypervisors").glob("*.toml"))]
    support_rows = _read_support_csv(directory / "support.csv")
    prices = _read_toml(directory / "offers.toml")
    registry = _read_toml(directory / "sources.toml")
    questionnaire = _read_toml(directory / "questionnaire.toml")
    report = LoadReport()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        citations = Citations(
            _create_missing(
                report,
                "sources",
                Source,
                [
                    _build(Source, entry, source=f"sources.toml {entry.get('url')}")
                    for entry in registry.get("source", [])
                ],
                key=lambda source: source.url,
            )
        )
        criteria = _create_missing(
            report,
            "criteria",
            Criterion,
            [
                _build(Criterion, entry, position=position, source="catalogue.toml")
                for position, entry in enumerate(catalogue["criterion"], start=1)
            ],
            key=lambda criterion: criterion.key,
        )
        features = _create_missing(
            report,
            "features",
            Feature,
            [
                _build(
                    Feature,
                    entry,
                    position=position,
                    criterion=_lookup(criteria, entry["criterion"], "catalogue.toml"),
                    source="catalogue.toml",
                )
                for position, entry in enumerate(catalogue["feature"], start=1)
            ],
            key=lambda feature: feature.key,
        )
        hypervisors = _create_missing(
            report,
            "hypervisors",
            Hypervisor,
            [
                _build(
                    Hypervisor,
                    citations.take(
                        product, Hypervisor, product.get("slug"), f"{product.get('slug')}.toml"
                    ),
                    source=f"{product.get('slug')}.toml",
                )
                for product in products
            ],
            key=lambda hypervisor: hypervisor.slug,
        )
        ratings = _create_missing(
            report,
            "ratings",
            Rating,
            [
                _build(
                    Rating,
                    citations.take(
                        {"verified_on": product["verified_on"], **rating},
                        Rating,
                        (product["slug"], criterion_key),
                        f"{product['slug']}.toml [ratings.{criterion_key}]",
                    ),
                    hypervisor=_lookup(hypervisors, product["slug"], "hypervisors"),
                    criterion=_lookup(criteria, criterion_key, f"{product['slug']}.toml"),
                    source=f"{product['slug']}.toml [ratings.{criterion_key}]",
                )
                for product in products
                for criterion_key, rating in product.get("ratings", {}).items()
            ],
            key=lambda rating: (rating.hypervisor.slug, rating.criterion.key),
        )
        supports = _create_missing(
            report,
            "support",
            Support,
            [
                _build(
                    Support,
                    citations.take(
                        row,
                        Support,
                        (product, feature),
                        where,
                        field="source_url",
                        required=row.get("level") != "unknown",
                    ),
                    hypervisor=_lookup(hypervisors, product, where),
                    feature=_lookup(features, feature, where),
                    source=where,
                )
                for where, row in support_rows
                for product, feature in [(row.pop("product_slug"), row.pop("feature_key"))]
            ],
            key=lambda support: (support.hypervisor.slug, support.feature.key),
        )
        offers = _load_prices(report, prices, hypervisors, features, citations)
        citations.apply(
            report,
            {Hypervisor: hypervisors, Rating: ratings, Support: supports, Offer: offers},
        )
        _load_questionnaire(report, questionnaire["question"], criteria, features)
    return report


def _load_prices(report, prices, hypervisors, features, citations) -> dict:
    """The offers of every product (with the features each unlocks) and the EUR/USD rates."""
    entries = [
        (f"offers.toml {entry.get('product')}.{entry.get('key')}", entry)
        for entry in prices.get("offer", [])
    ]
    offers = _create_missing(
        report,
        "offers",
        Offer,
        [
            _build(
                Offer,
                citations.take(
                    {k: v for k, v in entry.items() if k not in ("product", "unlocks")},
                    Offer,
                    (entry.get("product"), entry.get("key")),
                    where,
                ),
                position=position,
                hypervisor=_lookup(hypervisors, entry.get("product"), where),
                source=where,
            )
            for position, (where, entry) in enumerate(entries, start=1)
        ],
        key=lambda offer: (offer.hypervisor.slug, offer.key),
    )
    owned = editor_owned(Offer)
    for where, entry in entries:
        offer = offers[(entry["product"], entry["key"])]
        if offer.pk not in owned:
            offer.unlocks.set([_lookup(features, key, where) for key in entry.get("unlocks", [])])
    _create_missing(
        report,
        "exchange rates",
        ExchangeRate,
        [
            _build(ExchangeRate, entry, source=f"offers.toml exchange rate {entry.get('on')}")
            for entry in prices.get("exchange_rate", [])
        ],
        key=lambda rate: rate.on,
    )
    return offers


def _load_questionnaire(report, questions_data, criteria, features) -> None:
    questions = _create_missing(
        report,
        "questions",
        Question,
        [
            _build(Question, entry, position=position, source=f"questionnaire.toml {entry['key']}")
            for position, entry in enumerate(questions_data, start=1)
        ],
        key=lambda question: question.key,
    )
    choices_data = {
        (entry["key"], choice["key"]): (position, choice)
        for entry in questions_data
        for position, choice in enumerate(entry.get("choice", []), start=1)
    }
    before = set(Choice.objects.values_list("question__key", "key"))
    choices = _create_missing(
        report,
        "choices",
        Choice,
        [
            _build(
                Choice,
                choice,
                position=position,
                question=questions[question_key],
                source=f"questionnaire.toml {question_key}={choice_key}",
            )
            for (question_key, choice_key), (position, choice) in choices_data.items()
        ],
        key=lambda choice: (choice.question.key, choice.key),
    )
    # A choice's effects come with it: an untouched choice's effects follow the files, those
    # of a choice an editor changed (or whose effects they changed) belong to the editors.
    owned = editor_owned(Choice) | set(
        Effect.history.exclude(history_change_reason__in=LOADER_REASONS).values_list(
            "choice_id", flat=True
        )
    )
    effects_of: dict[int, list] = {}
    for effect in Effect.objects.prefetch_related("features", "gates").order_by("pk"):
        effects_of.setdefault(effect.choice_id, []).append(effect)
    new_effects, replaced, rebuilt = [], [], 0
    for choice_key, (_position, data) in choices_data.items():
        choice = choices[choice_key]
        if choice_key in before and choice.pk in owned:
            continue
        source = f"questionnaire.toml {'='.join(choice_key)}"
        wanted = [
            _build_effect(entry, choice, criteria, features, source)
            for entry in data.get("effects", [])
        ]
        current = effects_of.get(choice.pk, [])
        if choice_key in before:
            if [_effect_signature(*e) for e in wanted] == [
                _effect_signature(e, e.features.all(), e.gates.all()) for e in current
            ]:
                continue
            replaced += current
            rebuilt += len(wanted)
        new_effects += wanted
    for effect, _, _ in new_effects:
        try:
            effect.full_clean(exclude=["features", "gates"], validate_constraints=False)
        except ValidationError as error:
            raise ReferenceDataError(f"{effect._reference_source}: {_describe(error)}") from error
    _delete_with_history(replaced)
    bulk_create_with_history(
        [effect for effect, _, _ in new_effects], Effect, default_change_reason=CHANGE_REASON
    )
    for effect, effect_features, gates in new_effects:
        effect.features.set(effect_features)
        effect.gates.set(gates)
    report.created["effects"] += len(new_effects) - rebuilt
    report.updated["effects"] += rebuilt
    # A choice the files no longer have (a band split in two, say) goes, unless it is an
    # editor's: its effects go with it.
    gone = [
        choice
        for choice in Choice.objects.select_related("question")
        if (choice.question.key, choice.key) not in choices_data and choice.pk not in owned
    ]
    _delete_with_history(gone)
    report.removed["choices"] += len(gone)
    _translate_existing_effects(
        report, {k: choices_data[k][1] for k in before & choices_data.keys()}
    )


class Citations:
    """The URLs each fact of the files cites, made its sources once every row exists: a new
    row gets them, a row no editor has touched follows the files, an editor's stays."""

    def __init__(self, sources: dict):
        self.sources = sources  # url -> Source
        self.cited: dict[type, dict] = {}

    def take(self, data: dict, model, key, where: str, *, field="sources", required=True):
        """`data` without its URLs, which are kept for `apply`."""
        data = dict(data)
        urls = data.pop(field, [])
        urls = urls.split() if isinstance(urls, str) else list(urls)
        if required and not urls:
            raise ReferenceDataError(f"{where}: give at least one source")
        unknown = [url for url in urls if url not in self.sources]
        if unknown:
            raise ReferenceDataError(f"{where}: {unknown[0]} is not in sources.toml")
        self.cited.setdefault(model, {})[key] = urls
        return data

    def apply(self, report, rows: dict) -> None:
        for model, cited in self.cited.items():
            through = model.references.through
            column = f"{model._meta.model_name}_id"
            current: dict[int, set] = {}
            for row_id, source_id in through.objects.values_list(column, "source_id"):
                current.setdefault(row_id, set()).add(source_id)
            owned = editor_owned(model)
            new_links = []
            for key, urls in cited.items():
                row = rows[model][key]
                wanted = [self.sources[url] for url in urls]
                if row.pk in owned or {s.pk for s in wanted} == current.get(row.pk, set()):
                    continue
                if hasattr(row, "_reference_source"):  # created by this load
                    new_links += [through(**{column: row.pk, "source_id": s.pk}) for s in wanted]
                else:
                    row._change_reason = UPDATE_REASON
                    row.references.set(wanted)
                    report.updated["sources"] += 1
            _add_to_first_records(model, through.objects.bulk_create(new_links), column)


def _add_to_first_records(model, links, column: str) -> None:
    """bulk_create_with_history recorded the new rows before they had sources: put the links
    in those first records too, so that a later diff shows only what an editor changed."""
    history = model.history.model
    first_records = dict(
        model.history.filter(id__in={getattr(link, column) for link in links}).values_list(
            "id", "history_id"
        )
    )
    history.references.model.objects.bulk_create(
        [
            history.references.model(
                id=link.id,
                history_id=first_records[getattr(link, column)],
                source_id=link.source_id,
                **{column: getattr(link, column)},
            )
            for link in links
        ]
    )


def editor_owned(model) -> set[int]:
    """The rows an editor has changed (or deleted): their history holds a non-loader record."""
    return set(
        model.history.exclude(history_change_reason__in=LOADER_REASONS).values_list("id", flat=True)
    )


def _delete_with_history(rows) -> None:
    for row in rows:
        row._change_reason = UPDATE_REASON
        row.delete()


def _effect_signature(effect, effect_features, gates) -> tuple:
    """What an effect does, to tell whether the files changed it."""
    texts = [getattr(effect, f"message_{code}") or "" for code, _ in settings.LANGUAGES]
    return (
        effect.kind,
        effect.criterion_id,
        effect.amount,
        effect.group,
        sorted(feature.key for feature in effect_features),
        sorted(feature.key for feature in gates),
        effect.derived,
        effect.attribute,
        list(effect.values),
        effect.signal,
        effect.value,
        texts,
        effect.when_question,
        list(effect.when_choices),
        effect.when_negated,
    )


def _translate_existing_effects(report, existing_choices: dict) -> None:
    """Give the warnings of choices loaded earlier their missing translations. An effect is
    matched by its place among its choice's effects, only while the editors kept the list as
    the file has it (same kinds, same order)."""
    fields = _other_language_fields(Effect)
    by_choice: dict[tuple, list] = {}
    for effect in Effect.objects.select_related("choice__question").order_by("pk"):
        by_choice.setdefault((effect.choice.question.key, effect.choice.key), []).append(effect)
    translated = []
    for choice_key, data in existing_choices.items():
        entries, effects = data.get("effects", []), by_choice.get(choice_key, [])
        if [entry["kind"] for entry in entries] != [effect.kind for effect in effects]:
            continue
        for entry, effect in zip(entries, effects, strict=True):
            added = [name for name in fields if not getattr(effect, name) and entry.get(name)]
            for name in added:
                setattr(effect, name, entry[name])
            if added:
                translated.append(effect)
    if translated:
        bulk_update_with_history(
            translated, Effect, fields, default_change_reason=TRANSLATION_REASON
        )
    report.translated["effects"] += len(translated)


def _build_effect(entry: dict, choice, criteria, features, source: str):
    data = dict(entry)
    condition = data.pop("when", {})
    effect_features = [_lookup(features, key, source) for key in data.pop("features", [])]
    gates = [_lookup(features, key, source) for key in data.pop("gates", [])]
    if "criterion" in data:
        data["criterion"] = _lookup(criteria, data["criterion"], source)
    effect = _build(
        Effect,
        {
            **data,
            "when_question": condition.get("question", ""),
            "when_choices": condition.get("choices", []),
            "when_negated": condition.get("negated", False),
        },
        choice=choice,
        source=source,
    )
    return effect, effect_features, gates


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ReferenceDataError(f"{path.name}: {error}") from error


def _read_support_csv(path: Path) -> list[tuple[str, dict]]:
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        row["note"] = row.pop("caveat")
        if "caveat_fr" in row:
            row["note_fr"] = row.pop("caveat_fr")
    return [(f"support.csv line {line}", row) for line, row in enumerate(rows, start=2)]


def _translated_fields(model: type[models.Model]) -> set[str]:
    if model not in translator.get_registered_models():
        return set()
    return set(translator.get_options_for_model(model).fields)


def _build(model: type[models.Model], data: dict, *, source: str, **values) -> models.Model:
    """An unsaved instance from one entry of the files; the texts go to the default language."""
    translated = _translated_fields(model)
    concrete = {f.name for f in model._meta.concrete_fields}
    for name, value in data.items():
        if name in values or name in ("ratings", "choice", "effects"):
            continue
        if name in translated:
            values[f"{name}_{settings.LANGUAGE_CODE}"] = value
        elif name in concrete:
            values[name] = value
        else:
            raise ReferenceDataError(f"{source}: unknown field {name!r}")
    if "verified_on" in values and isinstance(values["verified_on"], str):
        values["verified_on"] = _parse_date(values["verified_on"], source)
    for decimal in (f for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)):
        if values.get(decimal.name) is not None:
            # As the database will hold it, so that a reload compares like with like.
            values[decimal.name] = Decimal(str(values[decimal.name])).quantize(
                Decimal(1).scaleb(-decimal.decimal_places)
            )
    instance = model(**values)
    instance._reference_source = source
    return instance


def _parse_date(value: str, source: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise ReferenceDataError(f"{source}: bad date {value!r}") from error


def _lookup(existing: dict, key: str, source: str):
    try:
        return existing[key]
    except KeyError:
        raise ReferenceDataError(f"{source}: unknown reference {key!r}") from None


def _create_missing(report, name, model, candidates, *, key) -> dict:
    """Save the candidates whose key is not in the database yet; bring the rows no editor has
    touched up to the files; fill the translations an edited row lacks (an editor's text is
    never replaced). Return every row by key."""
    existing = {key(instance): instance for instance in _all_with_keys(model)}
    owned = editor_owned(model)
    missing, translated, updated = [], [], []
    other_languages = _other_language_fields(model)
    loaded = _loaded_fields(model)
    for candidate in candidates:
        if key(candidate) not in existing:
            _validate(candidate)
            existing[key(candidate)] = candidate
            missing.append(candidate)
            continue
        report.kept[name] += 1
        row = existing[key(candidate)]
        added = [f for f in other_languages if not getattr(row, f) and getattr(candidate, f)]
        changed = row.pk not in owned and any(
            getattr(row, f) != getattr(candidate, f) for f in loaded
        )
        for f in added:
            setattr(row, f, getattr(candidate, f))
        if changed:
            _validate(candidate)
            for f in loaded:
                setattr(row, f, getattr(candidate, f))
            updated.append(row)
        elif added:
            translated.append(row)
    bulk_create_with_history(missing, model, default_change_reason=CHANGE_REASON)
    for rows, fields, reason in (
        (translated, other_languages, TRANSLATION_REASON),
        (updated, loaded + other_languages, UPDATE_REASON),
    ):
        if rows:
            bulk_update_with_history(rows, model, fields, default_change_reason=reason)
    report.created[name] += len(missing)
    report.translated[name] += len(translated)
    report.updated[name] += len(updated)
    return existing


def _validate(candidate) -> None:
    try:
        # The database checks its constraints on write; checking them here too would cost
        # a query per row and constraint.
        candidate.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise ReferenceDataError(f"{candidate._reference_source}: {_describe(error)}") from error


def _loaded_fields(model) -> list[str]:
    """The columns the files set: every concrete field but the key, the translated fields'
    language-neutral names and their other-language columns."""
    translated = _translated_fields(model)
    others = set(_other_language_fields(model))
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in translated and f.attname not in others
    ]


def _other_language_fields(model) -> list[str]:
    """The columns of the translated texts in the languages other than the default."""
    return [
        f"{field}_{code}"
        for field in sorted(_translated_fields(model))
        for code, _ in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


def _all_with_keys(model):
    related = [f.name for f in model._meta.concrete_fields if f.is_relation]
    return model.objects.select_related(*related)


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
