"""``POST`` and ``DELETE /api/customers/:id/self-service-link``."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from customers.models import Channel, CustomerEvent, CustomerEventKind
from messaging.models import Message
from selfservice.models import SelfServiceLink
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.selfservice.conftest import sent_link

pytestmark = pytest.mark.django_db


def send(client, customer_id, body=None, **headers):
    return client.post(
        f"/api/customers/{customer_id}/self-service-link", body or {}, format="json", **headers
    )


def test_sending_answers_202_with_the_message_and_the_expiry(cashier_client, ada):
    response = send(cashier_client, ada.pk)
    assert response.status_code == 202, response.content
    message = Message.objects.get()
    link = SelfServiceLink.objects.get()
    assert set(response.json()) == {"messageId", "expiresAt"}
    assert response.json()["messageId"] == message.pk
    assert response.json()["expiresAt"].startswith(link.expires_at.date().isoformat())
    event = CustomerEvent.objects.get(kind=CustomerEventKind.SELF_SERVICE_LINK_SENT)
    assert event.channel == Channel.API
    _url, token = sent_link()
    assert APIClient().get(f"/my/{token}/").status_code == 200


def test_a_retry_with_the_same_idempotency_key_sends_one_link(cashier_client, ada):
    first = send(cashier_client, ada.pk, HTTP_IDEMPOTENCY_KEY="link-1")
    again = send(cashier_client, ada.pk, HTTP_IDEMPOTENCY_KEY="link-1")
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert Message.objects.count() == SelfServiceLink.objects.count() == 1


def test_a_customer_without_email_is_a_400_naming_email(cashier_client):
    customer = CustomerFactory(email=None)
    response = send(cashier_client, customer.pk)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["email"]
    assert not SelfServiceLink.objects.exists()


@pytest.mark.parametrize("body", [{"email": "other@example.com"}, {"anything": 1}])
def test_a_body_is_refused_the_link_goes_to_the_customers_own_email(cashier_client, ada, body):
    response = send(cashier_client, ada.pk, body)
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_an_unknown_customer_is_a_404(cashier_client):
    assert send(cashier_client, 999999).status_code == 404


def test_revoking_stops_every_working_link(cashier_client, ada):
    send(cashier_client, ada.pk)
    _url, token = sent_link()
    response = cashier_client.delete(f"/api/customers/{ada.pk}/self-service-link")
    assert response.status_code == 200
    assert response.json() == {"revoked": 1}
    assert APIClient().get(f"/my/{token}/").status_code == 404
    again = cashier_client.delete(f"/api/customers/{ada.pk}/self-service-link")
    assert again.json() == {"revoked": 0}


def test_staff_without_the_permission_and_strangers_are_refused(ada, anonymous_client):
    clerk = UserFactory(username="clerk", is_staff=True)
    client = APIClient()
    client.force_authenticate(clerk)
    assert send(client, ada.pk).status_code == 403
    assert client.delete(f"/api/customers/{ada.pk}/self-service-link").status_code == 403
    assert send(anonymous_client, ada.pk).status_code in (401, 403)
    assert not SelfServiceLink.objects.exists()


def test_a_manager_may_send_and_revoke(manager_client, ada):
    assert send(manager_client, ada.pk).status_code == 202
    assert manager_client.delete(f"/api/customers/{ada.pk}/self-service-link").status_code == 200


def test_the_cashier_role_holds_both_permissions(cashier):
    group = Group.objects.get(name=cashier.groups.get().name)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"send_link", "revoke_link"} <= codenames
