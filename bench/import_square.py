"""How long does a shop's whole Square export take to import? ``python bench/import_square.py``.

Writes a Square customer export (Square Dashboard -> Customers -> Export: the
header of ``tests/customers/import_formats/square.csv``) of ``--rows`` distinct
customers to a temporary file, streamed and seeded (the same ``--seed`` gives the
same file), then imports it as an operator would, ``manage.py import_customers
FILE`` in a process of its own, and times it, with the process's peak RSS (from
``wait4``). It then imports the same file again: every row matches its customer
by the Square Customer ID, so the second run must add and update nobody (the
script stops if it does). Given several ``--rows`` (``--rows 25000 100000``), it
imports a file of each size in turn, each with its own customers (ids, emails
and phones), so that the peak RSS of each shows whether memory grows with the file.

Runs on its own SQLite file (``var/bench-square.sqlite3``, made afresh), or the
PostgreSQL database ``DATABASE_URL`` names, which must hold no customers yet (a
scratch database: the script adds ``sum(--rows)`` customers and deletes nothing).
The issue's target (#29): 100,000 rows in under a minute. Prints the table and
writes it to ``--output``'s "Square import" section (on PostgreSQL,
"PostgreSQL: Square import"). ``--profile`` instead imports one file of ``--rows``
in this process under cProfile and prints where the time goes.
"""

import argparse
import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402 - after the path that finds it

SECTION = "Square import"
POSTGRESQL_SECTION = "PostgreSQL: Square import"
TARGET_SECONDS = 60  # for 100,000 rows
TARGET_ROWS = 100_000

# Line 1 of tests/customers/import_formats/square.csv (its README names the sources).
HEADER = [
    "Reference ID",
    "First Name",
    "Last Name",
    "Email Address",
    "Phone Number",
    "Nickname",
    "Company Name",
    "Street Address 1",
    "Street Address 2",
    "City",
    "State",
    "Postal Code",
    "Birthday",
    "Memo",
    "Square Customer ID",
    "Creation Source",
    "First Visit",
    "Last Visit",
    "Transaction Count",
    "Lifetime Spend",
    "Email Subscription Status",
    "Instant Profile",
    "Blocked from online booking",
]
FIRST_NAMES = (  # noqa: SIM905 - names read as a line
    "Daniel Sofia Ken Maria James Olivia Noah Emma Liam Ava Mateo Isabella Lucas Mia Ethan "
    "Amelia Jose Chloe Wei Priya Aisha Hiroshi Zoe Omar Grace Diego Hannah Samuel Leila Jack "
    "Nora Ravi Elena Marcus Fatima Chen Lucia Tomas Ines Kofi"
).split()
LAST_NAMES = (  # noqa: SIM905 - names read as a line
    "Reyes Marino Smith Johnson Nguyen Garcia Patel Kim O'Brien Müller Rossi Cohen Okafor "
    "Tanaka Lopez Martin Brown Wilson Anderson Silva Haddad Novak Schmidt Dubois Kowalski "
    "Santos Jensen Murphy Ali Chang Fischer Moreau Ivanova Costa Lindqvist Park"
).split()
STREETS = (
    "Folsom St",
    "Valencia St",
    "Mission St",
    "Market St",
    "Divisadero St",
    "Clement St",
    "Irving St",
    "Telegraph Ave",
    "Broadway",
    "College Ave",
)
CITIES = (
    ("San Francisco", "CA", "941"),
    ("Oakland", "CA", "946"),
    ("Berkeley", "CA", "947"),
    ("Daly City", "CA", "940"),
    ("San Mateo", "CA", "944"),
)
MEMOS = (
    "Likes the window seat",
    "Oat milk, no sugar",
    "Allergic to nuts",
    "Prefers email receipts",
    'Calls herself "the regular"',
    "Birthday coffee on the house",
    "Wholesale: invoice monthly\nAsk for PO number",
)
SOURCES = ("Directory", "Loyalty", "Instant Profile", "Third Party", "Appointments")
SUBSCRIPTIONS = ("Subscribed", "Subscribed", "Unsubscribed", "Unknown")
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TIME = "/usr/bin/time"
SUMMARY = re.compile(r"created (\d+), updated (\d+), left unchanged (\d+); (\d+) rows with errors")


def square_id(rng: random.Random, number: int) -> str:
    """Return a 26-character id like Square's, unique by its number's last 6 characters."""
    tail = ""
    for _ in range(6):
        number, digit = divmod(number, len(ALPHABET))
        tail = ALPHABET[digit] + tail
    return "".join(rng.choice(ALPHABET) for _ in range(20)) + tail


