"""Backups of the whole database with pg_dump / pg_restore (PostgreSQL's custom format).

The binaries come with the pgserver package, so they exist wherever HVSelect is installed,
and they are at least as new as the servers we support (a newer pg_dump reads older servers).
"""

import os
import subprocess
from pathlib import Path

import pgserver
from django.conf import settings
from django.db import connections

BIN = Path(pgserver.__file__).parent / "pginstall" / "bin"


class BackupError(Exception):
    pass


def _connection_args(database: dict, dbname: str | None = None) -> tuple[list[str], dict]:
    args = [
        "--dbname",
        dbname or database["NAME"],
        "--username",
        database.get("USER") or "postgres",
    ]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    return args, env


def _run(command: list[str], env: dict) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupError(finished.stderr.strip() or f"{command[0]} failed")


def backup(path: Path, *, alias: str = "default") -> Path:
    """Dump the database to `path`, consistent while the site runs."""
    connections[alias].close()
    args, env = _connection_args(settings.DATABASES[alias])
    path.parent.mkdir(parents=True, exist_ok=True)
    _run([str(BIN / "pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args], env)
    return path


def restore(path: Path, *, alias: str = "default", dbname: str | None = None) -> None:
    """Replace the database's contents (or `dbname`'s) with the dump, in one transaction."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}")
    connections[alias].close()
    args, env = _connection_args(settings.DATABASES[alias], dbname)
    _run(
        [
            str(BIN / "pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(path),
        ],
        env,
    )
