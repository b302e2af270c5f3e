"""The statement of account: opening balance, lines over several days, running balance."""

from datetime import date
from decimal import Decimal

import pytest

from accounting.selectors import customer_outstanding, customer_statement
from tests.accounting.helpers import give_credit, on_day, pay, sell_on_account
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund

pytestmark = pytest.mark.django_db

MARCH_2 = date(2026, 3, 2)
MARCH_9 = date(2026, 3, 9)
MARCH_20 = date(2026, 3, 20)
APRIL_5 = date(2026, 4, 5)


@pytest.fixture
def history(cashier, manager):
    """Sales on account and payments over a month and a half."""
    customer = CustomerFactory()
    give_credit(customer, "1000.00", manager)
    with on_day(MARCH_2):
        first = sell_on_account(customer, "100.00", cashier, quantity=2).invoice
    with on_day(MARCH_9):
        pay(first, "30.00", cashier)
        second = sell_on_account(customer, "50.00", cashier).invoice
    with on_day(MARCH_20):
        refund(sale=first.sale, user=manager, quantity=1)  # takes 50.00 off what INV-1 owes
        pay(second, "50.00", cashier, method="card")
    with on_day(APRIL_5):
        sell_on_account(customer, "25.00", cashier)
    return customer


def rows(statement):
    return [
        (line.date, line.kind, line.reference, line.amount, line.balance)
        for line in statement.lines
    ]


def test_lines_carry_a_running_balance(history):
    with on_day(APRIL_5):
        statement = customer_statement(customer=history, start=MARCH_2, end=APRIL_5)
    assert statement.opening_balance == Decimal("0.00")
    assert rows(statement) == [
        (MARCH_2, "invoice", "INV-S-000001", Decimal("100.00"), Decimal("100.00")),
        (MARCH_9, "invoice", "INV-S-000002", Decimal("50.00"), Decimal("150.00")),
        (MARCH_9, "payment", "INV-S-000001", Decimal("-30.00"), Decimal("120.00")),
        (MARCH_20, "credit", "INV-S-000001", Decimal("-50.00"), Decimal("70.00")),
        (MARCH_20, "payment", "INV-S-000002", Decimal("-50.00"), Decimal("20.00")),
        (APRIL_5, "invoice", "INV-S-000003", Decimal("25.00"), Decimal("45.00")),
    ]
    assert statement.closing_balance == Decimal("45.00")


def test_the_opening_balance_is_everything_before_the_period(history):
    statement = customer_statement(customer=history, start=MARCH_20, end=MARCH_20)
    assert statement.opening_balance == Decimal("120.00")
    assert [line.kind for line in statement.lines] == ["credit", "payment"]
    assert statement.closing_balance == Decimal("20.00")
    empty = customer_statement(customer=history, start=date(2026, 3, 25), end=date(2026, 3, 31))
    assert (empty.opening_balance, empty.lines, empty.closing_balance) == (
        Decimal("20.00"),
        [],
        Decimal("20.00"),
    )


def test_a_statement_up_to_today_closes_on_the_outstanding_balance(history):
    statement = customer_statement(customer=history, start=MARCH_9, end=date.today())
    assert statement.closing_balance == customer_outstanding(customer=history)
    assert statement.closing_balance == Decimal("45.00")


def test_a_voided_invoice_nets_to_nothing(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    with on_day(MARCH_2):
        sale = sell_on_account(customer, "40.00", cashier)
    with on_day(MARCH_9):
        refund(sale=sale, user=manager)
    statement = customer_statement(customer=customer, start=MARCH_2, end=MARCH_9)
    assert [(line.kind, line.balance) for line in statement.lines] == [
        ("invoice", Decimal("40.00")),
        ("credit", Decimal("0.00")),
    ]
    assert statement.lines[1].description == f"Refund on sale {sale.number}"
