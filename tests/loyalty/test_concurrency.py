"""On PostgreSQL, tills racing on one customer never overdraw points nor lose any."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loyalty import services
from loyalty.expiry import points_expire_all
from loyalty.models import ExpiryRule, LoyaltyProgram, LoyaltyTransaction
from loyalty.selectors import balance_mismatches, lot_mismatches
from loyalty.tier_rules import months_after
from messaging.models import Message, MessageKind
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


def test_the_expire_job_run_several_times_at_once_expires_and_notifies_once(cashier):
    program = LoyaltyProgram.current()
    program.expiry_rule = ExpiryRule.AFTER_EARNING
    program.expiry_months = 1
    program.expiry_notice_days = 40
    program.save()
    customers = [CustomerFactory(email=f"c{i}@example.com", email_consent=True) for i in range(3)]
    for customer in customers:
        ring_up(customer=customer, price="250.00", cashier=cashier)
    # 100 of the first customer's points are spent: they must not expire.
    ring_up(customer=customers[0], price="1.00", cashier=cashier, payments=[("points", "1.00")])
    day = months_after(timezone.localdate(), 1)

    def expire(index):
        # Half the runs are on the day the points expire, half today (notices only).
        points_expire_all(today=day if index % 2 else None)

    assert run_in_threads(expire) == []
    rows = LoyaltyTransaction.objects.filter(kind="expire")
    assert rows.count() == 3  # one per customer, however many jobs ran
    assert sorted(-row.points for row in rows) == [150, 250, 250]
    notices = Message.objects.filter(kind=MessageKind.POINTS_EXPIRY)
    assert len(notices) == len({message.customer_id for message in notices}) <= 3
    for customer in customers:
        customer.refresh_from_db()
        assert customer.loyalty_points == 0
    assert list(balance_mismatches()) == []
    assert list(lot_mismatches()) == []
