"""Invoice payments in a real browser (issue 27, item 19): a partial payment asked for and
confirmed on the invoice page, a Manager's reversal, and the credit limit dialog keeping a
bad value with its error beside the field. One journey at 1280 px, then again at 375 px."""

from decimal import Decimal

import pytest

from accounting import services
from accounting.models import InvoicePayment, InvoicePaymentReversal
from tests.accounting.helpers import sell_on_account
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def record_partial_payment(browser, invoice, amount: str, left: str, width: int):
    page = browser.page
    browser.goto(f"/invoices/{invoice.pk}/")
    form = page.locator("#record-payment-form")
    assert page.input_value("#payment-amount") == ""
    assert page.input_value("#payment-method") == ""
    page.fill("#payment-amount", amount)
    page.select_option("#payment-method", "cash")
    form.get_by_role("button", name="Continue").click()
    confirmation = page.locator("#payment-confirmation")
    confirmation.wait_for()
    assert (
        f"Record ${amount} in cash on {invoice.number}; ${left} will be left."
        in confirmation.inner_text()
    )
    assert not InvoicePayment.objects.filter(invoice=invoice).exists()
    browser.screenshot(f"invoice-payment-confirm-{width}px")
    browser.assert_no_horizontal_scroll()
    browser.assert_accessible("payment confirmation")
    page.get_by_role("button", name="Confirm payment").click()
    assert (
        f"Recorded ${amount} in cash on {invoice.number}; ${left} still to pay."
        in browser.toast_text()
    )
    page.locator("[data-amount=balance]", has_text=f"${left}").wait_for()


def reverse_payment(browser, invoice, amount: str, owed: str, width: int):
    page = browser.page
    browser.goto(f"/invoices/{invoice.pk}/")
    page.get_by_role("link", name=f"Reverse the payment of ${amount}").click()
    page.locator(
        "#reversal-outcome", has_text=f"{invoice.number} will owe ${owed} again."
    ).wait_for()
    page.get_by_role("button", name="Reverse payment").click()
    error = page.locator("#reversal-reason-error")
    error.wait_for()
    assert error.inner_text() == "Say why the payment is reversed."
    page.fill("#reversal-reason", "Cheque bounced")
    browser.screenshot(f"invoice-payment-reversal-{width}px")
    browser.assert_no_horizontal_scroll()
    browser.assert_accessible("reversal page")
    page.get_by_role("button", name="Reverse payment").click()
    assert f"it owes ${owed}." in browser.toast_text()
    browser.dismiss_toasts()
    page.locator("#invoice-reversals", has_text="Cheque bounced").wait_for()
    assert page.inner_text("[data-amount=balance]") == f"${owed}"
    browser.screenshot(f"invoice-reversed-{width}px")
    browser.assert_no_horizontal_scroll()
    browser.assert_accessible("invoice page with a reversal")


def credit_limit_keeps_a_bad_value(browser, customer, width: int):
    page = browser.page
    browser.goto(f"/customers/{customer.pk}/")
    page.get_by_role("button", name="Credit limit").click()
    dialog = page.locator("#credit-limit-modal")
    dialog.wait_for(state="visible")
    page.fill("#credit-limit-credit_limit", "-5")
    dialog.get_by_role("button", name="Save limit").click()
    error = dialog.locator("#credit-limit-error")
    error.wait_for()
    assert error.inner_text() == "The credit limit cannot be negative."
    assert dialog.is_visible()
    assert page.input_value("#credit-limit-credit_limit") == "-5"
    browser.screenshot(f"credit-limit-error-{width}px")
    browser.assert_accessible("credit limit dialog with an error")
    page.fill("#credit-limit-credit_limit", "250")
    dialog.get_by_role("button", name="Save limit").click()
    assert "credit limit is now $250.00." in browser.toast_text()
    page.locator("[data-figure=credit-limit]", has_text="$250.00").wait_for()


def test_a_payment_asked_confirmed_and_reversed_then_the_credit_limit_dialog(make_page, staff):
    customer = CustomerFactory(name="Petra Payer")
    services.account_set_credit_limit(
        customer=customer, credit_limit="500.00", user=staff["manager"]
    )
    first = sell_on_account(customer, "100.00", staff["cashier"]).invoice
    second = sell_on_account(customer, "80.00", staff["cashier"]).invoice
    browser = make_page(viewport=DESKTOP)
    browser.login("maria")

    record_partial_payment(browser, first, "40.00", "60.00", DESKTOP["width"])
    reverse_payment(browser, first, "40.00", "100.00", DESKTOP["width"])
    credit_limit_keeps_a_bad_value(browser, customer, DESKTOP["width"])

    browser.page.set_viewport_size(PHONE)
    record_partial_payment(browser, second, "30.00", "50.00", PHONE["width"])
    reverse_payment(browser, second, "30.00", "80.00", PHONE["width"])
    credit_limit_keeps_a_bad_value(browser, customer, PHONE["width"])

    assert InvoicePaymentReversal.objects.count() == 2
    customer.refresh_from_db()
    assert customer.loyalty_points == 0
    assert customer.account.credit_limit == Decimal("250.00")
