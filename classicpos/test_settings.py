"""Fast, deterministic settings for the test suite."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("CLASSICPOS_DEFAULT_REGION", "US")

from classicpos.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

# A file, not memory, so tests see SQLite as the shop does (WAL, locks between
# connections). One file per test run (process), so two runs on one machine never
# share it; pytest-xdist gives each worker its own file too.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": BASE_DIR / "var" / f"test-classicpos-{os.getpid()}.sqlite3"  # noqa: F405
    }
else:
    # The same on PostgreSQL: two runs on one server never create or drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_classicpos_{os.getpid()}"}  # noqa: F405

# Close connections after each request: live-server and thread tests must not keep
# the PostgreSQL test database open when it is dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Every prepared statement (classicpos.prepared) is also built and compiled afresh and
# compared: a key that misses something its SQL depends on fails the test that runs it.
CLASSICPOS_VERIFY_PREPARED = True
