"""Every ledger's rows are written once, through the one base in ``classicpos.immutable``."""

from decimal import Decimal

import pytest

from accounting import services as accounting_services
from accounting.models import InvoicePayment, StoreCreditEntry
from classicpos.immutable import ImmutableModel, ImmutableQuerySet, ImmutableRowError
from customers import services as customer_services
from customers.models import CustomerEvent
from loyalty import services as loyalty_services
from loyalty.models import LoyaltyTransaction
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.customers.factories import CustomerFactory


def points_row(cashier, manager):
    return loyalty_services.points_adjust(
        customer=CustomerFactory(), points=5, reason="Gift", user=manager
    )


def store_credit_row(cashier, manager):
    return accounting_services.store_credit_adjust(
        customer=CustomerFactory(), amount="5.00", reason="Gift", user=manager
    )


def payment_row(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    return pay(sell_on_account(customer, "20.00", cashier).invoice, "5.00", cashier)


def event_row(cashier, manager):
    customer = customer_services.customer_create(name="Fixed", actor=manager, channel="command")
    return customer.events.get()


LEDGERS = [
    pytest.param(LoyaltyTransaction, points_row, "points", 500, id="loyalty"),
    pytest.param(StoreCreditEntry, store_credit_row, "amount", Decimal("500.00"), id="credit"),
    pytest.param(InvoicePayment, payment_row, "amount", Decimal("500.00"), id="payment"),
    pytest.param(CustomerEvent, event_row, "kind", "customer.restored", id="event"),
]


@pytest.mark.parametrize(("model", "make_row", "field", "value"), LEDGERS)
def test_a_ledger_row_is_written_once(model, make_row, field, value, cashier, manager):
    row = make_row(cashier, manager)
    stored = getattr(row, field)
    assert isinstance(row, ImmutableModel)
    assert isinstance(model.objects.all(), ImmutableQuerySet)

    setattr(row, field, value)
    with pytest.raises(ImmutableRowError):
        row.save()
    with pytest.raises(ImmutableRowError):
        row.delete()
    with pytest.raises(ImmutableRowError):
        model.objects.filter(pk=row.pk).update(**{field: value})
    with pytest.raises(ImmutableRowError):
        model.objects.filter(pk=row.pk).delete()

    assert getattr(model.objects.get(pk=row.pk), field) == stored
