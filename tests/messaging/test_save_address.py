"""A typed address is saved on the customer only when the cashier ticks that the customer agreed."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from customers.models import Channel, CustomerEvent, CustomerEventKind
from messaging.models import Message
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.messaging.conftest import sell

pytestmark = pytest.mark.django_db


def email_receipt(client, sale_id, body):
    return client.post(f"/api/sales/{sale_id}/email-receipt", body, format="json")


def test_the_api_saves_the_typed_address_when_asked(cashier_client, sale, mary):
    response = email_receipt(
        cashier_client, sale.pk, {"email": "Mary.New@Example.com", "saveToCustomer": True}
    )
    assert response.status_code == 202, response.content
    mary.refresh_from_db()
    assert mary.email == "mary.new@example.com"
    assert Message.objects.get().to == "mary.new@example.com"
    change = CustomerEvent.objects.get(customer=mary, kind=CustomerEventKind.CHANGED)
    assert change.channel == Channel.API
    assert change.changes == {"email": ["mary@example.com", "mary.new@example.com"]}


def test_without_the_tick_nothing_is_saved(cashier_client, sale, mary):
    email_receipt(cashier_client, sale.pk, {"email": "other@example.com", "saveToCustomer": False})
    mary.refresh_from_db()
    assert mary.email == "mary@example.com"


def test_an_address_another_customer_has_is_refused_and_nothing_is_queued(
    cashier_client, sale, mary
):
    CustomerFactory(email="taken@example.com")
    response = email_receipt(
        cashier_client, sale.pk, {"email": "taken@example.com", "saveToCustomer": True}
    )
    assert response.status_code == 400
    assert "email" in response.json()["errors"]
    mary.refresh_from_db()
    assert mary.email == "mary@example.com"
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", [{"saveToCustomer": True}, {"email": "", "saveToCustomer": True}])
def test_saving_needs_a_typed_address(cashier_client, sale, body):
    response = email_receipt(cashier_client, sale.pk, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["saveToCustomer"]
    assert not Message.objects.exists()


def test_a_walk_in_sale_has_no_one_to_save_on(cashier_client, cashier):
    walk_in = sell(cashier=cashier)
    response = email_receipt(
        cashier_client, walk_in.pk, {"email": "a@example.com", "saveToCustomer": True}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["saveToCustomer"]


def test_a_user_who_may_not_change_customers_may_not_save(sale, mary):
    clerk = UserFactory(username="clerk")
    clerk.groups.add(Group.objects.get(name="Cashier"))
    clerk.user_permissions.clear()
    group_without_change = Group.objects.create(name="Receipts only")
    group_without_change.permissions.set(
        Group.objects.get(name="Cashier").permissions.exclude(codename="change_customer")
    )
    clerk.groups.set([group_without_change])
    client = APIClient()
    client.force_authenticate(clerk)
    response = email_receipt(client, sale.pk, {"email": "x@example.com", "saveToCustomer": True})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["saveToCustomer"]
    mary.refresh_from_db()
    assert mary.email == "mary@example.com"


def test_the_receipt_page_form_saves_with_the_tick(cashier_page, sale, mary):
    page = cashier_page.get(f"/sales/{sale.pk}/")
    assert b"Also save it as the customer's email (they agreed)" in page.content
    response = cashier_page.post(
        f"/sales/{sale.pk}/email-receipt/",
        {"email": "mary.home@example.com", "save_to_customer": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert b"The address is now the customer's email." in response.content
    mary.refresh_from_db()
    assert mary.email == "mary.home@example.com"
    assert CustomerEvent.objects.get(kind=CustomerEventKind.CHANGED).channel == Channel.PAGE
