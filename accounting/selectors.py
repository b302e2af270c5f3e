"""Reads of accounting: a customer's account, invoice lists and totals, statements, checks."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from accounting import conf
from accounting.models import (
    UNPAID_STATUSES,
    CustomerAccount,
    Invoice,
    InvoiceCredit,
    InvoicePayment,
    InvoicePaymentMethod,
    InvoicePaymentReversal,
    InvoiceStatus,
    StoreCreditEntry,
)
from customers.models import Customer
from sales.money import ZERO, to_cents

MONEY_FIELD = DecimalField(max_digits=12, decimal_places=2)
BALANCE = ExpressionWrapper(F("total") - F("amount_paid") - F("amount_credited"), MONEY_FIELD)


def _money_sum(expression, **filters):
    return Coalesce(
        Sum(expression, filter=Q(**filters) if filters else None),
        Value(ZERO),
        output_field=MONEY_FIELD,
    )


def account_for(*, customer: Customer) -> CustomerAccount:
    """Return the customer's account, or an unsaved one with the default limit (reads create
    nothing; the first write does).

    Read once per customer instance: Django keeps a reverse one-to-one on the instance
    (an unsaved account too, set by its constructor), and ``refresh_from_db`` and
    ``customers.locks.customer_lock`` forget it. A quote asks for the on-account and
    store-credit limits and the pick warnings of one customer: three reads became one.
    Writes never use this copy: they lock the account row and read it there.
    """
    try:
        return customer.account
    except CustomerAccount.DoesNotExist:
        return CustomerAccount(customer=customer, credit_limit=conf.default_credit_limit())


def customer_outstanding(*, customer: Customer) -> Decimal:
    """Return what the customer owes on open and partially paid invoices."""
    return to_cents(
        Invoice.objects.filter(customer=customer, status__in=UNPAID_STATUSES).aggregate(
            owed=_money_sum(BALANCE)
        )["owed"]
    )


def available_credit(*, account: CustomerAccount, outstanding: Decimal) -> Decimal:
    """Return how much more the customer may put on account (never below zero)."""
    return max(account.credit_limit - outstanding, ZERO)


@dataclass(frozen=True)
class AccountSummary:
    customer: Customer
    credit_limit: Decimal
    outstanding: Decimal
    overdue: Decimal
    available_credit: Decimal
    store_credit: Decimal
    open_invoices: int
    overdue_invoices: int = 0


def account_summary(*, customer: Customer) -> AccountSummary:
    """Return the figures of a customer's account in two queries."""
    account = account_for(customer=customer)
    today = timezone.localdate()
    figures = Invoice.objects.filter(customer=customer, status__in=UNPAID_STATUSES).aggregate(
        outstanding=_money_sum(BALANCE),
        overdue=_money_sum(BALANCE, due_on__lt=today),
        count=Count("id"),
        overdue_count=Count("id", filter=Q(due_on__lt=today)),
    )
    return AccountSummary(
        customer=customer,
        credit_limit=account.credit_limit,
        outstanding=to_cents(figures["outstanding"]),
        overdue=to_cents(figures["overdue"]),
        available_credit=available_credit(
            account=account, outstanding=to_cents(figures["outstanding"])
        ),
        store_credit=account.store_credit,
        open_invoices=figures["count"],
        overdue_invoices=figures["overdue_count"],
    )


class InvoiceListStatus(models.TextChoices):
    """What the invoice list filters by: every unpaid invoice, or one status.

    The page, the API and the selector read these; "unpaid" was a string each
    spelled (and labelled) on its own.
    """

    UNPAID = "unpaid", "Unpaid (open or partly paid)"
    OPEN = InvoiceStatus.OPEN, InvoiceStatus.OPEN.label
    PARTIALLY_PAID = InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PARTIALLY_PAID.label
    PAID = InvoiceStatus.PAID, InvoiceStatus.PAID.label
    VOID = InvoiceStatus.VOID, InvoiceStatus.VOID.label


@dataclass(frozen=True)
class InvoiceFilters:
    customer_id: int | None = None
    status: str | None = None  # an InvoiceListStatus; None for every invoice
    overdue: bool = False
    issued_after: date | None = None
    issued_before: date | None = None


def invoice_paid_in_money(*, invoice: Invoice) -> Decimal:
    """Return what was paid on ``invoice`` in money: every payment but store credit's,
    less payments reversed.

    Store credit is in kind, as at the till: loyalty earns on the rest.
    """
    paid = InvoicePayment.objects.filter(invoice=invoice, reversal__isnull=True).exclude(
        method=InvoicePaymentMethod.STORE_CREDIT
    )
    return to_cents(paid.aggregate(total=Sum("amount"))["total"] or ZERO)


