"""On PostgreSQL, tills racing on one customer never overdraw points nor lose any."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loyalty import services
from loyalty.selectors import balance_mismatches
from sales.services import sale_refund
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import ring_up
from tests.threads import run_together

THREADS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks under real concurrency need PostgreSQL (make test-postgres); "
        "SQLite serialises every write transaction instead.",
    ),
]


def run_in_threads(work) -> list[Exception]:
    """Start ``work(i)`` in THREADS threads at once; return the exceptions they raised."""
    return run_together(work, threads=THREADS)[1]


def test_many_tills_redeeming_one_balance_never_overdraw(cashier, manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=300, reason="Seed", user=manager)

    def redeem(_index):
        ring_up(
            customer=customer,
            price="1.00",
            cashier=cashier,
            payments=[("points", "1.00")],
        )

    errors = run_in_threads(redeem)
    customer.refresh_from_db()
    # 300 points pay for exactly three 1.00 sales; the other five are refused.
    assert customer.loyalty_points == 0
    assert len(errors) == THREADS - 3
    assert all(isinstance(error, ValidationError) for error in errors)
    assert list(balance_mismatches()) == []


def test_concurrent_sales_for_one_customer_lose_no_points(cashier):
    customer = CustomerFactory()

    def sell(_index):
        ring_up(customer=customer, price="10.00", cashier=cashier)

    assert run_in_threads(sell) == []
    customer.refresh_from_db()
    assert customer.loyalty_points == THREADS * 10
    assert list(balance_mismatches()) == []


def test_refunds_and_redemptions_for_one_customer_run_together_without_deadlock(cashier, manager):
    # Refunds used to lock the sale, then the customer; checkout locks the customer
    # first. Both now lock customer before sale (customers.locks), so they queue.
    customer = CustomerFactory()
    sales = [ring_up(customer=customer, price="10.00", cashier=cashier) for _ in range(4)]
    services.points_adjust(customer=customer, points=400, reason="Seed", user=manager)

    def refund_or_redeem(index):
        if index < len(sales):
            sale_refund(sale=sales[index], user=manager)
        else:
            ring_up(customer=customer, price="1.00", cashier=cashier, payments=[("points", "1.00")])

    assert run_in_threads(refund_or_redeem) == []
    customer.refresh_from_db()
    # 40 earned + 400 adjusted - 40 taken back by refunds - 4 x 100 redeemed.
    assert customer.loyalty_points == 0
    assert list(balance_mismatches()) == []


def _locked_tables(queries) -> list[str]:
    locked = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    return [sql.split(" FROM ", 1)[1].split()[0].strip('"') for sql in locked]


def test_checkout_and_refund_lock_the_customer_once_then_the_sale(cashier, manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=100, reason="Seed", user=manager)
    with CaptureQueriesContext(connection) as checkout:
        sale = ring_up(
            customer=customer,
            price="3.00",
            cashier=cashier,
            payments=[("points", "1.00"), ("cash", "2.00")],
        )
    assert _locked_tables(checkout.captured_queries) == ["customers"]
    with CaptureQueriesContext(connection) as refund:
        sale_refund(sale=sale, user=manager)
    assert _locked_tables(refund.captured_queries) == ["customers", "sales_sale"]
