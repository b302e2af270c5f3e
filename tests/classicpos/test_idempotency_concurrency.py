"""On PostgreSQL, 20 tills retrying one request at once: one effect, and every answer is
the first answer (or a 409 asking to retry), never an error for what succeeded."""

import json
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from customers.models import Customer
from loyalty import services as loyalty_services
from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

THREADS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent requests need PostgreSQL (make test-postgres); "
        "SQLite serialises every write transaction instead.",
    ),
]


def post_at_once(user, url: str, body: dict, key: str) -> list:
    """POST the same body with the same key from THREADS threads at once; return responses."""
    responses = []
    start = threading.Barrier(THREADS)

    def one():
        client = APIClient()
        client.force_authenticate(user)
        try:
            start.wait()
            responses.append(
                client.post(
                    url,
                    data=json.dumps(body),
                    content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY=key,
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def assert_first_answer_or_retry_later(responses, created_status=201) -> int:
    statuses = sorted({response.status_code for response in responses})
    assert set(statuses) <= {created_status, 409}, statuses
    bodies = {json.dumps(r.json(), sort_keys=True) for r in responses if r.status_code != 409}
    assert len(bodies) == 1  # the same first answer, replayed
    for response in responses:
        if response.status_code == 409:
            assert response["Retry-After"] == "1"
    return len(responses)


def test_twenty_retries_of_a_sale_paid_with_points_get_the_first_answer(cashier, manager):
    customer = CustomerFactory()
    loyalty_services.points_adjust(customer=customer, points=100, reason="Seed", user=manager)
    product = ProductFactory()
    body = {
        "customerId": customer.pk,
        "lines": [{"productId": product.pk, "quantity": 1}],
        "payments": [{"method": "points", "amount": "1.00"}, {"method": "cash", "amount": "9.00"}],
    }
    responses = post_at_once(cashier, "/api/sales", body, key="till-9-cart-1")
    assert assert_first_answer_or_retry_later(responses) == THREADS
    assert Sale.objects.count() == 1


def test_twenty_retries_of_a_new_customer_get_the_first_answer(cashier):
    body = {"name": "Rhea Retry", "email": "rhea@example.com"}
    responses = post_at_once(cashier, "/api/customers", body, key="till-9-customer-1")
    assert assert_first_answer_or_retry_later(responses) == THREADS
    assert Customer.objects.count() == 1
