"""A Manager reverses an invoice payment with a reversing entry (issue 27, item 19)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse as reverse_url

from accounting import services
from accounting.models import (
    InvoicePayment,
    InvoicePaymentReversal,
    InvoiceStatus,
    StoreCreditKind,
)
from accounting.reversals import invoice_payment_reverse
from accounting.selectors import customer_statement, invoice_mismatches
from classicpos.immutable import ImmutableRowError
from customers.timeline import customer_timeline
from loyalty.models import LoyaltyTransaction, TransactionKind
from tests.accounting.helpers import (
    assert_invariants,
    give_credit,
    pay,
    sell_on_account,
    store_credit,
)
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(manager):
    customer = CustomerFactory()
    give_credit(customer, "500.00", manager)
    return customer


def reverse(payment, user, reason="Cheque bounced"):
    return invoice_payment_reverse(payment=payment, reason=reason, user=user)


def points(customer) -> int:
    customer.refresh_from_db()
    return customer.loyalty_points


def test_a_reversal_restores_the_balance_and_the_status(customer, cashier, manager):
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    payment = pay(invoice, "40.00", cashier)
    reversal = reverse(payment, manager)
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("0.00")
    assert invoice.balance == Decimal("100.00")
    assert invoice.status == InvoiceStatus.OPEN
    assert reversal.payment == payment
    assert reversal.created_by == manager
    assert reversal.reason == "Cheque bounced"
    # The payment row is still there, as it was recorded.
    assert InvoicePayment.objects.get(pk=payment.pk).amount == Decimal("40.00")
    assert_invariants(customer)
    assert not invoice_mismatches().exists()


def test_reversing_one_of_two_payments_of_a_paid_invoice_leaves_it_partly_paid(
    customer, cashier, manager
):
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    pay(invoice, "60.00", cashier)
    second = pay(invoice, "40.00", cashier, method="card")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    reverse(second, manager)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTIALLY_PAID
    assert invoice.balance == Decimal("40.00")
    # What it owes again can be paid again.
    pay(invoice, "40.00", cashier)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert_invariants(customer)


def test_a_payment_is_reversed_once(customer, cashier, manager):
    payment = pay(sell_on_account(customer, "50.00", cashier).invoice, "50.00", cashier)
    reverse(payment, manager)
    with pytest.raises(ValidationError) as refused:
        reverse(payment, manager, reason="Again")
    assert "already reversed" in refused.value.message_dict["payment"][0]
    assert InvoicePaymentReversal.objects.count() == 1
    # The database refuses a second reversal of one payment too.
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoicePaymentReversal.objects.create(payment=payment, reason="Twice", created_by=manager)


def test_only_a_manager_reverses(customer, cashier):
    payment = pay(sell_on_account(customer, "50.00", cashier).invoice, "50.00", cashier)
    with pytest.raises(PermissionDenied):
        reverse(payment, cashier)
    assert not InvoicePaymentReversal.objects.exists()


def test_a_reversal_says_why(customer, cashier, manager):
    payment = pay(sell_on_account(customer, "50.00", cashier).invoice, "50.00", cashier)
    with pytest.raises(ValidationError) as refused:
        reverse(payment, manager, reason="   ")
    assert refused.value.message_dict == {"reason": ["Say why the payment is reversed."]}


def test_store_credit_a_payment_spent_is_given_back(customer, cashier, manager):
    services.store_credit_adjust(customer=customer, amount="30.00", reason="Gift", user=manager)
    invoice = sell_on_account(customer, "50.00", cashier).invoice
    payment = pay(invoice, "30.00", cashier, method="store_credit")
    assert store_credit(customer) == Decimal("0.00")
    reversal = reverse(payment, manager)
    assert store_credit(customer) == Decimal("30.00")
    entry = reversal.store_credit_entry
    assert entry.kind == StoreCreditKind.PAYMENT_REVERSAL
    assert entry.amount == Decimal("30.00")
    assert entry.balance_after == Decimal("30.00")
    assert_invariants(customer)


def test_points_a_payment_earned_are_taken_back(customer, cashier, manager):
    sale = sell_on_account(customer, "100.00", cashier)
    first = pay(sale.invoice, "40.00", cashier)
    pay(sale.invoice, "60.00", cashier, method="card")
    assert points(customer) == 100
    reversal = reverse(first, manager)
    assert points(customer) == 60
    row = LoyaltyTransaction.objects.get(reference=f"invoice-payment-reversal-{reversal.pk}")
    assert row.kind == TransactionKind.REVERSAL
    assert row.points == -40
    assert row.sale == sale
    # Paying again earns again, up to what the money paid earns.
    pay(sale.invoice, "40.00", cashier)
    assert points(customer) == 100


def test_points_taken_back_follow_the_whole_sale_not_each_payment(customer, cashier, manager):
    sale = sell_on_account(customer, "21.00", cashier)
    first = pay(sale.invoice, "10.50", cashier)
    pay(sale.invoice, "10.50", cashier)
    assert points(customer) == 21
    reverse(first, manager)
    assert points(customer) == 10  # what 10.50 earns, not 21 - 10


def test_a_store_credit_payment_reversed_takes_back_no_points(customer, cashier, manager):
    services.store_credit_adjust(customer=customer, amount="50.00", reason="Gift", user=manager)
    sale = sell_on_account(customer, "50.00", cashier)
    reverse(pay(sale.invoice, "50.00", cashier, method="store_credit"), manager)
    assert points(customer) == 0
    assert not LoyaltyTransaction.objects.filter(sale=sale).exists()


def test_a_payment_a_later_refund_counted_cannot_be_reversed(customer, cashier, manager):
    sale = sell_on_account(customer, "100.00", cashier, quantity=2)
    payment = pay(sale.invoice, "100.00", cashier)
    refund(sale=sale, user=manager, quantity=1)
    with pytest.raises(ValidationError) as refused:
        reverse(payment, manager)
    assert "refunded after this payment" in refused.value.message_dict["payment"][0]
    assert_invariants(customer)


def test_a_refund_after_a_reversal_takes_back_only_what_is_still_earned(customer, cashier, manager):
    sale = sell_on_account(customer, "100.00", cashier, quantity=2)
    reverse(pay(sale.invoice, "100.00", cashier), manager)
    assert points(customer) == 0
    refund(sale=sale, user=manager, quantity=2)
    assert points(customer) == 0
    assert_invariants(customer)


def test_reversals_are_immutable(customer, cashier, manager):
    reversal = reverse(
        pay(sell_on_account(customer, "50.00", cashier).invoice, "5", cashier), manager
    )
    with pytest.raises(ImmutableRowError):
        reversal.delete()
    with pytest.raises(ImmutableRowError):
        InvoicePaymentReversal.objects.update(reason="Changed")


def test_the_statement_owes_the_reversed_payment_again(customer, cashier, manager):
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    reverse(pay(invoice, "40.00", cashier), manager)
    statement = customer_statement(
        customer=customer,
        start=invoice.issued_on - timedelta(days=1),
        end=invoice.issued_on + timedelta(days=1),
    )
    assert [line.kind for line in statement.lines] == ["invoice", "payment", "reversal"]
    assert statement.lines[-1].amount == Decimal("40.00")
    assert statement.closing_balance == Decimal("100.00")


def test_the_customer_timeline_shows_the_reversal_and_the_store_credit_given_back(
    customer, cashier, manager
):
    services.store_credit_adjust(customer=customer, amount="30.00", reason="Gift", user=manager)
    invoice = sell_on_account(customer, "50.00", cashier).invoice
    reverse(pay(invoice, "30.00", cashier, method="store_credit"), manager, reason="Wrong invoice")
    invoice_url = reverse_url("accounting:invoice_detail", kwargs={"pk": invoice.pk})
    entries = customer_timeline(customer=customer, user=manager, limit=3).entries
    assert [(e.kind, e.summary, e.actor, e.link) for e in entries[:2]] == [
        (
            "store_credit.payment_reversed",
            f"+$30.00 store credit given back: a payment of invoice {invoice.number} reversed "
            "(balance $30.00)",
            "manager",
            invoice_url,
        ),
        (
            "invoice.payment_reversed",
            f"$30.00 store credit payment on invoice {invoice.number} reversed: Wrong invoice",
            "manager",
            invoice_url,
        ),
    ]
    only = customer_timeline(customer=customer, user=manager, kind="invoice.payment_reversed")
    assert [entry.kind for entry in only.entries] == ["invoice.payment_reversed"]