def invoice_list(*, filters: InvoiceFilters | None = None, with_payments: bool = True):
    """Return invoices newest first with their customer and sale (and payments) fetched."""
    filters = filters or InvoiceFilters()
    invoices = Invoice.objects.select_related("customer", "sale")
    if with_payments:
        invoices = invoices.prefetch_related(
            Prefetch(
                "payments",
                queryset=InvoicePayment.objects.select_related(
                    "created_by", "reversal__created_by"
                ),
            )
        )
    if filters.customer_id is not None:
        invoices = invoices.filter(customer_id=filters.customer_id)
    if filters.status == InvoiceListStatus.UNPAID:
        invoices = invoices.unpaid()
    elif filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.overdue:
        invoices = invoices.overdue()
    if filters.issued_after is not None:
        invoices = invoices.filter(issued_on__gte=filters.issued_after)
    if filters.issued_before is not None:
        invoices = invoices.filter(issued_on__lte=filters.issued_before)
    return invoices.order_by("-issued_on", "-id")


@dataclass(frozen=True)
class InvoiceTotals:
    count: int
    total: Decimal
    amount_paid: Decimal
    amount_credited: Decimal
    balance: Decimal


def invoice_totals(invoices: QuerySet[Invoice]) -> InvoiceTotals:
    """Return the count and money totals of a filtered invoice list, in one query."""
    figures = invoices.order_by().aggregate(
        invoice_count=Count("id"),
        sum_total=_money_sum("total"),
        sum_paid=_money_sum("amount_paid"),
        sum_credited=_money_sum("amount_credited"),
        sum_balance=_money_sum(BALANCE),
    )
    # SQLite sums decimals without their scale; every amount is shown in cents.
    return InvoiceTotals(
        count=figures["invoice_count"],
        total=to_cents(figures["sum_total"]),
        amount_paid=to_cents(figures["sum_paid"]),
        amount_credited=to_cents(figures["sum_credited"]),
        balance=to_cents(figures["sum_balance"]),
    )


def invoice_detail(*, pk: int) -> Invoice:
    """Return one invoice with everything its page shows (raises ``Invoice.DoesNotExist``)."""
    return (
        Invoice.objects.select_related("customer", "sale__store")
        .prefetch_related(
            "payments__created_by", "payments__reversal__created_by", "credits__refund"
        )
        .get(pk=pk)
    )


def customer_open_invoices(*, customer: Customer) -> QuerySet[Invoice]:
    """Return the invoices the customer still has to pay, the oldest due first."""
    return Invoice.objects.filter(customer=customer, status__in=UNPAID_STATUSES).order_by(
        "due_on", "id"
    )


