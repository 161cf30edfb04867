"""The report's opening, written as a consultant would: the verdict, why the winner fits the
company, what it costs, the alternative the company knows, the risks and how to handle them,
and the next steps. Each part is written from the report's figures, the company's answers and
the catalogue's facts, in the active language."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compare.catalogue.snapshot import CatalogueSnapshot
from compare.engine.scoring import Failure
from compare.models import VENDOR_KINDS, AdminSkill, LicenceModel, Platform, SupportLevel
from compare.reports.wording import in_sentence, margin_text, number

MAX_REASONS = 5
MIN_REASONS = 3

# With no current platform, the product most companies already know for their use case: the
# one a buyer compares the recommendation with (the seed report's buyer compared ESXi).
WELL_KNOWN = {
    "server_consolidation": "vmware-esxi",
    "lab": "vmware-esxi",
    "desktop_testing": "vmware-workstation",
    "mac_windows": "parallels-desktop",
}

# How a level reads after "Your requirement “X”:"; invariable words, so that French needs no
# agreement with the feature's gender.
LEVEL_HOW = {
    SupportLevel.FULL: lambda: _("built in"),
    SupportLevel.PAID: lambda: _("in a paid edition or add-on"),
    SupportLevel.PARTIAL: lambda: _("only partly"),
}


def consultant_summary(
    report: dict, decision, catalogue: CatalogueSnapshot, refs, *, cost: str
) -> dict:
    """The six parts of the opening, as plain JSON (texts with the numbers of their sources);
    `cost` is the cost engine's sentence on the winner's and the runner-up's totals."""
    ranking = report["ranking"]
    if not ranking:
        return {
            "verdict": _no_winner(report, decision),
            "lead": "",
            "reasons": [],
            "cost": "",
            "alternative": None,
            "risks": [_said(w) for w in report["warnings"]],
            "next_steps": [],
        }
    facts = Facts(report, decision, catalogue, refs)
    return {
        "verdict": _verdict(report, facts),
        "lead": _lead(report),
        "reasons": _reasons(report, facts),
        "cost": cost,
        "alternative": _alternative(report, decision, facts),
        "risks": _risks(report, facts),
        "next_steps": _next_steps(report, facts),
    }


class Facts:
    """What the parts read: the company's answers, the winner's cells, the sources' ranks."""

    def __init__(self, report, decision, catalogue, refs):
        self.answers = decision.answers
        self.answered = {item["key"]: item["answer"] for item in report["answers"]}
        self.who = self.answers.get("company_name") or _("your organisation")
        self.catalogue = catalogue
        self.refs = refs
        self.decision = decision
        self.winner = report["ranking"][0]
        self.second = report["ranking"][1] if len(report["ranking"]) > 1 else None
        self.musts = [f for f in report["feature_matrix"]["features"] if f["must"]]
        self.candidates = {c.slug: c for c in catalogue.candidates}

    def cell(self, slug: str, feature: str):
        return self.catalogue.facts[slug].support.get(feature)

    def cite_strongest(self, sources) -> list[int]:
        """The one source a manager trusts most: the vendor's own before anyone else's."""
        if not sources:
            return []
        kinds = self.catalogue.sources

        def strength(url):
            info = kinds.get(url)
            return 0 if info and info.kind in VENDOR_KINDS else 1

        return self.refs.cite([min(sources, key=strength)])

    def cite(self, cell) -> list[int]:
        return self.refs.cite(cell.sources) if cell else []


def _said(text: str, refs=()) -> dict:
    """A sentence and the numbers of its sources (an empty note leaves no trailing space)."""
    return {"text": text.strip(), "refs": list(refs)}


# 1. Verdict -------------------------------------------------------------------------------


def _verdict(report, facts) -> str:
    winner, second = facts.winner, facts.second
    params = {"who": facts.who, "winner": winner["name"], "score": number(winner["score"])}
    if second is None:
        return (
            _(
                "We recommend %(winner)s for %(who)s: %(score)s out of 100, and the only "
                "candidate that meets every need."
            )
            % params
        )
    return _(
        "We recommend %(winner)s for %(who)s: %(score)s out of 100, %(margin)s points ahead of "
        "%(second)s."
    ) % {**params, "margin": margin_text(report["margin"]), "second": second["name"]}


def _lead(report) -> str:
    ranking = report["ranking"]
    if len(ranking) < 2:
        return ""
    params = {
        "gap": number(report["gap"]),
        "winner": ranking[0]["name"],
        "second": ranking[1]["name"],
        "topsis": report["topsis_winner"],
    }
    if report["close_call"]:
        if report["topsis_winner"] and report["topsis_winner"] != ranking[0]["name"]:
            return (
                _(
                    "A close call: a second method (TOPSIS) puts %(topsis)s first. Pilot "
                    "%(winner)s and %(second)s before deciding."
                )
                % params
            )
        return (
            _("A close call: %(second)s is within %(gap)s %% of it. Pilot both before deciding.")
            % params
        )
    return (
        _("A clear lead: %(gap)s %% ahead of %(second)s, and a second method (TOPSIS) agrees.")
        % params
    )


