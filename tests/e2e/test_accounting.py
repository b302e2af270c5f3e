"""Sales on account in a real browser: the till's "On account" button and its refusal, the
invoice on the customer's Account panel, a partial payment in the modal (asked, then
confirmed), the statement: walked at desktop width, each page checked at desktop and phone
width."""

import re
from decimal import Decimal

import pytest

from accounting import services
from accounting.models import Invoice, InvoicePayment
from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.e2e


def add_product(page, term: str):
    page.fill("#product-search", term)
    page.locator("#product-options button").first.wait_for()
    page.keyboard.press("Enter")
    page.locator("#cart-lines tr").first.wait_for()


def pick_customer(page, term: str, name: str):
    page.fill("#customer-search", term)
    page.locator("#customer-options button", has_text=name).wait_for()
    page.keyboard.press("Enter")
    page.locator("#customer-chosen-name", has_text=name).wait_for()


def test_sale_on_account_then_a_partial_payment_then_the_statement(make_page, staff):
    ProductFactory(sku="TEA-CHEST", name="Tea chest", price=Decimal("60.00"))
    olive = CustomerFactory(name="Olive Owing", email="olive@example.com")
    services.account_set_credit_limit(customer=olive, credit_limit="100.00", user=staff["manager"])
    browser = make_page()
    page = browser.page
    browser.login("carl")

    # The till shows what Olive may still put on account, and takes the sale on account.
    browser.goto("/checkout/")
    add_product(page, "TEA-CHEST")
    assert page.locator("#account-helper").is_hidden()  # a walk-in has no account
    pick_customer(page, "olive@", "Olive Owing")
    page.locator("#account-helper:not(.d-none)").wait_for()
    page.locator("#on-account-detail", has_text="$100.00 of $100.00 credit available").wait_for()
    assert page.inner_text("#pay-on-account [data-max-amount]") == "$60.00"
    assert page.locator("#pay-store-credit").is_disabled()  # no store credit yet
    page.click("#pay-on-account")
    page.locator("[data-field='payments[0].amount']").wait_for()
    assert page.input_value("[data-field='payments[0].method']") == "on_account"
    assert page.input_value("[data-field='payments[0].amount']") == "60.00"
    page.click("#complete-sale")
    page.wait_for_url(re.compile(r".*/sales/\d+/$"))
    assert page.inner_text("[data-fact=invoice]") == "INV-S-000001"
    invoice = Invoice.objects.get()
    assert (invoice.customer, invoice.total, invoice.status) == (olive, Decimal("60.00"), "open")

    # A second sale over the credit left is refused beside the payment, and nothing is saved.
    browser.goto("/checkout/")
    add_product(page, "TEA-CHEST")
    pick_customer(page, "olive@", "Olive Owing")
    page.locator("#on-account-detail", has_text="Owes $60.00 · $40.00 of $100.00").wait_for()
    page.click("#pay-on-account")
    amount = page.locator("[data-field='payments[0].amount']")
    amount.wait_for()
    assert amount.input_value() == "40.00"
    amount.fill("60.00")
    page.locator("#total-due-label", has_text="Paid in full").wait_for()
    page.click("#complete-sale")
    error = page.locator(".invalid-feedback", has_text="Only 40.00 of credit is available")
    error.wait_for()
    assert "Only 40.00 of credit is available to Olive Owing" in error.inner_text()
    assert Sale.objects.count() == 1
    browser.assert_fits_and_is_accessible(
        "checkout with the account widget", screenshot="accounting-checkout-refused"
    )

    # The invoice on Olive's page; a partial payment in the modal.
    browser.goto(f"/customers/{olive.pk}/")
    panel = page.locator("#account-panel")
    assert page.inner_text("[data-figure=outstanding]") == "$60.00"
    assert page.inner_text("[data-figure=available-credit]") == "$40.00"
    assert "INV-S-000001" in panel.inner_text()
    browser.assert_fits_and_is_accessible("customer page with the Account panel")
    panel.get_by_role("link", name="Record payment for INV-S-000001").click()
    modal = page.locator("#record-payment-modal")
    modal.wait_for(state="visible")
    modal.locator("#payment-amount").wait_for()
    assert "INV-S-000001" in modal.inner_text()
    assert page.input_value("#payment-amount") == ""  # nothing suggested
    page.fill("#payment-amount", "25.00")
    page.select_option("#payment-method", "cash")
    for viewport in browser.at_each_width():
        browser.screenshot(f"accounting-payment-modal-{viewport['width']}px")
        browser.assert_accessible(f"payment modal at {viewport['width']}px")
    modal.get_by_role("button", name="Continue").click()
    modal.locator("[data-confirmation]").wait_for()
    assert "Record $25.00 in cash on INV-S-000001; $35.00 will be left." in modal.inner_text()
    modal.get_by_role("button", name="Confirm payment").click()
    assert "Recorded $25.00 in cash on INV-S-000001; $35.00 still to pay." in browser.toast_text()
    page.locator("[data-figure=outstanding]", has_text="$35.00").wait_for()
    assert InvoicePayment.objects.get().amount == Decimal("25.00")
    browser.screenshot("accounting-customer-1280px")

    # The statement shows the invoice and the payment with a running balance.
    page.get_by_role("link", name="Statement").click()
    page.wait_for_url(f"**/customers/{olive.pk}/statement/")
    lines = page.locator("#statement-lines tbody tr")
    invoice_line = lines.filter(has_text="INV-S-000001").filter(has_text="Invoice")
    payment_line = lines.filter(has_text="Payment")
    assert "$60.00" in invoice_line.inner_text()
    assert "-$25.00" in payment_line.inner_text()
    assert page.inner_text("[data-balance=closing]") == "$35.00"
    browser.assert_fits_and_is_accessible("statement", screenshot="accounting-statement")

    # The invoices list and the invoice page.
    browser.goto("/invoices/?status=unpaid")
    assert page.inner_text("[data-total=balance]") == "$35.00"
    browser.assert_fits_and_is_accessible("invoice list")
    page.get_by_role("link", name="INV-S-000001").click()
    page.locator("#invoice-payments", has_text="$25.00").wait_for()
    assert page.inner_text("[data-amount=balance]") == "$35.00"
    browser.assert_fits_and_is_accessible("invoice page", screenshot="accounting-invoice")
