"""Production settings: the site refuses to start misconfigured, and serves hashed,
compressed static files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "hvselect.example.com",
    "DATABASE_URL": "postgres://hvselect@db.example.com:5432/hvselect",
}


def start(**environment) -> subprocess.CompletedProcess:
    """Load the real settings in a fresh interpreter, as gunicorn would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "db = settings.DATABASES['default']; "
            "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], settings.SECURE_HSTS_SECONDS)",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "hvselect.settings", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_start_with_persistent_checked_connections():
    started = start(**PRODUCTION)
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["60", "True", "31536000"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is missing or weak"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY is missing or weak"),
        ({"DJANGO_SECRET_KEY": "a" * 64}, "DJANGO_SECRET_KEY is missing or weak"),
        (
            {"DJANGO_SECRET_KEY": "django-insecure-" + STRONG_KEY},
            "DJANGO_SECRET_KEY is missing or weak",
        ),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS is empty"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DJANGO_CONN_MAX_AGE": "forever"}, "DJANGO_CONN_MAX_AGE must be a whole number"),
        ({"DATABASE_URL": "mysql://db.example.com/hvselect"}, "must point at a PostgreSQL"),
    ],
)
def test_production_refuses_to_start_misconfigured(change, message):
    started = start(**{**PRODUCTION, **change})
    assert started.returncode != 0
    assert message in started.stderr


def test_static_files_are_hashed_and_compressed(tmp_path):
    production = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=production, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    css = list((tmp_path / "css").glob("hvselect.*.css"))
    assert len(css) == 1  # a hashed name, cacheable forever
    assert Path(f"{css[0]}.gz").exists()
    assert (tmp_path / "staticfiles.json").exists()
