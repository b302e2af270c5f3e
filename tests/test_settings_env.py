"""Settings come from the environment; SQLite is opened for concurrent tills."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def settings_value(expression: str, **env) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with ``env`` and print a value."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    code = f"import classicpos.settings as s; print(repr(({expression})))"
    return subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_secret_key_is_required_when_debug_is_off():
    result = settings_value("s.SECRET_KEY", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_values_come_from_the_environment():
    result = settings_value(
        "s.DEBUG, s.ALLOWED_HOSTS, s.CLASSICPOS_DEFAULT_REGION, s.CLASSICPOS_CURRENCY",
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="till.local, shop.example",
        CLASSICPOS_DEFAULT_REGION="gb",
        CLASSICPOS_CURRENCY="gbp",
    )
    assert result.stdout.strip() == "(False, ['till.local', 'shop.example'], 'GB', 'GBP')"


def test_database_url_selects_postgresql():
    result = settings_value(
        "s.DATABASES['default']['ENGINE']",
        DEBUG="1",
        DATABASE_URL="postgres://u@db.example:5432/shop",
    )
    assert result.stdout.strip() == "'django.db.backends.postgresql'"


def test_default_sqlite_file_uses_wal_busy_timeout_and_immediate_transactions():
    result = settings_value("s.DATABASES['default']", DEBUG="1", DATABASE_URL="")
    assert "var/classicpos.sqlite3" in result.stdout
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout
    assert "journal_mode=WAL" in result.stdout
    assert "'timeout': 20" in result.stdout


@pytest.mark.parametrize("url", ["", "sqlite:////srv/shop/pos.sqlite3"])
def test_sqlite_connections_are_kept_with_their_page_cache(url):
    # A connection per request (Django's default) would start each one with an empty
    # page cache: a rare search at a million customers took 7-10 ms instead of 4-5.
    result = settings_value("s.DATABASES['default']['CONN_MAX_AGE']", DEBUG="1", DATABASE_URL=url)
    assert result.stdout.strip() == "None"


def test_a_postgresql_connection_is_renewed_every_minute():
    result = settings_value(
        "s.DATABASES['default']['CONN_MAX_AGE']",
        DEBUG="1",
        DATABASE_URL="postgres://u@db.example:5432/shop",
    )
    assert result.stdout.strip() == "60"


def test_sqlite_page_cache_is_32_mb_unless_set():
    default = settings_value(
        "s.DATABASES['default']['OPTIONS']['init_command']", DEBUG="1", DATABASE_URL=""
    )
    assert "PRAGMA cache_size=-32768;" in default.stdout
    chosen = settings_value(
        "s.DATABASES['default']['OPTIONS']['init_command']",
        DEBUG="1",
        DATABASE_URL="",
        CLASSICPOS_SQLITE_CACHE_MB="8",
    )
    assert "PRAGMA cache_size=-8192;" in chosen.stdout


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_sqlite_page_cache_must_be_a_whole_number_of_megabytes(value):
    result = settings_value("s.SQLITE_CACHE_MB", DEBUG="1", CLASSICPOS_SQLITE_CACHE_MB=value)
    assert result.returncode != 0
    assert "CLASSICPOS_SQLITE_CACHE_MB must be a whole number of at least 1." in result.stderr


@pytest.mark.django_db
def test_the_live_sqlite_connection_has_the_options():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only.")
    assert connection.transaction_mode == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -32 * 1024


def test_phone_region_defaults_to_us():
    assert settings.CLASSICPOS_DEFAULT_REGION == "US"


# Each number the shop sets, a malformed value, and what the message must say. Start-up
# stops with ImproperlyConfigured naming the setting, never Python's own ValueError or
# decimal.InvalidOperation (which name neither the setting nor what it takes).
MALFORMED_NUMBERS = [
    ("CLASSICPOS_DEFAULT_CREDIT_LIMIT", "abc", "an amount such as 500.00"),
    ("CLASSICPOS_DEFAULT_CREDIT_LIMIT", "-5", "an amount such as 500.00"),
    ("CLASSICPOS_DEFAULT_CREDIT_LIMIT", "NaN", "an amount such as 500.00"),
    ("CLASSICPOS_TAX_RATE", "7%", "a number such as 0.0725"),
    ("CLASSICPOS_TAX_RATE", "Infinity", "a number such as 0.0725"),
    ("CLASSICPOS_LOYALTY_EARN_RATE", "one", "a number such as 1"),
    ("CLASSICPOS_LOYALTY_REDEEM_VALUE", "1,00", "an amount such as 1.00"),
    ("CLASSICPOS_LOYALTY_MINIMUM_SALE", "1e3", "an amount such as 10.00"),
    ("CLASSICPOS_PAYMENT_TERMS_DAYS", "soon", "a whole number of days"),
    ("CLASSICPOS_LOYALTY_REDEEM_STEP", "0", "a whole number of points"),
    ("CLASSICPOS_IDEMPOTENCY_TTL_HOURS", "1.5", "a whole number of hours"),
    ("CLASSICPOS_PROXY_COUNT", "one", "a whole number of proxies"),
    ("CLASSICPOS_LOGIN_FAILURE_LIMIT", "x", "a whole number of attempts"),
    ("CLASSICPOS_LOGIN_COOLOFF_MINUTES", "x", "a whole number of minutes"),
    ("CLASSICPOS_TOKEN_TTL_HOURS", "x", "a whole number of hours"),
]


@pytest.mark.parametrize(("name", "value", "takes"), MALFORMED_NUMBERS)
def test_a_malformed_number_stops_start_up_naming_the_setting(name, value, takes):
    result = settings_value("s.DEBUG", DEBUG="1", **{name: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), last_line
    assert name in last_line
    assert takes in last_line


def test_the_shop_s_numbers_come_from_the_environment():
    result = settings_value(
        "s.CLASSICPOS_DEFAULT_CREDIT_LIMIT, s.CLASSICPOS_TAX_RATE, s.CLASSICPOS_PAYMENT_TERMS_DAYS",
        DEBUG="1",
        CLASSICPOS_DEFAULT_CREDIT_LIMIT="75",
        CLASSICPOS_TAX_RATE="0.0725",
        CLASSICPOS_PAYMENT_TERMS_DAYS="7",
    )
    assert result.stdout.strip() == "(Decimal('75.00'), Decimal('0.0725'), 7)"
    defaults = settings_value(
        "s.CLASSICPOS_DEFAULT_CREDIT_LIMIT, s.CLASSICPOS_TAX_RATE, s.CLASSICPOS_PAYMENT_TERMS_DAYS",
        DEBUG="1",
    )
    assert defaults.stdout.strip() == "(Decimal('0.00'), Decimal('0'), 30)"
