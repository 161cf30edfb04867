"""An embedded PostgreSQL server for machines without one.

When DATABASE_URL is unset, `make run` and `make test` still need PostgreSQL: the `pgserver`
package ships the server binaries, and this module starts one on a Unix socket inside a
git-ignored folder of the project. Every process that uses it registers itself, and the last
one to exit stops the server.
"""

import os
import warnings
from pathlib import Path

import psycopg2
from psycopg2 import sql

DATABASE_NAME = "hvselect"


def embedded_database_settings(data_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return a Django DATABASES entry for it."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as on most servers: harmless here.
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(data_dir, cleanup_mode="stop")
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    _create_database_if_missing(host=host, port=info.port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": host,
        "PORT": str(info.port),
        "CONN_HEALTH_CHECKS": True,
    }


def _create_database_if_missing(*, host: str, port: int) -> None:
    connection = psycopg2.connect(dbname="postgres", user="postgres", host=host, port=port)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    finally:
        connection.close()


def stop(data_dir: Path) -> bool:
    """Stop the embedded server whichever processes started it (`make stop`): it stops by
    itself when the last process using it exits, but one killed (kill -9, a crashed
    terminal) never says so. True if a server was running."""
    if not (data_dir / "postmaster.pid").exists():
        return False
    # pgserver's own pg_ctl wrapper; as root the server runs as pgserver's "pgserver" user.
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    (data_dir / ".handle_pids.json").unlink(missing_ok=True)  # no process uses it any more
    return True


if __name__ == "__main__":
    folder = Path(
        os.environ.get("HVSELECT_PGDATA", Path(__file__).resolve().parents[1] / ".pgdata")
    )
    if stop(folder):
        print(f"Stopped the embedded PostgreSQL in {folder}.")
    else:
        print(f"No embedded PostgreSQL runs in {folder}.")
