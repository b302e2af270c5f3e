"""Does a big import hold up the till? ``python bench/import_during_sales.py``.

Serves the app with gunicorn on its own SQLite file (``var/bench-import.sqlite3``,
made afresh; or the database ``DATABASE_URL`` names), then times the till's
checkout (``POST /api/sales``, a Cashier's token) over HTTP three ways: alone;
while a Manager checks an import file of ``--rows`` new customers
(``POST /api/customers/import`` with ``dryRun=true``); and while the file is
imported. The issue's target: a sale's p95 during an import at most twice its p95
alone. On SQLite every write waits for the one write lock, so a sale waits for
whatever import batch is being written; a check should make it wait for nothing.
Prints the table and writes it to ``--output``'s "Import beside the till" section.
"""

import argparse
import io
import json
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402 - after the path that finds it

SECTION = "Import beside the till"


def import_file(rows: int) -> bytes:
    """Return a CSV of ``rows`` new customers, each with their own email and phone."""
    lines = ["name,email,phone,address"]
    for number in range(rows):
        lines.append(
            f"Bench Import {number},import{number}@bench.example,"
            f"+1415{5000000 + number:07d},{number} Import Street"
        )
    return ("\n".join(lines) + "\n").encode()


def multipart(data: bytes, dry_run: bool) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="dryRun"\r\n\r\n'.encode())
    body.write(b"true" if dry_run else b"false")
    body.write(
        f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="customers.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
    )
    body.write(data)
    body.write(f"\r\n--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def prepare() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from knox.models import AuthToken

    from classicpos.api.authentication import stamp_for_new_token
    from classicpos.roles import CASHIER, MANAGER
    from sales import services

    call_command("migrate", verbosity=0)
    cashier = run.bench_user("bench", CASHIER)
    manager = run.bench_user("bench-manager", MANAGER)
    tokens = {}
    for name, user in (("cashier", cashier), ("manager", manager)):
        stamp_for_new_token(user)
        tokens[name] = AuthToken.objects.create(user)[1]
    product = services.product_create(
        sku=f"BENCH-{uuid.uuid4().hex[:8]}", name="Bench coffee", price="3.50"
    )
    return {"tokens": tokens, "product": product.pk}


def sell(port: int, token: str, product: int) -> tuple[float, int]:
    body = json.dumps(
        {
            "lines": [{"productId": product, "quantity": 1}],
            "payments": [{"method": "cash", "amount": "3.50"}],
        }
    ).encode()
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": uuid.uuid4().hex,
    }
    elapsed, status, _ = run.timed(port, "POST", "/api/sales", body, headers)
    return elapsed, status


def sales_while(port: int, names: dict, busy: threading.Event, pause: float) -> list[float]:
    """Time sales one after another while ``busy`` is set; return their milliseconds."""
    samples = []
    while busy.is_set():
        elapsed, status = sell(port, names["tokens"]["cashier"], names["product"])
        if status != 201:
            raise SystemExit(f"a sale during the import answered {status}")
        samples.append(elapsed)
        time.sleep(pause)
    return samples


def during(port: int, names: dict, data: bytes, dry_run: bool, pause: float) -> dict:
    """Run one import (or check) and time sales beside it."""
    body, content_type = multipart(data, dry_run)
    busy = threading.Event()
    busy.set()
    result = {}

    def importer():
        started = time.perf_counter()
        result["ms"], result["status"], content = run.timed(
            port,
            "POST",
            "/api/customers/import",
            body,
            {
                "Authorization": f"Token {names['tokens']['manager']}",
                "Content-Type": content_type,
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )
        result["seconds"] = time.perf_counter() - started
        result["report"] = json.loads(content) if result["status"] == 200 else content[:300]
        busy.clear()

    thread = threading.Thread(target=importer)
    thread.start()
    samples = sales_while(port, names, busy, pause)
    thread.join()
    if result["status"] != 200:
        raise SystemExit(f"the import answered {result['status']}: {result['report']!r}")
    return {"samples": samples, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--alone", type=int, default=200, help="sales timed alone")
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between sales")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", default=str(BENCH / "results.md"))
    args = parser.parse_args()

    env = run.bench_env(0)
    if env["DATABASE_URL"].endswith("bench-0.sqlite3"):
        scratch = run.ROOT / "var" / "bench-import.sqlite3"
        for leftover in scratch.parent.glob(scratch.name + "*"):
            leftover.unlink()
        env["DATABASE_URL"] = f"sqlite:///{scratch}"
    run.os.environ.update(env)
    names = prepare()
    data = import_file(args.rows)
    server = run.Server("classicpos.wsgi", env, args.workers)
    try:
        sell(server.port, names["tokens"]["cashier"], names["product"])  # warm the workers
        alone = [
            sell(server.port, names["tokens"]["cashier"], names["product"])[0]
            for _ in range(args.alone)
        ]
        checked = during(server.port, names, data, dry_run=True, pause=args.pause)
        imported = during(server.port, names, data, dry_run=False, pause=args.pause)
    finally:
        server.stop()
    report = table(args, env, alone, checked, imported)
    run.say(report)
    run.write_section(Path(args.output), SECTION, report)


def table(args, env, alone: list[float], checked: dict, imported: dict) -> str:
    alone_p50, alone_p95 = run.percentiles(alone)
    lines = [
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `python bench/import_during_sales.py "
        f"--rows {args.rows}` on {env['DATABASE_URL'].split(':')[0]}; gunicorn, "
        f"{args.workers} sync workers; load average {run.load_average()}.",
        "",
        "| checkout (`POST /api/sales`) | sales | p50 ms | p95 ms | p95 vs alone | import |",
        "|---|---|---|---|---|---|",
        f"| alone | {len(alone)} | {alone_p50:.1f} | {alone_p95:.1f} | 1.0x | — |",
    ]
    for label, result in (("while a file is checked", checked), ("while it is imported", imported)):
        p50, p95 = run.percentiles(result["samples"])
        report = result["report"]
        lines.append(
            f"| {label} | {len(result['samples'])} | {p50:.1f} | {p95:.1f} | "
            f"{run.ratio(p95 / alone_p95)} | {result['seconds']:.1f} s, "
            f"{report.get('created', 0):,} created |"
        )
    lines += [
        "",
        f"Target: p95 during an import at most 2x alone ({2 * alone_p95:.1f} ms).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
