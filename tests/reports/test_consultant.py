"""The report's opening, as a consultant writes it, on the shipped catalogue: each part says
what the figures and the facts say, in the order a manager reads them."""

import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from compare.models import Recommendation
from compare.reports.services import recommendation_create
from compare.templatetags.compare_tags import long_date

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def assurmer(**changes) -> dict:
    answers = json.loads((EXAMPLES / "assurmer.json").read_text(encoding="utf-8"))
    return {**answers, **changes}


def saved(answers, language="en") -> Recommendation:
    with translation.override(language):
        return recommendation_create(answers=answers)


@pytest.fixture
def report(reference_data):
    return saved(assurmer()).result


def test_the_verdict_is_one_sentence_with_the_score_and_the_margin_in_points(report):
    first, second = report["ranking"][:2]
    summary = report["summary"]
    assert summary["verdict"] == (
        f"We recommend {first['name']} for Assurmer: {first['score']:.1f} out of 100, "
        f"{first['score'] - second['score']:.1f} points ahead of {second['name']}."
    )
    # Assurmer's lead is clear: more than 5 % ahead, and TOPSIS agrees.
    assert not report["close_call"]
    assert summary["lead"].startswith("A clear lead:")
    assert f"ahead of {second['name']}" in summary["lead"]


def test_why_it_fits_ties_each_requirement_to_the_winners_own_fact(report):
    reasons = report["summary"]["reasons"]
    assert 3 <= len(reasons) <= 5
    texts = [reason["text"] for reason in reasons]
    # Assurmer requires HA: Proxmox VE has it built in, with its condition, and a source.
    ha = next(r for r in reasons if "“High availability”" in r["text"])
    assert "built in (HA manager (ha-manager))" in ha["text"]
    assert "needs at least 3 cluster nodes" in ha["text"]
    assert ha["refs"]
    # Assurmer prefers open source, and Proxmox VE is.
    assert "You answered “Preferred” to open source: Proxmox VE is open source." in texts
    numbers = {ref["n"] for ref in report["references"]}
    assert all(set(r["refs"]) <= numbers for r in reasons)


def test_what_it_costs_names_both_totals_and_points_to_the_costs(report):
    costs = {c["slug"]: c for c in report["costs"]}
    cost = report["summary"]["cost"]
    assert costs["proxmox-ve"]["total_text"] in cost
    assert costs["microsoft-hyper-v"]["total_text"] in cost
    assert "What it costs you" in cost


def test_the_alternative_you_know_is_esxi_for_servers_even_ruled_out(report):
    alternative = report["summary"]["alternative"]
    assert alternative["slug"] == "vmware-esxi" and alternative["ruled_out"]
    assert "is ruled out: VMware ESXi has no built-in backups." in alternative["text"]
    # Where it would stand: its score and a place consistent with the ranked scores.
    esxi = next(e for e in report["eliminated"] if e["slug"] == "vmware-esxi")
    place = 1 + sum(1 for c in report["ranking"] if c["score"] >= esxi["score_if_kept"])
    assert esxi["rank_if_kept"] == place
    assert (
        f"Had nothing ruled it out, it would score {esxi['score_if_kept']:.1f} out of 100"
        in alternative["text"]
    )
    assert f"of {len(report['ranking']) + 1}." in alternative["text"]
    esxi_cost = next(c for c in report["costs"] if c["slug"] == "vmware-esxi")
    assert esxi_cost["total_text"] in alternative["text"]
    # The strongest source: the vendor's own.
    (n,) = alternative["refs"]
    reference = next(ref for ref in report["references"] if ref["n"] == n)
    assert reference["vendor"]


def test_the_alternative_is_the_platform_being_left_and_says_why_it_is_out(reference_data):
    report = saved(assurmer(current_platform="vmware", platform_plan="leaving")).result
    alternative = report["summary"]["alternative"]
    assert alternative["slug"] == "vmware-esxi"
    assert alternative["text"].startswith("VMware ESXi, the platform you run today, is ruled out:")
    assert "you are leaving VMware" in alternative["text"]
    # Leaving VMware, the next steps say how the VMs move: the winner's import tool.
    steps = " ".join(step["text"] for step in report["summary"]["next_steps"])
    assert "Move the VMs from VMware vSphere / ESXi with Import wizard (ESXi)" in steps


