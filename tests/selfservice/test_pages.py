"""The Self-service panel on the customer page and the customer's page's sections."""

from datetime import date
from decimal import Decimal

import pytest

from accounting.services import store_credit_adjust
from customers.models import Channel
from loyalty.vouchers import voucher_issue
from selfservice.models import SelfServiceLink
from selfservice.services import link_send
from tests.accounting.helpers import give_credit, sell_on_account
from tests.customers.factories import CustomerFactory
from tests.giftcards.helpers import sell_card
from tests.selfservice.conftest import sent_link

pytestmark = pytest.mark.django_db


def test_the_panel_sends_and_revokes_links(manager_page, ada):
    page = manager_page.get(f"/customers/{ada.pk}/")
    assert b"Self-service page" in page.content
    sent = manager_page.post(f"/customers/{ada.pk}/self-service-link/", follow=True)
    assert b"Self-service link queued for a" in sent.content
    assert SelfServiceLink.objects.filter(customer=ada).usable().count() == 1
    revoked = manager_page.post(f"/customers/{ada.pk}/self-service-link/revoke/", follow=True)
    assert b"1 self-service link revoked." in revoked.content
    assert not SelfServiceLink.objects.usable().exists()


def test_the_panel_says_why_a_customer_without_email_gets_no_link(cashier_page):
    customer = CustomerFactory(email=None)
    page = cashier_page.get(f"/customers/{customer.pk}/")
    assert b"Add an email address to send a link." in page.content
    refused = cashier_page.post(f"/customers/{customer.pk}/self-service-link/", follow=True)
    assert b"has no email address" in refused.content
    assert not SelfServiceLink.objects.exists()


def _page_queries(client, token) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/my/{token}/")
    assert page.status_code == 200
    return len(queries.captured_queries)


def test_the_page_shows_points_credit_cards_invoices_and_consents(client, ada, manager, cashier):
    store_credit_adjust(customer=ada, amount=Decimal("12.50"), reason="Goodwill", user=manager)
    voucher_issue(
        customer=ada,
        amount=Decimal("5.00"),
        reason="Birthday 2026",
        reference="birthday-ada-2026",
        valid_until=date(2099, 1, 31),
    )
    link_send(customer=ada, actor=manager, channel=Channel.PAGE, site_url="http://testserver/")
    _url, token = sent_link()
    content = client.get(f"/my/{token}/").content.decode()
    for heading in (
        "Your points",
        "Your account",
        "Your gift cards",
        "News and offers",
        "Download my data",
    ):
        assert heading in content
    assert "$12.50" in content
    assert "Birthday 2026: a voucher worth <strong>$5.00</strong>" in content
    assert "until Jan 31, 2099" in content
    # The adjustment's reason is staff's note: the customer's page leaves it off.
    assert "Goodwill" not in content
    # No way into the staff pages from the customer's page.
    assert "/customers/" not in content
    assert "/invoices/" not in content


def test_the_page_reads_in_the_same_queries_however_much_there_is(client, ada, manager, cashier):
    link_send(customer=ada, actor=manager, channel=Channel.PAGE, site_url="http://testserver/")
    _url, token = sent_link()

    def more_of_everything():
        store_credit_adjust(customer=ada, amount=Decimal("5.00"), reason="Round", user=manager)
        sell_on_account(ada, "20.00", cashier)
        sell_card(cashier=cashier, amount="10.00", code=None, customer=ada)

    give_credit(ada, "500.00", manager)
    more_of_everything()
    once = _page_queries(client, token)
    more_of_everything()
    more_of_everything()
    assert _page_queries(client, token) == once
