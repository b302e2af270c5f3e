"""Does a big import hold up the till? ``python bench/import_during_sales.py``.

Serves the app with gunicorn on its own SQLite file (``var/bench-import.sqlite3``,
made afresh; or the database ``DATABASE_URL`` names), with the job runner
(``manage.py run_jobs``) beside it, then times the till's checkout
(``POST /api/sales``, a Cashier's token) over HTTP three ways: alone; while a
Manager checks an import file of ``--rows`` new customers
(``POST /api/customers/import`` with ``dryRun=true``); and while the file is
imported. Every file goes to a background job (the server is told to import none
in the request): the Manager gets 202 and polls ``GET /api/jobs/{id}`` every half
second until the job is done; its seconds are from the POST to the job's end.
The issue's target: a sale's p95 during an import at most twice its p95 alone.
On SQLite every write waits for the one write lock, so a sale waits for whatever
import batch is being written; the job rests after each batch
(``CLASSICPOS_JOB_WRITE_SHARE_PERCENT``) so that few sales arrive during one.
``--batch-size`` runs the runner with another ``customers.jobs.JOB_BATCH_SIZE``.
Prints the table and writes it to ``--output``'s "Import beside the till" section
(on PostgreSQL, its "PostgreSQL: import beside the till" section).
"""

import argparse
import io
import json
import os
import signal
import subprocess
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
POSTGRESQL_SECTION = "PostgreSQL: import beside the till"
POLL_SECONDS = 0.5


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


def job_runner(env: dict, batch_size: int | None) -> subprocess.Popen:
    """Start the job runner beside the server: ``manage.py run_jobs``, or this script's own."""
    if batch_size is None:
        command = [sys.executable, "manage.py", "run_jobs"]
    else:
        command = [sys.executable, str(Path(__file__).resolve()), "--runner", str(batch_size)]
    return subprocess.Popen(  # noqa: S603 - our own runner
        command, cwd=run.ROOT, env=env, stdout=subprocess.DEVNULL
    )


def run_jobs_with_batch(batch_size: int) -> None:
    """``manage.py run_jobs`` with ``customers.jobs.JOB_BATCH_SIZE`` set to ``batch_size``."""
    import django

    django.setup()
    from django.core.management import call_command

    from customers import jobs

    jobs.JOB_BATCH_SIZE = batch_size
    call_command("run_jobs")


def stop(runner: subprocess.Popen) -> None:
    """Stop the runner: it finishes the job in hand (none, by then) and exits."""
    runner.send_signal(signal.SIGTERM)
    try:
        runner.wait(timeout=60)
    except subprocess.TimeoutExpired:
        runner.kill()
        runner.wait()


def import_job(port: int, token: str, data: bytes, dry_run: bool, runner) -> dict:
    """POST the file, expect 202, poll its job until it ends; return the job and its seconds."""
    body, content_type = multipart(data, dry_run)
    auth = {"Authorization": f"Token {token}"}
    posted = datetime.now(UTC)
    _, status, content = run.timed(
        port,
        "POST",
        "/api/customers/import",
        body,
        {**auth, "Content-Type": content_type, "Idempotency-Key": uuid.uuid4().hex},
    )
    if status != 202:
        raise SystemExit(f"the import answered {status}, not 202 (a job): {content[:300]!r}")
    job = json.loads(content)
    while job["status"] not in ("done", "failed"):
        if runner.poll() is not None:
            raise SystemExit(f"the job runner exited ({runner.returncode}) before job {job['id']}")
        time.sleep(POLL_SECONDS)
        _, status, content = run.timed(port, "GET", f"/api/jobs/{job['id']}", None, auth)
        if status != 200:
            raise SystemExit(f"GET /api/jobs/{job['id']} answered {status}: {content[:300]!r}")
        job = json.loads(content)
    if job["status"] == "failed":
        raise SystemExit(f"the import job {job['id']} failed: {job['error']} {job['summary']!r}")
    # The job's own end, not the poll that saw it (up to half a second later).
    finished = datetime.fromisoformat(job["finishedAt"].replace("Z", "+00:00"))
    return {"job": job, "seconds": (finished - posted).total_seconds()}


