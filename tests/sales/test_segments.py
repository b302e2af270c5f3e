"""The customer list's segments from sales (``sales.segments``): lifetime spend and last visit,
in the API, on the list page and in the export, served by ``CustomerSalesTotals``, which
checkout, refund and merge keep equal to the sales themselves."""

import contextlib
import importlib
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from customers import services as customer_services
from customers.models import Customer
from customers.segments import segment_conditions
from customers.selectors import CustomerListFilters, customer_queryset
from sales.models import CustomerSalesTotals, Sale
from sales.segments import start_of_day
from sales.selectors import customer_sales_summary, sales_totals_mismatches
from sales.services import RefundLineInput, sale_refund
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db


def sold(*, customer, cashier, price: str, at: datetime, quantity: int = 1) -> Sale:
    """Ring up a sale through checkout as if at ``at`` (the clock, not the row, is moved, so
    the totals see the date the sale gets)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        return ring_up(customer=customer, price=price, cashier=cashier, quantity=quantity)


@pytest.fixture
def shop(cashier, manager):
    ada = CustomerFactory(name="Ada Spender")
    ben = CustomerFactory(name="Ben Small")
    cy = CustomerFactory(name="Cy Refunded")
    dee = CustomerFactory(name="Dee Never")
    eve = CustomerFactory(name="Eve Partial")
    for customer in (ben, dee):
        customer_services.customer_update(
            customer=customer, data={"tags": ["VIP"]}, actor=manager, channel="command"
        )
    sold(customer=ada, cashier=cashier, price="40.00", at=datetime(2025, 1, 10, 12, tzinfo=UTC))
    sold(customer=ada, cashier=cashier, price="30.00", at=datetime(2025, 3, 1, 9, tzinfo=UTC))
    sold(customer=ben, cashier=cashier, price="20.00", at=datetime(2025, 2, 15, 16, tzinfo=UTC))
    gone = sold(customer=cy, cashier=cashier, price="100.00", at=datetime(2025, 3, 5, tzinfo=UTC))
    refund(sale=gone, user=manager)
    late = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)
    partly = sold(customer=eve, cashier=cashier, price="12.00", quantity=5, at=late)
    refund(sale=partly, user=manager, quantity=1)
    sold(customer=None, cashier=cashier, price="500.00", at=datetime(2025, 3, 2, tzinfo=UTC))
    return {"ada": ada, "ben": ben, "cy": cy, "dee": dee, "eve": eve}


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_min_spend_is_lifetime_spend_after_refunds(manager_client, shop):
    def spent(amount):
        return _names(manager_client.get("/api/customers", {"minSpend": amount}))

    assert spent("50.00") == {"Ada Spender"}
    assert spent("48") == {"Ada Spender", "Eve Partial"}  # 60.00 less one 12.00 refunded
    assert spent("48.01") == {"Ada Spender"}
    assert spent("0.01") == {"Ada Spender", "Ben Small", "Eve Partial"}
    assert spent("70.00") == {"Ada Spender"}
    assert spent("70.01") == set()
    # Nobody has spent less than nothing: zero is every customer, buyers or not.
    assert len(spent("0")) == Customer.objects.count() == 5


def test_a_refund_lowers_the_spend_the_segment_sees(manager_client, manager, shop):
    latest = Sale.objects.filter(customer=shop["ada"]).order_by("-created_at").first()
    refund(sale=latest, user=manager)
    assert _names(manager_client.get("/api/customers", {"minSpend": "50.00"})) == set()
    assert _names(manager_client.get("/api/customers", {"minSpend": "40.00"})) == {
        "Ada Spender",
        "Eve Partial",
    }
    assert _names(manager_client.get("/api/customers", {"minSpend": "40.01"})) == {"Eve Partial"}
    # A refunded sale is still a visit, as on the customer's Orders panel.
    summary = customer_sales_summary(customer=shop["ada"])
    totals = CustomerSalesTotals.objects.get(customer=shop["ada"])
    assert (totals.lifetime_spend, totals.visits, totals.last_visit_at) == (
        summary.lifetime_spend,
        summary.visits,
        summary.last_visit,
    )


def test_last_visit_before_is_exclusive_and_after_inclusive(manager_client, shop):
    def seen(**query):
        return _names(manager_client.get("/api/customers", query))

    # Ada's last sale was on March 1: not "before" it, but "on or after" it.
    assert seen(lastVisitBefore="2025-03-01") == {"Ben Small", "Eve Partial"}
    assert seen(lastVisitAfter="2025-03-01") == {"Ada Spender", "Cy Refunded"}
    assert seen(lastVisitAfter="2025-02-15", lastVisitBefore="2025-03-01") == {"Ben Small"}
    everyone_seen = {"Ada Spender", "Ben Small", "Cy Refunded", "Eve Partial"}
    assert seen(lastVisitBefore="9999-12-31") == everyone_seen
    assert seen(lastVisitAfter="0001-01-01") == everyone_seen
    assert seen(lastVisitBefore="0001-01-01") == set()
    assert seen(lastVisitAfter="9999-12-31") == set()


def test_days_are_the_shops_days(manager_client, shop, settings):
    """Eve's sale at 23:30 UTC on December 31 was on January 1 in Tokyo."""
    assert "Eve Partial" not in _names(
        manager_client.get("/api/customers", {"lastVisitAfter": "2025-01-01"})
    )
    settings.TIME_ZONE = "Asia/Tokyo"
    assert "Eve Partial" in _names(
        manager_client.get("/api/customers", {"lastVisitAfter": "2025-01-01"})
    )
    assert start_of_day(date(2025, 1, 1)) == datetime(2024, 12, 31, 15, tzinfo=UTC)


