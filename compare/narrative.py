"""The engine's results in words, in the active language."""

from django.utils.translation import gettext as _

from compare.catalogue import CatalogueSnapshot
from compare.models import FreeEdition, GuestFamily, HostPlatform, HypervisorType, LicenceModel
from compare.questionnaire import Interpretation
from compare.scoring import FEATURES, Failure, Flip, Reason, Result

ATTRIBUTE_VALUES = {
    "type": {str(value): label for value, label in HypervisorType.choices},
    "host_platform": dict(HostPlatform.choices),
    "guest_family": dict(GuestFamily.choices),
    "licence": dict(LicenceModel.choices),
    "free_edition": dict(FreeEdition.choices),
}


def _values(attribute: str, values) -> str:
    labels = ATTRIBUTE_VALUES.get(attribute, {})
    return _(" or ").join(str(labels.get(value, value)) for value in values)


def reason_text(
    reason: Reason, product: str, interpretation: Interpretation, catalogue: CatalogueSnapshot
) -> str:
    if reason.kind == Failure.DISCONTINUED:
        return _("%(product)s is no longer sold or supported.") % {"product": product}
    if reason.kind == Failure.RESTRICTION:
        source = interpretation.restriction_sources[reason.key]
        return _("Your answer “%(answer)s” (%(question)s) needs %(attribute)s: %(values)s.") % {
            "answer": source.answer,
            "question": source.question,
            "attribute": _attribute_name(source.attribute),
            "values": _values(source.attribute, source.values),
        }
    feature = (
        catalogue.features[reason.key].name if reason.key in catalogue.features else reason.key
    )
    params = {"product": product, "feature": feature}
    if reason.kind == Failure.MISSING:
        return _("%(product)s has no %(feature)s.") % params
    if reason.kind == Failure.UNVERIFIED:
        return (
            _(
                "%(feature)s is not verified in our catalogue for %(product)s: "
                "check with the vendor."
            )
            % params
        )
    return _("%(product)s has %(feature)s only in a paid edition or add-on.") % params


def _attribute_name(attribute: str) -> str:
    return {
        "type": _("a hypervisor of type"),
        "host_platform": _("a product that installs on"),
        "guest_family": _("a product that runs guests of"),
        "licence": _("a licence"),
        "free_edition": _("a free edition"),
    }[attribute]


def criterion_name(key: str, catalogue: CatalogueSnapshot) -> str:
    if key == FEATURES:
        return _("Requested features")
    return next((c.name for c in catalogue.criteria if c.key == key), key)


def flip_text(flip: Flip, result: Result, catalogue: CatalogueSnapshot) -> str:
    winner = result.ranking[0].name
    names = {scored.slug: scored.name for scored in result.ranking}
    params = {
        "winner": winner,
        "criterion": criterion_name(flip.criterion, catalogue),
        "current": round(100 * flip.weight),
    }
    parts = []
    if flip.upper is not None:
        parts.append(
            _("rises above %(weight)s %% (then %(challenger)s overtakes it)")
            % {"weight": round(100 * flip.upper), "challenger": names[flip.upper_challenger]}
        )
    if flip.lower is not None:
        parts.append(
            _("falls below %(weight)s %% (then %(challenger)s overtakes it)")
            % {"weight": round(100 * flip.lower), "challenger": names[flip.lower_challenger]}
        )
    if not parts:
        return (
            _("%(winner)s stays first whatever the weight of “%(criterion)s” (now %(current)s %%).")
            % params
        )
    return _(
        "%(winner)s stays first unless the weight of “%(criterion)s” (now %(current)s %%) "
        "%(change)s."
    ) % {**params, "change": _(" or ").join(parts)}
