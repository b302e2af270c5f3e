"""``POST /api/sales/:id/email-receipt`` and ``GET /api/messages``."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from classicpos.roles import CASHIER
from customers.models import Customer
from messaging.models import Message
from tests.factories import UserFactory
from tests.messaging.conftest import sell

pytestmark = pytest.mark.django_db


def email_receipt(client, sale_id, body=None, **headers):
    return client.post(f"/api/sales/{sale_id}/email-receipt", body or {}, format="json", **headers)


def test_the_receipt_goes_to_the_customers_own_email(cashier_client, sale):
    response = email_receipt(cashier_client, sale.pk)
    assert response.status_code == 202, response.content
    message = Message.objects.get()
    assert response.json() == {"messageId": message.pk}
    assert message.to == "mary@example.com"
    assert message.sale == sale


def test_a_typed_address_is_for_this_sale_only(cashier_client, sale, mary):
    response = email_receipt(cashier_client, sale.pk, {"email": "friend@example.com"})
    assert response.status_code == 202
    assert Message.objects.get().to == "friend@example.com"
    mary.refresh_from_db()
    assert mary.email == "mary@example.com"
    assert not Customer.objects.filter(email="friend@example.com").exists()


def test_no_address_at_all_is_a_400_naming_email(cashier_client, cashier):
    walk_in = sell(cashier=cashier)
    response = email_receipt(cashier_client, walk_in.pk)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["email"]
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", [{"email": "not-an-address"}, {"email": 5}, {"emial": "a@b.c"}])
def test_a_bad_body_is_a_400_naming_its_key(cashier_client, sale, body):
    response = email_receipt(cashier_client, sale.pk, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(body)
    assert not Message.objects.exists()


def test_an_unknown_sale_is_a_404(cashier_client):
    assert email_receipt(cashier_client, 999999).status_code == 404


def test_a_staff_user_without_the_role_gets_403(sale):
    client = APIClient()
    client.force_authenticate(UserFactory())
    assert email_receipt(client, sale.pk).status_code == 403
    assert client.get("/api/messages").status_code == 403


def test_anonymous_callers_get_401(anonymous_client, sale):
    assert email_receipt(anonymous_client, sale.pk).status_code == 401


def test_a_retry_with_the_same_key_replays_the_first_answer(cashier_client, sale):
    first = email_receipt(cashier_client, sale.pk, HTTP_IDEMPOTENCY_KEY="receipt-1")
    second = email_receipt(cashier_client, sale.pk, HTTP_IDEMPOTENCY_KEY="receipt-1")
    assert second.status_code == 202
    assert second.json() == first.json()
    assert Message.objects.count() == 1
    other = email_receipt(
        cashier_client, sale.pk, {"email": "x@example.com"}, HTTP_IDEMPOTENCY_KEY="receipt-1"
    )
    assert other.status_code == 409


def test_managers_list_messages_masked_and_by_customer(manager_client, cashier_client, sale):
    email_receipt(cashier_client, sale.pk)
    other = sell(cashier=sale.cashier)
    email_receipt(cashier_client, other.pk, {"email": "zoe@example.org"})

    everything = manager_client.get("/api/messages").json()
    assert everything["count"] == 2
    assert {row["to"] for row in everything["results"]} == {"m•••@example.com", "z•••@example.org"}

    mine = manager_client.get(f"/api/messages?customerId={sale.customer_id}").json()
    assert mine["count"] == 1
    [row] = mine["results"]
    assert row["customerId"] == sale.customer_id
    assert row["saleId"] == sale.pk
    assert row["state"] == "queued"
    assert row["attempts"] == 0
    assert row["lastError"] == ""
    assert "mary@example.com" not in str(mine)


def test_cashiers_may_not_read_the_outbox(cashier_client):
    assert cashier_client.get("/api/messages").status_code == 403


def test_the_cashier_role_may_email_receipts(cashier):
    assert Group.objects.get(name=CASHIER).permissions.filter(codename="email_receipt").exists()
