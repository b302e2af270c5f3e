"""Benchmark ClassicPOS at scale over HTTP: ``make bench`` (or ``python bench/run.py``).

Builds (or reuses) a database of ``--customers`` demo customers — a SQLite file
``var/bench-<N>.sqlite3``, or the PostgreSQL database ``DATABASE_URL`` names —
serves the app with gunicorn, and times each request of ``REQUESTS`` over HTTP
(p50 and p95 of ``--repeat`` runs). Beside ours it times the **floor** (on
SQLite: the same searches as hand-written SQL + ``json.dumps`` in a bare WSGI
app under the same gunicorn; each round times every read once, ours then the floor,
so that a machine whose speed drifts moves every row and both alike; the writes come
after the reads, in rounds of their own) and the **naive** search (the unindexed
``LIKE`` ORM query with an exact count, in process), and the customer list's
segments (``tag``, ``consent``, ``minSpend``...) with whether their queries' plans read the
customers table through an index or scan it. Prints the table with ratios and
the server's peak RSS, and writes it to ``--output`` (``bench/results.md``): its
section for this database engine, leaving the other engine's last run in place,
with the machine's load average and the time of a fixed Python loop before and
after (a shared host's speed moves p95s more than most changes do). The SQLite
file is read once first: the system drops file pages it has not used lately.
"""

import argparse
import base64
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            time.sleep(0.1)
        else:
            return
    raise SystemExit(f"the server on port {port} did not start")


class Server:
    """A gunicorn serving ``app`` on a free port; its peak RSS is read before it stops."""

    def __init__(self, app: str, env: dict, workers: int):
        self.port = free_port()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [
                str(Path(sys.executable).with_name("gunicorn")),
                app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(self.port)

    def peak_rss_mb(self) -> float:
        """Return the largest peak RSS (VmHWM) of the master and its workers, in MB."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        peaks = []
        for pid in pids:
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
                if found:
                    peaks.append(int(found.group(1)) / 1024)
        return max(peaks, default=0.0)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def timed(port: int, method: str, path: str, body=None, headers=None) -> tuple[float, int, bytes]:
    """Return milliseconds, status and body of one request on a new connection."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    content = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return elapsed, response.status, content


# The fastest ``reference_loop_ms`` seen on the 2-core machines this project is measured
# on (2026-12-04; the same machine gave 62 to 125 ms that afternoon).
REFERENCE_LOOP_FASTEST_MS = 62


def reference_loop_ms() -> float:
    """Return the best of three timings of a fixed Python loop, in ms: the machine's speed now.

    On a shared host the same work took from 1 to 2 times as long from one minute
    to the next; the report gives this figure so that runs can be compared.
    """
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(3_000_000):
            total += number
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings)


def warm_page_cache(path: Path) -> None:
    """Read the SQLite file (and its WAL) once, so the first requests find it in memory.

    The operating system drops file pages it has not used lately even with memory
    free; a search would then time the disk, not the query.
    """
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            with file.open("rb") as handle:
                while handle.read(1 << 20):
                    pass


def load_average() -> str:
    """Return the 1-minute load average, as ``uptime`` shows it."""
    return f"{os.getloadavg()[0]:.1f}"


def write_section(path: Path, engine: str, report: str) -> None:
    """Write ``report`` as the ``## engine`` section of ``path``, keeping other sections.

    SQLite and PostgreSQL are benchmarked by separate runs; each keeps the other's
    last table instead of overwriting the file.
    """
    sections = {}
    if path.exists():
        name = None
        for line in path.read_text().splitlines():
            if line.startswith("## "):
                name = line[3:].strip()
                sections[name] = []
            elif name is not None:
                sections[name].append(line)
        sections = {key: "\n".join(lines).strip() for key, lines in sections.items()}
    sections[engine] = report
    order = ["SQLite", "PostgreSQL", *sorted(set(sections) - {"SQLite", "PostgreSQL"})]
    body = "\n\n".join(f"## {key}\n\n{sections[key]}" for key in order if key in sections)
    path.write_text(
        "# `make bench` results\n\n"
        "`make bench` writes the SQLite section; `make bench` with `DATABASE_URL` set to a\n"
        "PostgreSQL database writes the PostgreSQL one.\n\n"
        f"{body}\n"
    )