def store_credit_ledger(*, customer_id: int) -> QuerySet[StoreCreditEntry]:
    """Return one customer's store credit entries, newest first."""
    return (
        StoreCreditEntry.objects.filter(customer_id=customer_id)
        .select_related(
            "sale",
            "refund__sale",
            "invoice_payment__invoice",
            "payment_reversal__payment__invoice",
            "created_by",
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class StatementLine:
    date: date
    kind: str  # invoice | payment | credit | reversal
    reference: str
    description: str
    amount: Decimal  # what it adds to the balance owed (payments and credits are negative)
    balance: Decimal
    invoice: Invoice


@dataclass(frozen=True)
class Statement:
    customer: Customer
    start: date
    end: date
    opening_balance: Decimal
    lines: list[StatementLine]
    closing_balance: Decimal


STATEMENT_DAYS = 30


def _day(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


_KIND_ORDER = {"invoice": 0, "credit": 1, "payment": 2, "reversal": 3}


def default_statement_period(*, start: date | None, end: date | None) -> tuple[date, date]:
    """Return the period a statement covers: up to today, from 30 days before its end."""
    end = end or timezone.localdate()
    return start or end - timedelta(days=STATEMENT_DAYS), end


def customer_statement(*, customer: Customer, start: date, end: date) -> Statement:
    """Return the statement of account from ``start`` to ``end`` (both included).

    Invoices add to what is owed on their issue date; payments and refund credits
    take it off on the day they were made, and a payment's reversal adds it back on
    the day it was reversed. The opening balance is everything
    before ``start``, so a statement ending today closes on the outstanding balance.
    """
    invoices = Invoice.objects.filter(customer=customer)
    payments = InvoicePayment.objects.filter(invoice__customer=customer)
    credits = InvoiceCredit.objects.filter(invoice__customer=customer)
    reversals = InvoicePaymentReversal.objects.filter(payment__invoice__customer=customer)
    opening = to_cents(
        invoices.filter(issued_on__lt=start).aggregate(s=_money_sum("total"))["s"]
        - payments.filter(created_at__date__lt=start).aggregate(s=_money_sum("amount"))["s"]
        - credits.filter(created_at__date__lt=start).aggregate(s=_money_sum("amount"))["s"]
        + reversals.filter(created_at__date__lt=start).aggregate(s=_money_sum("payment__amount"))[
            "s"
        ]
    )
    entries = []
    for invoice in invoices.filter(issued_on__gte=start, issued_on__lte=end).select_related("sale"):
        entries.append(
            (
                invoice.issued_on,
                "invoice",
                invoice.created_at,
                invoice.pk,
                invoice.number,
                f"Sale {invoice.sale.number}, due {_day(invoice.due_on)}",
                invoice.total,
                invoice,
            )
        )
    in_range = {"created_at__date__gte": start, "created_at__date__lte": end}
    for payment in payments.filter(**in_range).select_related("invoice"):
        description = payment.get_method_display()
        if payment.reference:
            description = f"{description} ({payment.reference})"
        entries.append(
            (
                timezone.localdate(payment.created_at),
                "payment",
                payment.created_at,
                payment.pk,
                payment.invoice.number,
                description,
                -payment.amount,
                payment.invoice,
            )
        )
    for credit in credits.filter(**in_range).select_related("invoice", "refund__sale"):
        entries.append(
            (
                timezone.localdate(credit.created_at),
                "credit",
                credit.created_at,
                credit.pk,
                credit.invoice.number,
                f"Refund on sale {credit.refund.sale.number}",
                -credit.amount,
                credit.invoice,
            )
        )
    for reversal in reversals.filter(**in_range).select_related("payment__invoice"):
        payment = reversal.payment
        entries.append(
            (
                timezone.localdate(reversal.created_at),
                "reversal",
                reversal.created_at,
                reversal.pk,
                payment.invoice.number,
                f"{payment.get_method_display()} payment reversed: {reversal.reason}",
                payment.amount,
                payment.invoice,
            )
        )
    entries.sort(key=lambda entry: (entry[0], entry[2], _KIND_ORDER[entry[1]], entry[3]))
    balance = opening
    lines = []
    for day, kind, _, _, reference, description, amount, invoice in entries:
        balance += amount
        lines.append(
            StatementLine(
                date=day,
                kind=kind,
                reference=reference,
                description=description,
                amount=amount,
                balance=balance,
                invoice=invoice,
            )
        )
    return Statement(
        customer=customer,
        start=start,
        end=end,
        opening_balance=opening,
        lines=lines,
        closing_balance=balance,
    )


def _rounded(expression):
    """Return a sum in cents, zero when there are no rows (SQLite sums decimals as floats)."""
    return Round(Coalesce(expression, Value(ZERO)), 2, output_field=MONEY_FIELD)


def store_credit_mismatches() -> QuerySet[CustomerAccount]:
    """Return accounts whose store credit differs from their ledger's sum, with ``ledger_sum``."""
    ledger_sum = (
        StoreCreditEntry.objects.filter(customer=OuterRef("customer"))
        .order_by()
        .values("customer")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        CustomerAccount.objects.select_related("customer")
        .annotate(ledger_sum=_rounded(Subquery(ledger_sum, output_field=MONEY_FIELD)))
        .exclude(store_credit=F("ledger_sum"))
        .order_by("customer_id")
    )


def invoice_mismatches() -> QuerySet[Invoice]:
    """Return invoices whose paid or credited amount differs from the sum of their rows
    (payments not reversed, refund credits)."""
    paid = (
        InvoicePayment.objects.filter(invoice=OuterRef("pk"), reversal__isnull=True)
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    credited = (
        InvoiceCredit.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Invoice.objects.annotate(
            payments_sum=_rounded(Subquery(paid, output_field=MONEY_FIELD)),
            credits_sum=_rounded(Subquery(credited, output_field=MONEY_FIELD)),
        )
        .filter(~Q(amount_paid=F("payments_sum")) | ~Q(amount_credited=F("credits_sum")))
        .order_by("id")
    )