def _no_winner(report, decision) -> str:
    who = decision.answers.get("company_name") or _("your organisation")
    text = _("No product in the catalogue meets every need of %(who)s.") % {"who": who}
    miss = next((e for e in report["eliminated"] if e["slug"] == report["closest_miss"]), None)
    if miss:
        text += " " + _("The closest is %(name)s: %(reasons)s") % {
            "name": miss["name"],
            "reasons": " ".join(miss["reasons"]),
        }
    return text


# 2. Why it fits ---------------------------------------------------------------------------


def _requirement(feature: dict, cell, facts) -> dict:
    """ "Your requirement “High availability”: built in (HA manager); needs 3 nodes." """
    how = LEVEL_HOW[cell.level]()
    if cell.product_term and cell.product_term.casefold() != feature["name"].casefold():
        how = _("%(how)s (%(term)s)") % {"how": how, "term": cell.product_term}
    if cell.note:
        how = _("%(first)s; %(second)s") % {"first": how, "second": cell.note}
    text = _("Your requirement “%(feature)s”: %(how)s.") % {"feature": feature["name"], "how": how}
    return _said(text, facts.cite(cell))


def _reasons(report, facts) -> list[dict]:
    winner, second = facts.winner, facts.second
    met = []
    for feature in facts.musts:
        cell = facts.cell(winner["slug"], feature["key"])
        if cell and cell.level in (SupportLevel.FULL, SupportLevel.PAID):
            theirs = facts.cell(second["slug"], feature["key"]) if second else None
            # Where the runner-up falls short first: that is what sets the winner apart.
            differs = not theirs or theirs.level != SupportLevel.FULL
            met.append((not differs, feature, cell))
    met.sort(key=lambda item: item[0])
    reasons = [_requirement(feature, cell, facts) for _same, feature, cell in met[:3]]
    reasons += [r for r in (_licence_reason(facts), _skills_reason(facts)) if r]
    reasons += _criteria_reasons(report, facts, MAX_REASONS - len(reasons))
    if len(reasons) < MIN_REASONS:
        reasons += [_requirement(f, c, facts) for _same, f, c in met[3:]]
    return reasons[:MAX_REASONS]


def _criteria_reasons(report, facts, room: int) -> list[dict]:
    """The criteria that give the winner most of its lead, with the rating's own words."""
    if facts.second is None or room <= 0:
        return []
    sections = {section["key"]: section for section in report["sections"]}
    leading = sorted(
        (c for c in report["criteria"] if c["contribution"] > 0 and c["key"] in sections),
        key=lambda c: -c["contribution"],
    )
    reasons = []
    for criterion in leading[: min(room, 2)]:
        rated = {c["slug"]: c for c in sections[criterion["key"]]["candidates"]}
        mine, theirs = rated.get(facts.winner["slug"]), rated.get(facts.second["slug"])
        if not mine or not theirs:
            continue
        text = _(
            "%(criterion)s, %(weight)s %% of your priorities: %(winner)s rates %(mine)s/10, "
            "%(second)s %(theirs)s/10. %(why)s"
        ) % {
            "criterion": criterion["name"],
            "weight": number(criterion["weight"]),
            "winner": facts.winner["name"],
            "mine": number(mine["score"]),
            "second": facts.second["name"],
            "theirs": number(theirs["score"]),
            "why": first_sentence(mine["justification"]),
        }
        reasons.append(_said(text, mine["refs"][:1]))
    return reasons


def _licence_reason(facts) -> dict | None:
    preference = facts.answers.get("licensing")
    candidate = facts.candidates[facts.winner["slug"]]
    if preference in ("open_source_required", "open_source_preferred") and (
        candidate.licence_model == LicenceModel.OPEN_SOURCE
    ):
        return _said(
            _("You answered “%(answer)s” to open source: %(winner)s is open source.")
            % {"answer": facts.answered.get("licensing", ""), "winner": facts.winner["name"]}
        )
    return None


def _skills_reason(facts) -> dict | None:
    skill = facts.answers.get("skills")
    candidate = facts.candidates[facts.winner["slug"]]
    if skill in AdminSkill.values and skill in candidate.admin_skills:
        return _said(
            _("Your team's skills are %(skill)s: %(winner)s is run with those skills.")
            % {"skill": AdminSkill(skill).label, "winner": facts.winner["name"]}
        )
    platform = facts.answers.get("current_platform")
    if facts.answers.get("platform_plan") == "staying" and candidate.platform == platform:
        return _said(
            _("You are staying on %(platform)s: %(winner)s is part of it.")
            % {"platform": Platform(platform).label, "winner": facts.winner["name"]}
        )
    return None