def ratio(value: float) -> str:
    """Return ``value`` as "113x", or "0.4x" below 10 (where a whole number says 0x)."""
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def prepare(args) -> dict:
    """Migrate, seed what is missing, and return the names the requests need."""
    import django

    django.setup()
    from django.core.management import call_command
    from knox.models import AuthToken

    from bench.seed import seed_customers, seed_shop
    from classicpos.roles import CASHIER, MANAGER
    from customers.models import Customer
    from sales.models import Product

    call_command("migrate", verbosity=0)
    existing = Customer.objects.count()
    if existing == 0:
        started = time.perf_counter()
        seed_shop(customers=args.customers, sales=args.sales, stdout=sys.stderr)
        say(f"seeded {args.customers:,} customers in {time.perf_counter() - started:.0f} s")
    elif existing < args.customers:
        seed_customers(count=args.customers - existing)
    # The till's requests as a cashier signs in to the till; the segments, which are the
    # list page's "More filters", as a manager.
    cashier = bench_user("bench", CASHIER)
    manager = bench_user("bench-manager", MANAGER)
    activity = seed_activity(args.sales, cashier=cashier)
    _, token = AuthToken.objects.create(cashier)
    _, manager_token = AuthToken.objects.create(manager)
    # Terms cut from the data, so each one finds what its label says.
    middle = Customer.objects.active().filter(email__isnull=False, phone__startswith="+1")
    middle = middle.order_by("id")
    sample = middle[middle.count() // 2]
    local = sample.email.split("@")[0]
    rare_email = local[-9:]  # e.g. "king.7a12f": the tail of one address
    phone_digits = sample.phone[-7:]
    return {
        "token": token,
        "manager_token": manager_token,
        "rare_email": rare_email,
        "phone": f"{phone_digits[:3]}-{phone_digits[3:]}",
        "customer_id": sample.pk,
        "products": list(Product.objects.filter(active=True).values_list("pk", flat=True)[:3]),
        "customers": Customer.objects.count(),
        **activity,
    }


def bench_user(username: str, role: str):
    """Return the staff user ``username`` with ``role`` alone, its old tokens gone."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from knox.models import AuthToken

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff, user.is_superuser = True, False
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    AuthToken.objects.filter(user=user).delete()
    return user


# Sales on account put on the bench database and dated back, so ``hasOverdue=true``
# has rows to find (the demo gives three customers credit but sells nothing on account).
OVERDUE_INVOICES = 3


def seed_activity(sales: int, *, cashier) -> dict:
    """Ring up demo sales up to ``sales`` and make a few invoices overdue; say what exists.

    The segments on spend and last visit need customers with sales, ``hasOverdue``
    needs overdue invoices. The demo's sales go to its first 30 customers, so those
    segments find a few dozen customers at most: the bench times their queries, not
    large results.
    """
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from accounting.models import CustomerAccount, Invoice
    from sales import services
    from sales.demo import seed_demo_sales
    from sales.models import Product, Sale
    from sales.quotes import sale_quote

    missing = sales - Sale.objects.count()
    if missing > 0:
        seed_demo_sales(options={"sales": missing, "seed": 43})
    today = timezone.localdate()
    if Invoice.objects.overdue().count() < OVERDUE_INVOICES:
        product = Product.objects.filter(active=True).order_by("id").first()
        accounts = CustomerAccount.objects.filter(credit_limit__gt=0).order_by("customer_id")
        lines = [services.LineInput(product_id=product.pk, quantity=1)]
        total = sale_quote(lines=lines).total
        for customer_id in accounts.values_list("customer_id", flat=True)[:OVERDUE_INVOICES]:
            with transaction.atomic():
                sale = services.sale_checkout(
                    cashier=cashier,
                    customer_id=customer_id,
                    lines=lines,
                    payments=[services.PaymentInput(method="on_account", amount=total)],
                )
                # Issued 40 days ago, due 10 days ago: overdue (bench data only).
                Invoice.objects.filter(sale=sale).update(
                    issued_on=today - datetime.timedelta(days=40),
                    due_on=today - datetime.timedelta(days=10),
                )
    return {
        "sales": Sale.objects.count(),
        "overdue": Invoice.objects.overdue().count(),
        "recent": (today - datetime.timedelta(days=30)).isoformat(),
    }


def next_link(path: str, token: str) -> str:
    """Return the ``next`` link of ``GET path`` (in process): the page after, by its cursor."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")
    url = urlsplit(response.json()["next"])
    return f"{url.path}?{url.query}"


