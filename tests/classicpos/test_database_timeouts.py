"""A PostgreSQL that never answers holds no worker for its whole timeout (issue 27).

Connecting gives up after ``CLASSICPOS_DB_CONNECT_TIMEOUT_SECONDS`` and the server
cancels a statement after ``CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS``, both shorter
than the worker's timeout, so the request can still answer. Commands run without
the statement timeout: an import or an index at a million rows may take longer.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRINT_OPTIONS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def _options(*, run_as_command: bool = False, **environment) -> dict:
    """Return the database OPTIONS the settings build from ``environment``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "classicpos.settings",
        "SECRET_KEY": "timeouts-test",
        "DATABASE_URL": "postgres://shop@db.invalid:5432/classicpos",
        **environment,
    }
    for name in (
        "CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS",
        "CLASSICPOS_DB_CONNECT_TIMEOUT_SECONDS",
    ):
        if name not in environment:
            env.pop(name, None)
    command = (
        [sys.executable, "manage.py", "shell", "-c", PRINT_OPTIONS]
        if run_as_command
        else [sys.executable, "-c", PRINT_OPTIONS]
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed program
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_requests_give_up_connecting_and_cancel_long_statements():
    options = _options()
    assert options["connect_timeout"] == 5
    assert "-c statement_timeout=20000" in options["options"]


def test_the_timeouts_are_settings():
    options = _options(
        CLASSICPOS_DB_CONNECT_TIMEOUT_SECONDS="2", CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS="9"
    )
    assert options["connect_timeout"] == 2
    assert "-c statement_timeout=9000" in options["options"]


def test_commands_run_without_a_statement_timeout():
    assert "-c statement_timeout=0" in _options(run_as_command=True)["options"]


def test_a_timeout_that_is_not_a_whole_number_stops_start_up():
    with pytest.raises(subprocess.CalledProcessError) as failure:
        _options(CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS="soon")
    assert "CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS must be a whole number" in (
        failure.value.stderr
    )


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the statement timeout is PostgreSQL's"
)
def test_the_server_enforces_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"