def test_sales_segments_combine_with_tags_search_and_each_other(manager_client, shop):
    def listed(**query):
        return _names(manager_client.get("/api/customers", query))

    assert listed(tag="vip", minSpend="10") == {"Ben Small"}
    assert listed(tag="vip", lastVisitBefore="2025-01-01") == set()
    assert listed(search="ada", lastVisitAfter="2025-01-01") == {"Ada Spender"}
    assert listed(search="ben", minSpend="50") == set()
    assert listed(minSpend="10", lastVisitBefore="2025-03-01") == {"Ben Small", "Eve Partial"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"minSpend": "abc"}, "minSpend"),
        ({"minSpend": "-1"}, "minSpend"),
        ({"minSpend": "1e400"}, "minSpend"),
        ({"minSpend": "NaN"}, "minSpend"),
        ({"minSpend": "10.001"}, "minSpend"),
        ({"minSpend": "10000000000"}, "minSpend"),
        ({"minSpend": "1e2"}, "minSpend"),
        ({"minSpend": " 5"}, "minSpend"),
        ({"lastVisitAfter": "2020-13-01"}, "lastVisitAfter"),
        ({"lastVisitAfter": "2020-02-30"}, "lastVisitAfter"),
        ({"lastVisitBefore": "01/31/2025"}, "lastVisitBefore"),
        ({"lastVisitBefore": "yesterday"}, "lastVisitBefore"),
        ({"lastVisitBefore": "2025-1-5"}, "lastVisitBefore"),
    ],
)
def test_bad_values_are_a_400_naming_the_parameter(manager_client, query, field):
    response = manager_client.get("/api/customers", query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert list(response.json()["errors"]) == [field]


def test_staff_who_may_not_see_sales_are_not_filtered_by_them(shop):
    """The segments need ``view_sale``, as the Orders panel does: without it they are ignored."""
    user = UserFactory(username="clerk")
    user.user_permissions.add(Permission.objects.get(codename="view_customer"))
    client = APIClient()
    client.force_authenticate(user)
    assert len(_names(client.get("/api/customers", {"minSpend": "50"}))) == 5


def test_the_schema_states_what_the_parameters_take(manager_client):
    schema = manager_client.get("/api/schema/", {"format": "json"}).json()
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/customers/"]["get"]["parameters"]
    }
    assert parameters["minSpend"]["pattern"] == r"^\d{1,10}(\.\d{1,2})?$"
    assert parameters["lastVisitAfter"]["format"] == "date"
    assert parameters["lastVisitBefore"]["format"] == "date"


def test_the_page_filters_by_the_url_and_shows_a_bad_value_beside_its_field(manager_page, shop):
    html = manager_page.get("/customers/", {"minSpend": "50.00"}).content.decode()
    assert "Ada Spender" in html
    assert "Ben Small" not in html
    assert '<details class="col-12 segment-filters" open>' in html
    assert 'type="date" name="lastVisitAfter"' in html
    dated = manager_page.get("/customers/", {"lastVisitBefore": "2025-03-01"}).content.decode()
    assert "Ben Small" in dated
    assert "Ada Spender" not in dated
    bad = manager_page.get("/customers/", {"minSpend": "lots"})
    assert bad.status_code == 200
    page = bad.content.decode()
    field = page[page.index('name="minSpend"') :]
    assert field.index("Enter an amount such as 12.50.") < field.index('name="lastVisitAfter"')
    (minimum,) = re.findall(r'<input[^>]*name="minSpend"[^>]*>', page)
    assert "is-invalid" in minimum
    assert 'inputmode="decimal"' in minimum


def test_the_export_takes_the_sales_segments(manager_page, shop):
    response = manager_page.get("/customers/export/", {"minSpend": "45", "tag": "vip"})
    assert b"".join(response.streaming_content).decode().count("\n") == 1  # the header alone
    response = manager_page.get("/customers/export/", {"lastVisitAfter": "2025-03-01"})
    text = b"".join(response.streaming_content).decode()
    assert "Ada Spender" in text
    assert "Cy Refunded" in text
    assert "Ben Small" not in text


