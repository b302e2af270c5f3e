"""On PostgreSQL, tills and back offices racing on one customer never pass the credit limit,
overpay an invoice, overspend store credit or skip an invoice number."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounting import services
from accounting.models import Invoice, InvoicePayment
from accounting.reversals import invoice_payment_reverse
from accounting.selectors import customer_outstanding, invoice_mismatches, store_credit_mismatches
from sales.services import sale_refund
from tests.accounting.helpers import give_credit, pay, sell_on_account, store_credit
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


def test_concurrent_sales_on_account_never_pass_the_limit(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)

    def sell(_index):
        sell_on_account(customer, "30.00", cashier)

    errors = run_in_threads(sell)
    # 100.00 of credit takes three 30.00 sales; the other five are refused.
    assert len(errors) == THREADS - 3
    assert all(isinstance(error, ValidationError) for error in errors)
    assert customer_outstanding(customer=customer) == Decimal("90.00")
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == ["INV-S-000001", "INV-S-000002", "INV-S-000003"]


def test_concurrent_payments_never_overpay_an_invoice(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "50.00", cashier).invoice

    def pay_twenty(_index):
        pay(Invoice.objects.get(pk=invoice.pk), "20.00", cashier)

    errors = run_in_threads(pay_twenty)
    invoice.refresh_from_db()
    # Two payments of 20.00 fit in 50.00; a third would overpay.
    assert (invoice.amount_paid, invoice.status) == (Decimal("40.00"), "partially_paid")
    assert InvoicePayment.objects.count() == 2
    assert len(errors) == THREADS - 2
    assert all(isinstance(error, ValidationError) for error in errors)
    assert list(invoice_mismatches()) == []


def test_concurrent_store_credit_spending_never_overdraws(cashier, manager):
    customer = CustomerFactory()
    services.store_credit_adjust(customer=customer, amount="30.00", reason="Seed", user=manager)
    give_credit(customer, "500.00", manager)
    invoice = sell_on_account(customer, "100.00", cashier).invoice

    def spend(index):
        if index % 2:
            ring_up(customer=customer, cashier=cashier, payments=[("store_credit", "10.00")])
        else:
            pay(Invoice.objects.get(pk=invoice.pk), "10.00", cashier, method="store_credit")

    errors = run_in_threads(spend)
    assert len(errors) == THREADS - 3
    assert store_credit(customer) == Decimal("0.00")
    assert list(store_credit_mismatches()) == []


def test_refunds_and_sales_on_account_for_one_customer_run_together(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "1000.00", manager)
    sales = [sell_on_account(customer, "10.00", cashier) for _ in range(4)]
    for sale in sales[:2]:
        pay(sale.invoice, "10.00", cashier)

    def refund_or_sell(index):
        if index < len(sales):
            sale_refund(sale=sales[index], user=manager)
        else:
            sell_on_account(customer, "5.00", cashier)

    assert run_in_threads(refund_or_sell) == []
    # Two paid invoices became 20.00 of store credit; two unpaid ones were voided.
    assert store_credit(customer) == Decimal("20.00")
    assert customer_outstanding(customer=customer) == Decimal("20.00")
    assert list(invoice_mismatches()) == []
    assert list(store_credit_mismatches()) == []


def test_concurrent_reversals_of_one_payment_reverse_it_once(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "50.00", cashier).invoice
    payment = pay(invoice, "50.00", cashier)

    def reverse(_index):
        invoice_payment_reverse(payment=payment, reason="Cheque bounced", user=manager)

    errors = run_in_threads(reverse)
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, ValidationError) for error in errors)
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("50.00")
    customer.refresh_from_db()
    assert customer.loyalty_points == 0
    assert list(invoice_mismatches()) == []


def _locked_tables(queries) -> list[str]:
    """The tables whose rows a transaction locks, in order: ``SELECT ... FOR UPDATE`` and the
    store's counter rows, which one ``UPDATE ... SET last_number = last_number + 1`` locks."""
    tables = []
    for query in queries:
        sql = query["sql"]
        if "FOR UPDATE" in sql:
            tables.append(sql.split(" FROM ", 1)[1].split()[0].strip('"'))
        elif sql.startswith('UPDATE "stores_storecounter"'):
            series = "invoice" if "'invoice'" in sql else "sale"
            tables.append(f"stores_storecounter ({series})")
    return tables


def test_locks_are_taken_customer_first(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sell_on_account(customer, "1.00", cashier)  # the counter row exists from now on
    with CaptureQueriesContext(connection) as checkout:
        sale = sell_on_account(customer, "40.00", cashier)
    assert _locked_tables(checkout.captured_queries) == [
        "customers",
        "stores_storecounter (sale)",
        "stores_storecounter (invoice)",
    ]
    with CaptureQueriesContext(connection) as payment:
        pay(sale.invoice, "10.00", cashier)
    assert _locked_tables(payment.captured_queries) == ["customers", "accounting_invoice"]
    with CaptureQueriesContext(connection) as reversal:
        invoice_payment_reverse(
            payment=sale.invoice.payments.get(), reason="Cheque bounced", user=manager
        )
    assert _locked_tables(reversal.captured_queries) == ["customers", "accounting_invoice"]
    with CaptureQueriesContext(connection) as refund:
        sale_refund(sale=sale, user=manager)
    assert _locked_tables(refund.captured_queries) == [
        "customers",
        "sales_sale",
        "accounting_invoice",
    ]
