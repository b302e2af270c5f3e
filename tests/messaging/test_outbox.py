"""The outbox is written with what caused a message, or not at all."""

import pytest
from django.db import transaction

from messaging.models import Message, MessageKind, MessageState
from messaging.services import message_enqueue, receipt_email
from sales.models import Sale
from tests.messaging.conftest import sell

pytestmark = pytest.mark.django_db


class Abandoned(Exception):
    pass


def test_a_message_is_queued_with_its_rendered_bodies(sale, cashier):
    message = receipt_email(sale=sale, user=cashier)
    message.refresh_from_db()
    assert message.kind == MessageKind.RECEIPT
    assert message.state == MessageState.QUEUED
    assert message.to == "mary@example.com"
    assert message.customer == sale.customer
    assert message.sale == sale
    assert message.created_by == cashier
    assert message.attempts == 0
    assert sale.number in message.subject
    assert "Blue scarf" in message.text_body
    assert "Blue scarf" in message.html_body


def test_a_rolled_back_sale_leaves_no_message(cashier, mary):
    written = []

    def sell_then_fail():
        with transaction.atomic():
            sale = sell(cashier=cashier, customer=mary)
            receipt_email(sale=sale, user=cashier)
            written.append(Message.objects.count())
            raise Abandoned

    with pytest.raises(Abandoned):
        sell_then_fail()
    assert written == [1]
    assert Sale.objects.count() == 0
    assert Message.objects.count() == 0


def test_a_message_joins_the_callers_transaction(mary):
    def enqueue_then_fail():
        with transaction.atomic():
            message_enqueue(
                kind=MessageKind.RECEIPT, to=mary.email, subject="Hi", text_body="x", customer=mary
            )
            raise Abandoned

    with pytest.raises(Abandoned):
        enqueue_then_fail()
    assert not Message.objects.exists()


def test_a_typed_address_is_used_for_this_message_only(sale, cashier, mary):
    message = receipt_email(sale=sale, email="  Other@Example.com ", user=cashier)
    assert message.to == "other@example.com"
    mary.refresh_from_db()
    assert mary.email == "mary@example.com"
    assert message.customer == mary


def test_a_walk_in_sale_without_an_address_is_refused_on_email(cashier):
    from django.core.exceptions import ValidationError

    walk_in = sell(cashier=cashier)
    with pytest.raises(ValidationError) as refused:
        receipt_email(sale=walk_in, user=cashier)
    assert "email" in refused.value.message_dict
    with pytest.raises(ValidationError) as invalid:
        receipt_email(sale=walk_in, email="nobody@", user=cashier)
    assert invalid.value.message_dict == {"email": ["Enter a valid email address."]}
    assert not Message.objects.exists()


def test_the_receipt_names_the_customer_only_when_the_shop_says_so(sale, cashier, settings):
    settings.CLASSICPOS_RECEIPT_NAMES_CUSTOMER = False
    quiet = receipt_email(sale=sale, user=cashier)
    assert "Mary Major" not in quiet.text_body + quiet.html_body
    settings.CLASSICPOS_RECEIPT_NAMES_CUSTOMER = True
    named = receipt_email(sale=sale, user=cashier)
    assert "Customer: Mary Major" in named.text_body
    assert "Mary Major" in named.html_body


def test_the_receipt_shows_the_store_lines_tax_payments_and_other_modules_facts(sale, cashier):
    message = receipt_email(sale=sale, user=cashier)
    store = sale.store
    for body in (message.text_body, message.html_body):
        assert store.receipt_name in body
        assert "Blue scarf" in body
        assert "$40.00" in body
        assert "Tax" in body
        assert "Paid by cash" in body
        # loyalty's receipt lines, through sales.extensions.sale_facts()
        assert "Points earned" in body
        assert "Points balance" in body
    assert "unsubscribe" not in message.text_body.lower()


def test_a_merge_moves_the_duplicates_messages(sale, cashier, manager):
    from customers.services import customer_merge
    from tests.customers.factories import CustomerFactory

    message = receipt_email(sale=sale, user=cashier)
    survivor = CustomerFactory()
    customer_merge(survivor=survivor, duplicate=sale.customer, actor=manager, channel="command")
    message.refresh_from_db()
    assert message.customer == survivor


def test_an_erasure_blanks_the_address_and_bodies_and_stops_a_waiting_message(
    sale, cashier, manager, mary
):
    from customers.erasure import customer_anonymise

    message = receipt_email(sale=sale, user=cashier)
    customer_anonymise(customer=mary, confirm="Mary Major", actor=manager, channel="command")
    message.refresh_from_db()
    assert (message.to, message.text_body, message.html_body) == ("", "", "")
    assert message.state == MessageState.FAILED
    assert message.sale == sale


def test_download_my_data_lists_the_customers_messages_whole(sale, cashier, mary, manager_client):
    receipt_email(sale=sale, user=cashier)
    response = manager_client.get(f"/api/customers/{mary.pk}/data-export")
    assert response.status_code == 200
    [row] = response.json()["sections"]["messages"]
    assert row["to"] == "mary@example.com"
    assert row["saleNumber"] == sale.number
    assert row["state"] == "queued"
    assert "Blue scarf" in row["text"]
