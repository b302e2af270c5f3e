"""Sell on account and with store credit through the real services (``ring_up`` and
``refund`` are ``tests.sales.helpers``), and check the accounts' invariants."""

from contextlib import contextmanager
from datetime import datetime, time
from decimal import Decimal
from unittest import mock

from django.db.models import Sum
from django.utils import timezone

from accounting import services
from accounting.models import CustomerAccount, Invoice, StoreCreditEntry
from accounting.selectors import customer_outstanding
from sales.money import to_cents
from tests.sales.helpers import ring_up


def give_credit(customer, limit: str, user) -> CustomerAccount:
    return services.account_set_credit_limit(customer=customer, credit_limit=limit, user=user)


def sell_on_account(customer, amount: str, cashier, *, quantity: int = 1):
    return ring_up(
        customer=customer, cashier=cashier, payments=[("on_account", amount)], quantity=quantity
    )


def pay(invoice, amount: str, user, method: str = "cash"):
    return services.invoice_record_payment(invoice=invoice, amount=amount, method=method, user=user)


def store_credit(customer) -> Decimal:
    account = CustomerAccount.objects.filter(customer=customer).first()
    return account.store_credit if account else Decimal("0.00")


def assert_invariants(*customers) -> None:
    """Every invoice's paid and credited amounts equal its rows (payments not reversed);
    each customer's outstanding equals the balances of their unpaid invoices; store credit
    equals its ledger, never < 0."""
    for invoice in Invoice.objects.all():
        # SQLite sums decimals as floats: compare in cents.
        paid = to_cents(
            invoice.payments.filter(reversal__isnull=True).aggregate(s=Sum("amount"))["s"] or 0
        )
        credited = to_cents(invoice.credits.aggregate(s=Sum("amount"))["s"] or 0)
        assert invoice.amount_paid == paid, invoice
        assert invoice.amount_credited == credited, invoice
        assert invoice.amount_paid + invoice.amount_credited <= invoice.total
        assert isinstance(invoice.total, Decimal)
    for customer in customers:
        unpaid = Invoice.objects.filter(customer=customer, status__in=["open", "partially_paid"])
        assert customer_outstanding(customer=customer) == sum(
            (i.total - i.amount_paid - i.amount_credited for i in unpaid), Decimal("0.00")
        )
        ledger = StoreCreditEntry.objects.filter(customer=customer).aggregate(s=Sum("amount"))["s"]
        assert store_credit(customer) == to_cents(ledger or 0)
        assert store_credit(customer) >= 0


@contextmanager
def on_day(day):
    """Make ``timezone.now()`` (and so ``auto_now_add`` and ``localdate()``) a moment of ``day``."""
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
