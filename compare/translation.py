"""Which catalogue texts exist in every language, and which models keep an audit history.

modeltranslation adds a column per language (summary_en, summary_fr, ...) when this module
is loaded; the history models are registered afterwards so that they copy those columns too
(the order django-simple-history documents for modeltranslation).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from compare.models import (
    AUDITED_MODELS,
    Choice,
    Criterion,
    Effect,
    Feature,
    Hypervisor,
    Offer,
    Question,
    Rating,
    Support,
)


@register(Hypervisor)
class HypervisorTranslationOptions(TranslationOptions):
    fields = ("technology", "pricing_note", "summary", "description")


@register(Criterion)
class CriterionTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Feature)
class FeatureTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Rating)
class RatingTranslationOptions(TranslationOptions):
    fields = ("justification",)


@register(Support)
class SupportTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    # The default answer too: the report's currency defaults to EUR in French, USD in English.
    fields = ("text", "help_text", "default")


@register(Choice)
class ChoiceTranslationOptions(TranslationOptions):
    fields = ("label", "help_text")


@register(Offer)
class OfferTranslationOptions(TranslationOptions):
    fields = ("name", "notes")


@register(Effect)
class EffectTranslationOptions(TranslationOptions):
    fields = ("message",)


for model in AUDITED_MODELS:
    # A fact's sources are part of its history too.
    tracked = [field.name for field in model._meta.many_to_many if field.name == "references"]
    register_history(model, app=__package__, m2m_fields=tracked)
