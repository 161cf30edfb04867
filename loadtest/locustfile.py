"""The questionnaire journey of make loadtest (the pages' throughput is wrk's, see
throughput.py): a person filling every step, with a pause of about a second between pages as
a fast reader, the submission, then the page.

gunicorn serves plain HTTP on loopback; the requests say they came through a TLS proxy
(X-Forwarded-Proto), so the production settings apply unchanged, Secure cookies included.
"""

import json
import re
import tomllib
from pathlib import Path

from locust import HttpUser, between, task

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = json.loads((ROOT / "docs/examples/assurmer.json").read_text())
# The questionnaire's steps and their questions, as the reference data seeds them.
STEP_NAMES = ["organisation", "workloads", "operations", "environment", "licensing"]
QUESTIONS = tomllib.loads((ROOT / "compare/reference_data/questionnaire.toml").read_text())
# Assurmer's answers, and each default answer for the questions its file predates.
STEPS = {
    name: {
        q["key"]: ANSWERS.get(q["key"], q.get("default"))
        for q in QUESTIONS["question"]
        if q["step"] == number
    }
    for number, name in enumerate(STEP_NAMES, start=1)
}
RUN = re.compile(r'name="questionnaire_run" value="([^"]+)"')
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


class Journey(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Referer": f"https://{self.host.split('//')[1]}/"}
        )

    def cookies(self) -> dict:
        """The Secure cookies, sent back by hand: requests keeps them off plain HTTP, while
        the TLS proxy this run stands in for would have passed them on."""
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)}

    @task
    def questionnaire_to_share_page(self):
        self.client.cookies.clear()
        start = self.client.get("/en/assess/", name="questionnaire start")
        form = {
            "csrfmiddlewaretoken": self.client.cookies.get("__Host-csrftoken"),
            "questionnaire_run": RUN.search(start.text).group(1),
        }
        steps = [*STEPS, "priorities"]
        for step, next_step in zip(STEPS, steps[1:], strict=True):
            data = {**form, "assessment_wizard-current_step": step}
            data.update({f"{step}-{key}": value for key, value in STEPS[step].items()})
            with self.client.post(
                "/en/assess/",
                data=data,
                headers=self.cookies(),
                name="questionnaire step",
                catch_response=True,
            ) as response:
                if f'value="{next_step}"' not in response.text:
                    response.failure(f"step {step} not accepted")
                    return
        self.wait()
        priorities = {**form, "assessment_wizard-current_step": "priorities"}
        priorities.update({f"priorities-{key}": value for key, value in WEIGHTS.items()})
        with self.client.post(
            "/en/assess/",
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
