"""``loyalty_reconcile`` finds balances changed behind the ledger's back; ``--fix`` repairs."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from customers.models import Customer
from loyalty import services
from loyalty.models import LoyaltyTransaction
from tests.customers.factories import CustomerFactory
from tests.loyalty.helpers import assert_balance_matches_ledger

pytestmark = pytest.mark.django_db


def reconcile(*args) -> str:
    out = StringIO()
    call_command("loyalty_reconcile", *args, stdout=out)
    return out.getvalue()


def test_clean_ledger_passes(manager):
    services.points_adjust(customer=CustomerFactory(), points=10, reason="x", user=manager)
    assert "Every balance equals its ledger" in reconcile()


def test_finds_a_tampered_balance_and_exits_non_zero(manager):
    customer = CustomerFactory(name="Tampered Tina")
    services.points_adjust(customer=customer, points=10, reason="x", user=manager)
    Customer.objects.filter(pk=customer.pk).update(loyalty_points=999)
    out = StringIO()
    with pytest.raises(CommandError, match="1 balance"):
        call_command("loyalty_reconcile", stdout=out)
    assert "Tampered Tina" in out.getvalue()
    assert "+989" in out.getvalue()


def test_fix_writes_an_adjustment_and_then_all_is_clean(manager):
    customer = CustomerFactory()
    Customer.objects.filter(pk=customer.pk).update(loyalty_points=42)
    assert "Wrote 1 reconciliation" in reconcile("--fix")
    row = LoyaltyTransaction.objects.get(customer=customer)
    assert (row.kind, row.points, row.balance_after) == ("adjustment", 42, 42)
    assert "Reconciliation" in row.reason
    customer.refresh_from_db()
    assert_balance_matches_ledger(customer)
    assert "Every balance equals its ledger" in reconcile()
