"""Admin pages (money read-only), the reconcile command, the demo seeder, the settings."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounting import conf, services
from accounting.demo import seed_demo_accounts
from accounting.models import CustomerAccount, Invoice, StoreCreditEntry
from tests.accounting.helpers import give_credit, pay, sell_on_account
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_invoices_with_money_read_only(admin_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "40.00", cashier).invoice
    pay(invoice, "10.00", cashier)
    for url in (
        "/admin/accounting/invoice/",
        "/admin/accounting/invoicepayment/",
        "/admin/accounting/customeraccount/",
        "/admin/accounting/storecreditentry/",
    ):
        assert admin_client.get(url).status_code == 200, url
    html = admin_client.get(f"/admin/accounting/invoice/{invoice.pk}/change/").content.decode()
    assert 'name="due_on"' in html
    for field in ("total", "amount_paid", "amount_credited", "status", "number"):
        assert f'name="{field}"' not in html
    assert admin_client.get("/admin/accounting/invoice/add/").status_code == 403


def test_admin_moves_a_due_date_through_the_service(admin_client, cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "40.00", cashier).invoice
    later = invoice.due_on.replace(year=invoice.due_on.year + 1)
    response = admin_client.post(
        f"/admin/accounting/invoice/{invoice.pk}/change/",
        {
            "due_on": later.isoformat(),
            "payments-TOTAL_FORMS": "0",
            "payments-INITIAL_FORMS": "0",
            "credits-TOTAL_FORMS": "0",
            "credits-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    invoice.refresh_from_db()
    assert (invoice.due_on, invoice.total) == (later, Decimal("40.00"))


def test_admin_changes_a_credit_limit_through_the_service(admin_client, manager):
    customer = CustomerFactory()
    account = give_credit(customer, "100.00", manager)
    response = admin_client.post(
        f"/admin/accounting/customeraccount/{account.pk}/change/", {"credit_limit": "250.00"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.credit_limit == Decimal("250.00")


def test_reconcile_finds_and_fixes_store_credit_differences(manager, cashier):
    customer = CustomerFactory(name="Rita Reconcile")
    services.store_credit_adjust(customer=customer, amount="10.00", reason="Gift", user=manager)
    out = StringIO()
    call_command("accounting_reconcile", stdout=out)
    assert "Every balance equals its ledger." in out.getvalue()

    # A balance changed outside the ledger (a manual SQL fix, an import).
    CustomerAccount.objects.filter(customer=customer).update(store_credit=Decimal("12.50"))
    out = StringIO()
    with pytest.raises(CommandError, match="1 store credit balance"):
        call_command("accounting_reconcile", stdout=out)
    assert "ledger 10.00, difference +2.50  Rita Reconcile" in out.getvalue()
    call_command("accounting_reconcile", "--fix", stdout=StringIO())
    entry = StoreCreditEntry.objects.first()
    assert (entry.kind, entry.amount, entry.balance_after) == (
        "adjustment",
        Decimal("2.50"),
        Decimal("12.50"),
    )
    call_command("accounting_reconcile", stdout=StringIO())


def test_reconcile_reports_an_invoice_that_differs_from_its_payments(manager, cashier):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "40.00", cashier).invoice
    pay(invoice, "10.00", cashier)
    Invoice.objects.filter(pk=invoice.pk).update(amount_paid=Decimal("15.00"))
    out = StringIO()
    with pytest.raises(CommandError, match="1 invoice"):
        call_command("accounting_reconcile", "--fix", stdout=out)
    assert "INV-S-000001: paid 15.00 vs payments 10.00" in out.getvalue()


def test_demo_seeder_gives_credit_and_store_credit(manager):
    customers = [CustomerFactory() for _ in range(4)]
    summary = seed_demo_accounts(options={})
    assert "Gave 3 customers a credit limit of 500.00" in summary
    assert CustomerAccount.objects.filter(credit_limit=Decimal("500.00")).count() == 3
    assert StoreCreditEntry.objects.get().customer == customers[0]


@override_settings(CLASSICPOS_DEFAULT_CREDIT_LIMIT="abc")
def test_a_bad_default_credit_limit_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="CLASSICPOS_DEFAULT_CREDIT_LIMIT"):
        conf.default_credit_limit()


@override_settings(CLASSICPOS_PAYMENT_TERMS_DAYS="soon")
def test_bad_payment_terms_are_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="CLASSICPOS_PAYMENT_TERMS_DAYS"):
        conf.payment_terms_days()


@override_settings(CLASSICPOS_DEFAULT_CREDIT_LIMIT="75", CLASSICPOS_PAYMENT_TERMS_DAYS="7")
def test_settings_changed_later_are_read_as_start_up_reads_them():
    """The environment is read by classicpos/settings.py (tests/test_settings_env.py)."""
    assert (conf.default_credit_limit(), conf.payment_terms_days()) == (Decimal("75.00"), 7)
