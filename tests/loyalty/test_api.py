"""Loyalty API: ledger lists, adjustments (Manager only, idempotent), sale points fields."""

import json

import pytest

from loyalty import services
from loyalty.models import LoyaltyTransaction
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def adjust(client, customer_id, payload, **headers):
    return client.post(
        f"/api/customers/{customer_id}/loyalty-adjustments",
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_manager_adjusts_points_with_a_reason(manager_client):
    customer = CustomerFactory()
    response = adjust(manager_client, customer.pk, {"points": 120, "reason": "Birthday bonus"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "adjustment"
    assert body["points"] == 120
    assert body["balanceAfter"] == 120
    assert body["createdBy"] == "manager"
    customer.refresh_from_db()
    assert customer.loyalty_points == 120


@pytest.mark.parametrize("slash", ["", "/"])
def test_adjustment_routes_take_an_optional_slash(manager_client, slash):
    customer = CustomerFactory()
    response = manager_client.post(
        f"/api/customers/{customer.pk}/loyalty-adjustments{slash}",
        data=json.dumps({"points": 1, "reason": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert manager_client.get(f"/api/customers/{customer.pk}/loyalty{slash}").status_code == 200


def test_adjustment_errors_are_problem_documents(manager_client):
    customer = CustomerFactory()
    response = adjust(manager_client, customer.pk, {"points": 0, "reason": ""})
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    assert set(response.json()["errors"]) == {"points", "reason"}
    response = adjust(manager_client, customer.pk, {"points": -5, "reason": "Too much"})
    assert response.status_code == 400
    assert "has only 0 points" in response.json()["errors"]["points"][0]
    response = adjust(manager_client, customer.pk, {"points": 5, "reason": "x", "extra": 1})
    assert response.json()["errors"]["extra"] == ["Unknown field."]
    assert LoyaltyTransaction.objects.count() == 0


def test_adjustment_honours_idempotency_key(manager_client):
    customer = CustomerFactory()
    payload = {"points": 50, "reason": "Goodwill"}
    first = adjust(manager_client, customer.pk, payload, HTTP_IDEMPOTENCY_KEY="adj-1")
    second = adjust(manager_client, customer.pk, payload, HTTP_IDEMPOTENCY_KEY="adj-1")
    assert first.json() == second.json()
    customer.refresh_from_db()
    assert customer.loyalty_points == 50
    conflict = adjust(
        manager_client, customer.pk, {"points": 60, "reason": "x"}, HTTP_IDEMPOTENCY_KEY="adj-1"
    )
    assert conflict.status_code == 409


def test_cashier_cannot_adjust_but_can_read_the_ledger(cashier_client, manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=10, reason="Gift", user=manager)
    assert adjust(cashier_client, customer.pk, {"points": 5, "reason": "x"}).status_code == 403
    response = cashier_client.get(f"/api/customers/{customer.pk}/loyalty")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_unknown_customer_is_404(manager_client):
    assert adjust(manager_client, 99999, {"points": 5, "reason": "x"}).status_code == 404
    assert manager_client.get("/api/customers/99999/loyalty").status_code == 404


def test_customer_ledger_is_newest_first_and_paginated(manager_client, manager):
    customer = CustomerFactory()
    for points in (1, 2, 3):
        services.points_adjust(customer=customer, points=points, reason="x", user=manager)
    body = manager_client.get(f"/api/customers/{customer.pk}/loyalty?pageSize=2").json()
    assert body["count"] == 3
    assert [row["points"] for row in body["results"]] == [3, 2]
    assert body["next"]


def test_ledger_list_filters(manager_client, manager):
    ann, bob = CustomerFactory(), CustomerFactory()
    services.points_adjust(customer=ann, points=5, reason="x", user=manager)
    services.points_adjust(customer=bob, points=7, reason="x", user=manager)
    rows = manager_client.get(f"/api/loyalty-transactions?customer={bob.pk}").json()["results"]
    assert [row["points"] for row in rows] == [7]
    rows = manager_client.get("/api/loyalty-transactions?kind=earn").json()["results"]
    assert rows == []
    assert manager_client.get("/api/loyalty-transactions?kind=bogus").status_code == 400
    rows = manager_client.get("/api/loyalty-transactions?createdAfter=2000-01-01").json()
    assert rows["count"] == 2


def test_ledger_list_query_count_is_constant(manager_client, manager, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager_client.get("/api/loyalty-transactions")
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=5, reason="x", user=manager)
    with CaptureQueriesContext(connection) as few:
        manager_client.get("/api/loyalty-transactions")
    baseline = len(few.captured_queries)
    assert baseline == 2  # count and page (with customer, sale and author joined)
    for _ in range(20):
        services.points_adjust(customer=CustomerFactory(), points=5, reason="x", user=manager)
    with django_assert_num_queries(baseline):
        manager_client.get("/api/loyalty-transactions")


def test_ledger_is_read_only_over_the_api(manager_client, manager):
    customer = CustomerFactory()
    row = services.points_adjust(customer=customer, points=5, reason="x", user=manager)
    assert manager_client.delete(f"/api/loyalty-transactions/{row.pk}").status_code == 405
    assert manager_client.patch(f"/api/loyalty-transactions/{row.pk}", {}).status_code == 405
