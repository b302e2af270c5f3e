"""On PostgreSQL, tills racing on one customer never overdraw points nor lose any."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from loyalty import services
from loyalty.selectors import balance_mismatches
from tests.customers.factories import CustomerFactory
from tests.loyalty.helpers import ring_up

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
    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def runner(index):
        try:
            start.wait()
            work(index)
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


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
