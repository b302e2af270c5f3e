"""The Account panel, invoice pages, the statement page and their forms, without a browser."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounting import services
from accounting.models import CustomerAccount, Invoice, InvoicePayment
from tests.accounting.helpers import give_credit, pay, sell_on_account, store_credit
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund

pytestmark = pytest.mark.django_db


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _owing_customer(cashier, manager, *, overdue: bool = False):
    customer = CustomerFactory(name="Owen Owing")
    give_credit(customer, "500.00", manager)
    invoice = sell_on_account(customer, "40.00", cashier).invoice
    if overdue:
        today = timezone.localdate()
        Invoice.objects.filter(pk=invoice.pk).update(
            issued_on=today - timedelta(days=40), due_on=today - timedelta(days=10)
        )
    return customer, invoice


# ---- The Account panel ----


def test_panel_shows_the_account_and_open_invoices(cashier_page, cashier, manager):
    customer, invoice = _owing_customer(cashier, manager)
    services.store_credit_adjust(customer=customer, amount="7.50", reason="Return", user=manager)
    html = html_of(cashier_page, f"/customers/{customer.pk}/")
    assert 'id="account-panel"' in html
    assert 'data-figure="outstanding">$40.00<' in html
    assert 'data-figure="available-credit">$460.00<' in html
    assert "of $500.00 limit" in html
    assert 'data-figure="store-credit">$7.50<' in html
    assert f'href="/invoices/{invoice.pk}/"' in html
    assert "INV-S-000001" in html
    assert "Record payment" in html
    assert 'id="record-payment-modal"' in html
    assert f"/customers/{customer.pk}/statement/" in html
    # A cashier neither changes the limit nor adjusts store credit.
    assert "credit-limit-modal" not in html
    assert "store-credit-modal" not in html


def test_overdue_is_shown_in_red(cashier_page, cashier, manager):
    customer, _ = _owing_customer(cashier, manager, overdue=True)
    html = html_of(cashier_page, f"/customers/{customer.pk}/")
    assert 'text-danger fw-semibold" data-figure="overdue">$40.00<' in html
    assert "Overdue</span>" in html
    customer_on_time, _ = _owing_customer(cashier, manager)
    html = html_of(cashier_page, f"/customers/{customer_on_time.pk}/")
    assert '<div class="fs-5" data-figure="overdue">$0.00<' in html


def test_panel_of_a_customer_without_an_account(cashier_page):
    customer = CustomerFactory()
    html = html_of(cashier_page, f"/customers/{customer.pk}/")
    assert "no credit account" in html
    assert "Nothing owed: no open invoices." in html
    assert "record-payment-modal" not in html
    assert CustomerAccount.objects.count() == 0


def test_a_manager_sees_the_credit_limit_and_store_credit_forms(manager_page):
    customer = CustomerFactory()
    html = html_of(manager_page, f"/customers/{customer.pk}/")
    assert 'id="credit-limit-modal"' in html
    assert 'id="store-credit-modal"' in html


def test_panel_query_count_does_not_grow(cashier_page, cashier, manager):
    customer, _ = _owing_customer(cashier, manager)
    cashier_page.get(f"/customers/{customer.pk}/")
    with CaptureQueriesContext(connection) as few:
        cashier_page.get(f"/customers/{customer.pk}/")
    for _ in range(4):
        pay(sell_on_account(customer, "10.00", cashier).invoice, "1.00", cashier)
        services.store_credit_adjust(customer=customer, amount="1.00", reason="x", user=manager)
    with CaptureQueriesContext(connection) as many:
        html = html_of(cashier_page, f"/customers/{customer.pk}/")
    assert html.count("Record payment<span") == 5
    assert len(many.captured_queries) == len(few.captured_queries)
    panel_queries = [q["sql"] for q in many.captured_queries if "accounting_" in q["sql"]]
    # The panel: account, invoice figures, open invoices, store credit history; the
    # customer's timeline: one query per accounting source (invoices, payments, their
    # reversals, refund credits, store credit).
    assert len(panel_queries) == 4 + 5


# ---- Forms posted from the panel ----


def test_the_payment_form_suggests_nothing(cashier_page, cashier, manager):
    customer, invoice = _owing_customer(cashier, manager)
    html = html_of(cashier_page, f"/invoices/{invoice.pk}/payments/?next=/customers/{customer.pk}/")
    assert 'id="record-payment-form"' in html
    assert 'name="amount" id="payment-amount"' in html
    assert 'value=""' in html  # no amount typed for the cashier
    assert '<option value="" selected>Choose how they paid</option>' in html
    assert f'name="next" value="/customers/{customer.pk}/"' in html


def test_a_payment_is_confirmed_before_it_is_recorded(cashier_page, cashier, manager):
    customer, invoice = _owing_customer(cashier, manager)
    url = f"/invoices/{invoice.pk}/payments/"
    typed = {
        "amount": "15.00",
        "method": "cash",
        "reference": "",
        "next": f"/customers/{customer.pk}/",
    }
    response = cashier_page.post(url, typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record $15.00 in cash on INV-S-000001; $25.00 will be left." in html
    assert 'name="confirmed" value="1"' in html
    assert InvoicePayment.objects.count() == 0
    # "Change" goes back to the form with what was typed.
    html = cashier_page.post(url, {**typed, "confirmed": "1", "change": "1"}).content.decode()
    assert 'value="15.00"' in html
    assert "will be left" not in html
    assert InvoicePayment.objects.count() == 0
    response = cashier_page.post(url, {**typed, "confirmed": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/customers/{customer.pk}/"
    assert (
        "Recorded $15.00 in cash on INV-S-000001; $25.00 still to pay." in response.content.decode()
    )
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("15.00"), "partially_paid")


def test_the_whole_balance_confirms_it_will_be_paid_in_full(cashier_page, cashier, manager):
    _customer, invoice = _owing_customer(cashier, manager)
    html = cashier_page.post(
        f"/invoices/{invoice.pk}/payments/", {"amount": "40", "method": "card"}
    ).content.decode()
    assert "Record $40.00 by card on INV-S-000001; it will be paid in full." in html


def test_from_the_dialog_a_confirmed_payment_reloads_the_customer_page(
    cashier_page, cashier, manager
):
    customer, invoice = _owing_customer(cashier, manager)
    response = cashier_page.post(
        f"/invoices/{invoice.pk}/payments/",
        {
            "amount": "15.00",
            "method": "card",
            "confirmed": "1",
            "next": f"/customers/{customer.pk}/",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == f"/customers/{customer.pk}/"


def test_a_refused_payment_keeps_what_was_typed_with_the_error_beside_it(
    cashier_page, cashier, manager
):
    _customer, invoice = _owing_customer(cashier, manager)
    url = f"/invoices/{invoice.pk}/payments/"
    for confirmed in ("", "1"):
        html = cashier_page.post(
            url, {"amount": "40.01", "method": "cash", "confirmed": confirmed}
        ).content.decode()
        assert 'id="payment-amount-error">INV-S-000001 has only 40.00 left to pay.<' in html
        assert 'value="40.01"' in html
        assert 'aria-invalid="true"' in html
    html = cashier_page.post(url, {"amount": "", "method": ""}).content.decode()
    assert 'id="payment-amount-error">Enter an amount such as 12.50.<' in html
    assert 'id="payment-method-error">Choose how they paid.<' in html
    assert InvoicePayment.objects.count() == 0


def test_the_page_and_the_api_word_a_bad_amount_the_same(
    cashier_page, cashier_client, cashier, manager
):
    _customer, invoice = _owing_customer(cashier, manager)
    page = cashier_page.post(
        f"/invoices/{invoice.pk}/payments/", {"amount": "1.005", "method": "cash"}
    ).content.decode()
    api = cashier_client.post(
        f"/api/invoices/{invoice.pk}/payments",
        {"amount": "1.005", "method": "cash"},
        format="json",
    ).json()
    assert api["errors"]["amount"] == ["Enter an amount with at most two decimals."]
    assert "Enter an amount with at most two decimals." in page


def test_payment_never_redirects_off_site(cashier_page, cashier, manager):
    _, invoice = _owing_customer(cashier, manager)
    response = cashier_page.post(
        f"/invoices/{invoice.pk}/payments/",
        {"amount": "1.00", "method": "cash", "confirmed": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/invoices/{invoice.pk}/"


def test_manager_changes_the_credit_limit_and_a_cashier_cannot(client, cashier, manager):
    customer = CustomerFactory(name="Lina Limit")
    client.force_login(cashier)
    url = f"/customers/{customer.pk}/credit-limit/"
    assert client.post(url, {"credit_limit": "300.00"}).status_code == 403
    client.force_login(manager)
    response = client.post(url, {"credit_limit": "300.00"}, follow=True)
    assert "Lina Limit&#x27;s credit limit is now $300.00." in response.content.decode()
    response = client.post(url, {"credit_limit": "-5"}, follow=True)
    assert "The credit limit cannot be negative." in response.content.decode()
    assert CustomerAccount.objects.get().credit_limit == Decimal("300.00")


def test_manager_adjusts_store_credit_from_the_panel(client, cashier, manager):
    customer = CustomerFactory()
    url = f"/customers/{customer.pk}/store-credit/adjust/"
    client.force_login(cashier)
    assert client.post(url, {"amount": "5.00", "reason": "x"}).status_code == 403
    client.force_login(manager)
    response = client.post(url, {"amount": "5.00", "reason": "Damaged box"}, follow=True)
    assert "balance $5.00" in response.content.decode()
    response = client.post(url, {"amount": "5.00", "reason": ""}, follow=True)
    assert "Say why the store credit is adjusted." in response.content.decode()
    assert store_credit(customer) == Decimal("5.00")


# ---- Invoice list and invoice page ----


def test_invoice_list_filters_and_totals(cashier_page, cashier, manager):
    late, _ = _owing_customer(cashier, manager, overdue=True)
    other = CustomerFactory(name="Paula Paid")
    give_credit(other, "100.00", manager)
    paid = sell_on_account(other, "25.00", cashier).invoice
    pay(paid, "25.00", cashier)
    html = html_of(cashier_page, "/invoices/")
    assert 'data-total="count">2<' in html
    assert 'data-total="total">$65.00<' in html
    assert 'data-total="paid">$25.00<' in html
    assert 'data-total="balance">$40.00<' in html
    html = html_of(cashier_page, "/invoices/?overdue=on")
    assert "INV-S-000001" in html
    assert "INV-S-000002" not in html
    assert 'data-total="balance">$40.00<' in html
    html = html_of(cashier_page, "/invoices/?status=paid")
    assert "INV-S-000002" in html
    assert "INV-S-000001" not in html
    html = html_of(cashier_page, f"/invoices/?customer={late.pk}")
    assert "of <a" in html
    assert "Owen Owing" in html
    today = timezone.localdate()
    html = html_of(cashier_page, f"/invoices/?issued_after={today}")
    assert "INV-S-000002" in html
    assert "INV-S-000001" not in html
    # A bad filter value is ignored rather than breaking the page.
    assert 'data-total="count">2<' in html_of(cashier_page, "/invoices/?issued_after=soon")
    html = html_of(cashier_page, "/invoices/?status=void")
    assert "No invoices found" in html


def test_invoice_list_query_count_does_not_grow(cashier_page, cashier, manager):
    _owing_customer(cashier, manager)
    cashier_page.get("/invoices/")
    with CaptureQueriesContext(connection) as few:
        cashier_page.get("/invoices/")
    customer = CustomerFactory()
    give_credit(customer, "1000.00", manager)
    for _ in range(5):
        pay(sell_on_account(customer, "10.00", cashier).invoice, "1.00", cashier)
    with CaptureQueriesContext(connection) as many:
        cashier_page.get("/invoices/")
    assert len(many.captured_queries) == len(few.captured_queries)
    # The page's own queries: the totals (which count for the paginator too) and the page.
    # Session, user and permissions belong to the shell and change with it.
    assert len([q for q in many.captured_queries if "accounting_" in q["sql"]]) == 2


def test_invoice_page_shows_payments_credits_and_the_payment_form(cashier_page, cashier, manager):
    customer = CustomerFactory(name="Ivy Invoice")
    give_credit(customer, "100.00", manager)
    sale = sell_on_account(customer, "60.00", cashier, quantity=2)
    pay(sale.invoice, "10.00", cashier, method="bank_transfer")
    services.invoice_record_payment(
        invoice=sale.invoice, amount="5.00", method="card", reference="SLIP-9", user=cashier
    )
    refund(sale=sale, user=manager, quantity=1)
    html = html_of(cashier_page, f"/invoices/{sale.invoice.pk}/")
    assert "Invoice INV-S-000001" in html
    assert "Ivy Invoice" in html
    assert 'data-amount="total">$60.00<' in html
    assert 'data-amount="paid">$15.00<' in html
    assert 'data-amount="credited">$30.00<' in html
    assert 'data-amount="balance">$15.00<' in html
    assert "Bank transfer" in html
    assert "SLIP-9" in html
    assert 'id="record-payment"' in html
    assert 'id="payment-amount"' in html
    assert 'value="15.00"' not in html  # nothing is suggested: the cashier types it
    assert sale.number in html


def test_a_settled_invoice_offers_no_payment_form(cashier_page, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sale = sell_on_account(customer, "20.00", cashier)
    refund(sale=sale, user=manager)
    html = html_of(cashier_page, f"/invoices/{sale.invoice.pk}/")
    assert "Void" in html
    assert 'id="record-payment"' not in html
    assert cashier_page.get("/invoices/999999/").status_code == 404


def test_pages_need_the_permissions(client):
    from tests.factories import UserFactory

    customer = CustomerFactory()
    client.force_login(UserFactory(username="nobody"))
    for url in ("/invoices/", f"/customers/{customer.pk}/statement/"):
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get("/invoices/")["Location"].startswith("/accounts/login/")


# ---- Statement page ----


def test_statement_page_lists_lines_with_a_running_balance(cashier_page, cashier, manager):
    customer, invoice = _owing_customer(cashier, manager)
    pay(invoice, "15.00", cashier)
    html = html_of(cashier_page, f"/customers/{customer.pk}/statement/")
    assert "Statement of account" in html
    assert 'data-balance="opening">$0.00<' in html
    assert html.index('data-line="invoice"') < html.index('data-line="payment"')
    assert ">-$15.00<" in html
    assert 'data-balance="closing">$25.00<' in html


def test_statement_page_period_and_bad_dates(cashier_page, cashier, manager):
    customer, _ = _owing_customer(cashier, manager)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    html = html_of(
        cashier_page, f"/customers/{customer.pk}/statement/?from={tomorrow}&to={tomorrow}"
    )
    assert 'data-balance="opening">$40.00<' in html
    assert "No invoices, payments or credits in this period." in html
    html = html_of(cashier_page, f"/customers/{customer.pk}/statement/?from={tomorrow}&to={today}")
    assert "The start date must be on or before the end date." in html
    assert 'data-balance="closing">$40.00<' in html  # falls back to the last 30 days


def test_statement_page_query_count_does_not_grow(cashier_page, cashier, manager):
    customer, invoice = _owing_customer(cashier, manager)
    cashier_page.get(f"/customers/{customer.pk}/statement/")
    with CaptureQueriesContext(connection) as few:
        cashier_page.get(f"/customers/{customer.pk}/statement/")
    for _ in range(3):
        pay(sell_on_account(customer, "10.00", cashier).invoice, "2.00", cashier)
    refund(sale=invoice.sale, user=manager)
    with CaptureQueriesContext(connection) as many:
        html = html_of(cashier_page, f"/customers/{customer.pk}/statement/")
    assert html.count('data-line="credit"') == 1
    assert len(many.captured_queries) == len(few.captured_queries)
    # Account, invoice figures, four opening sums, invoices, payments, credits, reversals.
    assert len([q for q in many.captured_queries if "accounting_" in q["sql"]]) == 10
