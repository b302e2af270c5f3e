"""Property: after any sequence of sales (on account, with store credit, in cash), invoice
payments and their reversals, refunds and adjustments, the books add up (Hypothesis explores
the sequences):

- an invoice's amount paid is the sum of its payments not reversed, its credits the sum of
  its credits, and together never more than its total;
- a customer's outstanding is the sum of the balances of their unpaid invoices, and never
  more than their credit limit, but for what reversed payments owe again (a reversal is
  money that never came: it may pass the limit, and then no new sale goes on account);
- store credit equals the sum of its ledger and is never negative;
- the reconcile checks find nothing.
"""

import contextlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounting import services
from accounting.models import Invoice, InvoicePayment, InvoicePaymentReversal
from accounting.reversals import invoice_payment_reverse
from accounting.selectors import (
    account_summary,
    customer_outstanding,
    invoice_mismatches,
    store_credit_mismatches,
)
from sales.models import Sale
from tests.accounting.helpers import assert_invariants, give_credit, pay
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db

LIMIT = Decimal("100.00")
cents = st.integers(1, 6000)
operation = st.one_of(
    # A sale: who, then cents on account, with store credit and in cash (any may be 0).
    st.tuples(
        st.just("sale"),
        st.integers(0, 1),
        st.integers(0, 6000),
        st.integers(0, 1500),
        st.integers(0, 3000),
        st.integers(1, 3),
    ),
    st.tuples(st.just("pay"), st.integers(0, 20), cents, st.sampled_from(["cash", "store_credit"])),
    st.tuples(st.just("refund"), st.integers(0, 20), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("adjust"), st.integers(0, 1), st.integers(-2000, 2000)),
    st.tuples(st.just("reverse"), st.integers(0, 20)),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_the_books_always_add_up(operations, cashier, manager):
    with transaction.atomic():
        customers = [CustomerFactory(), CustomerFactory()]
        for customer in customers:
            give_credit(customer, str(LIMIT), manager)
        services.store_credit_adjust(
            customer=customers[0], amount="20.00", reason="Seed", user=manager
        )
        for op in operations:
            # A refused step (over the limit, short of credit, overpaying, refunding
            # nothing) must leave everything as it was.
            with contextlib.suppress(ValidationError):
                apply(op, customers, cashier, manager)
            assert_invariants(*customers)
            for customer in customers:
                owed_again = sum(
                    InvoicePaymentReversal.objects.filter(
                        payment__invoice__customer=customer
                    ).values_list("payment__amount", flat=True),
                    Decimal(0),
                )
                assert customer_outstanding(customer=customer) <= LIMIT + owed_again
                summary = account_summary(customer=customer)
                assert summary.available_credit == max(LIMIT - summary.outstanding, 0)
            assert list(store_credit_mismatches()) == []
            assert list(invoice_mismatches()) == []
        transaction.set_rollback(True)


def apply(op, customers, cashier, manager):
    kind = op[0]
    if kind == "sale":
        _, who, on_account, store_credit, cash, quantity = op
        parts = [("on_account", on_account), ("store_credit", store_credit), ("cash", cash)]
        payments = [(method, str(Decimal(c) / 100)) for method, c in parts if c]
        total = sum(c for _, c in parts)
        if not payments or total % quantity:
            return
        ring_up(customer=customers[who], cashier=cashier, payments=payments, quantity=quantity)
    elif kind == "pay":
        _, pick, amount, method = op
        invoices = list(Invoice.objects.order_by("id"))
        if invoices:
            pay(invoices[pick % len(invoices)], str(Decimal(amount) / 100), cashier, method=method)
    elif kind == "refund":
        _, pick, quantity, to_store_credit = op
        sales = list(Sale.objects.order_by("id"))
        if sales:
            refund(
                sale=sales[pick % len(sales)],
                user=manager,
                quantity=quantity or None,
                refund_to="store_credit" if to_store_credit else "",
            )
    elif kind == "reverse":
        _, pick = op
        payments = list(InvoicePayment.objects.order_by("id"))
        if payments:
            invoice_payment_reverse(
                payment=payments[pick % len(payments)], reason="Bounced", user=manager
            )
    else:
        _, who, amount = op
        services.store_credit_adjust(
            customer=customers[who], amount=str(Decimal(amount) / 100), reason="Test", user=manager
        )
