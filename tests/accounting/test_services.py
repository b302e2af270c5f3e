"""Sales on account, credit limits, invoice payments, refunds and store credit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from accounting import services
from accounting.models import (
    CustomerAccount,
    Invoice,
    InvoicePayment,
    StoreCreditEntry,
)
from accounting.selectors import account_summary, customer_outstanding
from classicpos.immutable import ImmutableRowError
from customers.models import CustomerStatus
from sales.models import Sale
from stores.models import StoreCounter
from tests.accounting.helpers import (
    assert_invariants,
    give_credit,
    pay,
    sell_on_account,
    store_credit,
)
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db


def refusal(error: pytest.ExceptionInfo) -> dict:
    return error.value.message_dict


# ---- Credit limits at the till ----


def test_a_sale_exactly_at_the_limit_is_allowed(cashier, manager):
    customer = CustomerFactory(name="Ada Account")
    give_credit(customer, "100.00", manager)
    sale = sell_on_account(customer, "60.00", cashier)
    sell_on_account(customer, "40.00", cashier)
    assert customer_outstanding(customer=customer) == Decimal("100.00")
    assert sale.invoice.total == Decimal("60.00")
    assert account_summary(customer=customer).available_credit == Decimal("0.00")


def test_one_cent_over_the_limit_is_refused_and_nothing_is_saved(cashier, manager):
    customer = CustomerFactory(name="Ada Account")
    give_credit(customer, "100.00", manager)
    sell_on_account(customer, "60.00", cashier)
    with pytest.raises(ValidationError) as error:
        sell_on_account(customer, "40.01", cashier)
    assert refusal(error) == {
        "payments[0].amount": [
            "Only 40.00 of credit is available to Ada Account (limit 100.00, owing 60.00); "
            "this payment is 40.01."
        ]
    }
    assert Sale.objects.count() == 1
    assert Invoice.objects.count() == 1


def test_the_refusal_names_the_on_account_payment_among_several(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "10.00", manager)
    with pytest.raises(ValidationError) as error:
        ring_up(
            customer=customer, cashier=cashier, payments=[("cash", "5.00"), ("on_account", "10.01")]
        )
    assert list(refusal(error)) == ["payments[1].amount"]
    assert "Only 10.00 of credit is available" in refusal(error)["payments[1].amount"][0]
    assert Sale.objects.count() == 0


def test_limit_zero_means_no_credit(cashier):
    customer = CustomerFactory(name="Zed Zero")
    with pytest.raises(ValidationError) as error:
        sell_on_account(customer, "0.01", cashier)
    assert refusal(error) == {
        "payments[0].amount": [
            "Zed Zero has no credit with the shop (credit limit 0.00): "
            "0.00 is available on account."
        ]
    }
    assert Sale.objects.count() == 0
    assert CustomerAccount.objects.count() == 0  # the refused sale created no account either


@override_settings(CLASSICPOS_DEFAULT_CREDIT_LIMIT="250.00")
def test_a_new_account_gets_the_default_limit(cashier):
    customer = CustomerFactory()
    assert account_summary(customer=customer).credit_limit == Decimal("250.00")
    sell_on_account(customer, "250.00", cashier)
    assert CustomerAccount.objects.get(customer=customer).credit_limit == Decimal("250.00")
    with pytest.raises(ValidationError):
        sell_on_account(customer, "0.01", cashier)


def test_an_inactive_customer_cannot_buy_on_account(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    customer.status = CustomerStatus.INACTIVE
    customer.save()
    with pytest.raises(ValidationError) as error:
        sell_on_account(customer, "10.00", cashier)
    assert "inactive" in " ".join(error.value.messages)
    assert Invoice.objects.count() == 0


def test_the_handler_itself_refuses_an_inactive_customer(cashier, manager):
    # Checkout refuses inactive customers first; the handler does not rely on it.
    customer = CustomerFactory(status=CustomerStatus.INACTIVE)
    give_credit(customer, "100.00", manager)
    sale = Sale(customer=customer, cashier=cashier, number="S-X")
    with pytest.raises(ValidationError) as error:
        services.invoice_create_for_sale(sale=sale, amount=Decimal("1.00"), user=cashier)
    assert "is inactive" in refusal(error)["amount"][0]


def test_a_walk_in_cannot_buy_on_account(cashier):
    with pytest.raises(ValidationError) as error:
        ring_up(customer=None, cashier=cashier, payments=[("on_account", "5.00")])
    assert refusal(error) == {"payments[0].method": ["On account payments need a customer."]}
    sale = Sale(customer=None, cashier=cashier)
    with pytest.raises(ValidationError) as error:
        services.invoice_create_for_sale(sale=sale, amount=Decimal("5.00"), user=cashier)
    assert "needs a customer" in refusal(error)["amount"][0]
    assert Invoice.objects.count() == 0


def test_payments_bring_credit_back(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "50.00", manager)
    sale = sell_on_account(customer, "50.00", cashier)
    pay(sale.invoice, "20.00", cashier)
    sell_on_account(customer, "20.00", cashier)
    assert customer_outstanding(customer=customer) == Decimal("50.00")


def test_a_second_on_account_payment_in_one_sale_is_refused(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "50.00", manager)
    with pytest.raises(ValidationError) as error:
        ring_up(
            customer=customer,
            cashier=cashier,
            payments=[("on_account", "5.00"), ("on_account", "5.00")],
        )
    assert refusal(error) == {
        "payments[1].amount": ["Put what this sale owes on account in one payment."]
    }
    assert Invoice.objects.count() == 0


# ---- Invoices: numbers, dates, status ----


def test_invoice_numbers_are_sequential_without_gaps(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "30.00", manager)
    first = sell_on_account(customer, "10.00", cashier)
    with pytest.raises(ValidationError):
        sell_on_account(customer, "25.00", cashier)
    second = sell_on_account(customer, "10.00", cashier)
    assert [first.invoice.number, second.invoice.number] == ["INV-S-000001", "INV-S-000002"]
    assert StoreCounter.objects.get(series="invoice").last_number == 2


@override_settings(CLASSICPOS_PAYMENT_TERMS_DAYS=14)
def test_an_invoice_is_due_after_the_payment_terms(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "30.00", manager)
    invoice = sell_on_account(customer, "10.00", cashier).invoice
    today = timezone.localdate()
    assert invoice.issued_on == today
    assert invoice.due_on == today + timedelta(days=14)
    assert invoice.customer == customer
    assert invoice.status == "open"


def test_status_follows_payments_and_overpayment_is_refused(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    pay(invoice, "30.00", cashier)
    assert (invoice.status, invoice.amount_paid, invoice.balance) == (
        "partially_paid",
        Decimal("30.00"),
        Decimal("70.00"),
    )
    with pytest.raises(ValidationError) as error:
        pay(invoice, "70.01", cashier)
    assert refusal(error) == {"amount": ["INV-S-000001 has only 70.00 left to pay."]}
    pay(invoice, "70.00", cashier, method="bank_transfer")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))
    with pytest.raises(ValidationError) as error:
        pay(invoice, "0.01", cashier)
    assert refusal(error) == {"amount": ["INV-S-000001 is paid: nothing is due."]}
    assert InvoicePayment.objects.count() == 2
    assert_invariants(customer)


@pytest.mark.parametrize(
    ("amount", "method", "errors"),
    [
        ("0", "cash", {"amount": ["Enter an amount of more than zero."]}),
        ("-5", "cash", {"amount": ["Enter an amount of more than zero."]}),
        ("1.005", "cash", {"amount": ["Enter an amount with at most two decimals."]}),
        ("ten", "cash", {"amount": ["Enter an amount such as 12.50."]}),
        ("NaN", "cash", {"amount": ["Enter an amount such as 12.50."]}),
        (
            "5.00",
            "cheque",
            {"method": ["Choose one of: cash, card, bank_transfer, store_credit."]},
        ),
    ],
)
def test_bad_payments_are_refused(cashier, manager, amount, method, errors):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    with pytest.raises(ValidationError) as error:
        pay(invoice, amount, cashier, method=method)
    assert refusal(error) == errors
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0


def test_the_database_refuses_a_status_that_does_not_follow_the_amounts(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "100.00", cashier).invoice
    for changes in (
        {"status": "paid"},
        {"amount_paid": Decimal("100.01")},
        {"status": "void", "amount_credited": Decimal("50.00")},
        {"due_on": invoice.issued_on - timedelta(days=1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Invoice.objects.filter(pk=invoice.pk).update(**changes)


def test_payments_and_ledger_rows_cannot_be_changed_or_deleted(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    payment = pay(sell_on_account(customer, "100.00", cashier).invoice, "10.00", cashier)
    entry = services.store_credit_adjust(customer=customer, amount="5.00", reason="x", user=manager)
    for row in (payment, entry):
        with pytest.raises(ImmutableRowError):
            row.save()
        with pytest.raises(ImmutableRowError):
            row.delete()
        with pytest.raises(ImmutableRowError):
            type(row).objects.all().delete()
        with pytest.raises(ImmutableRowError):
            type(row).objects.update(amount=Decimal("1.00"))


# ---- Refunds of invoiced sales ----


def test_refunding_an_unpaid_invoiced_sale_voids_its_invoice(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sale = sell_on_account(customer, "80.00", cashier)
    result = refund(sale=sale, user=manager)
    invoice = Invoice.objects.get()
    assert (invoice.status, invoice.amount_credited, invoice.balance) == (
        "void",
        Decimal("80.00"),
        Decimal("0.00"),
    )
    assert result.paid_back == Decimal("0.00")  # nothing leaves the till
    assert store_credit(customer) == Decimal("0.00")
    assert customer_outstanding(customer=customer) == Decimal("0.00")
    assert_invariants(customer)


def test_a_partial_refund_reduces_what_the_invoice_owes(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sale = sell_on_account(customer, "90.00", cashier, quantity=3)
    refund(sale=sale, user=manager, quantity=1)
    invoice = Invoice.objects.get()
    assert (invoice.status, invoice.balance) == ("open", Decimal("60.00"))
    refund(sale=sale, user=manager, quantity=2)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_credited) == ("void", Decimal("90.00"))
    assert store_credit(customer) == Decimal("0.00")
    assert_invariants(customer)


def test_refunding_a_partly_paid_invoiced_sale_returns_the_paid_part_as_store_credit(
    cashier, manager
):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sale = sell_on_account(customer, "100.00", cashier, quantity=2)
    pay(sale.invoice, "30.00", cashier)
    refund(sale=sale, user=manager, quantity=1)
    invoice = Invoice.objects.get()
    # Half the sale (50.00) first reduces the 70.00 still owed.
    assert (invoice.status, invoice.balance, store_credit(customer)) == (
        "partially_paid",
        Decimal("20.00"),
        Decimal("0.00"),
    )
    refund(sale=sale, user=manager)
    invoice.refresh_from_db()
    # The other half pays off the last 20.00; the 30.00 already paid becomes store credit.
    assert (invoice.status, invoice.balance, invoice.amount_credited) == (
        "paid",
        Decimal("0.00"),
        Decimal("70.00"),
    )
    assert store_credit(customer) == Decimal("30.00")
    entry = StoreCreditEntry.objects.get()
    assert entry.kind == "refund"
    assert "30.00 already paid on INV-S-000001" in entry.reason
    assert_invariants(customer)


def test_refunding_a_paid_invoiced_sale_gives_it_all_back_as_store_credit(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sale = sell_on_account(customer, "45.00", cashier)
    pay(sale.invoice, "45.00", cashier, method="card")
    refund(sale=sale, user=manager)
    invoice = Invoice.objects.get()
    assert (invoice.status, invoice.amount_credited) == ("paid", Decimal("0.00"))
    assert store_credit(customer) == Decimal("45.00")
    assert_invariants(customer)


def test_a_sale_split_between_cash_and_account_refunds_each_part_its_way(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sale = ring_up(
        customer=customer, cashier=cashier, payments=[("cash", "10.00"), ("on_account", "30.00")]
    )
    result = refund(sale=sale, user=manager)
    assert result.paid_back == Decimal("10.00")
    assert Invoice.objects.get().status == "void"
    assert store_credit(customer) == Decimal("0.00")


# ---- Store credit ----


def test_a_cash_refund_to_store_credit_credits_what_would_have_been_paid_back(cashier, manager):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, cashier=cashier, payments=[("card", "24.00")], quantity=2)
    result = refund(sale=sale, user=manager, quantity=1, refund_to="store_credit")
    assert (result.paid_back, result.paid_back_to) == (Decimal("12.00"), "store_credit")
    assert store_credit(customer) == Decimal("12.00")
    assert StoreCreditEntry.objects.get().refund == result


def test_a_cash_refund_to_the_till_gives_no_store_credit(cashier, manager):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, cashier=cashier, payments=[("cash", "24.00")])
    refund(sale=sale, user=manager)
    assert StoreCreditEntry.objects.count() == 0


def test_store_credit_pays_at_the_till_and_comes_back_on_refund(cashier, manager):
    customer = CustomerFactory()
    services.store_credit_adjust(customer=customer, amount="20.00", reason="Gift", user=manager)
    sale = ring_up(
        customer=customer, cashier=cashier, payments=[("store_credit", "15.00"), ("cash", "5.00")]
    )
    assert store_credit(customer) == Decimal("5.00")
    spent = StoreCreditEntry.objects.get(kind="sale")
    assert (spent.amount, spent.balance_after, spent.sale) == (
        Decimal("-15.00"),
        Decimal("5.00"),
        sale,
    )
    result = refund(sale=sale, user=manager)
    assert result.paid_back == Decimal("5.00")  # the cash part; store credit goes back in kind
    assert store_credit(customer) == Decimal("20.00")
    assert_invariants(customer)


def test_short_store_credit_refuses_the_sale(cashier, manager):
    customer = CustomerFactory(name="Sam Short")
    services.store_credit_adjust(customer=customer, amount="4.99", reason="Gift", user=manager)
    with pytest.raises(ValidationError) as error:
        ring_up(customer=customer, cashier=cashier, payments=[("store_credit", "5.00")])
    assert refusal(error) == {
        "payments[0].amount": ["Sam Short has 4.99 of store credit; this payment is 5.00."]
    }
    assert Sale.objects.count() == 0
    assert store_credit(customer) == Decimal("4.99")


def test_store_credit_pays_an_invoice_and_short_credit_is_refused(cashier, manager):
    customer = CustomerFactory(name="Sam Short")
    give_credit(customer, "100.00", manager)
    invoice = sell_on_account(customer, "50.00", cashier).invoice
    services.store_credit_adjust(customer=customer, amount="20.00", reason="Return", user=manager)
    with pytest.raises(ValidationError) as error:
        pay(invoice, "20.01", cashier, method="store_credit")
    assert refusal(error) == {
        "amount": ["Sam Short has 20.00 of store credit; this payment is 20.01."]
    }
    payment = pay(invoice, "20.00", cashier, method="store_credit")
    assert store_credit(customer) == Decimal("0.00")
    assert payment.store_credit_entry.amount == Decimal("-20.00")
    assert invoice.status == "partially_paid"
    assert_invariants(customer)


def test_adjustments_need_a_reason_and_never_go_below_zero(manager):
    customer = CustomerFactory(name="Rae Reason")
    with pytest.raises(ValidationError) as error:
        services.store_credit_adjust(customer=customer, amount="0", reason=" ", user=manager)
    assert refusal(error) == {
        "amount": ["Enter an amount other than zero."],
        "reason": ["Say why the store credit is adjusted."],
    }
    services.store_credit_adjust(customer=customer, amount="3.00", reason="Goodwill", user=manager)
    with pytest.raises(ValidationError) as error:
        services.store_credit_adjust(customer=customer, amount="-3.01", reason="Oops", user=manager)
    assert refusal(error) == {"amount": ["Rae Reason has only 3.00 of store credit."]}
    entry = services.store_credit_adjust(
        customer=customer, amount="-3.00", reason="Undo", user=manager
    )
    assert (entry.balance_after, store_credit(customer)) == (Decimal("0.00"), Decimal("0.00"))


def test_the_database_refuses_a_negative_store_credit(manager):
    customer = CustomerFactory()
    services.store_credit_adjust(customer=customer, amount="3.00", reason="x", user=manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerAccount.objects.filter(customer=customer).update(store_credit=Decimal("-1.00"))


# ---- Credit limit ----


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-0.01", "The credit limit cannot be negative."),
        ("abc", "Enter an amount such as 12.50."),
        ("1.234", "Enter an amount with at most two decimals."),
    ],
)
def test_a_bad_credit_limit_is_refused(manager, value, message):
    customer = CustomerFactory()
    with pytest.raises(ValidationError) as error:
        give_credit(customer, value, manager)
    assert refusal(error) == {"credit_limit": [message]}
    assert CustomerAccount.objects.count() == 0


def test_a_limit_below_what_is_owed_stops_new_credit_only(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    sell_on_account(customer, "80.00", cashier)
    give_credit(customer, "0", manager)
    summary = account_summary(customer=customer)
    assert (summary.credit_limit, summary.outstanding, summary.available_credit) == (
        Decimal("0.00"),
        Decimal("80.00"),
        Decimal("0.00"),
    )
    with pytest.raises(ValidationError):
        sell_on_account(customer, "1.00", cashier)


def test_overdue_counts_unpaid_invoices_past_their_due_date(cashier, manager):
    customer = CustomerFactory()
    give_credit(customer, "100.00", manager)
    late = sell_on_account(customer, "30.00", cashier).invoice
    sell_on_account(customer, "20.00", cashier)
    Invoice.objects.filter(pk=late.pk).update(
        issued_on=timezone.localdate() - timedelta(days=40),
        due_on=timezone.localdate() - timedelta(days=10),
    )
    pay(late, "5.00", cashier)
    summary = account_summary(customer=customer)
    assert (summary.outstanding, summary.overdue, summary.open_invoices) == (
        Decimal("45.00"),
        Decimal("25.00"),
        2,
    )
