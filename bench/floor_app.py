"""The floor: the benchmark's searches as hand-written SQL and ``json.dumps``, no framework.

A bare WSGI app that gunicorn serves exactly like the real one, so the ratio
"ours / floor" is what Django, DRF, authentication and the ORM cost on top of
the same database work. Each request runs one parameterised statement that
returns the same page the API does (first 1,000 matches, ranked, a capped count).

Query parameters: ``kind`` (list, after, search, starts, detail) and its arguments;
``after`` is the page that follows the row ``name`` (lower-cased) and ``id``, as the
API's ``next`` link reads it.
SQLite only (``BENCH_SQLITE_PATH``): on PostgreSQL the benchmark reports ours and
the naive query without a floor.
"""

import json
import os
import sqlite3
from urllib.parse import parse_qs

COLUMNS = 'id, name, email, phone, address, "loyaltyPoints", status, "createdAt", "updatedAt"'
JOINED_COLUMNS = ", ".join(f"c.{column.strip()}" for column in COLUMNS.split(","))
KEYS = ("id", "name", "email", "phone", "address", "loyaltyPoints", "status", "createdAt")
KEYS = (*KEYS, "updatedAt")
MATCH_LIMIT = 1000
COUNT_LIMIT = 10_000

# Statements built from the constants above; every value the user types is a parameter.
SQLITE = {
    "list": (
        f"SELECT (SELECT count(*) FROM (SELECT 1 FROM customers LIMIT {COUNT_LIMIT + 1})), "  # noqa: S608
        f"{COLUMNS} FROM customers ORDER BY lower(name), id LIMIT ? OFFSET ?"
    ),
    "after": (
        f"SELECT (SELECT count(*) FROM (SELECT 1 FROM customers LIMIT {COUNT_LIMIT + 1})), "  # noqa: S608
        f"{COLUMNS} FROM customers WHERE lower(name) >= ? AND (lower(name) > ? OR id > ?) "
        "ORDER BY lower(name), id LIMIT ?"
    ),
    "search": (
        "WITH hits AS MATERIALIZED ("  # noqa: S608
        f"SELECT {JOINED_COLUMNS} FROM customers_search s JOIN customers c ON c.id = s.rowid "
        f"WHERE s.customers_search MATCH ? AND +c.status LIKE ? LIMIT {MATCH_LIMIT + 1}) "
        "SELECT (SELECT count(*) FROM hits), * FROM hits ORDER BY "
        "CASE WHEN lower(name) = ? THEN 0 WHEN lower(name) LIKE ? THEN 1 "
        "WHEN lower(name) LIKE ? THEN 2 ELSE 3 END, lower(name), id LIMIT ?"
    ),
    # Short words, each the start of a word of the search document
    # (customers/search_text.py): its trigram (" jo", or "  j") in the index, a LIKE
    # per word to confirm ({likes}).
    "starts": (
        "WITH hits AS MATERIALIZED ("  # noqa: S608
        f"SELECT {JOINED_COLUMNS} FROM customers_search s JOIN customers c ON c.id = s.rowid "
        "WHERE s.customers_search MATCH ? {likes} "
        f"AND +c.status LIKE ? LIMIT {MATCH_LIMIT + 1}) "
        "SELECT (SELECT count(*) FROM hits), * FROM hits ORDER BY "
        "CASE WHEN lower(name) = ? THEN 0 WHEN lower(name) LIKE ? THEN 1 "
        "WHEN lower(name) LIKE ? THEN 2 ELSE 3 END, lower(name), id LIMIT ?"
    ),
    "detail": f"SELECT 1, {COLUMNS} FROM customers WHERE id = ?",  # noqa: S608
}

_connection = None


def _database():
    global _connection  # one connection per worker process
    if _connection is None:
        _connection = sqlite3.connect(os.environ["BENCH_SQLITE_PATH"], check_same_thread=False)
        _connection.execute("PRAGMA journal_mode=WAL")
        # The same page cache as the app's connections (classicpos.settings), so the
        # ratio compares the code, not the database's settings.
        cache_mb = int(os.environ.get("CLASSICPOS_SQLITE_CACHE_MB", "32"))
        _connection.execute(f"PRAGMA cache_size=-{cache_mb * 1024}")
    return _connection


def fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def statement(kind: str, params: dict) -> tuple[str, tuple]:
    """Return the SQL and parameters of one floor request."""
    size = int(params.get("pageSize", 25))
    status = {"active": "active", "inactive": "inactive"}.get(params.get("status", ""), "%")
    if kind == "list":
        page = int(params.get("page", 1))
        return SQLITE["list"], (size, (page - 1) * size)
    if kind == "after":
        name = params["name"]
        return SQLITE["after"], (name, name, int(params["id"]), size)
    if kind == "detail":
        return SQLITE["detail"], (int(params["id"]),)
    term = " ".join(params["search"].split()).lower()
    if kind == "starts":
        words = term.split()
        match = " AND ".join(
            "search_document : " + fts_phrase((" " if len(word) > 1 else "  ") + word)
            for word in words
        )
        sql = SQLITE["starts"].format(likes="AND c.search_document LIKE ? " * len(words))
        patterns = tuple(f"%  {word}%" for word in words)
        rank = (term, f"{term}%", f"% {term}%")
        return sql, (match, *patterns, status, *rank, size)
    digits = "".join(ch for ch in term if ch.isdigit())
    match = "search_document : " + fts_phrase(term)
    if len(digits) >= 3 and all(ch in "0123456789 -().+/" for ch in term):
        match += " OR phone : " + fts_phrase(digits)
    return SQLITE["search"], (match, status, term, f"{term}%", f"% {term}%", size)


def application(environ, start_response):
    params = {key: values[-1] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
    sql, arguments = statement(params.get("kind", "list"), params)
    rows = _database().execute(sql, arguments).fetchall()
    results = [dict(zip(KEYS, row[1:], strict=True)) for row in rows]
    count = rows[0][0] if rows else 0
    body = json.dumps({"count": count, "next": None, "previous": None, "results": results})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body.encode()]