def square_row(rng: random.Random, number: int) -> list[str]:
    """Return the cells of customer ``number`` of the export, as Square writes them."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if rng.random() < 0.03:
        last = ""  # a first name alone, as an Instant Profile has
    local = f"{first}.{last or 'guest'}{number}".lower().replace("'", "")
    local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()  # Müller
    email = "" if rng.random() < 0.05 else f"{local}@example.com"
    phone = "" if email and rng.random() < 0.05 else f"+1415{2000000 + number:07d}"
    city, state, zip_prefix = rng.choice(CITIES)
    addressed = rng.random() < 0.8
    if rng.random() < 0.7:
        birthday = date(rng.randint(1940, 2006), rng.randint(1, 12), rng.randint(1, 28))
        birthday = birthday.isoformat() if rng.random() < 0.75 else f"{birthday:%m-%d}"
    else:
        birthday = ""
    first_visit = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2400))
    last_visit = first_visit + timedelta(days=rng.randint(0, 300))
    visits = rng.randint(1, 250)
    spent = visits * rng.randint(300, 6000) / 100
    return [
        f"LEGACY-{number:06d}" if rng.random() < 0.1 else "",
        first,
        last,
        email,
        phone,
        first[:3] if rng.random() < 0.1 else "",
        f"{last or first} Studio" if rng.random() < 0.08 else "",
        f"{rng.randint(1, 4999)} {rng.choice(STREETS)}" if addressed else "",
        f"Unit {rng.randint(1, 40)}" if addressed and rng.random() < 0.2 else "",
        city if addressed else "",
        state if addressed else "",
        f"{zip_prefix}{rng.randint(0, 99):02d}" if addressed else "",
        birthday,
        rng.choice(MEMOS) if rng.random() < 0.15 else "",
        square_id(rng, number),
        rng.choice(SOURCES),
        first_visit.isoformat(),
        last_visit.isoformat(),
        str(visits),
        f"${spent:,.2f}",
        rng.choice(SUBSCRIPTIONS) if email else "Unknown",
        "Yes" if rng.random() < 0.05 else "No",
        "No",
    ]


def write_export(path: Path, rows: int, first: int, seed: int) -> None:
    """Write customers ``first`` to ``first + rows - 1`` to ``path``, row by row."""
    rng = random.Random(f"{seed}-{first}")  # noqa: S311 - made-up customers, not secrets
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(first, first + rows):
            writer.writerow(square_row(rng, number))


def import_customers(env: dict, path: Path) -> dict:
    """Run ``manage.py import_customers path``; return seconds, peak RSS and its counts.

    The peak RSS is what ``/usr/bin/time`` reads of the command: ``wait4``'s own for a
    child forked from this process would count this process's size before the exec.
    """
    command = [sys.executable, "manage.py", "import_customers", str(path)]
    with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as out:
        if Path(TIME).exists():
            command = [TIME, "-f", "%M", "-o", rss.name, *command]
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own manage.py
            command, cwd=run.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        measured = Path(rss.name).read_text().split()
        peak_kb = int(measured[-1]) if measured else usage.ru_maxrss  # kilobytes on Linux
        out.seek(0)
        output = out.read().decode()
    found = SUMMARY.search(output)
    if process.returncode != 0 or found is None:
        raise SystemExit(
            f"manage.py import_customers {path} exited {process.returncode}:\n{output[-3000:]}"
        )
    created, updated, unchanged, failed = (int(value) for value in found.groups())
    return {
        "seconds": seconds,
        "rss_mb": peak_kb / 1024,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "failed": failed,
        "source": "Square customer export" in output,
    }


def prepare(env: dict) -> None:
    """Migrate the database; stop unless it holds no customers (the ids must all be new)."""
    run.os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from customers.models import Customer

    call_command("migrate", verbosity=0)
    if Customer.objects.exists():
        raise SystemExit(
            f"{env['DATABASE_URL']} already has customers: give the benchmark an empty database."
        )


def profile(rows: int, seed: int) -> None:
    """Import a file of ``rows`` with ``customer_import`` under cProfile; print the top costs."""
    import cProfile
    import pstats

    from customers.importing import customer_import

    with tempfile.TemporaryDirectory(prefix="bench-square-") as folder:
        path = Path(folder) / f"square-{rows}.csv"
        write_export(path, rows, 0, seed)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        with path.open("rb") as file:
            report = profiler.runcall(customer_import, file=file)
        seconds = time.perf_counter() - started
    run.say(f"{rows:,} rows in {seconds:.1f} s under cProfile: created {report.created:,}")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, nargs="+", default=[TARGET_ROWS], help="rows per file; several sizes"
    )
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--output", default=str(BENCH / "results.md"))
    parser.add_argument(
        "--profile",
        action="store_true",
        help="import a file of the first --rows in process under cProfile; print, save nothing",
    )
    args = parser.parse_args()

    env = run.bench_env(0)
    if env["DATABASE_URL"].endswith("bench-0.sqlite3"):
        scratch = run.ROOT / "var" / "bench-square.sqlite3"
        for leftover in scratch.parent.glob(scratch.name + "*"):
            leftover.unlink()
        env["DATABASE_URL"] = f"sqlite:///{scratch}"
    prepare(env)
    if args.profile:
        profile(args.rows[0], args.seed)
        return
    args.load_before = run.load_average()
    args.loop_before = run.reference_loop_ms()
    results = []
    first = 0
    with tempfile.TemporaryDirectory(prefix="bench-square-") as folder:
        for rows in args.rows:
            path = Path(folder) / f"square-{rows}.csv"
            started = time.perf_counter()
            write_export(path, rows, first, args.seed)
            run.say(
                f"{rows:,} rows written to {path} ({path.stat().st_size / 1e6:.1f} MB) in "
                f"{time.perf_counter() - started:.1f} s; importing"
            )
            imported = import_customers(env, path)
            run.say(f"  import: {imported}")
            if not imported["source"] or imported["created"] != rows or imported["failed"]:
                raise SystemExit(f"the import of {rows:,} new customers did: {imported}")
            again = import_customers(env, path)
            run.say(f"  re-import: {again}")
            if again["created"] or again["updated"] or again["failed"]:
                raise SystemExit(f"the same file imported again changed something: {again}")
            results.append(
                {"rows": rows, "size": path.stat().st_size, "imported": imported, "again": again}
            )
            path.unlink()
            first += rows
    report = table(args, env, results)
    run.say(report)
    on_sqlite = env["DATABASE_URL"].startswith("sqlite")
    run.write_section(Path(args.output), SECTION if on_sqlite else POSTGRESQL_SECTION, report)


def table(args, env: dict, results: list[dict]) -> str:
    engine = env["DATABASE_URL"].split(":")[0]
    options = f" --rows {' '.join(str(rows) for rows in args.rows)}"
    if args.seed != 29:
        options += f" --seed {args.seed}"
    lines = [
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `python bench/import_square.py{options}` "
        f"on {engine}: a Square customer export (its real header; distinct customers, 5 % "
        "without email, birthdays some without a year, lifetime spend as `$1,234.50`) imported "
        "by `manage.py import_customers FILE` in a process of its own, then the same file "
        "again (every row found by its Square Customer ID: nothing added or updated). Seconds "
        "from start to exit (Django's start included); peak RSS of the process. Each size "
        f"brings its own customers, after the smaller ones. {os.cpu_count()} cores, load "
        f"average {args.load_before} before, {run.load_average()} after; the reference loop "
        f"took {args.loop_before:.0f} ms before and {run.reference_loop_ms():.0f} ms after "
        f"(fastest seen: {run.REFERENCE_LOOP_FASTEST_MS} ms).",
        "",
        "| rows | file MB | run | seconds | rows/s | peak RSS MB | created | updated | unchanged |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for label, figures in (("import", result["imported"]), ("again", result["again"])):
            lines.append(
                f"| {result['rows']:,} | {result['size'] / 1e6:.1f} | {label} | "
                f"{figures['seconds']:.1f} | {result['rows'] / figures['seconds']:,.0f} | "
                f"{figures['rss_mb']:.0f} | {figures['created']:,} | {figures['updated']:,} | "
                f"{figures['unchanged']:,} |"
            )
    verdicts = []
    for result in results:
        if result["rows"] >= TARGET_ROWS:
            per_target = result["imported"]["seconds"] * TARGET_ROWS / result["rows"]
            verdicts.append(
                f"{result['rows']:,} rows: {'met' if per_target < TARGET_SECONDS else 'missed'} "
                f"({per_target:.0f} s per {TARGET_ROWS:,} rows)"
            )
    if len(results) > 1:
        small, large = results[0], results[-1]
        for run_of, label in (("imported", "an import"), ("again", "a re-import")):
            verdicts.append(
                f"peak RSS of {label} of {large['rows']:,} rows is "
                f"{large[run_of]['rss_mb'] / small[run_of]['rss_mb']:.2f}x that of "
                f"{small['rows']:,} ({large['rows'] / small['rows']:.0f}x the rows)"
            )
    lines += [
        "",
        f"Target (#29): {TARGET_ROWS:,} rows in under {TARGET_SECONDS} s, memory flat as files "
        f"grow. {'; '.join(verdicts) or 'No file of the target size was imported.'}.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
