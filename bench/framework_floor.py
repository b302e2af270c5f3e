"""How much of a till search the framework costs: ``python bench/framework_floor.py``.

``make bench`` compares our searches with the floor (``bench/floor_app.py``: the
same SQL and ``json.dumps`` in a bare WSGI app). This script splits that gap: it
times each of the till's searches four ways over HTTP, under gunicorn as ``make
bench`` serves them, request by request in turn, on the bench database:

- **ours**: ``GET /api/customers?status=active&pageSize=8&search=...``;
- **DRF + floor SQL**: a DRF view with the project's token authentication and
  permission classes, behind every middleware, running the floor's statement
  and returning its rows;
- **Django + floor SQL**: a plain Django view behind every middleware, the same
  statement, ``JsonResponse``;
- **bare floor**: ``bench/floor_app.py``.

Ours and the two floor views are served by one gunicorn (``classicpos.wsgi`` with
the two views added to its URLs, ``application_with_floor_views()``), so they
share every setting. "ours - DRF" is what our querysets, filters, pagination and
serializer cost; "DRF - Django" is DRF with authentication and permissions;
"Django - bare" is Django's request handling and middleware. Writes its table as
a section of ``bench/results.md`` (``--output``). SQLite only: the floor's SQL is
SQLite's.
"""

import argparse
import os
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import floor_app  # noqa: E402 - after the path that finds it
import run  # noqa: E402

SECTION = "Framework floor (SQLite)"
WAYS = ("ours", "DRF + floor SQL", "Django + floor SQL", "bare floor")


def floor_rows(query: dict, kind: str) -> dict:
    """Run the floor's statement on Django's connection; return the page it answers."""
    from django.db import connection

    sql, arguments = floor_app.statement(kind, query)
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), arguments)
        rows = cursor.fetchall()
    return {
        "count": rows[0][0] if rows else 0,
        "next": None,
        "previous": None,
        "results": [dict(zip(floor_app.KEYS, row[1:], strict=True)) for row in rows],
    }


def floor_urls():
    """Return URL patterns with the two floor views beside the project's own."""
    from django.http import JsonResponse
    from django.urls import include, path
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from customers.models import Customer

    class DrfFloor(APIView):
        """The project's authentication and permissions (as for the customer list)."""

        queryset = Customer.objects.all()

        def get(self, request, kind):
            return Response(floor_rows(request.query_params.dict(), kind))

    def django_floor(request, kind):
        return JsonResponse(floor_rows(request.GET.dict(), kind))

    return [
        path("bench/drf-floor/<str:kind>", DrfFloor.as_view()),
        path("bench/django-floor/<str:kind>", django_floor),
        path("", include("classicpos.urls")),
    ]


class UrlConf:
    """A URL configuration module of one attribute, as Django's resolver reads it."""

    def __init__(self, patterns):
        self.urlpatterns = patterns


def application_with_floor_views():
    """Return the project's WSGI application with the two floor views added to its URLs.

    gunicorn calls it (``'framework_floor:application_with_floor_views()'``).
    """
    from django.conf import settings

    from classicpos.wsgi import application

    settings.ROOT_URLCONF = UrlConf(floor_urls())
    return application


def searches(names: dict) -> list[tuple[str, str, str]]:
    """Return (label, floor kind, typed term) of the till's searches the bench times."""
    return [
        (f"rare email fragment `{names['rare_email']}`", "search", names["rare_email"]),
        (f"phone digits `{names['phone']}`", "search", names["phone"]),
        ("common name fragment `son`", "search", "son"),
        ("one character `j`", "starts", "j"),
        ("two characters `jo`", "starts", "jo"),
        ("two short words `jo sm`", "starts", "jo sm"),
    ]


def time_ways(ports: dict, token: str, kind: str, term: str) -> dict[str, float]:
    """Time one search each way, once, over HTTP; return milliseconds by way."""
    query = urlencode({"status": "active", "pageSize": 8, "search": term})
    paths = {
        "ours": ("app", f"/api/customers?{query}"),
        "DRF + floor SQL": ("app", f"/bench/drf-floor/{kind}?{query}"),
        "Django + floor SQL": ("app", f"/bench/django-floor/{kind}?{query}"),
        "bare floor": ("floor", f"/?kind={kind}&{query}"),
    }
    timings = {}
    for way, (server, path) in paths.items():
        elapsed, status, content = run.timed(
            ports[server], "GET", path, headers={"Authorization": f"Token {token}"}
        )
        if status != 200:
            raise SystemExit(f"{path}: {status} {content[:300]!r}")
        timings[way] = elapsed
    return timings


def report(
    rows: dict, *, rounds: int, workers: int, customers: int, loops: tuple[float, float]
) -> str:
    header = " | ".join(WAYS)
    lines = [
        f"{customers:,} customers; gunicorn, {workers} sync workers; {rounds} rounds over HTTP, "
        "each timing every search once each way (ours and the two floor views in one server).",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; the reference loop took "
        f"{loops[0]:.0f} ms before and {loops[1]:.0f} ms after (fastest seen: "
        f"{run.REFERENCE_LOOP_FASTEST_MS} ms).",
        "",
        "Milliseconds, p50 / p95.",
        "",
        f"| search | {header} | ours - DRF (p50) |",
        "|---|" + "---:|" * (len(WAYS) + 1),
    ]
    for label, samples in rows.items():
        cells, medians = [], {}
        for way in WAYS:
            p50, p95 = run.percentiles(samples[way])
            medians[way] = p50
            cells.append(f"{p50:.2f} / {p95:.2f}")
        gap = medians["ours"] - medians["DRF + floor SQL"]
        lines.append(f"| {label} | {' | '.join(cells)} | {gap:.2f} |")
    return "\n".join(lines)


def bench_floor_env(env: dict) -> dict:
    """Return the bench's environment with what the floor views and the floor app need."""
    if not env["DATABASE_URL"].startswith("sqlite:///"):
        raise SystemExit("The floor's SQL is SQLite's: run this on the SQLite bench database.")
    return {
        **env,
        "PYTHONPATH": os.pathsep.join([str(run.ROOT), str(BENCH)]),
        "BENCH_SQLITE_PATH": env["DATABASE_URL"].removeprefix("sqlite:///"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sales", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", default=str(BENCH / "results.md"))
    args = parser.parse_args()
    env = bench_floor_env(run.bench_env(args.customers))
    os.environ.update(env)
    # The API serves no static files; whitenoise need not warn that none were collected.
    warnings.filterwarnings("ignore", "No directory at")
    names = run.prepare(args)
    run.warm_page_cache(Path(env["BENCH_SQLITE_PATH"]))
    loop_before = run.reference_loop_ms()
    app = run.Server("framework_floor:application_with_floor_views()", env, args.workers)
    floor = None
    try:
        floor = run.Server("bench.floor_app:application", env, 1)
        ports = {"app": app.port, "floor": floor.port}
        rows = {label: {way: [] for way in WAYS} for label, _kind, _term in searches(names)}
        warm_rounds = 5
        for number in range(args.rounds + warm_rounds):
            for label, kind, term in searches(names):
                timings = time_ways(ports, names["token"], kind, term)
                if number >= warm_rounds:
                    for way, elapsed in timings.items():
                        rows[label][way].append(elapsed)
    finally:
        app.stop()
        if floor:
            floor.stop()
    loops = (loop_before, run.reference_loop_ms())
    text = report(
        rows,
        rounds=args.rounds,
        workers=args.workers,
        customers=names["customers"],
        loops=loops,
    )
    run.say(text)
    run.write_section(Path(args.output), SECTION, text)


if __name__ == "__main__":
    main()
