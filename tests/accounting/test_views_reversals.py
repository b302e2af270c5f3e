"""A Manager reverses a payment from the invoice page; the credit limit dialog keeps what
was typed (issue 27, item 19)."""

from decimal import Decimal

import pytest

from accounting.models import CustomerAccount, InvoicePaymentReversal
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(cashier, manager):
    customer = CustomerFactory(name="Rita Reversal")
    give_credit(customer, "500.00", manager)
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    return invoice, pay(invoice, "40.00", cashier)


def reversal_url(invoice, payment) -> str:
    return f"/invoices/{invoice.pk}/payments/{payment.pk}/reversal/"


def test_a_manager_sees_reverse_beside_each_payment_and_a_cashier_does_not(
    client, cashier, manager, paid
):
    invoice, payment = paid
    client.force_login(manager)
    assert reversal_url(invoice, payment) in client.get(f"/invoices/{invoice.pk}/").content.decode()
    client.force_login(cashier)
    html = client.get(f"/invoices/{invoice.pk}/").content.decode()
    assert reversal_url(invoice, payment) not in html
    assert client.get(reversal_url(invoice, payment)).status_code == 403
    assert client.post(reversal_url(invoice, payment), {"reason": "x"}).status_code == 403
    assert not InvoicePaymentReversal.objects.exists()


def test_the_reversal_page_says_what_will_happen(manager_page, paid):
    invoice, payment = paid
    html = manager_page.get(reversal_url(invoice, payment)).content.decode()
    assert "INV-S-000001 will owe $100.00 again." in html
    assert "Points this payment earned are taken back." in html


def test_a_reversal_needs_a_reason_beside_the_field(manager_page, paid):
    invoice, payment = paid
    html = manager_page.post(reversal_url(invoice, payment), {"reason": " "}).content.decode()
    assert 'id="reversal-reason-error">Say why the payment is reversed.<' in html
    assert not InvoicePaymentReversal.objects.exists()


def test_a_manager_reverses_and_the_invoice_page_shows_it(manager_page, paid):
    invoice, payment = paid
    response = manager_page.post(
        reversal_url(invoice, payment), {"reason": "Cheque bounced"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/invoices/{invoice.pk}/"
    html = response.content.decode()
    assert "Reversed the payment of $40.00 on INV-S-000001; it owes $100.00." in html
    assert 'id="invoice-reversals"' in html
    assert "Cheque bounced" in html
    assert "Reversed</span>" in html
    assert reversal_url(invoice, payment) not in html  # nothing left to reverse
    invoice.refresh_from_db()
    assert invoice.balance == Decimal("100.00")
    # A second time is refused, and said so.
    html = manager_page.get(reversal_url(invoice, payment)).content.decode()
    assert "This payment was reversed on" in html
    html = manager_page.post(reversal_url(invoice, payment), {"reason": "Again"}).content.decode()
    assert "This payment was reversed on" in html
    assert InvoicePaymentReversal.objects.count() == 1


def test_a_payment_of_another_invoice_is_not_found(manager_page, paid, cashier):
    invoice, payment = paid
    other = sell_on_account(invoice.customer, "10.00", cashier).invoice
    assert manager_page.get(reversal_url(other, payment)).status_code == 404


def test_the_credit_limit_dialog_keeps_a_bad_value_with_its_error_beside_it(manager_page):
    customer = CustomerFactory(name="Lina Limit")
    response = manager_page.post(
        f"/customers/{customer.pk}/credit-limit/", {"credit_limit": "12,50"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="credit-limit-form"' in html
    assert 'value="12,50"' in html
    assert 'id="credit-limit-error">' in html
    assert 'aria-invalid="true"' in html
    response = manager_page.post(
        f"/customers/{customer.pk}/credit-limit/", {"credit_limit": "-5"}, HTTP_HX_REQUEST="true"
    )
    assert (
        'id="credit-limit-error">The credit limit cannot be negative.<' in response.content.decode()
    )
    assert not CustomerAccount.objects.exists()
    response = manager_page.post(
        f"/customers/{customer.pk}/credit-limit/", {"credit_limit": "300"}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == f"/customers/{customer.pk}/"
    assert CustomerAccount.objects.get().credit_limit == Decimal("300.00")


def test_the_statement_page_adds_a_reversed_payment_back(manager_page, paid):
    invoice, payment = paid
    manager_page.post(reversal_url(invoice, payment), {"reason": "Cheque bounced"})
    html = manager_page.get(f"/customers/{invoice.customer_id}/statement/").content.decode()
    assert html.count('data-line="reversal"') == 1
    assert "Payment reversed · Cash payment reversed: Cheque bounced" in html