# 4. The alternative you know --------------------------------------------------------------


def known_alternative_slug(answers, catalogue: CatalogueSnapshot) -> str | None:
    """The company's current platform's product (its type 1 one, when it has several), or the
    best-known product for its use case."""
    platform = answers.get("current_platform")
    if platform in Platform.values and platform:
        products = sorted(
            (c for c in catalogue.candidates if c.platform == platform),
            key=lambda c: (c.hypervisor_type, c.slug),
        )
        if products:
            return products[0].slug
    slug = WELL_KNOWN.get(answers.get("use_case"))
    return slug if slug in catalogue.facts else None


def _alternative(report, decision, facts) -> dict | None:
    slug = known_alternative_slug(facts.answers, facts.catalogue)
    if slug is None:
        return None
    name = facts.catalogue.facts[slug].name
    current = facts.candidates[slug].platform == facts.answers.get("current_platform")
    known = (
        _("%(name)s, the platform you run today,")
        if current
        else _("%(name)s, the best-known option,")
    ) % {"name": name}
    costs = {item["slug"]: item for item in report["costs"]}
    cost = costs.get(slug)
    cost_text = _cost_phrase(cost) if cost else ""
    ranking = report["ranking"]
    place = next((i for i, item in enumerate(ranking, start=1) if item["slug"] == slug), None)
    if place == 1:
        return {
            "slug": slug,
            "name": name,
            "ruled_out": False,
            "text": _("%(known)s is our recommendation.") % {"known": known},
            "refs": [],
        }
    if place:
        item = ranking[place - 1]
        text = _(
            "%(known)s ranks %(place)s of %(count)s with %(score)s out of 100, %(behind)s points "
            "behind %(winner)s."
        ) % {
            "known": known,
            "place": ordinal(place),
            "count": len(ranking),
            "score": number(item["score"]),
            "behind": number(facts.winner["score"] - item["score"]),
            "winner": facts.winner["name"],
        }
        if cost_text:
            text += " " + cost_text
        shortfalls = item["flags"][:1]
        return {
            "slug": slug,
            "name": name,
            "ruled_out": False,
            "text": " ".join([text, *shortfalls]),
            "refs": [],
        }
    elimination = next(e for e in decision.result.eliminated if e.slug == slug)
    reasons = next(e["reasons"] for e in report["eliminated"] if e["slug"] == slug)
    refs = []
    for reason in elimination.reasons:
        if reason.kind in (Failure.MISSING, Failure.PAID_ONLY):
            refs = facts.cite_strongest(getattr(facts.cell(slug, reason.key), "sources", ()))
            if refs:
                break
    text = _("%(known)s is ruled out: %(reasons)s") % {"known": known, "reasons": " ".join(reasons)}
    if elimination.score_if_kept is not None:
        text += " " + _(
            "Had nothing ruled it out, it would score %(score)s out of 100 and rank %(place)s of "
            "%(count)s."
        ) % {
            "score": number(elimination.score_if_kept),
            "place": ordinal(elimination.rank_if_kept),
            "count": len(ranking) + 1,
        }
    if cost_text:
        text += " " + cost_text
    return {"slug": slug, "name": name, "ruled_out": True, "text": text, "refs": refs}


def _cost_phrase(cost: dict) -> str:
    if cost["total_text"]:
        return ngettext(
            "Over %(years)s year, it costs %(total)s.",
            "Over %(years)s years, it costs %(total)s.",
            cost["years"],
        ) % {"years": cost["years"], "total": cost["total_text"]}
    return _("Its price: %(status)s.") % {"status": cost["status_label"]}


def ordinal(place: int) -> str:
    """1st, 2nd, 3rd... in English; 1er, 2e, 3e... in French."""
    if translation.get_language() == "fr":
        return "1er" if place == 1 else f"{place}e"
    if 10 <= place % 100 <= 20:
        return f"{place}th"
    return f"{place}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(place % 10, 'th') }"


# 5. Risks ---------------------------------------------------------------------------------


