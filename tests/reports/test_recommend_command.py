import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.rvtools_exports import sheets, workbook

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def run(path, capsys):
    call_command("recommend", str(path))
    return json.loads(capsys.readouterr().out)


def write(tmp_path, data) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_prints_the_recommendation_as_json(reference_data, capsys):
    output = run(EXAMPLES / "assurmer.json", capsys)

    assert output["engine_version"] == "2.0"
    assert sum(output["weights"].values()) == pytest.approx(1, abs=1e-3)
    assert output["ranking"][0] == {
        "slug": "proxmox-ve",
        "name": "Proxmox VE",
        "score": 83.0,
        "partly_met": [],
        "to_verify": [],
    }
    esxi = next(e for e in output["eliminated"] if e["slug"] == "vmware-esxi")
    assert esxi["reasons"] == ["VMware ESXi has no built-in backups."]
    assert output["closest_miss"] is None
    assert output["close_call"] is False
    assert output["sensitivity"]["most_critical"].startswith("Proxmox VE stays first unless")


def test_the_users_weights_change_the_result(reference_data, capsys, tmp_path):
    answers = json.loads((EXAMPLES / "assurmer.json").read_text())
    answers["weights"] = {"licensing_cost": 0, "support_community": 5, "security": 5}
    output = run(write(tmp_path, answers), capsys)
    assert (output["points"]["security"], output["points"]["licensing_cost"]) == (5, 0)
    # Cost no longer counts and vendor support does: Nutanix's 24x7 support and Prism lead.
    assert [r["slug"] for r in output["ranking"][:2]] == ["nutanix-ahv", "proxmox-ve"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ({"use_case": None}, "This field is required."),
        ({"use_case": "mainframe"}, "mainframe is not one of the available choices"),
        ({"host_count": "many"}, "Enter a whole number."),
        ({"favourite_colour": "blue"}, "Unknown question “favourite_colour”."),
        ({"weights": {"security": 9}}, "Ensure this value is less than or equal to 5."),
        ({"weights": {"beauty": 3}}, "Unknown criterion “beauty” in the weights."),
        ({"weights": [1, 2]}, "“weights” must be an object"),
        ({"guest_os": "windows"}, "Enter a list of values."),
    ],
)
def test_a_bad_file_gets_a_clear_error(reference_data, tmp_path, content, message):
    if isinstance(content, dict):
        answers = json.loads((EXAMPLES / "assurmer.json").read_text())
        answers.update(content)
        content = answers
    with pytest.raises(CommandError, match=message):
        call_command("recommend", str(write(tmp_path, content)))


def test_a_missing_file_gets_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*No such file or directory"):
        call_command("recommend", str(tmp_path / "nope.json"))


