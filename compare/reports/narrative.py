"""The engine's results in words, in the active language."""

import math
from dataclasses import asdict
from decimal import Decimal

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compare.assessment.questionnaire import Interpretation, need_questions
from compare.catalogue.snapshot import CatalogueSnapshot
from compare.engine.costs import CostStatus, Metric
from compare.engine.scoring import FEATURES, Failure, Flip, Reason, Result, sensitivity_line
from compare.models import (
    VENDOR_KINDS,
    FreeEdition,
    GuestFamily,
    HostPlatform,
    HypervisorType,
    LicenceModel,
    OfferMetric,
    Platform,
    SourceKind,
    SupportLevel,
)
from compare.reports.consultant import consultant_summary
from compare.reports.wording import in_sentence, margin_text, number

ATTRIBUTE_VALUES = {
    "type": {str(value): label for value, label in HypervisorType.choices},
    "host_platform": dict(HostPlatform.choices),
    "guest_family": dict(GuestFamily.choices),
    "licence": dict(LicenceModel.choices),
    "free_edition": dict(FreeEdition.choices),
    "platform": dict(Platform.choices),
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
        if source.excluded:
            return EXCLUSION_REASONS.get(source.attribute, EXCLUSION_REASONS[None])() % params
        return RESTRICTION_REASONS[source.attribute]() % params
    info = catalogue.features.get(reason.key)
    return feature_reason_text(reason, product, info.name if info else reason.key)


def feature_reason_text(reason: Reason, product: str, feature_name: str) -> str:
    """Why a required feature rules a product out: it lacks it, or has it only for a price."""
    params = {"product": product, "feature": in_sentence(feature_name)}
    if reason.kind == Failure.MISSING:
        return _("%(product)s has no %(feature)s.") % params
    return _("%(product)s has %(feature)s only in a paid edition or add-on.") % params


def shared_reason_text(
    reason: Reason, names: list[str], interpretation: Interpretation, catalogue: CatalogueSnapshot
) -> str:
    """One reason that rules out several products, said once for all of them."""
    count = len(names)
    params = {"count": count, "names": ", ".join(names)}
    if reason.kind == Failure.DISCONTINUED:
        return (
            ngettext(
                "%(count)s product is no longer sold or supported: %(names)s.",
                "%(count)s products are no longer sold or supported: %(names)s.",
                count,
            )
            % params
        )
    if reason.kind == Failure.RESTRICTION:
        source = interpretation.restriction_sources[reason.key]
        params.update(
            answer=source.answer,
            question=source.question,
            values=in_sentence(_values(source.attribute, source.values)),
        )
        if source.excluded:
            texts = SHARED_EXCLUSION_REASONS.get(source.attribute, SHARED_EXCLUSION_REASONS[None])
        else:
            texts = SHARED_RESTRICTION_REASONS[source.attribute]
        return texts(count) % params
    info = catalogue.features.get(reason.key)
    params["feature"] = in_sentence(info.name) if info else reason.key
    if reason.kind == Failure.MISSING:
        return (
            ngettext(
                "%(count)s product has no %(feature)s: %(names)s.",
                "%(count)s products have no %(feature)s: %(names)s.",
                count,
            )
            % params
        )
    return (
        ngettext(
            "%(count)s product has %(feature)s only in a paid edition or add-on: %(names)s.",
            "%(count)s products have %(feature)s only in a paid edition or add-on: %(names)s.",
            count,
        )
        % params
    )


SHARED_RESTRICTION_REASONS = {
    "type": lambda count: ngettext(
        "%(count)s product is not a %(values)s hypervisor, which your answer “%(answer)s” "
        "calls for: %(names)s.",
        "%(count)s products are not %(values)s hypervisors, which your answer “%(answer)s” "
        "calls for: %(names)s.",
        count,
    ),
    "host_platform": lambda count: ngettext(
        "%(count)s product does not install on %(values)s, which your answer “%(answer)s” "
        "calls for: %(names)s.",
        "%(count)s products do not install on %(values)s, which your answer “%(answer)s” "
        "calls for: %(names)s.",
        count,
    ),
    "guest_family": lambda count: ngettext(
        "%(count)s product does not run %(values)s guests, which your answer “%(answer)s” "
        "calls for: %(names)s.",
        "%(count)s products do not run %(values)s guests, which your answer “%(answer)s” "
        "calls for: %(names)s.",
        count,
    ),
    "licence": lambda count: ngettext(
        "%(count)s product is not %(values)s, which your answer “%(answer)s” to "
        "“%(question)s” calls for: %(names)s.",
        "%(count)s products are not %(values)s, which your answer “%(answer)s” to "
        "“%(question)s” calls for: %(names)s.",
        count,
    ),
    "free_edition": lambda count: ngettext(
        "%(count)s product has no free edition known to allow this use, which your answer "
        "“%(answer)s” calls for: %(names)s.",
        "%(count)s products have no free edition known to allow this use, which your answer "
        "“%(answer)s” calls for: %(names)s.",
        count,
    ),
}

SHARED_EXCLUSION_REASONS = {
    "platform": lambda count: ngettext(
        "%(count)s product is a %(values)s product, and you are leaving %(values)s: %(names)s.",
        "%(count)s products are %(values)s products, and you are leaving %(values)s: %(names)s.",
        count,
    ),
    None: lambda count: ngettext(
        "%(count)s product is ruled out by your answer “%(answer)s” to “%(question)s”: %(names)s.",
        "%(count)s products are ruled out by your answer “%(answer)s” to “%(question)s”: "
        "%(names)s.",
        count,
    ),
}


# The ruled-out products, grouped ----------------------------------------------------------


def ruled_out_groups(
    report_eliminated: list[dict], eliminations, interpretation, catalogue
) -> list[dict]:
    """Products ruled out for the same first reason, said once for all of them ("5 products are
    not type 1 hypervisors...") with each one's details folded; the others one by one."""
    by_slug = {e.slug: e for e in eliminations}
    groups: dict[tuple, list[dict]] = {}
    for item in report_eliminated:
        first = by_slug[item["slug"]].reasons[0]
        groups.setdefault((first.kind, first.key), []).append(item)
    listed = []
    for items in groups.values():
        if len(items) == 1:
            listed.append({"summary": "", "items": items})
            continue
        reason = by_slug[items[0]["slug"]].reasons[0]
        listed.append(
            {
                "summary": shared_reason_text(
                    reason, [i["name"] for i in items], interpretation, catalogue
                ),
                "items": items,
            }
        )
    # The groups first, largest first; single products keep the report's order after them.
    return sorted(listed, key=lambda group: -len(group["items"]) if group["summary"] else 0)


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
        "%(product)s has no free edition known to allow this use, which your answer "
        "“%(answer)s” calls for."
    ),
}


