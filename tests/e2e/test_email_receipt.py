"""Email a receipt from its page in a real browser: the customer's own address, then a typed
one refused and corrected; the outbox on the Managers' Messages page; 1280 then 375 px, axe
clean."""

import pytest

from messaging.models import Message
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.e2e


def test_email_receipt_from_the_receipt_page(make_page, staff):
    customer = CustomerFactory(name="Rita Receipt", email="rita@example.com")
    sale = ring_up(customer=customer, price="12.50", cashier=staff["cashier"])
    browser = make_page()
    page = browser.page
    browser.login("carl")
    browser.goto(f"/sales/{sale.pk}/")

    field = page.get_by_label("Email address")
    assert field.input_value() == "rita@example.com"
    browser.assert_fits_and_is_accessible("receipt page with Email receipt", "email-receipt")

    page.get_by_role("button", name="Email receipt").click()
    status = page.locator("#email-receipt-status")
    status.wait_for()
    assert status.inner_text().strip() == "Receipt queued for r•••@example.com."
    # The fragment replaced the form alone: the address is Rita's again, nothing pushed.
    assert page.url.endswith(f"/sales/{sale.pk}/")

    field = page.get_by_label("Email address")
    field.fill("friend@")
    page.get_by_role("button", name="Email receipt").click()
    error = page.locator("#email-receipt-error")
    error.wait_for()
    assert error.inner_text() == "Enter a valid email address."
    for viewport in browser.at_each_width():
        browser.assert_no_horizontal_scroll()
        browser.assert_accessible(f"Email receipt refused at {viewport['width']}px")
    page.get_by_label("Email address").fill("friend@example.org")
    page.get_by_role("button", name="Email receipt").click()
    page.get_by_text("Receipt queued for f•••@example.org.").wait_for()
    assert sorted(Message.objects.values_list("to", flat=True)) == [
        "friend@example.org",
        "rita@example.com",
    ]

    manager = make_page()
    manager.login("maria")
    manager.goto(f"/sales/{sale.pk}/")
    manager.page.get_by_role("link", name="Messages sent to this customer").click()
    manager.page.wait_for_url("**/messages/?customer=*")
    assert manager.page.locator("#message-table tbody tr").count() == 2
    assert "f•••@example.org" in manager.page.inner_text("#message-table")
    manager.assert_fits_and_is_accessible("Messages page", "messages")
