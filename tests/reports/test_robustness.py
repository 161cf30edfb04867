"""How solid the verdict is across plausible weightings, as the page, the JSON export and the
recommend command say it."""

import json
import math
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from compare.engine.robustness import Robustness
from compare.reports.narrative import robustness_text
from compare.reports.services import recommendation_create

ASSURMER_FILE = Path(__file__).resolve().parents[2] / "docs/examples/assurmer.json"


@pytest.fixture
def saved(reference_data):
    return recommendation_create(answers=json.loads(ASSURMER_FILE.read_text()))


def test_the_saved_report_keeps_the_shares_of_wins(saved):
    robustness = saved.result["robustness"]
    assert robustness["samples"] == 2000 and isinstance(robustness["seed"], int)
    assert math.fsum(robustness["wins"].values()) == pytest.approx(1)
    ranked = {item["slug"] for item in saved.result["ranking"]}
    assert set(robustness["wins"]) <= ranked
    # Assurmer's lead is clear (9 %): its winner wins most plausible weightings.
    winner = saved.result["ranking"][0]["slug"]
    assert max(robustness["wins"], key=robustness["wins"].get) == winner


def test_the_same_answers_give_the_same_shares(saved):
    again = recommendation_create(answers=json.loads(ASSURMER_FILE.read_text()))
    assert again.result["robustness"] == saved.result["robustness"]


def test_the_page_and_the_exports_say_it(client, saved):
    page = client.get(saved.get_absolute_url()).content.decode()
    assert saved.result["robustness_text"] in page
    assert saved.result["robustness_text"].startswith("Proxmox VE comes first in ")
    assert '<svg class="robustness-bar' in page
    export = client.get(f"/r/{saved.token}.json").json()
    assert export["result"]["robustness"] == saved.result["robustness"]
    out = StringIO()
    call_command("recommend", str(ASSURMER_FILE), stdout=out)
    assert json.loads(out.getvalue())["robustness"] == saved.result["robustness"]


def test_rounding_never_hides_a_rival():
    names = {"a": "A", "b": "B", "c": "C"}
    nearly = Robustness(2000, 1, {"a": 0.9975, "b": 0.0025})
    # 99.75 % and 0.25 % to one decimal, halves to even: 99.8 and 0.2, which add up to 100.
    assert robustness_text(nearly, names) == (
        "A comes first in 99.8 % of 2,000 plausible weightings; B in 0.2 %."
    )
    split = Robustness(2000, 1, {"a": 0.6, "b": 0.3, "c": 0.1})
    assert robustness_text(split, names) == (
        "A comes first in 60 % of 2,000 plausible weightings; B in 30 %, C in 10 %."
    )
    assert robustness_text(Robustness(2000, 1, {"a": 1.0}), names) == (
        "A comes first in 100 % of 2,000 plausible weightings."
    )
