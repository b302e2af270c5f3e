"""The Self-service panel on the customer page and the customer's page's sections."""

from decimal import Decimal

import pytest

from accounting.services import store_credit_adjust
from selfservice.models import SelfServiceLink
from tests.customers.factories import CustomerFactory
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


def test_the_page_shows_points_credit_cards_invoices_and_consents(
    client, manager_page, ada, manager, django_assert_max_num_queries
):
    store_credit_adjust(customer=ada, amount=Decimal("12.50"), reason="Goodwill", user=manager)
    manager_page.post(f"/customers/{ada.pk}/self-service-link/")
    _url, token = sent_link()
    client.logout()
    with django_assert_max_num_queries(25):
        page = client.get(f"/my/{token}/")
    content = page.content.decode()
    for heading in (
        "Your points",
        "Your account",
        "Your gift cards",
        "News and offers",
        "Download my data",
    ):
        assert heading in content
    assert "$12.50" in content
    # The adjustment's reason is staff's note: the customer's page leaves it off.
    assert "Goodwill" not in content
    # No way into the staff pages from the customer's page.
    assert "/customers/" not in content
    assert "/invoices/" not in content
