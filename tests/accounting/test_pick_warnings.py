"""What the till hears about a customer's account when they are picked (issue 32 §5): over
or near the credit limit and overdue invoices, in the quote's ``customerWarnings``."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounting.models import Invoice
from tests.accounting.helpers import give_credit, sell_on_account
from tests.api_helpers import post_json
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db


def warnings_at_pick(client, customer) -> list[str]:
    product = ProductFactory(price=Decimal("1.00"))
    response = post_json(
        client,
        "/api/sales/quote",
        {"customerId": customer.pk, "lines": [{"productId": product.pk, "quantity": 1}]},
    )
    assert response.status_code == 200, response.content
    warnings = response.json()["customerWarnings"]
    assert {warning["level"] for warning in warnings} <= {"warn"}
    return [warning["text"] for warning in warnings]


def test_a_customer_in_good_standing_brings_no_warning(cashier_client, cashier, manager):
    customer = CustomerFactory()
    assert warnings_at_pick(cashier_client, customer) == []
    give_credit(customer, "100.00", manager)
    sell_on_account(customer, "89.99", cashier)
    assert warnings_at_pick(cashier_client, customer) == []


def test_near_at_and_over_the_credit_limit(cashier_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sell_on_account(customer, "90.00", cashier)
    assert warnings_at_pick(cashier_client, customer) == [
        "Near the credit limit: owes $90.00 of $100.00; $10.00 left."
    ]
    sell_on_account(customer, "10.00", cashier)
    assert warnings_at_pick(cashier_client, customer) == [
        "Near the credit limit: owes $100.00 of $100.00; $0.00 left."
    ]
    # A Manager lowered the limit below what is owed.
    give_credit(customer, "60.00", manager)
    assert warnings_at_pick(cashier_client, customer) == [
        "Over the credit limit: owes $100.00 of a $60.00 limit."
    ]
    give_credit(customer, "0.00", manager)
    assert warnings_at_pick(cashier_client, customer) == ["Owes $100.00 and has no credit account."]


def test_overdue_invoices_are_counted_with_what_is_past_due(cashier_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "1000.00", manager)
    late = [sell_on_account(customer, amount, cashier).invoice for amount in ("30.00", "12.50")]
    sell_on_account(customer, "5.00", cashier)
    today = timezone.localdate()
    Invoice.objects.filter(pk=late[0].pk).update(
        issued_on=today - timedelta(days=40), due_on=today - timedelta(days=10)
    )
    assert warnings_at_pick(cashier_client, customer) == ["1 overdue invoice: $30.00 past due."]
    Invoice.objects.filter(pk=late[1].pk).update(
        issued_on=today - timedelta(days=40), due_on=today - timedelta(days=1)
    )
    assert warnings_at_pick(cashier_client, customer) == ["2 overdue invoices: $42.50 past due."]