def cursor_values(path: str) -> list:
    """Return the sort key values the ``after`` cursor of ``path`` holds (for the floor)."""
    cursor = parse_qs(urlsplit(path).query)["after"][0]
    _, values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return values


def requests(names: dict, deep_page: int) -> list[dict]:
    """Return the measured requests: what the list, the till and a checkout ask."""
    till = "status=active&pageSize=8&search="
    rare, phone = names["rare_email"], names["phone"]
    # Paging deep into the list is a Manager's (a Cashier sees a list's first rows).
    deep_next = next_link(f"/api/customers?page={deep_page - 1}", names["manager_token"])
    after_name, after_id = cursor_values(deep_next)
    return [
        {"label": "list page 1", "path": "/api/customers", "floor": "kind=list"},
        {
            "label": f"list page {deep_page:,} (the `next` link of page {deep_page - 1:,})",
            "path": deep_next,
            "floor": urlencode({"kind": "after", "name": after_name, "id": after_id}),
            "as": "manager_token",
        },
        {
            "label": f"list page {deep_page:,} (`page={deep_page}` typed: OFFSET)",
            "path": f"/api/customers?page={deep_page}",
            "floor": f"kind=list&page={deep_page}",
            # Steps over half the name index: see ``main`` (its rounds are its own).
            "sweeps": True,
            "as": "manager_token",
        },
        {
            "label": f"rare email fragment `{rare}`",
            "path": f"/api/customers?{till}{rare}",
            "floor": f"kind=search&status=active&pageSize=8&search={rare}",
            "naive": (rare, "active", 8),
        },
        {
            "label": f"phone digits `{phone}`",
            "path": f"/api/customers?{till}{phone}",
            "floor": f"kind=search&status=active&pageSize=8&search={phone}",
            "naive": (phone, "active", 8),
        },
        {
            "label": "common name fragment `son`",
            "path": f"/api/customers?{till}son",
            "floor": "kind=search&status=active&pageSize=8&search=son",
            "naive": ("son", "active", 8),
        },
        {
            "label": "one character `j`",
            "path": f"/api/customers?{till}j",
            "floor": "kind=starts&status=active&pageSize=8&search=j",
            "naive": ("j", "active", 8),
        },
        {
            "label": "two characters `jo`",
            "path": f"/api/customers?{till}jo",
            "floor": "kind=starts&status=active&pageSize=8&search=jo",
            "naive": ("jo", "active", 8),
        },
        {
            # Each word starts a word of the name, whatever the first one's matches.
            "label": "two short words `jo sm`",
            "path": f"/api/customers?{till}jo+sm",
            "floor": "kind=starts&status=active&pageSize=8&search=jo+sm",
            "naive": ("jo sm", "active", 8),
        },
        {
            "label": "customer detail",
            "path": f"/api/customers/{names['customer_id']}",
            "floor": f"kind=detail&id={names['customer_id']}",
        },
        *(
            {
                "label": f"segment `{query}`",
                "path": f"/api/customers?{query}",
                "segment": True,
                "as": "manager_token",
            }
            for query in (
                "tag=VIP",
                "consent=email",
                "birthdayWithinDays=7",
                "minPoints=100",
                "minSpend=50.00",
                f"lastVisitAfter={names['recent']}",
                "hasOverdue=true",
                "tag=VIP&consent=email&search=son",
            )
        ),
        {"label": "create customer", "method": "POST", "path": "/api/customers"},
        {"label": "checkout, 3 lines, customer, loyalty", "method": "POST", "path": "/api/sales"},
    ]


