"""A million demo customers for the benchmarks: ``python bench/seed.py --customers 1000000``.

The shop's own demo data (``customers/demo.py``, ``manage.py seed_demo``) puts rows in
one batch after another through every index, which suits a demo shop of thousands. At a
million that is minutes, and on PostgreSQL it leaves the trigram indexes and the planner
statistics as no search wants them. This loader, for ``bench/run.py``,
``scripts/bench_customer_search.py`` and whoever wants a big shop to try, loads the
same customers faster: on SQLite without the indexes, each built once at the end; on
PostgreSQL settled afterwards. It lives here, not in the customers app, because the
shop never loads a million customers; the shop's code does not import it.

As a script it loads the demo shop ``seed_demo`` would, with its customers loaded here,
into the database the settings name (``DATABASE_URL``), as ``manage.py`` does.
"""

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction

ROOT = Path(__file__).resolve().parent.parent

# From this many new rows (and at least as many as the table holds), SQLite loads
# them without indexes and builds each index once at the end: sorting a million keys
# once is several times faster than a million inserts into ten B-trees and the
# search index.
BULK_LOAD_ROWS = 50_000
# The search index's own triggers (migrations): the bulk load drops and restores
# only these, so any other trigger on the table still fires for every row.
SEARCH_TRIGGER_PREFIX = "customers_search_"


def seed_customers(*, count: int, seed: int = 42, batch_size: int = 20_000, progress=None) -> int:
    """Insert ``count`` demo customers; return how many were created.

    The very rows ``customers.demo.seed_customers`` gives for the same seed. A load of
    at least ``BULK_LOAD_ROWS`` that at least doubles the table goes in without the
    indexes on SQLite, and leaves PostgreSQL's settled. ``progress(done, total,
    stage="")`` hears after each batch of rows, and when a bulk load moves on to
    building its indexes.
    """
    from customers.demo import insert_customer_rows, new_customer_rows
    from customers.models import Customer

    existing = Customer.objects.count() if count >= BULK_LOAD_ROWS else None
    rows = new_customer_rows(count=count, seed=seed)
    report = progress or (lambda done, total, stage="": None)
    if connection.vendor == "sqlite" and existing is not None and count >= existing:
        return _sqlite_bulk_load(rows, count=count, batch_size=batch_size, progress=report)
    with _large_page_cache():
        created = insert_customer_rows(rows, count=count, batch_size=batch_size, progress=report)
    if connection.vendor == "postgresql" and created >= BULK_LOAD_ROWS:
        _settle_postgresql_indexes()
    return created


def _settle_postgresql_indexes() -> None:
    """Leave PostgreSQL's indexes and statistics as a search needs them after a big load.

    The trigram (GIN) indexes take new rows into a pending list that every search
    then reads from end to end until a vacuum merges it: a rare email fragment took
    8.8 ms instead of 0.6 at a million customers. ``gin_clean_pending_list`` merges
    it now (unlike ``VACUUM``, inside a transaction too). And fresh statistics: until
    autovacuum gets round to it (or never, where it is off) a million new rows look
    like none, and searches leave the trigram indexes for a scan of every customer.

    Outside a transaction it also vacuums the table: until the visibility map says
    which pages hold only rows every transaction sees, a list's capped count reads
    the table instead of an index alone (autovacuum waits for 20 % of the table to be
    new, and had not come 40 minutes after a million-row load).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
            "WHERE i.indrelid = 'customers'::regclass AND am.amname = 'gin'"
        )
        if connection.in_atomic_block:
            cursor.execute("ANALYZE customers")
        else:
            cursor.execute("VACUUM (ANALYZE) customers")


def _sqlite_bulk_load(rows: Iterator[tuple], *, count: int, batch_size: int, progress) -> int:
    """Load rows into SQLite without the table's indexes, then build each index once.

    In one transaction: the customers table's indexes and the search index's
    triggers are dropped, the rows go in, then every index is created again from
    the very SQL the migrations left in ``sqlite_master`` and the FTS5 table is
    rebuilt from the table. Other connections see the old table or the new one,
    never one without its indexes, and a failure (a duplicate email refused by the
    unique index) rolls all of it back. The result is what row-by-row inserts give.
    """
    from customers.demo import INSERT_COLUMNS, chunks

    columns = ", ".join(INSERT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
    statement = f"INSERT INTO customers ({columns}) VALUES ({placeholders})"  # noqa: S608 - constants
    created = 0
    with _large_page_cache(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'customers' "
            "AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND name LIKE %s)) "
            "ORDER BY type, name",
            [SEARCH_TRIGGER_PREFIX + "%"],
        )
        saved = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'customers_search'"
        )
        (has_search_index,) = cursor.fetchone()
        for kind, name, _sql in saved:
            cursor.execute(f'DROP {kind.upper()} "{name}"')
        for batch in chunks(rows, batch_size):
            cursor.executemany(statement, batch)
            created += len(batch)
            progress(created, count)
        progress(created, count, stage="building indexes")
        for kind, _name, sql in saved:
            if kind == "index":
                cursor.execute(sql)
        if has_search_index:
            progress(created, count, stage="building the search index")
            cursor.execute("INSERT INTO customers_search(customers_search) VALUES ('rebuild')")
        for kind, _name, sql in saved:
            if kind == "trigger":
                cursor.execute(sql)
    return created


@contextmanager
def _large_page_cache():
    """On SQLite, give this connection a 256 MB page cache while it seeds.

    A million rows go into ten indexes in random order; with the default 2 MB cache
    most of those inserts wait on reads of index pages it has just evicted.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def seed_shop(*, customers: int, sales: int, seed: int = 42, stdout=None) -> None:
    """Load the demo shop ``manage.py seed_demo`` would, its customers by this loader.

    The customers (with their tags and notes) come first, then ``seed_demo --if-empty``
    adds what each module contributes (products, sales, points...) and leaves the
    customers be. The shop's modules are imported here, not at the top: the script
    sets Django up first.
    """
    from django.core.management import call_command
    from django.core.management.base import OutputWrapper

    from classicpos.management.commands.seed_demo import Progress
    from customers.demo import seed_demo_customers

    out = OutputWrapper(stdout or sys.stdout)
    progress = Progress("customers", out, terminal=out.isatty())
    try:
        summary = seed_demo_customers(
            options={"customers": customers, "seed": seed}, progress=progress, load=seed_customers
        )
    except BaseException:
        progress.finish(failed=True)
        raise
    progress.finish()
    out.write(summary)
    call_command("seed_demo", "--if-empty", customers=0, sales=sales, seed=seed, stdout=out)


def main() -> None:
    """Migrate and load a demo shop of ``--customers`` customers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sales", type=int, default=0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.customers < 0 or args.sales < 0:
        parser.error("--customers and --sales must be zero or more")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "classicpos.settings")
    # As manage.py: building a million rows' indexes outlasts a request's statement timeout.
    os.environ.setdefault("CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed_shop(customers=args.customers, sales=args.sales, seed=args.seed)


if __name__ == "__main__":
    main()
