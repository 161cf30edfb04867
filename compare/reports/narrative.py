"""The engine's results in words, in the active language."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compare.assessment.questionnaire import Interpretation
from compare.catalogue.snapshot import CatalogueSnapshot
from compare.engine.scoring import FEATURES, Failure, Flip, Reason, Result
from compare.models import (
    FreeEdition,
    GuestFamily,
    HostPlatform,
    HypervisorType,
    LicenceModel,
    SupportLevel,
)

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
        params = {
            "product": product,
            "answer": source.answer,
            "question": source.question,
            "values": in_sentence(_values(source.attribute, source.values)),
        }
        return RESTRICTION_REASONS[source.attribute]() % params
    info = catalogue.features.get(reason.key)
    feature = in_sentence(info.name) if info else reason.key
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


def number(value: float) -> str:
    """A figure as the active language writes it: 82.3 in English, 82,3 in French."""
    return formats.number_format(round(value, 1), decimal_pos=1)


def in_sentence(name: str) -> str:
    """A name as it reads mid-sentence: "High availability" -> "high availability", but
    "REST API" and "VM import" keep their capitals."""
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


RESTRICTION_REASONS = {
    "type": lambda: _(
        "%(product)s is not a %(values)s hypervisor, which your answer “%(answer)s” calls for."
    ),
    "host_platform": lambda: _(
        "%(product)s does not install on %(values)s, which your answer “%(answer)s” calls for."
    ),
    "guest_family": lambda: _(
        "%(product)s does not run %(values)s guests, which your answer “%(answer)s” calls for."
    ),
    "licence": lambda: _(
        "%(product)s is not %(values)s, which your answer “%(answer)s” to “%(question)s” calls for."
    ),
    "free_edition": lambda: _(
        "%(product)s has no free edition for this use, which your answer “%(answer)s” calls for."
    ),
}


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


# The saved report -----------------------------------------------------------------------

TOP_CANDIDATES = 3
MATRIX_CANDIDATES = 5


def build_report(decision, catalogue: CatalogueSnapshot, questionnaire) -> dict:
    """Everything the recommendation page shows, as plain JSON, in the active language."""
    result, interpretation = decision.result, decision.interpretation
    ranking = list(result.ranking)
    names = {c.slug: c.name for c in catalogue.candidates}
    contributions = {c.criterion: c.points for c in result.contributions}
    flips = {flip.criterion: flip for flip in result.flips}
    top = ranking[:TOP_CANDIDATES]
    report = {
        "company_name": decision.answers.get("company_name", ""),
        "engine_version": result.engine_version,
        "answers": _readable_answers(questionnaire, decision.answers),
        "criteria": [
            {
                "key": key,
                "name": criterion_name(key, catalogue),
                "points": result.points[key],
                "weight": round(100 * weight, 1),
                "provenance": interpretation.provenance.get(key, []),
                "contribution": round(contributions.get(key, 0.0), 2),
                "flip": flip_text(flips[key], result, catalogue) if key in flips else "",
                "stable": flips[key].stable if key in flips else True,
            }
            for key, weight in result.weights.items()
        ],
        "ranking": [_ranked(scored, catalogue) for scored in ranking],
        "gap": round(100 * result.gap, 1) if result.gap is not None else None,
        "margin": round(ranking[0].score - ranking[1].score, 1) if len(ranking) > 1 else None,
        "close_call": result.close_call,
        "topsis_winner": names.get(result.topsis_winner, ""),
        "sections": [
            _section(criterion, top, catalogue, result) for criterion in catalogue.criteria
        ],
        "feature_matrix": _feature_matrix(interpretation.needs, ranking, catalogue),
        "eliminated": [
            {
                "slug": item.slug,
                "name": item.name,
                "reasons": [
                    reason_text(r, item.name, interpretation, catalogue) for r in item.reasons
                ],
            }
            for item in sorted(result.eliminated, key=lambda e: (len(e.reasons), e.name))
        ],
        "closest_miss": result.closest_miss.slug if result.closest_miss else None,
        "most_critical": (
            flip_text(result.most_critical, result, catalogue) if result.most_critical else ""
        ),
        "warnings": interpretation.warnings,
        "data_as_of": _facts_dates(ranking or result.eliminated, catalogue),
    }
    report["conclusion"] = conclusion(report, decision, catalogue)
    return report


def _readable_answers(questionnaire, answers) -> list[dict]:
    readable = []
    for question in questionnaire:
        answer = answers.get(question.key)
        if answer in (None, "", []):
            continue
        labels = {choice.key: choice.label for choice in question.choices}
        if isinstance(answer, list):
            shown = ", ".join(labels.get(value, value) for value in answer)
        else:
            shown = labels.get(answer, str(answer))
        readable.append({"key": question.key, "question": question.text, "answer": shown})
    return readable


def _ranked(scored, catalogue) -> dict:
    facts = catalogue.facts[scored.slug]
    return {
        "slug": scored.slug,
        "name": scored.name,
        "vendor": facts.vendor,
        "summary": facts.summary,
        "url": facts.url,
        "score": round(scored.score, 1),
        "values": {key: round(10 * value, 2) for key, value in scored.values.items()},
    }


def _section(criterion, top, catalogue, result) -> dict:
    return {
        "key": criterion.key,
        "name": criterion.name,
        "description": criterion.description,
        "weight": round(100 * result.weights.get(criterion.key, 0), 1),
        "candidates": [
            {
                "slug": scored.slug,
                "name": scored.name,
                "score": round(10 * scored.values[criterion.key], 1),
                "rating": rating.score if rating else None,
                "justification": rating.justification if rating else "",
                "sources": list(rating.sources) if rating else [],
                "verified_on": rating.verified_on if rating else "",
            }
            for scored in top
            for rating in [catalogue.facts[scored.slug].ratings.get(criterion.key)]
        ],
    }


def _feature_matrix(needs, ranking, catalogue) -> dict:
    requested = []
    for unit in needs.units:
        for feature in unit.features:
            info = catalogue.features.get(feature)
            requested.append(
                {"key": feature, "name": info.name if info else feature, "must": unit.must}
            )
    rows = []
    for scored in ranking[:MATRIX_CANDIDATES]:
        support = catalogue.facts[scored.slug].support
        rows.append(
            {
                "slug": scored.slug,
                "name": scored.name,
                "cells": [_cell(support.get(item["key"])) for item in requested],
            }
        )
    return {"features": requested, "rows": rows}


def _cell(support) -> dict:
    if support is None:
        return {"level": "unknown", "label": str(SupportLevel.UNKNOWN.label)}
    return {
        "level": support.level,
        "label": str(SupportLevel(support.level).label),
        "term": support.product_term,
        "note": support.note,
        "source": support.source_url,
    }


def _facts_dates(items, catalogue) -> dict:
    dates = [
        fact.verified_on
        for item in items
        for facts in [catalogue.facts[item.slug]]
        for fact in (*facts.ratings.values(), *facts.support.values())
    ]
    return {"oldest": min(dates), "newest": max(dates)} if dates else {}


def conclusion(report: dict, decision, catalogue) -> str:
    """The report's closing paragraph: the verdict, why, and what to watch."""
    answers = decision.answers
    params = {
        "who": answers.get("company_name") or _("your organisation"),
        "hosts": ngettext("%(count)s host", "%(count)s hosts", answers.get("host_count") or 0)
        % {"count": answers.get("host_count")},
        "vms": ngettext(
            "about %(count)s virtual machine",
            "about %(count)s virtual machines",
            answers.get("vm_count") or 0,
        )
        % {"count": answers.get("vm_count")},
    }
    ranking = report["ranking"]
    if not ranking:
        text = (
            _("For %(who)s (%(hosts)s, %(vms)s), no product in the catalogue meets every need.")
            % params
        )
        miss = next((e for e in report["eliminated"] if e["slug"] == report["closest_miss"]), None)
        if miss:
            text += " " + _("The closest is %(name)s: %(reasons)s") % {
                "name": miss["name"],
                "reasons": " ".join(miss["reasons"]),
            }
        return text

    winner = ranking[0]
    sentences = [
        _(
            "For %(who)s (%(hosts)s, %(vms)s), HVSelect recommends %(winner)s, "
            "with %(score)s out of 100."
        )
        % {**params, "winner": winner["name"], "score": number(winner["score"])}
    ]
    musts = [in_sentence(f["name"]) for f in report["feature_matrix"]["features"] if f["must"]]
    if musts:
        sentences.append(
            _("It meets every requirement you set: %(musts)s.") % {"musts": ", ".join(musts)}
        )
    if len(ranking) > 1:
        second = ranking[1]["name"]
        by_lead = sorted(report["criteria"], key=lambda c: -c["contribution"])
        ahead = [c for c in by_lead if c["contribution"] > 0][:2]
        behind = [c for c in by_lead if c["contribution"] < 0]
        if ahead:
            sentences.append(
                _("It leads %(second)s by %(margin)s points, above all on %(why)s.")
                % {
                    "second": second,
                    "margin": number(report["margin"]),
                    "why": _(" and ").join(
                        _("%(criterion)s (+%(points)s)")
                        % {"criterion": in_sentence(c["name"]), "points": number(c["contribution"])}
                        for c in ahead
                    ),
                }
            )
        if behind:
            worst = behind[-1]
            sentences.append(
                _("%(second)s does better on %(criterion)s (%(points)s).")
                % {
                    "second": second,
                    "criterion": in_sentence(worst["name"]),
                    "points": number(worst["contribution"]),
                }
            )
    ruled_out = [e["reasons"][0] for e in report["eliminated"] if len(e["reasons"]) == 1][:2]
    if ruled_out:
        sentences.append(_("Ruled out: %(reasons)s") % {"reasons": " ".join(ruled_out)})
    if report["close_call"]:
        sentences.append(
            _("This is a close call: pilot %(first)s and %(second)s before deciding.")
            % {"first": winner["name"], "second": ranking[1]["name"]}
        )
    if report["most_critical"]:
        sentences.append(report["most_critical"])
    return " ".join(sentences)