def body_for(request: dict, names: dict, run: int) -> bytes | None:
    if request["label"] == "create customer":
        stamp = f"{os.getpid()}-{time.time_ns()}-{run}"
        return json.dumps({"name": f"Bench Customer {run}", "email": f"bench-{stamp}@bench.test"})
    if request["label"].startswith("checkout"):
        lines = [{"productId": pk, "quantity": 1} for pk in names["products"]]
        return json.dumps(
            {
                "customerId": names["customer_id"],
                "lines": lines,
                "discount": "0.00",
                "payments": [{"method": "cash", "amount": "1000.00"}],
            }
        )
    return None


COLUMNS = 'SELECT "customers"."id", ... FROM "customers"'


def _customer_aliases(sql: str) -> set[str]:
    """Return the names the customers table goes by in ``sql``: itself and its aliases."""
    aliases = {"customers"}
    aliases.update(re.findall(r'"customers"\s+(?:AS\s+)?"?(\w+)"?', sql))
    return aliases - {"WHERE", "INNER", "LEFT", "ON", "ORDER", "GROUP", "LIMIT"}


def _sqlite_plan(cursor, sql: str) -> tuple[str, list[str]]:
    cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
    lines = [row[-1] for row in cursor.fetchall()]
    aliases = _customer_aliases(sql)
    verdict = "index"
    for line in lines:
        found = re.match(r"SCAN (\w+)(.*)", line)
        if not found or found.group(1) not in aliases:
            continue
        if "INDEX" in found.group(2):
            # Every row of an index, in its order: bounded only by the query's LIMIT.
            verdict = "scan" if verdict == "scan" else "index walk"
        else:
            verdict = "scan"
    return verdict, lines


def _postgresql_plan(cursor, sql: str) -> tuple[str, list[str]]:
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
    (document,) = cursor.fetchone()
    document = json.loads(document) if isinstance(document, str) else document
    cursor.execute(f"EXPLAIN {sql}")
    lines = [row[0] for row in cursor.fetchall()]
    verdict = "index"

    def visit(node: dict) -> None:
        nonlocal verdict
        if node.get("Relation Name") == "customers":
            kind = node["Node Type"]
            if kind == "Seq Scan":
                verdict = "scan"
            elif kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node:
                verdict = "scan" if verdict == "scan" else "index walk"
        for child in node.get("Plans", []):
            visit(child)

    visit(document[0]["Plan"])
    return verdict, lines