def _risks(report, facts) -> list[dict]:
    winner = facts.winner
    risks = [_said(flag) for flag in winner["flags"]]
    if winner["partly_met"] or winner["to_verify"]:
        fully = next(
            (c for c in report["ranking"] if not c["partly_met"] and not c["to_verify"]), None
        )
        if fully:
            risks.append(
                _said(
                    _(
                        "The best candidate that meets every requirement fully is %(name)s "
                        "(%(score)s)."
                    )
                    % {"name": fully["name"], "score": number(fully["score"])}
                )
            )
        risks.append(
            _said(
                _(
                    "Test the requirements met only partly or not verified in the pilot, and "
                    "ask the vendor to confirm them in writing."
                )
            )
        )
    conditions = (_availability_risk(facts), _support_risk(facts), _windows_risk(facts))
    risks += [risk for risk in conditions if risk]
    risks += [_said(warning) for warning in report["warnings"]]
    cost = next((c for c in report["costs"] if c["slug"] == winner["slug"]), None)
    if cost and cost["indicative"]:
        risks.append(
            _said(
                _("Its price is indicative (a reseller's or a public list): ask for a quote."),
                cost["refs"][:1],
            )
        )
    return risks


def _availability_risk(facts) -> dict | None:
    """High availability's conditions (node count, shared storage) beside the hosts planned."""
    if not any(f["key"] == "high_availability" for f in facts.musts):
        return None
    cell = facts.cell(facts.winner["slug"], "high_availability")
    if not cell or not cell.note:
        return None
    hosts = facts.answers.get("host_count") or 0
    text = _("High availability: %(note)s; you plan %(hosts)s.") % {
        "note": cell.note.rstrip("."),
        "hosts": ngettext("%(count)s host", "%(count)s hosts", hosts) % {"count": hosts},
    }
    return _said(text, facts.cite(cell))


def _support_risk(facts) -> dict | None:
    support = facts.answers.get("support")
    if support not in ("business_hours", "24x7"):
        return None
    cell = facts.cell(facts.winner["slug"], "support_24x7")
    if not cell or not (cell.product_term or cell.note):
        return None
    what = cell.product_term or _("Vendor support")
    text = _("Support: %(what)s. %(note)s") % {"what": what, "note": _sentence(cell.note)}
    return _said(text, facts.cite(cell))


def _windows_risk(facts) -> dict | None:
    if "windows" not in (facts.answers.get("guest_os") or []):
        return None
    cell = facts.cell(facts.winner["slug"], "microsoft_integration")
    if not cell or cell.level == SupportLevel.FULL or not cell.note:
        return None
    return _said(
        _("Windows guests: %(note)s.") % {"note": in_sentence(cell.note.rstrip("."))},
        facts.cite(cell),
    )


def first_sentence(text: str) -> str:
    """A rating's justification opens with its point; the rest is on the criterion's card."""
    head, stop, _rest = text.partition(". ")
    return head + "." if stop else text


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


# 6. Next steps ----------------------------------------------------------------------------


def _next_steps(report, facts) -> list[dict]:
    winner, second = facts.winner, facts.second
    pilot = (
        _(
            "Pilot %(winner)s and %(second)s side by side on two or three hosts, with a few "
            "representative VMs, for a few weeks."
        )
        if report["close_call"] and second
        else _(
            "Pilot %(winner)s on two or three hosts, with a few representative VMs, for a few "
            "weeks."
        )
    ) % {"winner": winner["name"], "second": second["name"] if second else ""}
    steps = [_said(pilot)]
    cost = next((c for c in report["costs"] if c["slug"] == winner["slug"]), None)
    if cost and cost["offer"]:
        steps.append(
            _said(
                _("Ask %(vendor)s or a partner for a quote for %(offer)s: %(formula)s")
                % {"vendor": winner["vendor"], "offer": cost["offer"], "formula": cost["formula"]},
                cost["refs"][:1],
            )
        )
    platform = facts.answers.get("current_platform")
    if platform not in (None, "", "none"):
        cell = facts.cell(winner["slug"], "vm_import")
        if cell and cell.level != SupportLevel.NONE and cell.product_term:
            steps.append(
                _said(
                    _("Move the VMs from %(current)s with %(tool)s. %(note)s")
                    % {
                        "current": facts.answered.get("current_platform", ""),
                        "tool": cell.product_term,
                        "note": _sentence(cell.note),
                    },
                    facts.cite(cell),
                )
            )
    backup = facts.cell(winner["slug"], "builtin_backup")
    if backup and backup.level in (SupportLevel.FULL, SupportLevel.PAID, SupportLevel.PARTIAL):
        steps.append(
            _said(
                _("Set up backups before the first production VM moves: %(tool)s.")
                % {"tool": backup.product_term or LEVEL_HOW[backup.level]()},
                facts.cite(backup),
            )
        )
    else:
        steps.append(
            _said(
                _(
                    "%(winner)s has no built-in backups: choose a backup product that supports "
                    "it before the first production VM moves."
                )
                % {"winner": winner["name"]}
            )
        )
    return steps
