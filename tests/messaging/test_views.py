"""The receipt page's "Email receipt" form, the Managers' Messages page and the timeline."""

import pytest
from django.urls import reverse

from customers.timeline import customer_timeline
from messaging.delivery import messages_deliver
from messaging.models import Message, MessageState
from messaging.services import receipt_email
from tests.messaging.conftest import sell

pytestmark = pytest.mark.django_db


def test_the_receipt_page_offers_the_form_with_the_customers_email(cashier_page, sale):
    page = cashier_page.get(sale.get_absolute_url()).content.decode()
    assert 'id="email-receipt"' in page
    assert 'value="mary@example.com"' in page
    assert reverse("messaging:email_receipt", args=[sale.pk]) in page


def test_a_walk_in_receipt_offers_an_empty_address_field(cashier_page, cashier):
    walk_in = sell(cashier=cashier)
    page = cashier_page.get(walk_in.get_absolute_url()).content.decode()
    assert 'name="email"' in page
    assert 'value=""' in page


def test_the_form_queues_the_receipt_and_says_where_masked(cashier_page, sale):
    url = reverse("messaging:email_receipt", args=[sale.pk])
    answer = cashier_page.post(url, {"email": "mary@example.com"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert answer["HX-Push-Url"] == "false"
    assert "Receipt queued for m•••@example.com." in answer.content.decode()
    assert Message.objects.get().to == "mary@example.com"


def test_a_bad_address_is_shown_beside_the_field(cashier_page, cashier):
    walk_in = sell(cashier=cashier)
    url = reverse("messaging:email_receipt", args=[walk_in.pk])
    answer = cashier_page.post(url, {"email": "nobody@"}, HTTP_HX_REQUEST="true")
    body = answer.content.decode()
    assert 'id="email-receipt-error"' in body
    assert "Enter a valid email address." in body
    assert 'value="nobody@"' in body
    empty = cashier_page.post(url, {"email": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "type the address" in empty
    assert not Message.objects.exists()


def test_without_htmx_the_form_returns_to_the_receipt_with_a_toast(cashier_page, sale):
    url = reverse("messaging:email_receipt", args=[sale.pk])
    answer = cashier_page.post(url, {"email": ""}, follow=True)
    assert answer.redirect_chain[-1][0] == sale.get_absolute_url()
    assert "Receipt queued for m•••@example.com." in answer.content.decode()


def test_managers_see_each_message_masked_with_its_state(manager_page, sale, cashier):
    sent = receipt_email(sale=sale, user=cashier)
    Message.objects.filter(pk=sent.pk).update(
        state=MessageState.FAILED, attempts=3, last_error="SMTPDataError: 451 busy"
    )
    other = sell(cashier=cashier)
    receipt_email(sale=other, email="zoe@example.org", user=cashier)

    page = manager_page.get(reverse("messaging:list")).content.decode()
    assert "m•••@example.com" in page
    assert "z•••@example.org" in page
    assert "mary@example.com" not in page
    assert "SMTPDataError: 451 busy" in page
    assert 'data-state="failed"' in page

    filtered = manager_page.get(reverse("messaging:list"), {"customer": sale.customer_id})
    assert "m•••@example.com" in filtered.content.decode()
    assert "z•••@example.org" not in filtered.content.decode()


def test_the_messages_page_paginates(manager_page, sale, cashier):
    for _ in range(26):
        receipt_email(sale=sale, user=cashier)
    first = manager_page.get(reverse("messaging:list")).content.decode()
    assert first.count("data-message=") == 25
    assert "Page 1 of 2" in first
    second = manager_page.get(reverse("messaging:list"), {"page": 2}).content.decode()
    assert second.count("data-message=") == 1


def test_cashiers_may_not_open_the_messages_page(cashier_page):
    assert cashier_page.get(reverse("messaging:list")).status_code == 403


def test_each_message_is_on_the_customers_timeline_masked(
    smtp_server, manager, cashier, sale, mary
):
    receipt_email(sale=sale, user=cashier)
    messages_deliver()
    [entry] = [
        e
        for e in customer_timeline(customer=mary, user=manager).entries
        if e.kind.startswith("message.")
    ]
    assert entry.kind == "message.sent"
    assert entry.summary == f"Receipt {sale.number} emailed to m•••@example.com"
    assert entry.actor == "cashier"
    cashier_view = customer_timeline(customer=mary, user=cashier).entries
    assert not [e for e in cashier_view if e.kind.startswith("message.")]
