"""Alerts at the till (issue 32 §5), walked in Chromium at 1280 and 375 px over a slow link:
a customer whose note warns, with their account's warnings, and one whose note blocks sales,
which a Cashier is told to ask a Manager about and a Manager allows with a reason."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounting.models import Invoice
from customers.models import CustomerEvent, CustomerEventKind
from sales.models import Sale
from tests.accounting.helpers import give_credit, sell_on_account
from tests.customers.factories import CustomerFactory
from tests.e2e.test_checkout import complete_sale, pick_customer
from tests.e2e.test_scanner import scan, slow_link
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.e2e

REASON = "Paid his cheques back at the office"


def till(make_page, username):
    browser = make_page()
    browser.login(username)
    browser.goto("/checkout/")
    slow_link(browser.page, 300)
    return browser, browser.page


def test_warn_and_block_at_the_till_and_a_manager_allows_a_blocked_sale(make_page, staff):
    ProductFactory(sku="SCARF-1", barcode="400000000101", name="Wool scarf", price=Decimal("18"))
    wanda = CustomerFactory(
        name="Wanda Warned", note="Pays cash only, no cheques", note_alert="warn"
    )
    give_credit(wanda, "100.00", staff["manager"])
    late = sell_on_account(wanda, "95.00", staff["cashier"]).invoice
    today = timezone.localdate()
    Invoice.objects.filter(pk=late.pk).update(
        issued_on=today - timedelta(days=40), due_on=today - timedelta(days=10)
    )
    CustomerFactory(name="Barry Barred", note="Bounced two cheques", note_alert="block")
    sales_before = Sale.objects.count()

    # A Cashier picks the warned customer and scans at once, before any answer is in.
    browser, page = till(make_page, "carl")
    pick_customer(page, "wanda", "Wanda Warned")
    scan(page, "400000000101")
    warn = page.locator("#customer-alert-warn[role=alert]")
    warn.wait_for()
    assert warn.inner_text().strip() == "Pays cash only, no cheques"
    warnings = page.locator("#customer-warnings [role=alert]")
    warnings.nth(1).wait_for()
    assert [text.strip() for text in warnings.all_inner_texts()] == [
        "Near the credit limit: owes $95.00 of $100.00; $5.00 left.",
        "1 overdue invoice: $95.00 past due.",
    ]
    page.locator("#total-total", has_text="$18.00").wait_for()
    browser.assert_fits_and_is_accessible("a warned customer at the till", "till-alert-warn")

    # The blocked customer: the block and why, and a Cashier is told to ask a Manager.
    page.click("#customer-clear")
    pick_customer(page, "barry", "Barry Barred")
    block = page.locator("#customer-alert-block")
    block.wait_for()
    assert "Sales to Barry Barred are blocked. Bounced two cheques" in block.inner_text()
    assert page.locator("#alert-ask-manager").inner_text().strip() == (
        "Ask a Manager to allow this sale."
    )
    assert page.locator("#customer-warnings [role=alert]").count() == 0
    page.locator("#totals-stale", has_text="refused for this customer").wait_for()
    page.click("#complete-sale")  # the server refuses it as the quote did
    page.locator("#complete-sale .spinner-border").wait_for(state="hidden")
    assert Sale.objects.count() == sales_before
    browser.assert_fits_and_is_accessible("a blocked customer, Cashier", "till-alert-block-cashier")

    # A Manager at the till: a reason is asked for, then the sale goes ahead.
    browser, page = till(make_page, "maria")
    pick_customer(page, "barry", "Barry Barred")
    scan(page, "400000000101")
    page.locator("#alert-override-reason").wait_for()
    browser.assert_fits_and_is_accessible("a blocked customer, Manager", "till-alert-block-manager")
    page.click("#alert-override-allow")
    page.locator(
        "#alert-override-reason-error", has_text="Say why this sale is allowed."
    ).wait_for()
    page.fill("#alert-override-reason", REASON)
    page.press("#alert-override-reason", "Enter")
    allowed = page.locator("#alert-override-allowed")
    allowed.wait_for()
    assert REASON in allowed.inner_text()
    page.locator("#total-total", has_text="$18.00").wait_for()
    browser.assert_fits_and_is_accessible("a blocked sale allowed", "till-alert-allowed")
    sale = complete_sale(page)
    event = CustomerEvent.objects.get(kind=CustomerEventKind.ALERT_OVERRIDDEN)
    assert event.changes == {"sale": [None, sale.number], "reason": [None, REASON]}
    assert event.actor == staff["manager"]
