"""Load-test users, run by loadtest/run.sh one kind at a time.

- BaselineUser: /benchmark/baseline/, one query and a small template: the stack's limit.
- ShareReader: a saved recommendation's page.
- Journey: the questionnaire as a person fills it (every step, with a pause of about a second
  between pages, as a fast reader), the submission, then the page.

gunicorn serves plain HTTP on loopback; the requests say they came through a TLS proxy
(X-Forwarded-Proto), so the production settings apply unchanged, Secure cookies included.
"""

import json
import os
import tomllib
from pathlib import Path

from locust import HttpUser, between, constant, task

ROOT = Path(__file__).resolve().parent.parent
TOKEN = os.environ.get("HVSELECT_LOADTEST_TOKEN", "")
ANSWERS = json.loads((ROOT / "docs/examples/assurmer.json").read_text())
# The questionnaire's steps and their questions, as the reference data seeds them.
STEP_NAMES = ["organisation", "workloads", "operations", "environment", "licensing"]
QUESTIONS = tomllib.loads((ROOT / "compare/reference_data/questionnaire.toml").read_text())
STEPS = {
    name: [q["key"] for q in QUESTIONS["question"] if q["step"] == number]
    for number, name in enumerate(STEP_NAMES, start=1)
}
WEIGHTS = {
    "virtualization_type": 2,
    "management_interface": 4,
    "management_features": 5,
    "licensing_cost": 5,
    "support_community": 4,
    "performance_footprint": 2,
    "security": 3,
    "networking_storage": 2,
    "ecosystem_integration": 1,
    "hardware_compatibility": 2,
}


class ProductionClient(HttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self):
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Referer": f"https://{self.host.split('//')[1]}/"}
        )

    def cookies(self) -> dict:
        """The Secure cookies, sent back by hand: requests keeps them off plain HTTP, while
        the TLS proxy this run stands in for would have passed them on."""
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)}


class BaselineUser(ProductionClient):
    @task
    def baseline(self):
        self.client.get("/benchmark/baseline/", name="baseline (1 query)")


class ShareReader(ProductionClient):
    @task
    def share_page(self):
        self.client.get(f"/r/{TOKEN}/", name="share page")


class Journey(ProductionClient):
    wait_time = between(0.5, 1.5)

    @task
    def questionnaire_to_share_page(self):
        self.client.cookies.clear()
        self.client.get("/assess/", name="questionnaire start")
        csrf = self.client.cookies.get("__Host-csrftoken")
        for step, keys in STEPS.items():
            data = {"csrfmiddlewaretoken": csrf, "assessment_wizard-current_step": step}
            data.update({f"{step}-{key}": ANSWERS[key] for key in keys})
            self.client.post(
                "/assess/", data=data, headers=self.cookies(), name="questionnaire step"
            )
        self.wait()
        priorities = {"csrfmiddlewaretoken": csrf, "assessment_wizard-current_step": "priorities"}
        priorities.update({f"priorities-{key}": value for key, value in WEIGHTS.items()})
        with self.client.post(
            "/assess/",
            data=priorities,
            headers=self.cookies(),
            name="submission",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"expected a redirect to the new page, got {response.status_code}")
                return
        self.client.get(response.headers["Location"], name="share page (new)")
