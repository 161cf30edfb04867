"""Helpers for tests that run the project in other processes (a fresh copy's commands, two
app servers): the test database's address, and a newcomer's plain environment."""

import os
import socket
from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    """The test database as a DATABASE_URL, for a process outside the test's transaction."""
    settings = connection.settings_dict
    host = quote(settings["HOST"] or "127.0.0.1", safe="")
    user = settings["USER"] or "postgres"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def plain_shell(url: str) -> dict:
    """A newcomer's environment: nothing of ours set, only where the database is."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    return {**env, "DATABASE_URL": url}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
