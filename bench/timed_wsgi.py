"""The app as ``bench/chain.py --profile`` serves it: where each request's time goes.

Under load a request's wall time is its worker's CPU, its statements' round trips
to PostgreSQL (and any row lock they wait on), and the time it queues for a core.
This wraps ``classicpos.wsgi`` and records, per request type (the till's search,
quote, checkout), the worker's CPU seconds (``time.process_time``: a sync worker
serves one request at a time), the seconds spent in ``cursor.execute`` and the
statements run, and per statement shape (numbers replaced by ``N``) how often it
ran and how long it took. Each worker writes its figures as JSON into
``CHAIN_PROFILE_DIR`` every ``WRITE_EVERY`` requests and when it exits; the bench
adds them up. Transactions' ``COMMIT`` is not a ``cursor.execute``: its time is in
the wall time only.
"""

import atexit
import json
import os
import re
import time
from collections import defaultdict
from pathlib import Path

from django.db import connection

from classicpos.wsgi import application as served

WRITE_EVERY = 50
_NUMBERS = re.compile(r"\b\d+\b")
_requests = defaultdict(lambda: {"count": 0, "wall": 0.0, "cpu": 0.0, "db": 0.0, "queries": 0})
_statements = defaultdict(lambda: {"count": 0, "seconds": 0.0})
_served = [0]


def request_type(environ) -> str:
    path = environ.get("PATH_INFO", "")
    if path.startswith("/api/customers"):
        return "search"
    if path.startswith("/api/sales/quote"):
        return "quote"
    if path.startswith("/api/sales"):
        return "checkout"
    return "other"


def write() -> None:
    folder = os.environ.get("CHAIN_PROFILE_DIR")
    if not folder:
        return
    figures = {
        "requests": _requests,
        "statements": [
            [kind, sql, row["count"], row["seconds"]] for (kind, sql), row in _statements.items()
        ],
    }
    Path(folder, f"worker-{os.getpid()}.json").write_text(json.dumps(figures))


atexit.register(write)


def application(environ, start_response):
    kind = request_type(environ)
    spent = {"db": 0.0, "queries": 0}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            spent["db"] += seconds
            spent["queries"] += 1
            # Savepoint names differ every time: one shape for all of them.
            shape = "SAVEPOINT" if "SAVEPOINT" in sql else _NUMBERS.sub("N", sql)[:200]
            statement = _statements[(kind, shape)]
            statement["count"] += 1
            statement["seconds"] += seconds

    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(timed):
        body = list(served(environ, start_response))
    row = _requests[kind]
    row["count"] += 1
    row["wall"] += time.perf_counter() - wall
    row["cpu"] += time.process_time() - cpu
    row["db"] += spent["db"]
    row["queries"] += spent["queries"]
    _served[0] += 1
    if _served[0] % WRITE_EVERY == 0:
        write()
    return body
