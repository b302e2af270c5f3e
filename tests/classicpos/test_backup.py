"""``manage.py backup``: an online copy of the SQLite database that opens and has the data."""

import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.customers.factories import CustomerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="backup copies SQLite databases"),
]


def test_backup_copies_a_working_database_while_it_is_in_use(tmp_path):
    CustomerFactory.create_batch(3, name="Backed Up")
    target = tmp_path / "copy.sqlite3"
    out = StringIO()
    with connection.cursor() as cursor:  # a connection stays open, as a running server's would
        cursor.execute("SELECT COUNT(*) FROM customers")
        call_command("backup", str(target), stdout=out)
    assert "Backed up" in out.getvalue()
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = copy.execute("SELECT name FROM customers").fetchall()
        applied = copy.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]
    assert names == [("Backed Up",)] * 3
    assert applied > 0


def test_backup_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(target), stdout=StringIO())
    assert target.read_text() == "keep me"
    call_command("backup", str(target), "--force", stdout=StringIO())
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