def test_a_spend_segment_is_two_queries(manager_client, shop, django_assert_num_queries):
    manager_client.get("/api/customers", {"minSpend": "10"})  # warm the permission cache
    # The matches by the totals' index and the page (the count is how many matched); no
    # sums of sales.
    with django_assert_num_queries(2):
        response = manager_client.get("/api/customers", {"minSpend": "10"})
    assert _names(response) == {"Ada Spender", "Ben Small", "Eve Partial"}
    with django_assert_num_queries(2):
        manager_client.get(
            "/api/customers", {"minSpend": "10", "lastVisitAfter": "2025-01-01", "tag": "vip"}
        )


# --- the table equals the sales ------------------------------------------------------------


def _figures(customer) -> tuple:
    totals = CustomerSalesTotals.objects.get(customer=customer)
    return totals.lifetime_spend, totals.visits, totals.last_visit_at


def test_checkout_and_refund_keep_the_totals(cashier, manager):
    customer = CustomerFactory()
    first = sold(
        customer=customer, cashier=cashier, price="0.10", at=datetime(2025, 5, 1, tzinfo=UTC)
    )
    assert _figures(customer) == (Decimal("0.10"), 1, datetime(2025, 5, 1, tzinfo=UTC))
    sold(customer=customer, cashier=cashier, price="0.20", at=datetime(2025, 4, 1, tzinfo=UTC))
    # Cents added as decimals: 0.30 exactly, and the later visit kept.
    assert _figures(customer) == (Decimal("0.30"), 2, datetime(2025, 5, 1, tzinfo=UTC))
    refund(sale=first, user=manager)
    assert _figures(customer) == (Decimal("0.20"), 2, datetime(2025, 5, 1, tzinfo=UTC))
    assert sales_totals_mismatches() == []


def test_a_refused_sale_leaves_the_totals_alone(cashier):
    customer = CustomerFactory()
    ring_up(customer=customer, price="10.00", cashier=cashier)
    with pytest.raises(ValidationError):
        ring_up(customer=customer, price="10.00", cashier=cashier, payments=[("cash", "1.00")])
    assert _figures(customer)[:2] == (Decimal("10.00"), 1)


def test_a_merge_gives_the_survivor_both_customers_totals(manager, shop):
    ada, ben = shop["ada"], shop["ben"]
    customer_services.customer_merge(survivor=ben, duplicate=ada, actor=manager, channel="command")
    assert _figures(ben) == (Decimal("90.00"), 3, datetime(2025, 3, 1, 9, tzinfo=UTC))
    assert not CustomerSalesTotals.objects.filter(customer=ada).exists()
    assert sales_totals_mismatches() == []


def test_the_mismatch_check_sees_a_wrong_row(shop):
    """The consistency check the other tests rely on can fail."""
    assert sales_totals_mismatches() == []
    CustomerSalesTotals.objects.filter(customer=shop["ben"]).update(visits=2)
    CustomerSalesTotals.objects.filter(customer=shop["eve"]).delete()
    assert sales_totals_mismatches() == sorted([shop["ben"].pk, shop["eve"].pk])


def test_a_refund_of_a_sale_merged_away_meanwhile_is_refused(manager, shop):
    """The sale was read before a merge moved it: the refund would update the wrong totals."""
    stale = Sale.objects.filter(customer=shop["ben"]).get()
    customer_services.customer_merge(
        survivor=shop["ada"], duplicate=shop["ben"], actor=manager, channel="command"
    )
    with pytest.raises(ValidationError, match="customer has just changed"):
        sale_refund(sale=stale, user=manager)
    assert Sale.objects.get(pk=stale.pk).refunded_total == 0
    assert sales_totals_mismatches() == []


def test_the_migration_fills_the_table_from_existing_sales(cashier, manager):
    customers = CustomerFactory.create_batch(3)
    for index, price in enumerate(["0.10", "0.20", "19.99", "0.01", "1234567.89"]):
        sale = ring_up(customer=customers[index % 2], price=price, cashier=cashier)
    refund(sale=sale, user=manager)
    ring_up(customer=None, price="3.00", cashier=cashier)
    expected = {row.pk: _figures(row) for row in customers[:2]}
    CustomerSalesTotals.objects.all().delete()

    migration = importlib.import_module("sales.migrations.0006_customer_sales_totals")
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.fill_totals(apps, editor)

    assert {row.pk: _figures(row) for row in customers[:2]} == expected
    assert expected[customers[0].pk][0] == Decimal("20.09")  # 0.10 + 19.99; 1,234,567.89 refunded
    assert expected[customers[1].pk][0] == Decimal("0.21")
    assert not CustomerSalesTotals.objects.filter(customer=customers[2]).exists()
    assert sales_totals_mismatches() == []