def test_from_the_shell_an_error_exits_non_zero_without_a_traceback(tmp_path):
    path = write(tmp_path, "{oops")
    finished = subprocess.run(
        [sys.executable, "manage.py", "recommend", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        timeout=120,
    )
    assert finished.returncode == 1
    assert "is not valid JSON" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_the_costs_list_every_candidate_with_its_formula(reference_data, capsys):
    output = run(EXAMPLES / "assurmer.json", capsys)
    costs = {item["slug"]: item for item in output["costs"]}
    assert set(costs) == {item["slug"] for item in output["ranking"]} | {
        item["slug"] for item in output["eliminated"]
    }
    vvf = costs["vmware-esxi"]  # ruled out, still costed: 96 cores x USD 135 x 3 years
    assert {k: vvf[k] for k in ("metric", "quantity", "unit_price", "currency", "years")} == {
        "metric": "per_core_year",
        "quantity": 96,
        "unit_price": 135,
        "currency": "USD",
        "years": 3,
    }
    assert (vvf["total"], vvf["status"]) == (38880, "priced")
    assert vvf["formula"] == "96 cores × USD 135 × 3 years = USD 38,880"
    assert costs["nutanix-ahv"]["status"] == "quote" and costs["nutanix-ahv"]["total"] is None
    assert costs["incus"]["status"] == "free"


def test_an_uneven_estate_is_a_list_of_hosts(reference_data, capsys, tmp_path):
    """1, 2 and 4 sockets of 8, 16 and 24 cores: VMware licenses 16 + 2 x 16 + 4 x 24 = 144
    cores (16 per CPU at least), Proxmox 7 sockets; the host count becomes 3."""
    answers = json.loads((EXAMPLES / "assurmer.json").read_text())
    answers["hosts"] = [
        {"sockets": 1, "cores_per_socket": 8},
        {"sockets": 2, "cores_per_socket": 16, "windows_vms": 4},
        {"sockets": 4, "cores_per_socket": 24},
    ]
    output = run(write(tmp_path, answers), capsys)
    costs = {item["slug"]: item for item in output["costs"]}
    assert costs["vmware-esxi"]["quantity"] == 144
    assert costs["proxmox-ve"]["quantity"] == 7


@pytest.mark.parametrize(
    ("hosts", "message"),
    [
        ([], "“hosts” must be a non-empty list of hosts."),
        ([{"sockets": 9, "cores_per_socket": 16}], "“sockets” must be a whole number from 1 to 8."),
        ([{"sockets": 2}], "“cores_per_socket” must be a whole number from 1 to 256."),
        ([{"sockets": 2, "cores_per_socket": 16, "gpus": 1}], "unknown field “gpus”"),
        ([{"sockets": 2, "cores_per_socket": 16, "windows_vms": 99}], "At most 40"),
    ],
)
def test_a_bad_hosts_list_gets_a_clear_error(reference_data, tmp_path, hosts, message):
    answers = json.loads((EXAMPLES / "assurmer.json").read_text())
    answers["hosts"] = hosts
    with pytest.raises(CommandError, match=message):
        call_command("recommend", str(write(tmp_path, answers)))


def test_an_rvtools_export_replaces_the_estate_answers(reference_data, capsys, tmp_path):
    """Hosts of 1 x 8, 2 x 16 and 4 x 24 cores: VMware bills max(8, 16) + 2 x 16 + 4 x 24 =
    144 cores; Proxmox 7 sockets; the JSON says what the export held."""
    export = tmp_path / "export.xlsx"
    vms = [("web", "poweredOn", False, "Ubuntu Linux (64-bit)", "b", "vmx-19")]
    export.write_bytes(workbook(sheets([("a", 1, 8), ("b", 2, 16), ("c", 4, 24)], vms)))
    call_command("recommend", str(EXAMPLES / "assurmer.json"), "--rvtools", str(export))
    output = json.loads(capsys.readouterr().out)
    costs = {item["slug"]: item for item in output["costs"]}
    assert costs["vmware-esxi"]["quantity"] == 144
    assert costs["proxmox-ve"]["quantity"] == 7
    estate = output["estate"]
    assert (estate["host_count"], estate["cores"], estate["vm_count"]) == (3, 136, 1)
    assert estate["readiness"]["snapshots"] == 0


def test_a_bad_rvtools_export_is_a_clear_error(reference_data, tmp_path):
    photo = tmp_path / "photo.xlsx"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(CommandError, match="is not an .xlsx workbook"):
        call_command("recommend", str(EXAMPLES / "assurmer.json"), "--rvtools", str(photo))


def test_the_readmes_rvtools_example_runs(reference_data, capsys):
    """The README's command, on the example export (the generated 48-host estate)."""
    call_command(
        "recommend",
        str(EXAMPLES / "vmware-exit.json"),
        "--rvtools",
        str(EXAMPLES / "rvtools-48-hosts.xlsx"),
    )
    output = json.loads(capsys.readouterr().out)
    assert (output["estate"]["host_count"], output["estate"]["cores"]) == (48, 1536)
    assert "vmware-esxi" in {item["slug"] for item in output["eliminated"]}