EXCLUSION_REASONS = {
    "platform": lambda: _("%(product)s is a %(values)s product, and you are leaving %(values)s."),
    None: lambda: _("%(product)s is ruled out by your answer “%(answer)s” to “%(question)s”."),
}


def criterion_name(key: str, catalogue: CatalogueSnapshot) -> str:
    if key == FEATURES:
        return _("Requested features")
    return next((c.name for c in catalogue.criteria if c.key == key), key)


def flip_text(flip: Flip, result: Result, catalogue: CatalogueSnapshot) -> str:
    winner = result.ranking[0].name
    names = {scored.slug: scored.name for scored in result.ranking}
    criterion = criterion_name(flip.criterion, catalogue)
    if flip.tied:
        rising = flip.upper == flip.weight
        challenger = names[flip.upper_challenger if rising else flip.lower_challenger]
        params = {
            "winner": winner,
            "challenger": challenger,
            "criterion": criterion,
            "current": percent(flip.weight, 0),
        }
        if rising:
            return (
                _(
                    "%(winner)s and %(challenger)s are level: the smallest increase in the "
                    "weight of “%(criterion)s” (now %(current)s %%) puts %(challenger)s first."
                )
                % params
            )
        return (
            _(
                "%(winner)s and %(challenger)s are level: the smallest decrease in the "
                "weight of “%(criterion)s” (now %(current)s %%) puts %(challenger)s first."
            )
            % params
        )
    bounds = [(b, up) for b, up in ((flip.upper, True), (flip.lower, False)) if b is not None]
    decimals = max((_decimals(flip.weight, b, rising) for b, rising in bounds), default=0)
    params = {"winner": winner, "criterion": criterion, "current": percent(flip.weight, decimals)}
    parts = []
    if flip.upper is not None:
        parts.append(
            _("rises above %(weight)s %% (then %(challenger)s overtakes it)")
            % {
                "weight": percent(flip.upper, decimals, rounding=math.ceil),
                "challenger": names[flip.upper_challenger],
            }
        )
    if flip.lower is not None:
        parts.append(
            _("falls below %(weight)s %% (then %(challenger)s overtakes it)")
            % {
                "weight": percent(flip.lower, decimals, rounding=math.floor),
                "challenger": names[flip.lower_challenger],
            }
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


def percent(share: float, decimals: int, rounding=round) -> str:
    """A share as a percentage with `decimals` places, rounded as asked (a flip point is
    rounded away from the current weight, so the sentence stays true)."""
    return formats.number_format(_rounded(100 * share, decimals, rounding), decimal_pos=decimals)


def _rounded(value: float, decimals: int, rounding) -> float:
    scale = 10**decimals
    nudge = {math.ceil: -1e-9, math.floor: 1e-9}.get(rounding, 0)  # float noise, not a step
    return rounding(value * scale + nudge) / scale


def _decimals(weight: float, bound: float, rising: bool) -> int:
    """The fewest decimals that show the bound strictly beyond the current weight and strictly
    inside 0-100 %: "now 14 %, rises above 14 %" is never printed."""
    for decimals in range(4):
        now = _rounded(100 * weight, decimals, round)
        shown = _rounded(100 * bound, decimals, math.ceil if rising else math.floor)
        if 0 < shown < 100 and (shown > now if rising else shown < now):
            return decimals
    return 3


SENSITIVITY_CANDIDATES = 3  # drawn in each criterion's chart, with any challenger at a flip


def sensitivity(flip: Flip, result: Result) -> dict | None:
    """A criterion's one-at-a-time chart, as data: each drawn candidate's score with the
    weight at 0 and at 100 % (a straight line between), the current weight, the flip points."""
    drawn = list(result.ranking[:SENSITIVITY_CANDIDATES])
    for challenger in (flip.lower_challenger, flip.upper_challenger):
        if challenger and challenger not in {scored.slug for scored in drawn}:
            drawn += [scored for scored in result.ranking if scored.slug == challenger]
    lines = []
    for scored in drawn:
        line = sensitivity_line(scored, result.weights, flip.criterion)
        if line is None:
            return None
        lines.append({"slug": scored.slug, "name": scored.name, "start": line[0], "end": line[1]})
    return {"weight": flip.weight, "lower": flip.lower, "upper": flip.upper, "lines": lines}


def what_if_texts(decision, catalogue: CatalogueSnapshot, questionnaire) -> dict:
    """What the what-if panel says in this language: each requested unit's name and need
    (those a question asks required / nice to have / not needed can change; the others
    follow from an answer about the estate), the features' names for the reasons it gives,
    and the restrictions' reasons, which no what-if changes."""
    result, interpretation = decision.result, decision.interpretation
    units = interpretation.needs.units
    adjustable = need_questions(questionnaire)
    origins = interpretation.provenance.get(FEATURES, [])
    restricting = {Failure.RESTRICTION, Failure.DISCONTINUED}
    return {
        "units": [
            {
                "key": unit.key,
                "label": capfirst(", ".join(feature_name(f, catalogue) for f in unit.features)),
                "need": "must" if unit.must else "nice",
                "adjustable": unit.key in adjustable,
                "from": origins[index].answers[0][0] if index < len(origins) else "",
            }
            for index, unit in enumerate(units)
        ],
        "feature_names": {
            feature: feature_name(feature, catalogue) for unit in units for feature in unit.features
        },
        "restricted": {
            item.slug: [
                reason_text(reason, item.name, interpretation, catalogue)
                for reason in item.reasons
                if reason.kind in restricting
            ]
            for item in result.eliminated
            if any(reason.kind in restricting for reason in item.reasons)
        },
    }


# The saved report -----------------------------------------------------------------------

TOP_CANDIDATES = 3
MATRIX_CANDIDATES = 5


def build_report(
    decision, catalogue: CatalogueSnapshot, questionnaire, *, estate_export: dict | None = None
) -> dict:
    """Everything the recommendation page shows, as plain JSON, in the active language."""
    result, interpretation = decision.result, decision.interpretation
    ranking = list(result.ranking)
    names = {c.slug: c.name for c in catalogue.candidates}
    contributions = {c.criterion: c.points for c in result.contributions}
    flips = {flip.criterion: flip for flip in result.flips}
    top = ranking[:TOP_CANDIDATES]
    refs = References(catalogue)
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
                "provenance": [asdict(item) for item in interpretation.provenance.get(key, [])],
                "contribution": round(contributions.get(key, 0.0), 2),
                "flip": flip_text(flips[key], result, catalogue) if key in flips else "",
                "stable": flips[key].stable if key in flips else True,
                "sensitivity": sensitivity(flips[key], result) if key in flips else None,
            }
            for key, weight in result.weights.items()
        ],
        "ranking": [_ranked(scored, catalogue) for scored in ranking],
        "gap": round(100 * result.gap, 1) if result.gap is not None else None,
        "margin": round(ranking[0].score - ranking[1].score, 1) if len(ranking) > 1 else None,
        "close_call": result.close_call,
        "topsis_winner": names.get(result.topsis_winner, ""),
        "sections": [
            _section(criterion, top, catalogue, result, refs) for criterion in catalogue.criteria
        ],
        "feature_matrix": _feature_matrix(interpretation.needs, ranking, catalogue, refs),
        "eliminated": [
            {
                "slug": item.slug,
                "name": item.name,
                "reasons": [
                    reason_text(r, item.name, interpretation, catalogue) for r in item.reasons
                ],
                "score_if_kept": (
                    round(item.score_if_kept, 1) if item.score_if_kept is not None else None
                ),
                "rank_if_kept": item.rank_if_kept,
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
    report["estate"] = estate_report(decision, estate_export)
    report["moving"] = moving_there(decision, catalogue, estate_export, refs)
    report["costs"] = cost_items(decision, catalogue, refs)
    by_slug = {item["slug"]: item for item in report["costs"]}
    for item in report["ranking"]:
        cost = by_slug.get(item["slug"])
        if cost and cost["status"] == CostStatus.QUOTE:
            item["flags"].append(
                _("Price on request: its licensing score is the licence-model rating alone.")
            )
        if cost and cost["costs_far_more"]:
            item["flags"].append(
                _("Costs more than three times the middle of the options' yearly costs.")
            )
    report["robustness"] = robustness_export(decision.robustness)
    report["robustness_text"] = robustness_text(decision.robustness, names)
    report["robustness_bar"] = robustness_bar(decision.robustness, names)
    report["rate"] = _rate(catalogue)
    report["what_if"] = what_if_texts(decision, catalogue, questionnaire)
    report["ruled_out"] = ruled_out_groups(
        report["eliminated"], result.eliminated, interpretation, catalogue
    )
    report["conclusion"] = conclusion(report, decision, catalogue)
    report["summary"] = consultant_summary(
        report, decision, catalogue, refs, cost=cost_sentence(report)
    )
    report["references"] = refs.listed()
    return report


def _rate(catalogue) -> dict:
    rate = catalogue.rate
    if rate is None or rate.usd_per_eur is None:
        return {}
    return {"usd_per_eur": float(rate.usd_per_eur), "on": rate.on, "source": rate.source}


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
        "cost_score": round(scored.cost_score, 1) if scored.cost_score is not None else None,
        "partly_met": list(scored.partly_met),
        "to_verify": list(scored.to_verify),
        "flags": shortfall_texts(scored, catalogue),
    }


class References:
    """The report's numbered references: each source once, numbered in the order the page
    first cites it; the [n] markers point to them."""

    def __init__(self, catalogue: CatalogueSnapshot):
        self.sources = catalogue.sources
        self.numbers: dict[str, int] = {}

    def cite(self, urls) -> list[int]:
        for url in urls:
            self.numbers.setdefault(url, len(self.numbers) + 1)
        return [self.numbers[url] for url in urls]

    def listed(self) -> list[dict]:
        listed = []
        for url, n in self.numbers.items():
            info = self.sources.get(url)
            kind = info.kind if info else SourceKind.OTHER
            listed.append(
                {
                    "n": n,
                    "url": url,
                    "title": info.title if info else url,
                    "publisher": info.publisher if info else "",
                    "kind": kind,
                    "kind_label": str(SourceKind(kind).label),
                    "vendor": kind in VENDOR_KINDS,
                    "read_on": info.read_on if info else "",
                }
            )
        return listed


def feature_name(key: str, catalogue: CatalogueSnapshot) -> str:
    info = catalogue.features.get(key)
    return info.name if info else key


def shortfall_texts(scored, catalogue: CatalogueSnapshot) -> list[str]:
    """What a ranked candidate's requirements lack, in words: met only partly, or to verify."""
    support = catalogue.facts[scored.slug].support
    texts = []
    for key in scored.partly_met:
        params = {"feature": feature_name(key, catalogue), "note": support[key].note}
        texts.append(
            _("Meets the requirement “%(feature)s” only partly: %(note)s.") % params
            if params["note"]
            else _("Meets the requirement “%(feature)s” only partly.") % params
        )
    texts += [
        _("To verify with the vendor: “%(feature)s” is not verified in our catalogue.")
        % {"feature": feature_name(key, catalogue)}
        for key in scored.to_verify
    ]
    return texts


def _section(criterion, top, catalogue, result, refs) -> dict:
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
                "refs": refs.cite(rating.sources) if rating else [],
                "verified_on": rating.verified_on if rating else "",
            }
            for scored in top
            for rating in [catalogue.facts[scored.slug].ratings.get(criterion.key)]
        ],
    }


