"""Store credit, invoice payments and refunds stay inside the money columns (issue 27 #20).

A balance past 12 digits was saved on SQLite (then the account and statement
answered 500 until the database was edited) and was a 500 on PostgreSQL. Every
amount and balance is bounded before anything is written: a 400 naming the
field in the API, a message beside it on the page.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounting import services
from accounting.models import InvoicePayment, StoreCreditEntry
from classicpos.limits import MAX_AMOUNT
from loyalty.models import LoyaltyProgram
from sales.models import Refund
from tests.accounting.helpers import (
    assert_invariants,
    give_credit,
    on_day,
    pay,
    sell_on_account,
    store_credit,
)
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db

PAST_THE_BALANCE = (
    "The store credit balance would come to 10,000,000,000.00, past the limit of 9,999,999,999.99."
)


def _adjust(client, customer, amount):
    return post_json(
        client,
        f"/api/customers/{customer.pk}/store-credit-adjustments",
        {"amount": amount, "reason": "Goodwill"},
    )


def test_a_store_credit_adjustment_past_the_balance_column_is_refused(manager_client, manager):
    customer = CustomerFactory()
    assert _adjust(manager_client, customer, str(MAX_AMOUNT)).status_code == 201
    body = assert_problem(_adjust(manager_client, customer, "0.01"), 400)
    assert body["errors"] == {"amount": [PAST_THE_BALANCE]}
    assert store_credit(customer) == MAX_AMOUNT
    assert StoreCreditEntry.objects.filter(customer=customer).count() == 1
    assert manager_client.get(f"/api/customers/{customer.pk}/account").status_code == 200
    assert manager_client.get(f"/api/customers/{customer.pk}/store-credit").status_code == 200
    assert_invariants(customer)


def test_the_page_shows_the_balance_limit_beside_the_amount(client, manager):
    customer = CustomerFactory()
    services.store_credit_adjust(customer=customer, amount=MAX_AMOUNT, reason="x", user=manager)
    client.force_login(manager)
    response = client.post(
        f"/customers/{customer.pk}/store-credit/adjust/",
        {"amount": "0.01", "reason": "Goodwill"},
        follow=True,
    )
    assert response.status_code == 200
    assert PAST_THE_BALANCE in response.content.decode()
    assert store_credit(customer) == MAX_AMOUNT


def test_a_refund_to_store_credit_past_the_balance_column_is_refused(
    manager_client, manager, cashier
):
    customer = CustomerFactory()
    services.store_credit_adjust(customer=customer, amount=MAX_AMOUNT - 5, reason="x", user=manager)
    sale = ring_up(customer=customer, cashier=cashier, payments=[("cash", "10.00")])
    response = post_json(
        manager_client, f"/api/sales/{sale.pk}/refund", {"refundTo": "store_credit"}
    )
    body = assert_problem(response, 400)
    assert body["errors"] == {
        "refundTo": [PAST_THE_BALANCE.replace("10,000,000,000.00", "10,000,000,004.99")]
    }
    assert not Refund.objects.exists()
    sale.refresh_from_db()
    assert sale.refunded_total == 0
    assert store_credit(customer) == MAX_AMOUNT - 5
    # The money can still go back from the till.
    response = post_json(manager_client, f"/api/sales/{sale.pk}/refund", {})
    assert response.status_code == 201, response.content
    assert_invariants(customer)


def test_a_merge_whose_store_credit_would_pass_the_column_is_refused(manager_client, manager):
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    for customer in (survivor, duplicate):
        services.store_credit_adjust(
            customer=customer, amount=Decimal("5000000000.00"), reason="x", user=manager
        )
    response = post_json(
        manager_client, f"/api/customers/{survivor.pk}/merge", {"duplicateId": duplicate.pk}
    )
    body = assert_problem(response, 400)
    assert body["errors"] == {
        "duplicateId": [
            "The store credit balance would come to 10,000,000,000.00, "
            "past the limit of 9,999,999,999.99."
        ]
    }
    assert store_credit(survivor) == store_credit(duplicate) == Decimal("5000000000.00")


@pytest.mark.parametrize(
    "amount", ["\u0661\u0662", "\uff11\uff12", "1_000", "1_000.00", "12e1", "1E+2", "+5"]
)
def test_amounts_not_written_in_plain_digits_are_refused(manager_client, manager, cashier, amount):
    """Issue 27 #26: ``Decimal()`` parses Unicode digits, ``1_000`` and exponents."""
    customer = CustomerFactory()
    give_credit(customer, "2000.00", manager)
    invoice = sell_on_account(customer, "1500.00", cashier).invoice
    refusal = {"errors": ["Enter an amount such as 12.50."]}
    for response, field in [
        (
            post_json(
                manager_client,
                f"/api/invoices/{invoice.pk}/payments",
                {"amount": amount, "method": "cash"},
            ),
            "amount",
        ),
        (_adjust(manager_client, customer, amount), "amount"),
        (
            manager_client.patch(
                f"/api/customers/{customer.pk}/account", {"creditLimit": amount}, format="json"
            ),
            "creditLimit",
        ),
    ]:
        assert assert_problem(response, 400)["errors"] == {field: refusal["errors"]}
    assert not InvoicePayment.objects.exists()
    assert store_credit(customer) == 0


