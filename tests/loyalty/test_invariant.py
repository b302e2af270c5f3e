"""Property: after any sequence of sales, refunds, redemptions and adjustments,
every balance equals the sum of its ledger (Hypothesis explores the sequences)."""

import contextlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty import services
from loyalty.selectors import balance_mismatches
from sales.models import Sale
from sales.services import RefundLineInput, sale_refund
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db

operation = st.one_of(
    st.tuples(st.just("sale"), st.integers(0, 1), st.integers(1, 9999), st.integers(0, 3)),
    st.tuples(st.just("refund"), st.integers(0, 20), st.integers(0, 3)),
    st.tuples(st.just("adjust"), st.integers(0, 1), st.integers(-300, 300)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_balance_always_equals_ledger(operations, cashier, manager):
    with transaction.atomic():
        customers = [CustomerFactory(), CustomerFactory()]
        services.points_adjust(customer=customers[0], points=500, reason="Seed", user=manager)
        for op in operations:
            # A refused step (overdraw, refund of nothing) must leave everything as it was.
            with contextlib.suppress(ValidationError):
                apply(op, customers, cashier, manager)
            assert list(balance_mismatches()) == []
        transaction.set_rollback(True)


def apply(op, customers, cashier, manager):
    kind = op[0]
    if kind == "sale":
        _, who, cents, points_steps = op
        price = Decimal(cents) / 100 + points_steps
        payments = [("cash", str(price - points_steps))] if price - points_steps else []
        if points_steps:
            payments.append(("points", f"{points_steps}.00"))
        ring_up(customer=customers[who], price=str(price), cashier=cashier, payments=payments)
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
        _, who, points = op
        services.points_adjust(customer=customers[who], points=points, reason="Test", user=manager)
