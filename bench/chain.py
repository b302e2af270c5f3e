"""A chain under load: many tills in several stores selling at once. ``python bench/chain.py``.

Issue 30's proof that a chain can sell at once, measured on PostgreSQL (the database
``DATABASE_URL`` names, else ``classicpos_chain`` on the local server, made when
missing): the app is served by gunicorn (``--workers`` sync workers, ``DEBUG`` off)
on this machine, and ``--tills`` clients, one thread each, ring up sales in a loop
against it. A sale is what a till does: a customer search (``GET /api/customers``
as the till's search box asks it), three quotes as the cart grows
(``POST /api/sales/quote`` with ``tillId`` and the customer: one line, two, three),
then the checkout (``POST /api/sales`` with ``tillId``, the customer and an
``Idempotency-Key``). One sale in five pays partly with points or on account,
alternately, for a member customer the bench gave points and a credit limit
(each till its own members, so two tills never spend one balance). Each request
waits a think time first (``--think`` seconds on average, 0.5 to 1.5 times it).

``--stores 6,1`` runs the chain once per figure, each with stores and tills of its
own (``--tills`` tills shared out among them, a Cashier per till assigned to its
store, a knox token each) and a fresh gunicorn: first ``--warmup`` seconds not
counted, then ``--duration`` seconds measured. ``--steps 2,1,0.5`` adds a step-up
after it: the same tills with those think times, ``--step-duration`` seconds each,
to find the highest sales/s held before the checkout's p95 passes 100 ms.

Measured: per request type p50/p95/p99 and errors (any answer but the one
expected, a refused or dropped connection, a sale numbered in another store's series),
sales/s over the run and its slowest 10-second window, and the queries each
request type makes (counted in process once before the run). Checked afterwards,
on the whole database: every store's sale and invoice numbers run 1..N with no
duplicate or gap and end at the store's counter, every sale a till was told of is
there, and every ledger reconciles (``loyalty.selectors.balance_mismatches``,
``accounting.selectors.store_credit_mismatches`` and ``invoice_mismatches``,
``sales.selectors.sales_totals_mismatches``). Prints the table and writes it to
``--output``'s "PostgreSQL: the chain under load" section; exits 1 when a check
fails. ``--profile`` serves the app through ``bench/timed_wsgi.py`` and adds each
request type's worker CPU and time in statements, and the checkout's slowest
statements (a row lock waited on shows there). ``--smoke`` is a few seconds with a
few tills (the test suite's run).
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402 - after the path that finds it

SECTION = "PostgreSQL: the chain under load"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/classicpos_chain"
REQUEST_TYPES = ("search", "quote", "checkout")
# The targets.
TARGET_SALES_PER_SECOND = 20
TARGET_CHECKOUT_P95_MS = 100
# Every fifth sale pays partly with points or on account, these in turn.
SPLIT_EVERY = 5
SPLIT_METHODS = ("points", "on_account")
MEMBERS_PER_TILL = 4
MEMBER_POINTS = 500_000
MEMBER_CREDIT_LIMIT = Decimal("100000.00")
# Customers sampled for the searches: name, phone digits or email, as people are asked.
SEARCHED_CUSTOMERS = 5_000
WINDOW_SECONDS = 10
PROFILE_STATEMENTS = 6
HTTP_TIMEOUT_SECONDS = 30


def cents(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def percentile(ordered: list[float], share: float) -> float:
    """Return the nearest-rank percentile of sorted samples (0.0 for none)."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Sample:
    kind: str
    started: float  # seconds on the monotonic clock
    ms: float
    ok: bool


@dataclass
class Tally:
    """What every till thread saw; appended to under a lock."""

    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sold: dict = field(default_factory=lambda: defaultdict(set))  # store code -> numbers
    split_sales: int = 0
    search_misses: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, error: str | None = None) -> None:
        with self.lock:
            self.samples.append(sample)
            if error is not None:
                self.errors.append(error)