def test_an_invoice_payment_in_unicode_digits_is_refused_on_the_page(client, manager, cashier):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "40.00", cashier).invoice
    client.force_login(cashier)
    response = client.post(
        f"/invoices/{invoice.pk}/payments/",
        {"amount": "\u0661\u0662", "method": "cash"},
        follow=True,
    )
    assert "Enter an amount such as 12.50." in response.content.decode()
    assert not InvoicePayment.objects.exists()


def test_a_merge_whose_outstanding_would_pass_the_column_is_refused(
    manager_client, manager, cashier
):
    """The account's figures are sums of invoices; past 12 digits the account answered 500."""
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    for customer in (survivor, duplicate):
        give_credit(customer, "6000000000.00", manager)
        sell_on_account(customer, "6000000000.00", cashier)
    response = post_json(
        manager_client, f"/api/customers/{survivor.pk}/merge", {"duplicateId": duplicate.pk}
    )
    body = assert_problem(response, 400)
    assert body["errors"] == {
        "duplicateId": [
            "What the customer owes would come to 12,000,000,000.00, "
            "past the limit of 9,999,999,999.99."
        ]
    }
    assert manager_client.get(f"/api/customers/{survivor.pk}/account").status_code == 200
    assert_invariants(survivor, duplicate)


def test_a_statement_of_history_a_merge_joined_is_shown(manager_client, manager, cashier):
    """Two customers who each owed the most at once, paid, then merged: the survivor's
    statement of that month runs past 12 digits. It is history, so it is shown, not refused."""
    # No points: paying 6,000,000,000 would earn more than a points balance holds (refused).
    LoyaltyProgram.current()
    LoyaltyProgram.objects.update(earn_rate=Decimal(0))
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    then = timezone.localdate() - timedelta(days=60)
    with on_day(then):
        for customer in (survivor, duplicate):
            give_credit(customer, "6000000000.00", manager)
            sell_on_account(customer, "6000000000.00", cashier)
    for customer in (survivor, duplicate):
        pay(customer.invoices.get(), "6000000000.00", cashier)
    response = post_json(
        manager_client, f"/api/customers/{survivor.pk}/merge", {"duplicateId": duplicate.pk}
    )
    assert response.status_code == 200, response.content
    response = manager_client.get(
        f"/api/customers/{survivor.pk}/statement",
        {"from": then.isoformat(), "to": then.isoformat()},
    )
    assert response.status_code == 200, response.content
    assert [line["balance"] for line in response.json()["lines"]] == [
        "6000000000.00",
        "12000000000.00",
    ]
