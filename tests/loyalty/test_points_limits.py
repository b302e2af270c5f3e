"""Points balances stay inside their 32-bit columns (issue 27 #20).

A sale earning over 2,147,483,647 points was a 500 on PostgreSQL ("integer out of
range") and, on SQLite, a balance no list filter or PostgreSQL copy could hold.
Every points figure is bounded before it is written: a 400 naming the field, and
nothing of the sale, refund, adjustment or merge is saved.
"""

from decimal import Decimal

import pytest

from classicpos.limits import MAX_POINTS
from customers.models import Customer
from loyalty import services
from loyalty.models import LoyaltyTransaction
from sales.models import Refund, Sale
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.loyalty.helpers import assert_balance_matches_ledger
from tests.sales.factories import ProductFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db


def _with_points(points: int) -> Customer:
    """Return a customer holding ``points``, explained by the ledger."""
    customer = CustomerFactory()
    Customer.objects.filter(pk=customer.pk).update(loyalty_points=points)
    services.points_reconcile(customer_id=customer.pk)
    customer.refresh_from_db()
    return customer


def _balance_message(points: int) -> str:
    return f"The points balance would come to {points:,}, past the limit of 2,147,483,647."


def _sell(client, customer, price: str):
    product = ProductFactory(price=Decimal(price))
    return post_json(
        client,
        "/api/sales",
        {
            "customerId": customer.pk,
            "lines": [{"productId": product.pk, "quantity": 1}],
            "payments": [{"method": "cash", "amount": price}],
        },
    )


def test_a_sale_earning_more_points_than_a_balance_holds_is_refused(cashier_client):
    customer = CustomerFactory()
    body = assert_problem(_sell(cashier_client, customer, "2147483648.00"), 400)
    assert body["errors"] == {"payments": [_balance_message(2_147_483_648)]}
    assert not Sale.objects.exists()
    assert not LoyaltyTransaction.objects.exists()
    assert cashier_client.get("/api/sales").status_code == 200


def test_a_sale_taking_a_balance_past_its_column_is_refused(cashier_client):
    customer = _with_points(MAX_POINTS - 5)
    body = assert_problem(_sell(cashier_client, customer, "10.00"), 400)
    assert body["errors"] == {"payments": [_balance_message(MAX_POINTS + 5)]}
    assert not Sale.objects.exists()
    assert_balance_matches_ledger(customer)
    assert customer.loyalty_points == MAX_POINTS - 5
    # What still fits is earned.
    assert _sell(cashier_client, customer, "5.00").status_code == 201
    customer.refresh_from_db()
    assert customer.loyalty_points == MAX_POINTS


def test_an_adjustment_past_the_balance_column_is_refused(manager_client):
    customer = _with_points(MAX_POINTS - 5)
    response = post_json(
        manager_client,
        f"/api/customers/{customer.pk}/loyalty-adjustments",
        {"points": 6, "reason": "Bonus"},
    )
    assert assert_problem(response, 400)["errors"] == {"points": [_balance_message(MAX_POINTS + 1)]}
    assert_balance_matches_ledger(customer)
    assert customer.loyalty_points == MAX_POINTS - 5


def test_the_adjustment_page_shows_the_limit_beside_the_points(manager_page):
    customer = _with_points(MAX_POINTS - 5)
    response = manager_page.post(
        f"/customers/{customer.pk}/points/adjust/",
        {"points": "6", "reason": "Bonus"},
        follow=True,
    )
    assert response.status_code == 200
    assert _balance_message(MAX_POINTS + 1) in response.content.decode()
    assert_balance_matches_ledger(customer)
    assert customer.loyalty_points == MAX_POINTS - 5


def test_a_refund_giving_back_points_past_the_column_is_refused(manager_client, cashier):
    customer = _with_points(1000)
    sale = ring_up(
        customer=customer,
        price="10.00",
        cashier=cashier,
        payments=[("points", "10.00")],
    )
    Customer.objects.filter(pk=customer.pk).update(loyalty_points=MAX_POINTS)
    services.points_reconcile(customer_id=customer.pk)
    response = post_json(manager_client, f"/api/sales/{sale.pk}/refund", {})
    body = assert_problem(response, 400)
    given_back = LoyaltyTransaction.objects.get(sale=sale, kind="redeem").points
    assert body["errors"] == {"lines": [_balance_message(MAX_POINTS - given_back)]}
    assert not Refund.objects.exists()
    assert_balance_matches_ledger(customer)


def test_a_merge_whose_points_would_pass_the_column_is_refused(manager_client):
    survivor, duplicate = _with_points(MAX_POINTS - 5), _with_points(10)
    response = post_json(
        manager_client, f"/api/customers/{survivor.pk}/merge", {"duplicateId": duplicate.pk}
    )
    body = assert_problem(response, 400)
    assert body["errors"] == {"duplicateId": [_balance_message(MAX_POINTS + 5)]}
    for customer in (survivor, duplicate):
        assert_balance_matches_ledger(customer)
    assert (survivor.loyalty_points, duplicate.loyalty_points) == (MAX_POINTS - 5, 10)
