"""Bad input, generated: thousands of random posts, answer files and tokens; no server error,
only validation messages, and nothing saved from invalid input. And a state machine that
proves no order of posts yields a recommendation without every step valid."""

import contextlib
import io
import json
import string
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from compare.models import Criterion, Question, Recommendation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

ROOT = Path(__file__).resolve().parent.parent
ASSURMER = json.loads((ROOT / "docs/examples/assurmer.json").read_text())
ASSESS = "/en/assess/"
STEPS = ["organisation", "workloads", "operations", "environment", "licensing"]
FUZZ = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NO_LIMITS = override_settings(RATE_LIMITS={})

values = st.one_of(
    st.text(max_size=40),
    st.integers(-(10**9), 10**9).map(str),
    st.lists(st.text(max_size=12), max_size=4),
    st.binary(max_size=24).map(lambda raw: raw.decode("latin-1")),
    st.sampled_from(
        ["", "must", "nice", "no", "windows", "server_consolidation", "3", "-1", "1e9", "\x00"]
    ),
)


def step_fields(step: str) -> list[str]:
    if step == "priorities":
        return list(Criterion.objects.values_list("key", flat=True))
    number = STEPS.index(step) + 1
    return list(Question.objects.filter(step=number).values_list("key", flat=True))


def valid_step(step: str) -> dict:
    # Assurmer's answers, and the default answer of the questions its file predates.
    defaults = dict(Question.objects.values_list("key", "default"))
    return {
        "assessment_wizard-current_step": step,
        **{f"{step}-{key}": ASSURMER.get(key, defaults.get(key)) for key in step_fields(step)},
    }


@pytest.mark.parametrize("step", [*STEPS, "priorities"])
def test_a_thousand_random_posts_per_step_never_break_anything(client, step):
    fields = step_fields(step)
    keys = st.one_of(st.sampled_from(fields).map(lambda key: f"{step}-{key}"), st.text(max_size=12))

    @FUZZ
    @given(st.dictionaries(keys, values, max_size=len(fields) + 3))
    def post(data):
        response = client.post(ASSESS, {"assessment_wizard-current_step": step, **data})
        assert response.status_code in (200, 400), response.status_code

    with NO_LIMITS:
        client.get(ASSESS)
        post()
    assert not Recommendation.objects.exists()


MANAGEMENT = [
    "assessment_wizard-current_step",
    "wizard_goto_step",
    "questionnaire_run",
    "import_export",
    "reset_weights",
]
charsets = st.one_of(
    st.sampled_from(["utf-8", "UTF-8", "utf-16", "latin-1", "ascii", "koi8-r", '"utf-8"', ""]),
    st.text(alphabet=string.ascii_letters + string.digits + "-_\"'", max_size=12),
)


@pytest.mark.parametrize("step", [*STEPS, "priorities"])
def test_random_management_fields_charsets_and_files_never_break_anything(client, step):
    """The wizard's own fields (the step, where to go, the run, the buttons) with anything in
    them, bodies in any charset, and files on any step: a page or a 400, never a 5xx."""
    names = st.one_of(
        st.sampled_from(MANAGEMENT),
        st.sampled_from(step_fields(step)).map(lambda key: f"{step}-{key}"),
    )

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.dictionaries(names, values, max_size=6),
        charsets,
        st.booleans(),
        st.binary(max_size=64),
    )
    def post(data, charset, multipart, upload):
        body = {
            key: value for key, value in {**valid_step(step), **data}.items() if value is not None
        }
        if multipart:
            body[f"{step}-file"] = SimpleUploadedFile("export.xlsx", upload)
            response = client.post(ASSESS, body)
        else:
            encoded = urlencode(body, doseq=True)
            response = client.generic(
                "POST",
                ASSESS,
                encoded.encode(),
                content_type=f"application/x-www-form-urlencoded; charset={charset}",
            )
        assert response.status_code in (200, 302, 400), response.status_code

    with NO_LIMITS:
        client.get(ASSESS)
        post()


ANSWER_KEYS = [*ASSURMER, "weights", "colour"]
answer_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def test_a_thousand_random_answer_files_get_a_clear_error_or_a_result(tmp_path):
    answers_file = tmp_path / "answers.json"
    files = st.one_of(
        st.dictionaries(st.sampled_from(ANSWER_KEYS), answer_values).map(
            lambda changes: json.dumps({**ASSURMER, **changes})
        ),
        st.text(max_size=60),
        answer_values.map(json.dumps),
    )

    @FUZZ
    @given(files)
    def run(content):
        answers_file.write_text(content, encoding="utf-8", errors="surrogatepass")
        with contextlib.suppress(CommandError):  # a clear error is a right answer
            call_command("recommend", str(answers_file), stdout=io.StringIO())

    run()
    assert not Recommendation.objects.exists()


def test_a_thousand_random_tokens_are_all_not_found(client):
    tokens = st.text(alphabet=string.printable + "éü€\u202e", min_size=1, max_size=64)

    @FUZZ
    @given(tokens, st.sampled_from(["/r/{}/", "/r/{}.json", "/r/{}/recompute/"]))
    def visit(token, pattern):
        response = client.get(pattern.format(quote(token, safe="")))
        assert response.status_code == 404, (token, response.status_code)

    with NO_LIMITS:
        visit()


# The step order, as a state machine -------------------------------------------------------


class StepOrder(RuleBasedStateMachine):
    """Random sequences of valid posts, invalid posts, jumps and restarts.

    The model remembers which steps hold valid data; a recommendation may only appear when
    the last step is posted with every step valid."""

    client = None

    def __init__(self):
        super().__init__()
        self.client.get(ASSESS)
        self.valid = set()

    @rule(step=st.sampled_from(STEPS))
    def post_a_valid_step(self, step):
        self.client.post(ASSESS, valid_step(step))
        self.valid.add(step)

    @rule(step=st.sampled_from(STEPS), field=st.integers(0, 8))
    def post_an_invalid_step(self, step, field):
        data = valid_step(step)
        answers = sorted(k for k in data if k.startswith(f"{step}-") and "company" not in k)
        data[answers[field % len(answers)]] = "not an answer"
        self.client.post(ASSESS, data)

    @rule(step=st.sampled_from(STEPS), destination=st.sampled_from([*STEPS, "priorities"]))
    def go_back_with_invalid_data(self, step, destination):
        data = valid_step(step)
        field = step_fields(step)[1 if step == "organisation" else 0]  # not the optional name
        data[f"{step}-{field}"] = "??"
        data["wizard_goto_step"] = destination
        self.client.post(ASSESS, data)
        self.valid.discard(step)  # going back stores the step as typed

    @rule()
    def start_again(self):
        self.client.get(ASSESS)
        self.valid.clear()

    @rule()
    def submit_the_priorities(self):
        before = Recommendation.objects.count()
        weights = {f"priorities-{c.key}": c.default_weight for c in Criterion.objects.all()}
        response = self.client.post(
            ASSESS, {"assessment_wizard-current_step": "priorities", **weights}
        )
        created = Recommendation.objects.count() - before
        if created:
            # Only ever from a questionnaire whose every step holds valid answers.
            assert self.valid == set(STEPS), self.valid
            assert response.status_code == 302
            self.valid.clear()  # the wizard starts again after a recommendation
        else:
            # And a complete one always gets its recommendation.
            assert self.valid != set(STEPS)
            assert response.status_code == 200


def test_no_sequence_of_posts_skips_a_step(client):
    StepOrder.client = client
    machine = StepOrder.TestCase
    machine.settings = settings(
        max_examples=60,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    with NO_LIMITS:
        machine().runTest()