operation = st.one_of(
    st.tuples(st.just("sale"), st.integers(0, 2), st.integers(0, 99_999), st.integers(1, 3)),
    st.tuples(st.just("refund"), st.integers(0, 30), st.integers(0, 3)),
    st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 2)),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=10))
def test_the_totals_always_equal_the_sales(operations, cashier, manager):
    with transaction.atomic():
        customers = CustomerFactory.create_batch(3)
        for op in operations:
            # A refused step (an inactive customer, a refund of nothing, a second merge)
            # must leave everything as it was.
            with contextlib.suppress(ValidationError):
                _apply(op, customers, cashier, manager)
            assert sales_totals_mismatches() == []
        transaction.set_rollback(True)


def _apply(op, customers, cashier, manager):
    kind = op[0]
    if kind == "sale":
        _, who, cents, quantity = op
        price = str(Decimal(cents) / 100)
        ring_up(customer=customers[who], price=price, cashier=cashier, quantity=quantity)
    elif kind == "refund":
        _, pick, quantity = op
        sales = list(Sale.objects.order_by("id"))
        if not sales:
            return
        sale = sales[pick % len(sales)]
        line = sale.lines.first()
        lines = [RefundLineInput(sale_line_id=line.pk, quantity=quantity)] if quantity else None
        sale_refund(sale=sale, user=manager, lines=lines)
    else:
        _, survivor, duplicate = op
        customer_services.customer_merge(
            survivor=Customer.objects.get(pk=customers[survivor].pk),
            duplicate=Customer.objects.get(pk=customers[duplicate].pk),
            actor=manager,
            channel="command",
        )


# --- served by the table's indexes, not by the sales ---------------------------------------


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tiny test tables make a scan the cheapest plan; forbid it to see
            # whether an index can serve the query at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(row[-1] for row in cursor.fetchall())


SEGMENT_INDEXES = {
    "minSpend": (Decimal("50.00"), "sales_totals_spend_idx"),
    "lastVisitAfter": (date(2025, 3, 1), "sales_totals_last_visit_idx"),
    "lastVisitBefore": (date(2025, 3, 1), "sales_totals_last_visit_idx"),
}


# What adding up sales per request would read: the sales table or its indexes.
SALES_ACCESS = ("sales_sale", "sale_customer_idx", "sale_status_idx", "sale_created_idx")


def reads_totals_by(plan: str, *indexes: str) -> bool:
    """Say whether the plan reaches customers' totals through one of ``indexes``, with no
    scan of any table and nothing read from the sales."""
    if any(access in plan for access in SALES_ACCESS):
        return False
    if connection.vendor == "postgresql":
        scanned = "Seq Scan" in plan
    else:
        # ``SCAN json_each`` reads the list of ids the query was given, not a table.
        scanned = any(
            line.strip().startswith("SCAN") and not line.strip().startswith("SCAN json_each")
            for line in plan.splitlines()
        )
    return not scanned and any(index in plan for index in indexes)


@pytest.mark.parametrize("name", list(SEGMENT_INDEXES))
def test_each_segment_reads_its_index_not_the_sales(shop, name):
    value, index = SEGMENT_INDEXES[name]
    condition = segment_conditions(((name, value),))
    listed = customer_queryset(filters=CustomerListFilters(status="all", segments=((name, value),)))
    # The condition (which the list asks first for its few matches): from the segment's index.
    plan = plan_of(Customer.objects.filter(condition))
    assert reads_totals_by(plan, index), plan
    # With few matches the list's count and page read those customers by their keys; with
    # many, a page of 25 by name may walk the name index and look each customer's totals
    # up by its key (PostgreSQL does), stopping at 25 matches: indexed either way.
    by_key = (index, "INTEGER PRIMARY KEY", "customers_pkey", "sales_customersalestotals_pkey")
    for queryset in (listed.order_by()[:10_001], listed[:25]):
        plan = plan_of(queryset)
        assert reads_totals_by(plan, *by_key), plan


def test_the_plan_check_sees_a_scan(shop):
    """The check above can fail: visits have no index, and adding up sales reads them."""
    by_visits = Customer.objects.filter(
        pk__in=CustomerSalesTotals.objects.filter(visits__gte=2).values("customer_id")
    )
    assert not reads_totals_by(plan_of(by_visits), "sales_totals_spend_idx")
    by_sales = Customer.objects.filter(
        pk__in=Sale.objects.values("customer_id")
        .annotate(spend=Sum("total"))
        .filter(spend__gte=50)
        .values("customer_id")
    )
    assert not reads_totals_by(plan_of(by_sales), "sales_totals_spend_idx")
