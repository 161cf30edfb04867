"""`backup` then `restore` into a fresh database gives back exactly the same data."""

import json
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from compare.catalogue.reference import load_reference_data
from compare.reports.services import recommendation_create

pytestmark = pytest.mark.django_db(transaction=True)

ASSURMER = json.loads(
    (Path(__file__).resolve().parent.parent / "docs/examples/assurmer.json").read_text()
)
TABLES = """
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
"""


def connect(dbname):
    database = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=dbname,
        user=database["USER"] or "postgres",
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
    )


def fingerprint(dbname) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows, in a stable order."""
    with connect(dbname) as db, db.cursor() as cursor:
        cursor.execute(TABLES)
        tables = [row[0] for row in cursor.fetchall()]
        prints = {}
        for table in tables:
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                    " FROM {} AS t"
                ).format(sql.Identifier(table))
            )
            prints[table] = cursor.fetchone()
    db.close()
    return prints


@pytest.fixture
def scratch_database():
    name = connection.settings_dict["NAME"] + "_restored"
    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    admin.close()


def test_a_backup_restores_exactly_into_a_fresh_database(tmp_path, scratch_database):
    load_reference_data()
    saved = recommendation_create(answers=ASSURMER)
    dump = tmp_path / "hvselect.dump"

    call_command("backup", output=dump)
    call_command("restore", str(dump), dbname=scratch_database, noinput=True)

    original = fingerprint(connection.settings_dict["NAME"])
    restored = fingerprint(scratch_database)
    assert restored == original
    assert original["compare_support"][0] == 16 * 24
    assert original["compare_recommendation"][0] == 1
    # The restored copy keeps its rules too: the frozen recommendation stays frozen.
    db = connect(scratch_database)
    with db.cursor() as cursor, pytest.raises(psycopg2.errors.IntegrityConstraintViolation):
        cursor.execute(
            "UPDATE compare_recommendation SET company_name = 'x' WHERE token = %s", [saved.token]
        )
    db.close()


def test_restoring_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore", str(tmp_path / "nope.dump"), noinput=True)