def during(port: int, names: dict, data: bytes, dry_run: bool, pause: float, runner) -> dict:
    """Run one import (or check) as a job and time sales beside it until the job ends."""
    busy = threading.Event()
    busy.set()
    result = {}

    def importer():
        try:
            result.update(import_job(port, names["tokens"]["manager"], data, dry_run, runner))
        except SystemExit as error:  # a thread's SystemExit would vanish: main raises it
            result["error"] = error
        finally:  # the sales stop either way; an unexpected error's traceback is printed
            busy.clear()

    thread = threading.Thread(target=importer, daemon=True)
    thread.start()
    samples = sales_while(port, names, busy, pause)
    thread.join()
    if "error" in result:
        raise result["error"]
    if "job" not in result:
        raise SystemExit("the importer thread stopped (its traceback is above)")
    return {"samples": samples, "report": result["job"]["summary"], **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--alone", type=int, default=200, help="sales timed alone")
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between sales")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--batch-size", type=int, help="rows per import batch (default: customers.jobs')"
    )
    parser.add_argument("--runner", type=int, help=argparse.SUPPRESS)  # the runner itself
    parser.add_argument("--output", default=str(BENCH / "results.md"))
    args = parser.parse_args()
    if args.runner is not None:
        run_jobs_with_batch(args.runner)
        return

    env = run.bench_env(0)
    if env["DATABASE_URL"].endswith("bench-0.sqlite3"):
        scratch = run.ROOT / "var" / "bench-import.sqlite3"
        for leftover in scratch.parent.glob(scratch.name + "*"):
            leftover.unlink()
        env["DATABASE_URL"] = f"sqlite:///{scratch}"
    # Every file is imported by a job, as one of more than 1,000 rows is by default.
    env["CLASSICPOS_IMPORT_BACKGROUND_ROWS"] = "0"
    run.os.environ.update(env)
    names = prepare()
    data = import_file(args.rows)
    args.load_before = run.load_average()
    server = run.Server("classicpos.wsgi", env, args.workers)
    runner = None
    try:
        runner = job_runner(env, args.batch_size)
        sell(server.port, names["tokens"]["cashier"], names["product"])  # warm the workers
        alone = [
            sell(server.port, names["tokens"]["cashier"], names["product"])[0]
            for _ in range(args.alone)
        ]
        checked = during(server.port, names, data, True, args.pause, runner)
        imported = during(server.port, names, data, False, args.pause, runner)
    finally:
        if runner is not None:
            stop(runner)
        server.stop()
    report = table(args, env, alone, checked, imported)
    run.say(report)
    on_sqlite = env["DATABASE_URL"].startswith("sqlite")
    run.write_section(Path(args.output), SECTION if on_sqlite else POSTGRESQL_SECTION, report)


def table(args, env, alone: list[float], checked: dict, imported: dict) -> str:
    from django.conf import settings

    from customers.jobs import JOB_BATCH_SIZE

    alone_p50, alone_p95 = run.percentiles(alone)
    options = f"--rows {args.rows} --alone {args.alone}"
    if args.batch_size is not None:
        options += f" --batch-size {args.batch_size}"
    share = env.get("CLASSICPOS_JOB_WRITE_SHARE_PERCENT")
    setting = f"CLASSICPOS_JOB_WRITE_SHARE_PERCENT={share} " if share else ""
    percent = settings.CLASSICPOS_JOB_WRITE_SHARE_PERCENT
    rests = (
        f"resting after each so as to write at most {percent} % of the time"
        if percent < 100
        else "never resting (a write share of 100 %)"
    )
    lines = [
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `{setting}python bench/import_during_sales.py "
        f"{options}` on {env['DATABASE_URL'].split(':')[0]}; gunicorn, "
        f"{args.workers} sync workers, and `manage.py run_jobs` (one runner): the check and "
        f"the import are background jobs, in batches of {args.batch_size or JOB_BATCH_SIZE} "
        f"rows, {rests}; {os.cpu_count()} cores, load average {args.load_before} before, "
        f"{run.load_average()} after.",
        "",
        "| checkout (`POST /api/sales`) | sales | p50 ms | p95 ms | p95 vs alone | import |",
        "|---|---|---|---|---|---|",
        f"| alone | {len(alone)} | {alone_p50:.1f} | {alone_p95:.1f} | 1.0x | — |",
    ]
    slow = []
    for label, result in (("while a file is checked", checked), ("while it is imported", imported)):
        p50, p95 = run.percentiles(result["samples"])
        report = result["report"]
        lines.append(
            f"| {label} | {len(result['samples'])} | {p50:.1f} | {p95:.1f} | "
            f"{run.ratio(p95 / alone_p95)} | {result['seconds']:.1f} s, "
            f"{report.get('created', 0):,} created |"
        )
        over = [sample for sample in result["samples"] if sample > 2 * alone_p95]
        slow.append(
            f"{label}, {len(over)} of {len(result['samples'])} "
            f"(the slowest {max(result['samples']):.0f} ms)"
        )
    lines += [
        "",
        f"Target: p95 during an import at most 2x alone ({2 * alone_p95:.1f} ms). "
        f"Sales slower than that: {'; '.join(slow)}. Job seconds run from the POST to the "
        "job's `finishedAt`; the Manager polls `GET /api/jobs/{id}` every 0.5 s.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
