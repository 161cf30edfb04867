"""Two app servers, one site: the questionnaire walked with every request alternating between
two gunicorn servers (and HAProxy in front), the recommendation read from both, then a
catalogue edit served by both. Nothing is shared but PostgreSQL and the cache."""

import http.client
import re
import sys
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from compare.catalogue.reference import load_reference_data
from compare.models import Criterion, Hypervisor
from tests.assessment.test_wizard import STEPS, step_data
from tests.processes import database_url, free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "loadtest"))
from cluster import cluster, server_environment  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)


class Visitor:
    """One browser: its cookies, whichever server answers (they are Secure, sent anyway)."""

    def __init__(self):
        self.cookies = {}

    def request(self, base: str, method: str, path: str, data: dict | None = None):
        address = urlsplit(base)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = base + path
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        text = response.read().decode()
        connection.close()
        return response.status, response.headers, text


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page).group(1)


@pytest.fixture
def servers():
    load_reference_data()
    env = server_environment(
        {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    )
    with cluster(env, ports=(free_port(), free_port()), balancer=free_port(), workers=1) as up:
        yield up


def test_two_servers_serve_one_site(servers):
    (first, second), balancer = servers
    assert balancer, "HAProxy is installed by .ci/run (apt-get install haproxy)"
    alternate = [first, second]
    visitor = Visitor()

    status, _headers, page = visitor.request(first, "GET", "/en/assess/")
    assert status == 200
    run = hidden(page, "questionnaire_run")
    for n, step in enumerate(STEPS, 1):
        server = alternate[n % 2]  # second, first, second...
        data = {**step_data(step), "questionnaire_run": run}
        data["csrfmiddlewaretoken"] = hidden(page, "csrfmiddlewaretoken")
        status, _headers, page = visitor.request(server, "POST", "/en/assess/", data)
        assert status == 200, (step, server)
    last = {
        "assessment_wizard-current_step": "priorities",
        "questionnaire_run": run,
        "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
        **{f"priorities-{c.key}": c.default_weight for c in Criterion.objects.all()},
    }
    status, headers, _page = visitor.request(second, "POST", "/en/assess/", last)
    assert status == 302
    share = headers["Location"]
    assert re.fullmatch(r"/r/[A-Za-z0-9_-]{32}/", share)

    pages = [Visitor().request(base, "GET", share) for base in (first, second, balancer)]
    assert [status for status, _h, _p in pages] == [200, 200, 200]
    verdict = re.search(r"We recommend [^<]+", pages[0][2]).group(0)
    assert all(verdict in text for _s, _h, text in pages)

    # Both servers hold the catalogue in memory; an edit made elsewhere reaches both.
    detail = "/en/hypervisors/proxmox-ve/"
    for base in (first, second):
        assert Visitor().request(base, "GET", detail)[0] == 200
    proxmox = Hypervisor.objects.get(slug="proxmox-ve")
    proxmox.summary_en = "An edited summary, served by every server."
    proxmox.save()
    for base in (first, second, balancer):
        status, _headers, text = Visitor().request(base, "GET", detail)
        assert status == 200 and "An edited summary, served by every server." in text
