"""When the database is gone or cannot be written, answer 503 instead of making things worse.

SQLite creates a missing database file on connect: a shop whose file was moved
or deleted would get a fresh, empty database and "no such table" errors. The
middleware checks the file is there before anything connects; a database
error while serving (read-only file, full disk, PostgreSQL down) becomes a
503 that says what happened, logged with the request id.
"""

import logging
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http import HttpResponse

from classicpos.api.problems import problem_json_response

logger = logging.getLogger("classicpos.database")

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (
    "The shop's database is unavailable right now; nothing was saved. "
    "Try again in a moment, or ask the administrator to check the server."
)
PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Unavailable</title>"
    "</head><body style='font-family:system-ui;max-width:40rem;margin:4rem auto'>"
    "<h1>The till cannot reach its database</h1><p>{message}</p></body></html>"
)


def sqlite_file_missing() -> bool:
    """Return whether the default database is a SQLite file that is not there."""
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        return False
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return False
    return not Path(name).exists()


def unavailable_response(request):
    """Return the 503 answer: a problem document for the API, a plain page otherwise."""
    if request.path.startswith("/api/"):
        response = problem_json_response(status=503, detail=UNAVAILABLE, slug="unavailable")
    else:
        response = HttpResponse(PAGE.format(message=UNAVAILABLE), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseGuardMiddleware:
    """Refuse to serve (503) when the SQLite file is missing; turn database errors into 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if sqlite_file_missing():
            logger.error(
                "The database file is missing; refusing to create an empty one. "
                "Restore it, or run 'manage.py migrate' to start a new shop.",
                extra={"request": request},
            )
            return unavailable_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError):
            logger.error("Database unavailable: %s", exception, extra={"request": request})
            return unavailable_response(request)
        return None
