"""The customer's own side in a real browser: a Cashier emails a link from the customer page,
the customer opens it with no login (points, account, gift cards, consents, download), gives
a consent, and asks for a new link from the public form; 1280 then 375 px, axe clean."""

import re

import pytest
from django.core import mail

from customers.models import CustomerEvent, CustomerEventKind
from messaging.delivery import messages_deliver
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.e2e
LINK = re.compile(r"https?://[^\s]+/my/([A-Za-z0-9_-]+)/")


def _delivered_token() -> str:
    messages_deliver()
    return LINK.search(mail.outbox[-1].body).group(1)


def test_a_customer_opens_their_page_from_an_emailed_link(make_page, staff):
    customer = CustomerFactory(name="Sam Self", email="sam@example.com", email_consent=False)
    ring_up(customer=customer, price="40.00", cashier=staff["cashier"])

    cashier = make_page()
    cashier.login("carl")
    cashier.goto(f"/customers/{customer.pk}/")
    cashier.page.get_by_role("button", name="Email a link").click()
    assert "Self-service link queued for s•••@example.com." in cashier.toast_text()
    token = _delivered_token()

    visitor = make_page()
    visitor.goto(f"/my/{token}/")
    page = visitor.page
    page.get_by_role("heading", name="Hello, Sam Self").wait_for()
    for heading in ("Your points", "Your account", "Your gift cards", "News and offers"):
        page.get_by_role("heading", name=heading).wait_for()
    assert page.locator("[data-points]").get_attribute("data-points") != "0"
    visitor.assert_fits_and_is_accessible("self-service page", "self-service-page")

    page.locator("[data-consent=email_consent]").get_by_role(
        "button", name="I would like these"
    ).click()
    page.get_by_text("News and offers by email: yes").first.wait_for()
    visitor.dismiss_toasts()
    customer.refresh_from_db()
    assert customer.email_consent is True
    with page.expect_download() as download:
        page.get_by_role("link", name="One file (JSON)").click()
    assert download.value.suggested_filename.endswith(".json")
    views = CustomerEvent.objects.filter(
        customer=customer, kind=CustomerEventKind.SELF_SERVICE_VIEWED
    )
    assert views.count() == 2

    # The page answers 404, which Chromium logs.
    visitor.expect_console_errors("status of 404")
    visitor.goto("/my/" + token[:-2] + "/")
    page.get_by_role("heading", name="This link does not open a page").wait_for()
    assert "Sam" not in page.content()
    visitor.assert_fits_and_is_accessible("self-service link refused", "self-service-invalid")

    page.get_by_role("link", name="Email me a new link").click()
    page.get_by_label("Your email address").fill("sam@example.com")
    page.get_by_role("button", name="Email me a link").click()
    page.locator("#request-answer").wait_for()
    visitor.assert_fits_and_is_accessible("self-service request answered", "self-service-request")
    assert _delivered_token() != token