def _feature_matrix(needs, ranking, catalogue, refs) -> dict:
    requested = [
        {
            "key": feature,
            "name": feature_name(feature, catalogue),
            "must": unit.must and feature in unit.gates,
        }
        for unit in needs.units
        for feature in unit.features
    ]
    rows = []
    for scored in ranking[:MATRIX_CANDIDATES]:
        support = catalogue.facts[scored.slug].support
        rows.append(
            {
                "slug": scored.slug,
                "name": scored.name,
                "cells": [
                    _cell(support.get(item["key"]), item["must"], refs) for item in requested
                ],
            }
        )
    return {"features": requested, "rows": rows}


def _cell(support, must: bool, refs) -> dict:
    """A matrix cell; a requirement met only partly or not verified says so."""
    level = support.level if support else SupportLevel.UNKNOWN
    cell = {"level": level, "label": str(SupportLevel(level).label)}
    if must and level == SupportLevel.PARTIAL:
        cell["shortfall"] = str(_("requirement met only partly"))
    elif must and level == SupportLevel.UNKNOWN:
        cell["shortfall"] = str(_("to verify with the vendor"))
    if support:
        cell.update(term=support.product_term, note=support.note, refs=refs.cite(support.sources))
    return cell


def _facts_dates(items, catalogue) -> dict:
    dates = [
        fact.verified_on
        for item in items
        for facts in [catalogue.facts[item.slug]]
        for fact in (*facts.ratings.values(), *facts.support.values())
    ]
    return {"oldest": min(dates), "newest": max(dates)} if dates else {}


