"""The README's commands, run as written in a fresh copy of the project after `make run`
wrote its .env: in a plain shell, without DJANGO_DEBUG or any other variable set."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from compare.catalogue.reference import load_reference_data
from tests.processes import database_url, plain_shell

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ["manage.py", "Makefile", "hvselect", "compare", "templates", "locale", "static", "docs"]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_copy(tmp_path):
    copy = tmp_path / "hvselect"
    copy.mkdir()
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    # `make run` writes .env before anything else: the same recipe, on its own.
    subprocess.run(["make", "--no-print-directory", ".env"], cwd=copy, check=True)
    return copy


def test_the_readme_commands_work_as_written_after_make_run(fresh_copy):
    load_reference_data()
    env = plain_shell(database_url())
    assert "DJANGO_DEBUG=1" in (fresh_copy / ".env").read_text()

    recommend = subprocess.run(
        [".venv/bin/python", "manage.py", "recommend", "docs/examples/assurmer.json"],
        cwd=fresh_copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert recommend.returncode == 0, recommend.stderr[-2000:]
    assert json.loads(recommend.stdout)["ranking"][0]["name"] == "Proxmox VE"

    superuser = subprocess.run(
        [
            ".venv/bin/python",
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            "editor",
            "--email",
            "editor@example.com",
        ],
        cwd=fresh_copy,
        env={**env, "DJANGO_SUPERUSER_PASSWORD": "a long enough passphrase"},
        capture_output=True,
        text=True,
    )
    assert superuser.returncode == 0, superuser.stderr[-2000:]
    assert "Superuser created successfully." in superuser.stdout


def test_production_still_refuses_a_missing_secret(fresh_copy):
    # The .env says debug; a production shell says otherwise, and wins.
    env = {**plain_shell(database_url()), "DJANGO_DEBUG": "0"}
    check = subprocess.run(
        [".venv/bin/python", "manage.py", "check"],
        cwd=fresh_copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode != 0
    assert "DJANGO_SECRET_KEY" in check.stderr


def test_make_stop_stops_an_embedded_server_whose_user_was_killed(tmp_path):
    data = tmp_path / "pgdata"
    env = {**os.environ, "HVSELECT_PGDATA": str(data)}
    env.pop("DATABASE_URL", None)
    python = str(ROOT / ".venv/bin/python")
    start = (
        "import os, pathlib, signal; from hvselect.embedded_db import embedded_database_settings;"
        f"embedded_database_settings(pathlib.Path({str(data)!r})); "
        "os.kill(os.getpid(), signal.SIGKILL)"  # dies without stopping it
    )
    subprocess.run([python, "-c", start], cwd=ROOT, env=env)
    assert (data / "postmaster.pid").exists()  # outlived the process that started it

    stopped = subprocess.run(
        [python, "-m", "hvselect.embedded_db"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert stopped.returncode == 0, stopped.stderr
    assert f"Stopped the embedded PostgreSQL in {data}." in stopped.stdout
    assert not (data / "postmaster.pid").exists()
    again = subprocess.run(
        [python, "-m", "hvselect.embedded_db"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert f"No embedded PostgreSQL runs in {data}." in again.stdout