class Till(threading.Thread):
    """One till's client: sale after sale until told to stop, every request timed."""

    def __init__(self, *, port, till, plan, tally, think, stop, seed):
        super().__init__(daemon=True)
        self.port = port
        self.till = till
        self.plan = plan
        self.tally = tally
        self.think = think  # a one-item list: the step-up changes it while the tills run
        self.stop = stop
        self.random = random.Random(seed)  # noqa: S311 - a simulated cashier, not security
        self.sales = 0

    def request(self, kind: str, method: str, path: str, body=None, expect=200, key=None):
        """Send one request; return its JSON, or ``None`` after counting it as an error."""
        headers = {"Authorization": f"Token {self.till['token']}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        if key is not None:
            headers["Idempotency-Key"] = key
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=HTTP_TIMEOUT_SECONDS
            )
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            elapsed = (time.monotonic() - started) * 1000
            self.tally.add(Sample(kind, started, elapsed, False), f"{kind}: {error!r}")
            return None
        elapsed = (time.monotonic() - started) * 1000
        if response.status != expect:
            error = f"{kind}: {response.status} {content[:200]!r}"
            self.tally.add(Sample(kind, started, elapsed, False), error)
            return None
        self.tally.add(Sample(kind, started, elapsed, True))
        return json.loads(content)

    def pause(self) -> bool:
        """Wait a think time; return False when the run is over."""
        return not self.stop.wait(self.think[0] * self.random.uniform(0.5, 1.5))

    def run(self) -> None:
        while self.pause():
            self.sell()

    def sell(self) -> None:
        self.sales += 1
        split = (
            SPLIT_METHODS[(self.sales // SPLIT_EVERY) % 2]
            if self.sales % SPLIT_EVERY == 0
            else None
        )
        if split:
            customer_id, term = self.random.choice(self.till["members"])
        else:
            customer_id, term = self.random.choice(self.plan["searched"])
        query = urlencode({"status": "active", "pageSize": 8, "search": term})
        found = self.request("search", "GET", f"/api/customers?{query}")
        if found is None:
            return
        if customer_id not in {row["id"] for row in found["results"]}:
            # A common name's first page may not hold this very customer: the cashier
            # scrolls on or asks; either way it is still the customer.
            with self.tally.lock:
                self.tally.search_misses += 1
        products = self.random.sample(self.plan["products"], 3)
        lines = [
            {"productId": product, "quantity": self.random.randint(1, 2)} for product in products
        ]
        cart = {"tillId": self.till["id"], "customerId": customer_id}
        priced = None
        for count in (1, 2, 3):
            if not self.pause():
                return
            body = {**cart, "lines": lines[:count]}
            priced = self.request("quote", "POST", "/api/sales/quote", body)
            if priced is None:
                return
        # The last quote priced the whole cart and said what each method may pay.
        payments = self.tender(priced, split)
        body = {**cart, "lines": lines, "discount": "0.00", "payments": payments}
        if not self.pause():
            return
        sale = self.request(
            "checkout", "POST", "/api/sales", body, expect=201, key=uuid.uuid4().hex
        )
        if sale is None:
            return
        code, _, digits = sale["number"].rpartition("-")
        with self.tally.lock:
            self.tally.sold[code].add(int(digits))
            self.tally.split_sales += bool(split)
        if code != self.till["store_code"]:
            self.tally.add(
                Sample("checkout", time.monotonic(), 0.0, False),
                f"checkout: {sale['number']} from a till of {self.till['store_code']}",
            )

    def tender(self, quote: dict, split: str | None) -> list[dict]:
        """Return the payments: cash for all, or part by points or on account, the rest cash."""
        total = cents(quote["total"])
        offers = {offer["method"]: cents(offer["maxAmount"]) for offer in quote["paymentMethods"]}
        part = Decimal("0.00")
        if split == "points":
            # Whole redeem steps worth at most half the sale: what the points may pay.
            part = min(offers.get("points", part), self.plan["points_step_value"] * 3)
            while part > total / 2 and part > 0:
                part -= self.plan["points_step_value"]
        elif split == "on_account":
            part = min(offers.get("on_account", part), cents(total / 2))
        payments = [{"method": split, "amount": str(part)}] if part > 0 else []
        if total - part > 0:
            payments.append({"method": "cash", "amount": str(total - part)})
        return payments


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "bench/chain.py measures PostgreSQL: set DATABASE_URL to a postgres:// URL"
        )
    return url


def ensure_database(url: str) -> None:
    """Create the database ``url`` names on its server when it is not there."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


TIMEOUT_VARIABLE = "CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS"


def prepare(args) -> dict:
    """Migrate, seed what is missing, and return what every run's tills share."""
    import django

    # This process migrates and seeds, as manage.py would: no statement timeout (an
    # upgrade's data migration at 200,000 customers runs longer than a request may). The
    # servers started later keep the settings' timeout, so the variable goes back.
    before = os.environ.get(TIMEOUT_VARIABLE)
    os.environ[TIMEOUT_VARIABLE] = "0"
    try:
        django.setup()
    finally:
        if before is None:
            os.environ.pop(TIMEOUT_VARIABLE)
        else:
            os.environ[TIMEOUT_VARIABLE] = before
    from django.core.management import call_command

    from bench.seed import seed_customers, seed_shop
    from customers.models import Customer
    from loyalty.models import LoyaltyProgram
    from sales import services
    from sales.models import Product

    call_command("migrate", verbosity=0)
    analyze()
    existing = Customer.objects.count()
    if existing == 0:
        seed_shop(customers=args.customers, sales=0, stdout=sys.stderr)
    elif existing < args.customers:
        seed_customers(count=args.customers - existing)
    active = Product.objects.filter(active=True)
    for number in range(active.count(), 12):
        services.product_create(
            sku=f"CHAIN-{number:03d}", name=f"Chain product {number}", price=f"{2 + number}.50"
        )
    # The searched customers: a sample of the base, each with what a cashier would type.
    sampler = random.Random(args.seed)  # noqa: S311 - simulated customers, not security
    ids = list(Customer.objects.active().values_list("pk", flat=True).order_by("pk"))
    picked = sampler.sample(ids, min(len(ids), SEARCHED_CUSTOMERS))
    searched = [
        (customer.pk, search_term(customer, sampler))
        for customer in Customer.objects.filter(pk__in=picked).only("pk", "name", "email", "phone")
    ]
    program = LoyaltyProgram.current()
    return {
        "customers": Customer.objects.count(),
        "products": list(active.values_list("pk", flat=True).order_by("pk")),
        "searched": searched,
        "active_ids": ids,
        "points_step_value": cents(program.redeem_value),
    }


def analyze() -> None:
    """Give PostgreSQL's planner fresh statistics of every table, as autovacuum would.

    A server with autovacuum off (this workplace's is) never analyses a table the
    bench fills: the idempotency purge each checkout runs (``created_at <`` a day
    ago) then reads the whole table instead of its index, 25 ms at 25,000 answers
    and growing, inside the transaction that holds the store's counter row.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def search_term(customer, sampler: random.Random) -> str:
    """What a cashier types to find ``customer``: the name, the phone's last digits or the
    email's first part, as the customer answers."""
    choice = sampler.random()
    if customer.phone and choice < 0.25:
        digits = re.sub(r"\D", "", customer.phone)[-7:]
        return f"{digits[:3]}-{digits[3:]}"
    if customer.email and choice < 0.5:
        return customer.email.split("@")[0]
    return customer.name


def make_chain(stores: int, tills: int, plan: dict, sampler: random.Random) -> list[dict]:
    """Make ``stores`` new stores with ``tills`` tills among them; return each till's client.

    Codes new to the database (``C<run>S<n>``), so each run's series start at 1 and
    the checks read every store's series, earlier runs' too. Each till has its own
    Cashier, who may sell only at that store, and its own member customers.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from knox.models import AuthToken

    from accounting.services import account_set_credit_limit
    from classicpos.api.authentication import stamp_for_new_token
    from classicpos.roles import CASHIER, MANAGER
    from customers.models import Customer
    from loyalty.services import points_adjust
    from stores import services
    from stores.models import Store

    chain = Store.objects.filter(code__startswith="C").count() // max(stores, 1) + 1
    while Store.objects.filter(code__startswith=f"C{chain}S").exists():
        chain += 1
    manager = run.bench_user("bench-manager", MANAGER)
    cashier_group = Group.objects.get(name=CASHIER)
    made = [
        services.store_create(
            code=f"C{chain}S{number + 1}", name=f"Chain {chain} store {number + 1}"
        )
        for number in range(stores)
    ]
    members = sampler.sample(plan["active_ids"], tills * MEMBERS_PER_TILL)
    clients = []
    for number in range(tills):
        store = made[number % stores]
        till = services.till_create(store=store, name=f"Till {number // stores + 1}")
        user, _ = get_user_model().objects.get_or_create(username=f"chain-{store.code}-{till.pk}")
        user.is_staff = True
        user.save()
        user.groups.set([cashier_group])
        store.staff.add(user)
        stamp_for_new_token(user)
        _, token = AuthToken.objects.create(user)
        own = []
        for customer in Customer.objects.filter(
            pk__in=members[number * MEMBERS_PER_TILL : (number + 1) * MEMBERS_PER_TILL]
        ):
            if customer.loyalty_points < MEMBER_POINTS // 2:
                points_adjust(
                    customer=customer,
                    points=MEMBER_POINTS,
                    reason="Chain bench: points to pay with",
                    user=manager,
                )
            account_set_credit_limit(
                customer=customer, credit_limit=MEMBER_CREDIT_LIMIT, user=manager
            )
            own.append(
                (customer.pk, customer.email.split("@")[0] if customer.email else customer.name)
            )
        clients.append({"id": till.pk, "store_code": store.code, "token": token, "members": own})
    return clients


def query_counts(clients: list[dict], plan: dict) -> dict:
    """Return the queries each request type makes, counted in process (one request each)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    till = clients[0]
    client = Client(HTTP_AUTHORIZATION=f"Token {till['token']}", HTTP_HOST="127.0.0.1")
    customer_id, term = till["members"][0]
    lines = [{"productId": product, "quantity": 1} for product in plan["products"][:3]]
    body = {"tillId": till["id"], "customerId": customer_id, "lines": lines}
    counts = {}
    requests = {
        "search": lambda: client.get(
            "/api/customers", {"status": "active", "pageSize": 8, "search": term}
        ),
        "quote": lambda: client.post("/api/sales/quote", body, content_type="application/json"),
        "checkout": lambda: client.post(
            "/api/sales",
            {**body, "payments": [{"method": "cash", "amount": "10000.00"}]},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        ),
    }
    for kind, send in requests.items():
        send()  # the first request of a process compiles what later ones reuse
        with CaptureQueriesContext(connection) as captured:
            response = send()
        if response.status_code >= 400:
            raise SystemExit(f"{kind}: {response.status_code} {response.content[:300]!r}")
        counts[kind] = len(captured.captured_queries)
    return counts


def warm_up(port: int, clients: list[dict], plan: dict, workers: int) -> None:
    """Send each worker its first requests before the clock starts.

    A worker's first requests build what later ones reuse (URL resolvers, kept
    statements, serializer fields): on a busy machine a second or more, which a
    smoke run of a few seconds would otherwise spend entirely.
    """
    tally = Tally()
    stop = threading.Event()
    threads = []
    for number in range(2 * workers):
        till = Till(
            port=port,
            till=clients[number % len(clients)],
            plan=plan,
            tally=tally,
            think=[0],
            stop=stop,
            seed=number,
        )
        threads.append(threading.Thread(target=till.sell))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def summarise(samples: list[Sample], since: float, until: float) -> dict:
    """Return the figures of the samples started in [since, until)."""
    chosen = [sample for sample in samples if since <= sample.started < until]
    figures = {"seconds": until - since}
    for kind in REQUEST_TYPES:
        timings = sorted(sample.ms for sample in chosen if sample.kind == kind and sample.ok)
        figures[kind] = {
            "count": len(timings),
            "errors": sum(1 for sample in chosen if sample.kind == kind and not sample.ok),
            "p50": statistics.median(timings) if timings else 0.0,
            "p95": percentile(timings, 0.95),
            "p99": percentile(timings, 0.99),
            "max": timings[-1] if timings else 0.0,
        }
    sales = [sample.started for sample in chosen if sample.kind == "checkout" and sample.ok]
    figures["sales"] = len(sales)
    figures["rate"] = len(sales) / (until - since)
    windows = defaultdict(int)
    for started in sales:
        windows[int((started - since) // WINDOW_SECONDS)] += 1
    whole = int((until - since) // WINDOW_SECONDS)
    figures["slowest_window"] = (
        min(windows.get(index, 0) for index in range(whole)) / WINDOW_SECONDS if whole else None
    )
    figures["errors"] = sum(figures[kind]["errors"] for kind in REQUEST_TYPES)
    return figures


def run_chain(args, env: dict, plan: dict, stores: int, sampler: random.Random) -> dict:
    """Make a chain of ``stores`` stores, sell at its tills, and return what was measured."""
    clients = make_chain(stores, args.tills, plan, sampler)
    queries = query_counts(clients, plan)
    analyze()  # the last run's rows too
    profile_dir = tempfile.mkdtemp(prefix="chain-profile-") if args.profile else None
    if profile_dir:
        app, server_env = "bench.timed_wsgi:application", {**env, "CHAIN_PROFILE_DIR": profile_dir}
    else:
        app, server_env = "classicpos.wsgi", env
    server = run.Server(app, server_env, args.workers)
    tally = Tally()
    stop = threading.Event()
    think = [args.think]
    tills = [
        Till(
            port=server.port,
            till=client,
            plan=plan,
            tally=tally,
            think=think,
            stop=stop,
            seed=sampler.random(),
        )
        for client in clients
    ]
    warm_up(server.port, clients, plan, args.workers)
    load_before = run.load_average()
    steps = []
    try:
        for till in tills:
            till.start()
        started = time.monotonic()
        measured_from = started + args.warmup
        until = measured_from + args.duration
        time.sleep(until - time.monotonic())
        for step_think in args.steps:
            # Until the tills are in the new pace: a wait begun at the old think time ends.
            settle = min(10.0, 1.5 * think[0] + 2 * step_think)
            think[0] = step_think
            step_from = time.monotonic() + settle
            time.sleep(step_from - time.monotonic() + args.step_duration)
            steps.append((step_think, summarise(tally.samples, step_from, time.monotonic())))
        stop.set()
        for till in tills:
            till.join(timeout=HTTP_TIMEOUT_SECONDS + 5)
        rss = server.peak_rss_mb()
    finally:
        stop.set()
        server.stop()
    figures = summarise(tally.samples, measured_from, until)
    return {
        "profile": read_profile(profile_dir) if profile_dir else None,
        "stores": stores,
        "figures": figures,
        "steps": steps,
        "queries": queries,
        "tally": tally,
        "load_before": load_before,
        "load_after": run.load_average(),
        "rss": rss,
        "checks": check_database(tally),
    }


def read_profile(folder: str) -> dict:
    """Add up the workers' figures (``bench/timed_wsgi.py``) and remove their folder."""
    requests = defaultdict(lambda: defaultdict(float))
    statements = defaultdict(lambda: [0, 0.0])
    for path in Path(folder).glob("worker-*.json"):
        figures = json.loads(path.read_text())
        for kind, row in figures["requests"].items():
            for name, value in row.items():
                requests[kind][name] += value
        for kind, sql, count, seconds in figures["statements"]:
            statements[(kind, sql)][0] += count
            statements[(kind, sql)][1] += seconds
    shutil.rmtree(folder, ignore_errors=True)
    return {"requests": requests, "statements": statements}


def check_database(tally: Tally) -> dict:
    """Check every store's series and every ledger; return what was found wrong, if anything."""
    from accounting.models import Invoice
    from accounting.selectors import invoice_mismatches, store_credit_mismatches
    from loyalty.selectors import balance_mismatches
    from sales.models import Sale
    from sales.selectors import sales_totals_mismatches
    from stores.models import NumberSeries, Store, StoreCounter

    problems = []
    counters = {(row.store_id, row.series): row.last_number for row in StoreCounter.objects.all()}
    series_checked = 0
    for store in Store.objects.order_by("pk"):
        for series, model, prefix in (
            (NumberSeries.SALE, Sale, f"{store.code}-"),
            (NumberSeries.INVOICE, Invoice, f"INV-{store.code}-"),
        ):
            numbers = list(model.objects.filter(store=store).values_list("number", flat=True))
            if not numbers:
                continue
            series_checked += 1
            wrong = [number for number in numbers if not number.startswith(prefix)]
            values = [int(number.rpartition("-")[2]) for number in numbers]
            duplicates = len(values) - len(set(values))
            missing = len(set(range(1, max(values) + 1)) - set(values))
            last = counters.get((store.pk, series), 0)
            if wrong or duplicates or missing or last != max(values):
                problems.append(
                    f"{store.code} {series}: {len(values)} numbers, {duplicates} duplicate, "
                    f"{missing} missing, {len(wrong)} of another series, counter at {last}"
                )
    for code, numbers in tally.sold.items():
        kept = {
            int(number.rpartition("-")[2])
            for number in Sale.objects.filter(store__code=code).values_list("number", flat=True)
        }
        if numbers - kept:
            problems.append(f"{code}: {len(numbers - kept)} sales the tills were told of are gone")
    ledgers = {
        "points balances": balance_mismatches().count(),
        "store credit balances": store_credit_mismatches().count(),
        "invoices": invoice_mismatches().count(),
        "sales totals": len(sales_totals_mismatches()),
    }
    problems += [
        f"{count} {name} differ from their ledger" for name, count in ledgers.items() if count
    ]
    return {"problems": problems, "series": series_checked, "ledgers": ledgers}


def report(args, runs: list[dict], plan: dict, speed: tuple[float, float]) -> str:
    """Return the Markdown section: the runs side by side, the step-ups, the checks."""
    measured = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join(["python bench/chain.py", *sys.argv[1:]])
    lines = [
        f"{measured}: `{command}` on {os.cpu_count()} cores, PostgreSQL, "
        f"{plan['customers']:,} customers; gunicorn, {args.workers} sync workers, `DEBUG` off, "
        f"and the {args.tills} till clients (threads of one process) on the same machine. "
        f"Think time {args.think:g} s on average before each request; {args.warmup:g} s of "
        f"warm-up, then {args.duration:g} s measured. The reference loop took "
        f"{speed[0]:.0f} ms before and {speed[1]:.0f} ms after (fastest seen: "
        f"{run.REFERENCE_LOOP_FASTEST_MS} ms).",
        "",
        "| | "
        + " | ".join(f"{item['stores']} store(s), {args.tills} tills" for item in runs)
        + " |",
        "|---|" + "---:|" * len(runs),
    ]

    def row(label: str, cell) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(item) for item in runs) + " |")

    row("load average before / after", lambda item: f"{item['load_before']} / {item['load_after']}")

    def rate(figures: dict) -> str:
        slowest = figures["slowest_window"]
        return f"{figures['rate']:.1f}" + ("" if slowest is None else f" ({slowest:.1f})")

    row("sales/s (slowest 10 s)", lambda item: rate(item["figures"]))
    row("sales", lambda item: f"{item['figures']['sales']:,}")
    for kind in REQUEST_TYPES:
        row(
            f"{kind} p50 / p95 / p99 ms",
            lambda item, kind=kind: "{p50:.0f} / {p95:.0f} / {p99:.0f}".format(
                **item["figures"][kind]
            ),
        )
    row(
        "requests (search, quote, checkout)",
        lambda item: ", ".join(f"{item['figures'][kind]['count']:,}" for kind in REQUEST_TYPES),
    )
    row(
        "queries per request (search, quote, checkout)",
        lambda item: ", ".join(str(item["queries"][kind]) for kind in REQUEST_TYPES),
    )
    profiled = [item for item in runs if item["profile"]]
    if profiled:

        def per_request(item, name: str) -> str:
            requests = item["profile"]["requests"]
            return ", ".join(
                f"{1000 * requests[kind][name] / max(requests[kind]['count'], 1):.1f}"
                for kind in REQUEST_TYPES
            )

        row(
            "worker CPU ms per request (search, quote, checkout)",
            lambda item: per_request(item, "cpu") if item["profile"] else "",
        )
        row(
            "ms in statements per request (search, quote, checkout)",
            lambda item: per_request(item, "db") if item["profile"] else "",
        )
    row("errors", lambda item: str(item["figures"]["errors"]))
    row(
        "searches whose first page missed the customer",
        lambda item: f"{item['tally'].search_misses:,}",
    )
    row("paid partly by points or on account", lambda item: f"{item['tally'].split_sales:,}")
    row(
        "number series checked, problems",
        lambda item: (
            f"{item['checks']['series']}, "
            + ("; ".join(item["checks"]["problems"]) if item["checks"]["problems"] else "none")
        ),
    )
    row(
        "ledgers reconcile",
        lambda item: (
            "yes"
            if not any(item["checks"]["ledgers"].values())
            else ", ".join(f"{name} {count}" for name, count in item["checks"]["ledgers"].items())
        ),
    )
    row("server peak RSS (largest process)", lambda item: f"{item['rss']:.0f} MB")
    for item in [item for item in runs if item["profile"]]:
        checkouts = max(item["profile"]["requests"]["checkout"]["count"], 1)
        slowest = sorted(
            (
                (seconds, count, sql)
                for (kind, sql), (count, seconds) in item["profile"]["statements"].items()
                if kind == "checkout"
            ),
            reverse=True,
        )[:PROFILE_STATEMENTS]
        lines += [
            "",
            f"{item['stores']} store(s), the checkout's statements by time spent in them "
            "(ms per checkout, runs per checkout; the whole run, warm-up and steps included):",
            "",
            *(
                f"    {1000 * seconds / checkouts:6.1f} ms {count / checkouts:4.1f}x  {sql[:110]}"
                for seconds, count, sql in slowest
            ),
        ]
    stepped = [item for item in runs if item["steps"]]
    for item in stepped:
        lines += [
            "",
            f"Step-up, {item['stores']} store(s): the same tills with shorter think times, "
            f"{args.step_duration:g} s measured each.",
            "",
            "| think s | sales/s | checkout p50 / p95 ms | quote p95 ms | search p95 ms | errors |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        held = []
        for think, figures in item["steps"]:
            lines.append(
                f"| {think:g} | {figures['rate']:.1f} | {figures['checkout']['p50']:.0f} / "
                f"{figures['checkout']['p95']:.0f} | {figures['quote']['p95']:.0f} | "
                f"{figures['search']['p95']:.0f} | {figures['errors']} |"
            )
            if figures["checkout"]["p95"] <= TARGET_CHECKOUT_P95_MS and not figures["errors"]:
                held.append(figures["rate"])
        lines += [
            "",
            f"Highest held with checkout p95 ≤ {TARGET_CHECKOUT_P95_MS} ms: "
            + (f"{max(held):.1f} sales/s." if held else "none of the steps."),
        ]
    failed = [item for item in runs if item["figures"]["errors"] or item["checks"]["problems"]]
    errors = [error for item in runs for error in item["tally"].errors[:5]]
    if errors:
        lines += ["", "First errors:", "", *(f"    {error}" for error in errors)]
    verdicts = []
    for item in runs:
        figures, missed = item["figures"], []
        if figures["rate"] < TARGET_SALES_PER_SECOND:
            missed.append(f"{figures['rate']:.1f} sales/s")
        if figures["checkout"]["p95"] > TARGET_CHECKOUT_P95_MS:
            missed.append(f"checkout p95 {figures['checkout']['p95']:.0f} ms")
        if figures["errors"]:
            missed.append(f"{figures['errors']} errors")
        if item["checks"]["problems"]:
            missed.append("numbers or ledgers (above)")
        verdicts.append(
            f"{item['stores']} store(s) "
            + (f"missed {', '.join(missed)}" if missed else "met every target")
        )
    lines += [
        "",
        f"Targets (issue 30): ≥ {TARGET_SALES_PER_SECOND} sales/s sustained, checkout p95 ≤ "
        f"{TARGET_CHECKOUT_P95_MS} ms, 0 errors, 0 duplicate or missing numbers, every ledger "
        "reconciles. "
        + (
            "Correctness checks failed. "
            if failed
            else "Every correctness check passed (0 errors, numbers, ledgers). "
        )
        + "; ".join(verdicts)
        + ".",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="6,1", help="stores per run, e.g. 6,1: a run each")
    parser.add_argument("--tills", type=int, default=60)
    parser.add_argument("--duration", type=float, default=300, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=20, help="seconds before measuring")
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds before a request")
    parser.add_argument(
        "--steps", default="", help="think times of a step-up after the run, e.g. 1,0.5,0.3"
    )
    parser.add_argument("--step-duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--customers", type=int, default=200_000, help="seeded when fewer")
    parser.add_argument("--seed", type=int, default=30)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="serve bench/timed_wsgi.py: worker CPU and statement time per request type",
    )
    parser.add_argument("--smoke", action="store_true", help="a few seconds, a few tills")
    parser.add_argument("--output", default=str(BENCH / "results.md"))
    args = parser.parse_args()
    if args.smoke:
        args.tills, args.duration, args.warmup, args.think = 4, 3, 0.5, 0.05
        args.customers, args.workers = min(args.customers, 300), 2
        args.step_duration = 1
    args.stores = [int(value) for value in args.stores.split(",") if value.strip()]
    args.steps = [float(value) for value in args.steps.split(",") if value.strip()]
    if not args.stores or min(args.stores) < 1 or args.tills < max(args.stores):
        parser.error("--stores needs figures of at least 1, and at least as many tills")

    url = database_url()
    ensure_database(url)
    env = {**run.bench_env(args.customers), "DATABASE_URL": url}
    os.environ.update(env)
    # As the servers are told (``run.bench_env``): the API serves no static files.
    warnings.filterwarnings("ignore", "No directory at")
    plan = prepare(args)
    sampler = random.Random(args.seed)  # noqa: S311 - simulated customers, not security
    speed_before = run.reference_loop_ms()
    runs = []
    for stores in args.stores:
        runs.append(run_chain(args, env, plan, stores, sampler))
        run.say(f"{stores} store(s): {runs[-1]['figures']['rate']:.1f} sales/s")
    text = report(args, runs, plan, (speed_before, run.reference_loop_ms()))
    run.say(text)
    run.write_section(Path(args.output), SECTION, text)
    if any(item["figures"]["errors"] or item["checks"]["problems"] for item in runs):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