def test_a_ranked_alternative_says_its_place_and_its_distance(reference_data):
    report = saved(assurmer(current_platform="hyper_v", platform_plan="open")).result
    alternative = report["summary"]["alternative"]
    hyper_v = next(c for c in report["ranking"] if c["slug"] == "microsoft-hyper-v")
    place = [c["slug"] for c in report["ranking"]].index("microsoft-hyper-v") + 1
    assert not alternative["ruled_out"]
    assert alternative["text"].startswith(
        f"Microsoft Hyper-V, the platform you run today, ranks {place}"
    )
    assert f"with {hyper_v['score']:.1f} out of 100" in alternative["text"]


def test_risks_and_next_steps_come_from_the_winners_caveats_and_offer(report):
    risks = [risk["text"] for risk in report["summary"]["risks"]]
    assert (
        "High availability: needs at least 3 cluster nodes for reliable quorum; you plan 3 hosts."
        in risks
    )
    assert any(r.startswith("Support: Proxmox VE Subscription") for r in risks)
    assert any(r.startswith("Windows guests:") and "VirtIO drivers" in r for r in risks)
    steps = [step["text"] for step in report["summary"]["next_steps"]]
    assert steps[0].startswith("Pilot Proxmox VE on two or three hosts")
    offer = next(c for c in report["costs"] if c["slug"] == "proxmox-ve")["offer"]
    assert any(f"a quote for {offer}:" in step for step in steps)
    assert any(step.startswith("Set up backups") for step in steps)


def test_products_ruled_out_for_one_reason_are_said_once(report):
    groups = report["ruled_out"]
    desktop = groups[0]
    assert desktop["summary"].startswith(
        "5 products are not type 1 (bare metal) hypervisors, which your answer "
        "“Production servers: files, databases, mail...” calls for:"
    )
    assert {item["slug"] for item in desktop["items"]} == {
        "parallels-desktop",
        "utm",
        "virtualbox",
        "vmware-fusion",
        "vmware-workstation",
    }
    # Every ruled-out product is in exactly one group.
    listed = [item["slug"] for group in groups for item in group["items"]]
    assert sorted(listed) == sorted(e["slug"] for e in report["eliminated"])


def test_the_page_reads_in_the_consultants_order_and_states_sensitivity_once(
    client, reference_data
):
    recommendation = saved(assurmer())
    page = client.get(recommendation.get_absolute_url()).content.decode()
    headings = re.findall(r'<h2 id="([a-z-]+)-title"', page)
    assert headings[:6] == [
        "verdict",
        "reasons",
        "summary-cost",
        "alternative",
        "risks",
        "next-steps",
    ]
    assert headings.index("ranking") > headings.index("next-steps")
    most_critical = recommendation.result["most_critical"]
    assert most_critical and page.count(most_critical) == 1
    # One line for the five desktop products, their details folded.
    assert page.count("5 products are not type 1 (bare metal) hypervisors") == 1


def test_french_typography_and_dates_in_words(client, reference_data):
    recommendation = saved(assurmer(), "fr")
    summary = recommendation.result["summary"]
    assert summary["verdict"].startswith("Nous recommandons Proxmox VE pour Assurmer\u00a0: ")
    assert "\u00a0%" in summary["lead"]
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert f"Recommandation du {long_date_fr(recommendation.created_at)}" in page


def long_date_fr(moment):
    with translation.override("fr"):
        return long_date(moment)


@pytest.mark.parametrize(
    ("language", "day", "written"),
    [
        ("fr", "2026-12-01", "1er décembre 2026"),
        ("fr", "2026-12-02", "2 décembre 2026"),
        ("en", "2026-12-01", "1 December 2026"),
    ],
)
def test_dates_are_written_in_words(language, day, written):
    with translation.override(language):
        assert long_date(day) == written
