"""The benchmarks' loader of a million demo customers (``bench/seed.py``).

It must give the very customers, indexes and search the shop's own demo seeder gives,
however it loads them (on SQLite without the indexes, built once at the end), say how
far it got, and leave PostgreSQL's indexes and statistics as a search needs them.
``BULK_LOAD_ROWS`` is lowered so that a few hundred rows take the bulk path.
"""

import io
import random

import pytest
from django.db import connection

from bench import seed
from customers import demo
from customers.models import Customer, Tag

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the bulk load is SQLite's")
def test_a_bulk_load_gives_the_rows_indexes_and_search_that_inserts_give(monkeypatch):
    monkeypatch.setattr(seed, "BULK_LOAD_ROWS", 100)
    schema_sql = (
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name LIKE 'customers%' ORDER BY name"
    )
    with connection.cursor() as cursor:
        cursor.execute(schema_sql)
        schema = cursor.fetchall()
    heard = []
    created = seed.seed_customers(
        count=300, batch_size=120, progress=lambda *args, **kwargs: heard.append((args, kwargs))
    )
    assert created == 300
    assert heard == [
        ((120, 300), {}),
        ((240, 300), {}),
        ((300, 300), {}),
        ((300, 300), {"stage": "building indexes"}),
        ((300, 300), {"stage": "building the search index"}),
    ]
    columns = ("name", "email", "phone", "address", "loyalty_points", "status")
    expected = [row[:6] for row in demo.demo_customer_rows(1, 300, random.Random(42))]
    assert list(Customer.objects.order_by("id").values_list(*columns)) == expected
    with connection.cursor() as cursor:
        cursor.execute(schema_sql)
        assert cursor.fetchall() == schema  # every index and trigger back, as written
        cursor.execute(
            "INSERT INTO customers_search(customers_search, rank) VALUES ('integrity-check', 1)"
        )
    for term in ("son", "gmail", "415", "o'b", "jo"):
        found = set(Customer.objects.search(term).values_list("id", flat=True))
        assert found == set(Customer.objects.search_unindexed(term).values_list("id", flat=True))
    # The triggers work again: a changed customer is found by its new name.
    Customer.objects.filter(pk=1).update(name="Zyxw Quorra")
    assert list(Customer.objects.search("quorra").values_list("id", flat=True)) == [1]


def test_a_few_more_customers_on_a_big_table_go_in_row_by_row(monkeypatch):
    """Rebuilding every index costs the whole table: worth it only for a load at least
    as big as what is there."""
    monkeypatch.setattr(seed, "BULK_LOAD_ROWS", 100)
    seed.seed_customers(count=300)
    heard = []
    seed.seed_customers(count=150, progress=lambda *args, **kwargs: heard.append(kwargs))
    assert heard == [{}]
    assert Customer.objects.count() == 450
    assert (
        Customer.objects.search("gmail").count()
        == Customer.objects.search_unindexed("gmail").count()
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_large_load_on_postgresql_leaves_the_planner_statistics(monkeypatch):
    monkeypatch.setattr(seed, "BULK_LOAD_ROWS", 100)

    def estimated_rows() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'customers'")
            return cursor.fetchone()[0]

    seed.seed_customers(count=300)
    assert estimated_rows() == 300
    # The trigram indexes' pending lists are merged: nothing is left for a search to read
    # row by row (cleaning them again finds no page to move).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
            "WHERE i.indrelid = 'customers'::regclass AND am.amname = 'gin'"
        )
        cleaned = dict(cursor.fetchall())
    assert set(cleaned) >= {"customers_search_doc_trgm_idx", "customers_phone_trgm_idx"}
    assert set(cleaned.values()) == {0}
    # A small load leaves the statistics to autovacuum. (ANALYZE writes pg_class in
    # place, so what an earlier test left there is not rolled back: compare, not -1.)
    seed.seed_customers(count=99)
    assert estimated_rows() == 300


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's visibility map")
@pytest.mark.django_db(transaction=True)
def test_a_large_load_outside_a_transaction_leaves_the_table_vacuumed(monkeypatch):
    """The rows loaded are marked visible to all, so a count can read an index alone."""
    monkeypatch.setattr(seed, "BULK_LOAD_ROWS", 100)
    seed.seed_customers(count=300)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible, relpages FROM pg_class WHERE relname = 'customers'")
        all_visible, pages = cursor.fetchone()
    assert pages > 0
    assert all_visible == pages


def test_the_bench_shop_is_the_demo_shop_with_its_customers_loaded_in_bulk(monkeypatch):
    monkeypatch.setattr(seed, "BULK_LOAD_ROWS", 100)
    out = io.StringIO()
    seed.seed_shop(customers=300, sales=5, stdout=out)
    assert "Created 300 demo customers." in out.getvalue()
    expected = [row[0] for row in demo.demo_customer_rows(1, 300, random.Random(42))]
    assert list(Customer.objects.order_by("id").values_list("name", flat=True)) == expected
    # The demo's tags and notes, and what the other modules add, as seed_demo gives them.
    every_seventh = [pk for pk in Customer.objects.values_list("id", flat=True) if pk % 7 == 0]
    vip = Tag.objects.get(name="VIP").customers.values_list("id", flat=True)
    assert sorted(vip) == sorted(every_seventh)
    assert Customer.objects.exclude(note="").exists()
    assert "products and 5 sales." in out.getvalue()
