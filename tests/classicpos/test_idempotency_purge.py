"""Stored ``Idempotency-Key`` answers are forgotten after their TTL and on an erasure.

An answer holds what the API said (a customer's name, email, phone, address); it
must not outlive the erasure of that person, nor be kept forever.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from classicpos.models import IdempotencyRecord
from customers.models import Customer, CustomerEvent
from tests.api_helpers import post_json
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db

ADA = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "phone": "+14155550123",
    "address": "12 Analytical Row",
}


def _anonymise(client, customer_id: int, name: str) -> None:
    response = post_json(client, f"/api/customers/{customer_id}/anonymise", {"confirm": name})
    assert response.status_code == 200, response.content


def _leaks(response) -> list[str]:
    text = response.content.decode()
    return [value for value in ADA.values() if value in text]


def test_a_merge_answer_is_not_replayed_after_the_survivor_is_erased(manager_client):
    survivor = CustomerFactory(**ADA)
    duplicate = CustomerFactory(name="Ada Lovelace", email=None, phone=None, address=None)
    merge = {"duplicateId": duplicate.pk}
    url = f"/api/customers/{survivor.pk}/merge"
    first = post_json(manager_client, url, merge, HTTP_IDEMPOTENCY_KEY="merge-1")
    assert first.status_code == 200
    assert _leaks(first)

    _anonymise(manager_client, survivor.pk, "Ada Lovelace")
    replay = post_json(manager_client, url, merge, HTTP_IDEMPOTENCY_KEY="merge-1")

    assert "Idempotent-Replayed" not in replay
    assert _leaks(replay) == []


def test_a_sale_answer_naming_the_customer_is_forgotten_on_erasure(manager_client):
    customer = CustomerFactory(**ADA)
    product = ProductFactory(price="5.00")
    sale = {
        "customerId": customer.pk,
        "lines": [{"productId": product.pk, "quantity": 1}],
        "payments": [{"method": "cash", "amount": "5.00"}],
    }
    first = post_json(manager_client, "/api/sales", sale, HTTP_IDEMPOTENCY_KEY="sale-1")
    assert first.status_code == 201
    assert "Ada Lovelace" in first.content.decode()

    _anonymise(manager_client, customer.pk, "Ada Lovelace")

    assert not IdempotencyRecord.objects.filter(key="sale-1").exists()


def test_a_created_customer_is_not_replayed_after_erasure(manager_client):
    first = post_json(manager_client, "/api/customers/", ADA, HTTP_IDEMPOTENCY_KEY="create-1")
    assert first.status_code == 201
    _anonymise(manager_client, first.json()["id"], "Ada Lovelace")

    assert not IdempotencyRecord.objects.filter(key="create-1").exists()


def test_erasing_a_merged_away_duplicate_clears_what_it_left_on_the_survivor(manager_client):
    survivor = CustomerFactory(name="Ada Lovelace", email=None, phone=None, address="1 Own St")
    duplicate = CustomerFactory(**ADA)
    url = f"/api/customers/{survivor.pk}/merge"
    merge = {"duplicateId": duplicate.pk, "valuesFrom": {"phone": "duplicate"}}
    first = post_json(manager_client, url, merge, HTTP_IDEMPOTENCY_KEY="merge-2")
    assert (first.json()["email"], first.json()["phone"]) == (ADA["email"], ADA["phone"])

    _anonymise(manager_client, duplicate.pk, "Ada Lovelace")

    survivor.refresh_from_db()
    # What came from the duplicate is gone; the survivor's own address and name stay.
    assert (survivor.email, survivor.phone) == (None, None)
    assert (survivor.name, survivor.address) == ("Ada Lovelace", "1 Own St")
    history = list(
        CustomerEvent.objects.filter(customer=survivor).values_list("changes", flat=True)
    )
    assert ADA["email"] not in str(history)
    assert ADA["phone"] not in str(history)
    replay = post_json(manager_client, url, merge, HTTP_IDEMPOTENCY_KEY="merge-2")
    assert "Idempotent-Replayed" not in replay
    assert _leaks(replay) == []
    detail = manager_client.get(f"/api/customers/{survivor.pk}")
    assert ADA["email"] not in detail.content.decode()


def test_an_answer_past_its_ttl_is_not_replayed_and_is_purged_by_the_next_write(
    manager_client, settings
):
    settings.CLASSICPOS_IDEMPOTENCY_TTL_HOURS = 24
    first = post_json(manager_client, "/api/customers", {"name": "Old"}, HTTP_IDEMPOTENCY_KEY="o")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = post_json(manager_client, "/api/customers", {"name": "Old"}, HTTP_IDEMPOTENCY_KEY="o")

    assert "Idempotent-Replayed" not in again
    assert again.json()["id"] != first.json()["id"]
    assert Customer.objects.count() == 2
    old = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - timedelta(hours=24))
    assert not old.exists()


def test_a_write_purges_other_expired_answers(manager_client, django_capture_on_commit_callbacks):
    post_json(manager_client, "/api/customers", {"name": "Old"}, HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=3))

    # After the write commits (outside its transaction, which may hold a store's counter).
    with django_capture_on_commit_callbacks(execute=True):
        post_json(manager_client, "/api/customers", {"name": "New"}, HTTP_IDEMPOTENCY_KEY="new")

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_the_purge_command_deletes_expired_answers_only(manager_client):
    post_json(manager_client, "/api/customers", {"name": "Old"}, HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=3))
    IdempotencyRecord.objects.create(
        user=IdempotencyRecord.objects.get().user,
        key="fresh",
        method="POST",
        path="/api/customers",
        request_fingerprint="x",
        response_status=201,
        response_body={"name": "Fresh"},
    )
    out = StringIO()

    call_command("purge_idempotency_keys", stdout=out)

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    assert "1 stored answer" in out.getvalue()


def test_a_lead_answer_is_forgotten_when_the_customer_it_became_is_erased(manager_client):
    lead = post_json(
        manager_client,
        "/api/leads",
        {"name": "Ada L.", "email": ADA["email"]},
        HTTP_IDEMPOTENCY_KEY="lead-1",
    )
    assert lead.status_code == 201, lead.content
    converted = post_json(manager_client, f"/api/leads/{lead.json()['id']}/convert", {})
    customer_id = converted.json()["customerId"]

    _anonymise(manager_client, customer_id, "Ada L.")

    assert not IdempotencyRecord.objects.filter(key="lead-1").exists()


def test_other_customers_answers_stay(manager_client):
    keep = [CustomerFactory(name=f"Other {n}") for n in range(11)]
    erased = CustomerFactory(**ADA)
    for customer in keep:
        post_json(
            manager_client,
            f"/api/customers/{customer.pk}/merge",
            {"duplicateId": CustomerFactory(name=customer.name).pk},
            HTTP_IDEMPOTENCY_KEY=f"merge-{customer.pk}",
        )

    _anonymise(manager_client, erased.pk, "Ada Lovelace")

    assert IdempotencyRecord.objects.count() == len(keep)