def _requirements_sentences(report: dict, winner: dict) -> list[str]:
    """Whether the winner meets every requirement, said honestly: met only partly, or to
    verify with the vendor, with the best candidate that does better beside it."""
    names = {f["key"]: in_sentence(f["name"]) for f in report["feature_matrix"]["features"]}
    musts = [names[f["key"]] for f in report["feature_matrix"]["features"] if f["must"]]
    if not musts:
        return []
    if not winner["partly_met"] and not winner["to_verify"]:
        return [_("It meets every requirement you set: %(musts)s.") % {"musts": ", ".join(musts)}]
    sentences = []
    if winner["partly_met"]:
        sentences.append(
            _("It meets your requirement for %(features)s only partly.")
            % {"features": _(" and ").join(names[key] for key in winner["partly_met"])}
        )
    if winner["to_verify"]:
        sentences.append(
            _(
                "It comes first only if the vendor confirms %(features)s, which our catalogue "
                "has not verified."
            )
            % {"features": _(" and ").join(names[key] for key in winner["to_verify"])}
        )
    fully = next((c for c in report["ranking"] if not c["partly_met"] and not c["to_verify"]), None)
    if fully:
        sentences.append(
            _("The best candidate that meets every requirement fully is %(name)s (%(score)s).")
            % {"name": fully["name"], "score": number(fully["score"])}
        )
    else:
        sentences.append(_("No ranked candidate meets every requirement fully."))
    return sentences


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
    sentences += _requirements_sentences(report, winner)
    if sentence := cost_sentence(report):
        sentences.append(sentence)
    expensive = [c["name"] for c in report["costs"] if c["ranked"] and c["costs_far_more"]][:2]
    if expensive:
        sentences.append(
            _(
                "With a moderate budget, note that %(names)s would cost more than three times "
                "the middle of the options' yearly costs."
            )
            % {"names": _(" and ").join(expensive)}
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
                    "margin": margin_text(report["margin"]),
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
    return " ".join(sentences)


# How solid ------------------------------------------------------------------------------

ROBUSTNESS_NAMED = 3  # candidates named in the sentence, the most frequent winners first


def robustness_export(solid) -> dict | None:
    """The Monte Carlo's figures as the JSON export and the API keep them."""
    if solid is None:
        return None
    return {"samples": solid.samples, "seed": solid.seed, "wins": dict(solid.wins)}


def robustness_bar(solid, names: dict) -> list[dict]:
    """The shares as segments of one 100-wide bar, the most frequent winner first."""
    if solid is None:
        return []
    segments, x = [], 0.0
    for slug, share in sorted(solid.wins.items(), key=lambda item: -item[1]):
        segments.append({"name": names[slug], "x": round(x, 2), "width": round(100 * share, 2)})
        x += 100 * share
    return segments


def share_percent(share: float) -> str:
    """A share of wins in whole percent, with a decimal where rounding would hide a rival
    ("99.8 %", not "100 %"; "0.3 %", not "0 %")."""
    exact = 100 * share
    return percent(share, 1 if (99.5 <= exact < 100 or 0 < exact < 0.5) else 0)


def robustness_text(solid, names: dict) -> str:
    """ "Proxmox VE comes first in 91 % of 2,000 plausible weightings; Hyper-V in 7 %." """
    if solid is None:
        return ""
    shown = sorted(solid.wins.items(), key=lambda item: -item[1])[:ROBUSTNESS_NAMED]
    samples = formats.number_format(solid.samples, force_grouping=True)
    first_slug, first_share = shown[0]
    text = _("%(name)s comes first in %(share)s %% of %(samples)s plausible weightings") % {
        "name": names[first_slug],
        "share": share_percent(first_share),
        "samples": samples,
    }
    others = [
        _("%(name)s in %(share)s %%") % {"name": names[slug], "share": share_percent(share)}
        for slug, share in shown[1:]
    ]
    return (
        _("%(first)s; %(others)s.") % {"first": text, "others": ", ".join(others)}
        if others
        else text + "."
    )


# What it costs ---------------------------------------------------------------------------

COST_CANDIDATES = 5  # shown in full; the others are folded


def money(amount, currency: str) -> str:
    """An amount as the active language writes it: "USD 38,880" / "38 880 USD"."""
    decimals = 0 if amount == amount.to_integral_value() else 2
    figure = formats.number_format(amount, decimal_pos=decimals, force_grouping=True)
    return _("%(currency)s %(amount)s") % {"currency": currency, "amount": figure}


def unit_label(unit: str, count: int) -> str:
    labels = {
        "core": lambda: ngettext("%(count)s core", "%(count)s cores", count),
        "socket": lambda: ngettext("%(count)s socket", "%(count)s sockets", count),
        "subscription": lambda: ngettext(
            "%(count)s subscription", "%(count)s subscriptions", count
        ),
        "host": lambda: ngettext("%(count)s host", "%(count)s hosts", count),
        "pack": lambda: ngettext("%(count)s pack of cores", "%(count)s packs of cores", count),
    }
    return labels[unit]() % {"count": formats.number_format(count, force_grouping=True)}


def cost_formula(cost) -> str:
    """The bill with its numbers filled in: "96 cores × USD 135 × 3 years = USD 38,880"."""
    if cost.status == CostStatus.OWNED:
        return _("Covered by the Windows Server licences you already hold: no new licence.")
    if cost.status == CostStatus.QUOTE:
        if not cost.fits_needs:
            return _("No listed offer unlocks every feature you require: ask for a quote.")
        return _("Price on quote from the vendor.")
    if cost.status == CostStatus.FREE:
        return _with_support_note(_("Free: no licence or subscription to buy."), cost)
    offer, billed = cost.offer, cost.quantity
    quantity = unit_label(billed.unit, billed.billed)
    if billed.order_minimum and billed.billed > billed.licensed:
        quantity = _("%(billed)s (the order minimum; %(licensed)s licensed)") % {
            "billed": quantity,
            "licensed": formats.number_format(billed.licensed, force_grouping=True),
        }
    if billed.stacks > 1:
        quantity = _("%(packs)s (each host licensed %(stacks)s times for its Windows VMs)") % {
            "packs": quantity,
            "stacks": billed.stacks,
        }
    params = {
        "quantity": quantity,
        "price": money(offer.amount, offer.currency),
        "total": money(cost.total, offer.currency),
    }
    if offer.metric == Metric.PER_CORE_PACK_PERPETUAL:
        formula = _("%(quantity)s × %(price)s, once (perpetual) = %(total)s") % params
    else:
        formula = ngettext(
            "%(quantity)s × %(price)s × %(years)s year = %(total)s",
            "%(quantity)s × %(price)s × %(years)s years = %(total)s",
            cost.years,
        ) % {**params, "years": cost.years}
    return _with_support_note(formula, cost)


def _with_support_note(formula: str, cost) -> str:
    if cost.support_included:
        return formula
    return f"{formula} {_('The vendor support you asked for is extra: on quote.')}"


def cost_item(cost, name: str, refs, scored=None) -> dict:
    """One product's cost as the report keeps it (figures as numbers, texts in words)."""
    offer, billed = cost.offer, cost.quantity
    return {
        "slug": cost.product,
        "name": name,
        "ranked": scored is not None,
        "status": str(cost.status),
        "status_label": str(COST_STATUS_LABELS[cost.status]()),
        "offer": offer.name if offer else "",
        "metric": str(offer.metric) if offer else "",
        "metric_label": str(OfferMetric(offer.metric).label) if offer else "",
        "quantity": billed.billed if billed else None,
        "unit_price": _figure(offer.amount) if offer else None,
        "currency": offer.currency if offer else "",
        "years": cost.years,
        "total": _figure(cost.total),
        "report_currency": cost.report_currency,
        "total_in_report_currency": _figure(cost.total_in_report_currency),
        "yearly_in_report_currency": _figure(cost.yearly_in_report_currency),
        "total_text": (
            # Converted figures read best in whole units; the JSON keeps the cents.
            money(cost.total_in_report_currency.quantize(Decimal(1)), cost.report_currency)
            if cost.total_in_report_currency is not None
            else ""
        ),
        "offer_total_text": (
            money(cost.total, offer.currency)
            if cost.total is not None and offer and offer.currency
            else ""
        ),
        "formula": cost_formula(cost),
        "sources": list(offer.sources) if offer else [],
        "refs": refs.cite(offer.sources) if offer else [],
        "verified_on": offer.verified_on if offer else "",
        "confidence": offer.confidence if offer else "",
        "indicative": bool(offer and offer.indicative),
        "costs_far_more": bool(scored and scored.costs_far_more),
        "support_included": cost.support_included,
    }


def _figure(amount):
    return float(amount) if amount is not None else None


COST_STATUS_LABELS = {
    CostStatus.PRICED: lambda: _("priced"),
    CostStatus.FREE: lambda: _("free"),
    CostStatus.QUOTE: lambda: _("price on request"),
    CostStatus.OWNED: lambda: _("licence already held"),
}


def cost_items(decision, catalogue: CatalogueSnapshot, refs=None) -> list[dict]:
    """Every candidate's cost: the ranked ones in ranking order, then the others."""
    ranked = {scored.slug: scored for scored in decision.result.ranking}
    names = {c.slug: c.name for c in catalogue.candidates}
    order = [s.slug for s in decision.result.ranking] + sorted(
        (slug for slug in decision.costs if slug not in ranked), key=lambda slug: names[slug]
    )
    refs = refs or References(catalogue)
    return [cost_item(decision.costs[slug], names[slug], refs, ranked.get(slug)) for slug in order]


def cost_sentence(report: dict) -> str:
    """The winner's and the runner-up's totals, in one sentence."""
    ranked = [c for c in report.get("costs", []) if c["ranked"]][:2]
    if not ranked:
        return ""
    years = ranked[0]["years"]

    def said(item):
        if not item["total_text"]:
            return item["status_label"]
        if not item.get("support_included", True):
            return _("%(total)s (the licence; its support on quote)") % {
                "total": item["total_text"]
            }
        return item["total_text"]

    if len(ranked) == 1:
        return _("Over %(years)s years, %(first)s costs %(cost)s.") % {
            "years": years,
            "first": ranked[0]["name"],
            "cost": said(ranked[0]),
        }
    return _(
        "Over %(years)s years, %(first)s costs %(first_cost)s and %(second)s %(second_cost)s "
        "in licences and vendor support (details under “What it costs you”)."
    ) % {
        "years": years,
        "first": ranked[0]["name"],
        "first_cost": said(ranked[0]),
        "second": ranked[1]["name"],
        "second_cost": said(ranked[1]),
    }


# The estate and the way there -----------------------------------------------------------


def estate_report(decision, export: dict | None) -> dict:
    """The estate the costs were computed for, and where its figures came from."""
    estate = decision.estate
    report = {
        "source": "export" if export else "answers",
        "host_count": estate.host_count if estate else 0,
        "sockets": estate.sockets if estate else 0,
        "cores": estate.cores if estate else 0,
        "vm_count": decision.answers.get("vm_count"),
        "windows_vms": decision.answers.get("windows_vms"),
        "uneven": bool(estate and len(estate.hosts) > 1),
    }
    if export:
        shares = export.get("family_shares", {})
        report.update(
            exported_on=export.get("exported_on", ""),
            rvtools_version=export.get("rvtools_version", ""),
            powered_on=export.get("powered_on"),
            export_vm_count=export.get("vm_count"),
            hosts_used=bool(decision.answers.get("hosts")),
            families=[
                {"family": str(GuestFamily(f).label), "share": round(100 * share)}
                for f, share in shares.items()
                if f in GuestFamily.values
            ],
            readiness=export.get("readiness", {}),
        )
    return report


READINESS_CHECKS = {
    "snapshots": lambda n: ngettext(
        "%(count)s VM has snapshots: consolidate or delete them first, as import tools copy "
        "the current disks, not the snapshot chain.",
        "%(count)s VMs have snapshots: consolidate or delete them first, as import tools copy "
        "the current disks, not the snapshot chain.",
        n,
    ),
    "rdm_or_shared_disks": lambda n: ngettext(
        "%(count)s VM uses raw device mappings or shared disks: they do not convert with the "
        "VM; plan how their data (or their cluster) moves.",
        "%(count)s VMs use raw device mappings or shared disks: they do not convert with the "
        "VMs; plan how their data (or their clusters) move.",
        n,
    ),
    "usb_devices": lambda n: ngettext(
        "%(count)s VM has a USB device attached: it stays with the old host; attach it again "
        "on the new one.",
        "%(count)s VMs have USB devices attached: they stay with the old hosts; attach them "
        "again on the new ones.",
        n,
    ),
    "connected_cd": lambda n: ngettext(
        "%(count)s VM has a CD or ISO connected: disconnect it before the import.",
        "%(count)s VMs have a CD or ISO connected: disconnect them before the import.",
        n,
    ),
    "powered_off": lambda n: ngettext(
        "%(count)s VM is powered off: decide whether it moves at all.",
        "%(count)s VMs are powered off: decide which of them move at all.",
        n,
    ),
    "templates": lambda n: ngettext(
        "%(count)s template: rebuild it on the new platform, or import it as a VM.",
        "%(count)s templates: rebuild them on the new platform, or import them as VMs.",
        n,
    ),
    "old_hardware": lambda n: ngettext(
        "%(count)s VM uses virtual hardware older than version 11: upgrade it, or test its "
        "import first.",
        "%(count)s VMs use virtual hardware older than version 11: upgrade them, or test their "
        "import first.",
        n,
    ),
}


def readiness_checks(readiness: dict) -> list[str]:
    return [
        text(readiness[key]) % {"count": formats.number_format(readiness[key], force_grouping=True)}
        for key, text in READINESS_CHECKS.items()
        if readiness.get(key)
    ]


def moving_there(decision, catalogue: CatalogueSnapshot, export: dict | None, refs) -> list[dict]:
    """For the winner and the runner-up: how VMs get there from today's platform (the
    product's import tool, from its `vm_import` cell), and what the export says needs care."""
    current = decision.answers.get("current_platform")
    if not export and current in (None, "", "none"):
        return []
    checks = readiness_checks((export or {}).get("readiness", {}))
    moving = []
    for scored in decision.result.ranking[:2]:
        cell = catalogue.facts[scored.slug].support.get("vm_import")
        moving.append(
            {
                "slug": scored.slug,
                "name": scored.name,
                "tool": _cell(cell, False, refs),
                "checks": checks,
            }
        )
    return moving