def query_plans(path: str, token: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """Run ``GET path`` in process and return how its queries read the customers table.

    "index": every query finds its customers through an index (or by id); "index
    walk": some query reads an index of customers from one end in order, stopping at
    its LIMIT; "scan": some query reads the customers table row by row (``SCAN
    customers`` on SQLite, ``Seq Scan on customers`` on PostgreSQL). Also returns each
    query on customers with its plan.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code >= 400:
        raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")
    explain = _sqlite_plan if connection.vendor == "sqlite" else _postgresql_plan
    rank = {"index": 0, "index walk": 1, "scan": 2}
    verdict, plans = "index", []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or not re.search(r'FROM "customers"', sql):
                continue
            found, lines = explain(cursor, sql)
            plans.append((sql, lines))
            verdict = max(verdict, found, key=rank.__getitem__)
    return verdict, plans


def naive_search(term: str, status: str, size: int) -> None:
    """The naive search the index replaces: ``LIKE`` on every row, an exact count, sorted."""
    from customers.models import Customer

    queryset = Customer.objects.search_unindexed(term)
    if status == "active":
        queryset = queryset.active()
    queryset.count()
    list(queryset.order_by("name", "id")[:size])


def bench_env(customers: int) -> dict:
    """Return the environment the benchmark's servers (and its own process) run in.

    Production settings (no debug), and the database ``DATABASE_URL`` names, else the
    SQLite file ``var/bench-<customers>.sqlite3``.
    """
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "benchmark-only")
    env.update(
        DJANGO_SETTINGS_MODULE="classicpos.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="false",
        # The API serves no static files; whitenoise need not warn that none were collected.
        PYTHONWARNINGS="ignore:No directory at",
    )
    if "DATABASE_URL" not in env:
        scratch = ROOT / "var" / f"bench-{customers}.sqlite3"
        scratch.parent.mkdir(exist_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{scratch}"
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--naive-repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--deep-page", type=int, default=20_000)
    parser.add_argument(
        "--sales", type=int, default=200, help="demo sales the database has at least"
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()

    env = bench_env(args.customers)
    os.environ.update(env)
    sqlite_path = env["DATABASE_URL"].removeprefix("sqlite:///")
    on_sqlite = env["DATABASE_URL"].startswith("sqlite")

    names = prepare(args)
    load_before = load_average()
    # Page 2 at least: the deep page is reached by the `next` link of the page before it.
    deep_page = max(2, min(args.deep_page, names["customers"] // 25))
    plan = requests(names, deep_page)

    def auth(request: dict) -> dict:
        token = names[request.get("as", "token")]
        return {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    if on_sqlite:
        warm_page_cache(Path(sqlite_path))
    speed_before = reference_loop_ms()
    results = {request["label"]: {} for request in plan}
    server = Server("classicpos.wsgi:application", env, args.workers)
    floor = None
    samples = {request["label"]: {"ours": [], "floor": []} for request in plan}
    try:
        if on_sqlite:
            floor_env = {**env, "BENCH_SQLITE_PATH": sqlite_path}
            floor = Server("bench.floor_app:application", floor_env, 1)
        # Round by round through the requests, ours then the floor: a machine whose speed
        # drifts (a shared host's does, by half within minutes) then moves every row and
        # both columns alike, instead of the rows timed during its slow minutes. The reads
        # first, then the page typed by number, then the writes: each write empties every
        # other connection's SQLite page cache, and the typed page steps over half a
        # million index entries, which leaves little of the other indexes in the caches
        # (a rare search timed right after it took 3.9 ms p50 instead of 3.0). Either
        # would make each read after it a cold one, which a till's searches are not.
        reads = [request for request in plan if request.get("method", "GET") == "GET"]
        sweeps = [request for request in reads if request.get("sweeps")]
        reads = [request for request in reads if request not in sweeps]
        writes = [request for request in plan if request.get("method", "GET") != "GET"]
        rounds = [(run, reads) for run in range(args.repeat + 2)]
        rounds += [(run, sweeps) for run in range(args.repeat + 2)]
        rounds += [(run, writes) for run in range(args.repeat + 2)]
        for run, requests_of_round in rounds:
            for request in requests_of_round:
                elapsed, status, content = timed(
                    server.port,
                    request.get("method", "GET"),
                    request["path"],
                    body=body_for(request, names, run),
                    headers=auth(request),
                )
                if status >= 400:
                    raise SystemExit(f"{request['path']}: {status} {content[:300]!r}")
                if run >= 2:  # the first two rounds warm the workers
                    samples[request["label"]]["ours"].append(elapsed)
                if floor and "floor" in request:
                    floor_path = f"/?{request['floor']}"
                    elapsed, status, content = timed(floor.port, "GET", floor_path)
                    if status != 200:
                        raise SystemExit(f"floor {floor_path}: {status} {content[:300]!r}")
                    if run >= 2:
                        samples[request["label"]]["floor"].append(elapsed)
        for label, timings in samples.items():
            results[label]["ours"] = percentiles(timings["ours"])
            if timings["floor"]:
                results[label]["floor"] = percentiles(timings["floor"])
        server_rss = server.peak_rss_mb()
        floor_rss = floor.peak_rss_mb() if floor else None
    finally:
        server.stop()
        if floor:
            floor.stop()
    speed_after = reference_loop_ms()

    # How each list query reads the customers table (in process, after the timings).
    for request in plan:
        if request.get("method", "GET") == "GET":
            verdict, plans = query_plans(request["path"], names[request.get("as", "token")])
            results[request["label"]]["plan"] = verdict
            if request.get("segment"):
                say(f"{request['label']}: {verdict}")
                for sql, lines in plans:
                    say(f"  {sql}")
                    for line in lines:
                        say(f"    {line}")
            if verdict != "index":
                results[request["label"]]["plans"] = plans

    for request in plan:
        if "naive" not in request:
            continue
        samples = []
        for _ in range(args.naive_repeat):
            started = time.perf_counter()
            naive_search(*request["naive"])
            samples.append((time.perf_counter() - started) * 1000)
        results[request["label"]]["naive"] = percentiles(samples)

    engine = "SQLite" if on_sqlite else "PostgreSQL"
    measured = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{names['customers']:,} customers on {engine}; gunicorn, {args.workers} sync workers; "
        f"{args.repeat} runs each over HTTP (naive: {args.naive_repeat} runs, in process).",
        f"Measured {measured} on {os.cpu_count()} cores; load average {load_before} before "
        f"the requests, {load_average()} after; the reference loop took {speed_before:.0f} ms "
        f"before and {speed_after:.0f} ms after (the fastest seen on this kind of machine: "
        f"{REFERENCE_LOOP_FASTEST_MS} ms; more means a slower machine than usual, and every "
        "figure here slower with it). Each round times every read once, ours then the floor; "
        "the page typed by number (which sweeps the caches) and the writes (create, checkout) "
        "have rounds of their own after the reads.",
        f"The database has {names['sales']:,} sales (to the demo's first 30 customers) and "
        f"{names['overdue']} overdue invoices (sales on account dated back by the bench); "
        f"`lastVisitAfter` is 30 days ago.",
        "",
        "plan: how the request's queries read the customers table (EXPLAIN QUERY PLAN on "
        "SQLite, EXPLAIN on PostgreSQL): *index* through an index or by id; *index walk* "
        "one index from its start, in order, until the LIMIT is met; *scan* the table "
        "row by row.",
        "",
        "| request | ours p50 ms | ours p95 ms | floor p50 ms | floor p95 ms "
        "| naive p50 ms | ours / floor (p95) | naive / ours (p50) | plan |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for request in plan:
        row = results[request["label"]]
        ours = row["ours"]
        floor = row.get("floor")
        naive = row.get("naive")
        cells = [
            request["label"],
            f"{ours[0]:.1f}",
            f"{ours[1]:.1f}",
            f"{floor[0]:.1f}" if floor else "",
            f"{floor[1]:.1f}" if floor else "",
            f"{naive[0]:.0f}" if naive else "",
            f"{ours[1] / floor[1]:.1f}x" if floor else "",
            ratio(naive[0] / ours[0]) if naive else "",
            row.get("plan", ""),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"Server peak RSS (largest worker): {server_rss:.0f} MB.")
    if floor_rss is not None:
        lines.append(f"Floor server peak RSS: {floor_rss:.0f} MB.")
    else:
        lines.append(
            "No floor on PostgreSQL. The naive `icontains` query is not a scan here: "
            "the trigram indexes are on `UPPER(column)`, which is what `icontains` asks."
        )
    walked = [request["label"] for request in plan if "plans" in results[request["label"]]]
    for label in walked:
        lines.append("")
        lines.append(f"Plan of {label} ({results[label]['plan']}):")
        lines.append("")
        for sql, plan_lines in results[label]["plans"]:
            # The page's column list says nothing about the plan.
            sql = re.sub(r'^SELECT "customers"\."id", .*? FROM "customers"', COLUMNS, sql)
            lines.append(f"    {sql}")
            lines.extend(f"      {line}" for line in plan_lines)
    report = "\n".join(lines)
    say(report)
    write_section(Path(args.output), engine, report)


if __name__ == "__main__":
    main()
