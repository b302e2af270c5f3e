"""A Manager sends a failed message again: a new message, the failed one keeps its error."""

import pytest

from customers.models import Channel
from messaging.models import Message, MessageState
from selfservice.services import link_send

pytestmark = pytest.mark.django_db


def _fail(message, error="550 mailbox unavailable"):
    Message.objects.filter(pk=message.pk).update(state=MessageState.FAILED, last_error=error)


def send_again(client, message_id, **headers):
    return client.post(f"/api/messages/{message_id}/send-again", format="json", **headers)


def test_a_failed_receipt_is_queued_again_as_a_new_message(manager_client, cashier_client, sale):
    cashier_client.post(f"/api/sales/{sale.pk}/email-receipt", {}, format="json")
    failed = Message.objects.get()
    _fail(failed)
    response = send_again(manager_client, failed.pk, HTTP_IDEMPOTENCY_KEY="again-1")
    assert response.status_code == 202, response.content
    again = Message.objects.get(pk=response.json()["messageId"])
    assert (again.state, again.to, again.sale, again.subject) == (
        MessageState.QUEUED,
        failed.to,
        failed.sale,
        failed.subject,
    )
    failed.refresh_from_db()
    assert failed.state == MessageState.FAILED
    assert failed.last_error == "550 mailbox unavailable"
    replay = send_again(manager_client, failed.pk, HTTP_IDEMPOTENCY_KEY="again-1")
    assert replay.json() == response.json()
    assert Message.objects.count() == 2


def test_only_a_failed_message_is_sent_again(manager_client, cashier_client, sale):
    cashier_client.post(f"/api/sales/{sale.pk}/email-receipt", {}, format="json")
    response = send_again(manager_client, Message.objects.get().pk)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["state"]
    assert Message.objects.count() == 1


def test_a_self_service_links_email_is_not_sent_again(manager_client, mary):
    link_send(customer=mary, actor=None, channel=Channel.PAGE, site_url="http://testserver/")
    message = Message.objects.get()
    _fail(message)
    response = send_again(manager_client, message.pk)
    assert response.status_code == 400
    assert "new link" in str(response.json()["errors"])


def test_cashiers_may_not_send_again(cashier_client, sale):
    cashier_client.post(f"/api/sales/{sale.pk}/email-receipt", {}, format="json")
    _fail(Message.objects.get())
    assert send_again(cashier_client, Message.objects.get().pk).status_code == 403


def test_the_messages_page_sends_a_failed_message_again(manager_page, cashier_client, sale):
    cashier_client.post(f"/api/sales/{sale.pk}/email-receipt", {}, format="json")
    failed = Message.objects.get()
    _fail(failed)
    page = manager_page.get("/messages/")
    assert b"Send again" in page.content
    response = manager_page.post(f"/messages/{failed.pk}/send-again/", follow=True)
    assert b"Queued again for m" in response.content
    assert Message.objects.filter(state=MessageState.QUEUED).count() == 1


def test_a_failed_message_is_sent_again_once(manager_client, cashier_client, sale):
    cashier_client.post(f"/api/sales/{sale.pk}/email-receipt", {}, format="json")
    failed = Message.objects.get()
    _fail(failed)
    assert send_again(manager_client, failed.pk).status_code == 202
    twice = send_again(manager_client, failed.pk)
    assert twice.status_code == 400
    assert "already sent again" in str(twice.json()["errors"])
    assert Message.objects.count() == 2
