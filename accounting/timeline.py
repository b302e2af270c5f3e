"""Invoices, their payments, reversals and refund credits, and store credit in the
customer's timeline.

Each table is its own source with one query a page. The invoice sources answer
to ``view_invoice``, the permission of the invoice page that shows an invoice
with its payments and credits; the store credit ledger to its own view
permission, as its API does. A credit limit keeps no history (the account row
holds only the current limit), so limit changes have no entries.
"""

from django.urls import reverse
from django.utils.dateformat import format as format_date

from accounting.models import (
    Invoice,
    InvoiceCredit,
    InvoicePayment,
    InvoicePaymentReversal,
    StoreCreditEntry,
    StoreCreditKind,
)
from accounting.permissions import VIEW_INVOICE, VIEW_STORE_CREDIT
from accounting.selectors import store_credit_ledger
from classicpos.money_format import format_money
from customers.timeline import TimelineEntry, TimelinePage, TimelineSource, register_timeline_source

INVOICE_SOURCE = "accounting.invoice"
PAYMENT_SOURCE = "accounting.invoice_payment"
CREDIT_SOURCE = "accounting.invoice_credit"
REVERSAL_SOURCE = "accounting.invoice_payment_reversal"
STORE_CREDIT_SOURCE = "accounting.store_credit"

STORE_CREDIT_KINDS = {
    StoreCreditKind.REFUND: "store_credit.refunded",
    StoreCreditKind.SALE: "store_credit.spent",
    StoreCreditKind.INVOICE_PAYMENT: "store_credit.paid_invoice",
    StoreCreditKind.PAYMENT_REVERSAL: "store_credit.payment_reversed",
    StoreCreditKind.ADJUSTMENT: "store_credit.adjusted",
}


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _invoice_url(invoice_id: int) -> str:
    return reverse("accounting:invoice_detail", kwargs={"pk": invoice_id})


def _sale_url(sale_id: int) -> str:
    return reverse("sales:sale_detail", kwargs={"pk": sale_id})


def signed_money(amount) -> str:
    """Return ``amount`` in the shop's currency with its sign; a loss gets a real minus sign."""
    return ("+" if amount > 0 else "\u2212") + format_money(abs(amount))


def invoice_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return invoices issued to the customer (with their sale and cashier), in one query."""
    invoices = (
        Invoice.objects.filter(customer=page.customer)
        .filter(page.before(INVOICE_SOURCE, at="created_at"))
        .select_related("sale__cashier")
        .order_by("-created_at", "-pk")
    )
    return [
        TimelineEntry(
            at=invoice.created_at,
            kind="invoice.issued",
            summary=(
                f"Invoice {invoice.number} for sale {invoice.sale.number}: "
                f"{format_money(invoice.total)}, due {format_date(invoice.due_on, 'M j, Y')}; "
                f"now {invoice.get_status_display().lower()}"
            ),
            source=INVOICE_SOURCE,
            id=invoice.pk,
            actor=_username(invoice.sale.cashier),
            link=_invoice_url(invoice.pk),
        )
        for invoice in invoices[: page.limit]
    ]


def invoice_payment_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return payments received on the customer's invoices, in one query."""
    payments = (
        InvoicePayment.objects.filter(invoice__customer=page.customer)
        .filter(page.before(PAYMENT_SOURCE, at="created_at"))
        .select_related("invoice", "created_by")
        .order_by("-created_at", "-pk")
    )
    entries = []
    for payment in payments[: page.limit]:
        summary = (
            f"{format_money(payment.amount)} paid on invoice {payment.invoice.number} "
            f"by {payment.get_method_display().lower()}"
        )
        if payment.reference:
            summary += f" (reference {payment.reference})"
        entries.append(
            TimelineEntry(
                at=payment.created_at,
                kind="invoice.paid",
                summary=summary,
                source=PAYMENT_SOURCE,
                id=payment.pk,
                actor=_username(payment.created_by),
                link=_invoice_url(payment.invoice_id),
            )
        )
    return entries


def invoice_payment_reversal_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the payments a Manager reversed on the customer's invoices, in one query."""
    reversals = (
        InvoicePaymentReversal.objects.filter(payment__invoice__customer=page.customer)
        .filter(page.before(REVERSAL_SOURCE, at="created_at"))
        .select_related("payment__invoice", "created_by")
        .order_by("-created_at", "-pk")
    )
    return [
        TimelineEntry(
            at=reversal.created_at,
            kind="invoice.payment_reversed",
            summary=(
                f"{format_money(reversal.payment.amount)} "
                f"{reversal.payment.get_method_display().lower()} payment on invoice "
                f"{reversal.payment.invoice.number} reversed: {reversal.reason}"
            ),
            source=REVERSAL_SOURCE,
            id=reversal.pk,
            actor=_username(reversal.created_by),
            link=_invoice_url(reversal.payment.invoice_id),
        )
        for reversal in reversals[: page.limit]
    ]


def invoice_credit_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return what refunds took off the customer's invoices, in one query."""
    credits = (
        InvoiceCredit.objects.filter(invoice__customer=page.customer)
        .filter(page.before(CREDIT_SOURCE, at="created_at"))
        .select_related("invoice__sale", "refund__created_by")
        .order_by("-created_at", "-pk")
    )
    return [
        TimelineEntry(
            at=credit.created_at,
            kind="invoice.credited",
            summary=(
                f"{format_money(credit.amount)} taken off invoice {credit.invoice.number} "
                f"by a refund of sale {credit.invoice.sale.number}"
            ),
            source=CREDIT_SOURCE,
            id=credit.pk,
            actor=_username(credit.refund.created_by),
            link=_invoice_url(credit.invoice_id),
        )
        for credit in credits[: page.limit]
    ]


def _store_credit_summary(entry: StoreCreditEntry) -> str:
    amount = f"{signed_money(entry.amount)} store credit"
    balance = f"(balance {format_money(entry.balance_after)})"
    if entry.kind == StoreCreditKind.REFUND:
        return f"{amount} from a refund of sale {entry.refund.sale.number} {balance}"
    if entry.kind == StoreCreditKind.SALE:
        return f"{amount} spent on sale {entry.sale.number} {balance}"
    if entry.kind == StoreCreditKind.INVOICE_PAYMENT:
        return f"{amount} paid invoice {entry.invoice_payment.invoice.number} {balance}"
    if entry.kind == StoreCreditKind.PAYMENT_REVERSAL:
        invoice = entry.payment_reversal.payment.invoice
        return f"{amount} given back: a payment of invoice {invoice.number} reversed {balance}"
    return f"{amount} adjusted: {entry.reason} {balance}"


def _store_credit_link(entry: StoreCreditEntry, customer) -> str:
    if entry.invoice_payment_id:
        return _invoice_url(entry.invoice_payment.invoice_id)
    if entry.payment_reversal_id:
        return _invoice_url(entry.payment_reversal.payment.invoice_id)
    if entry.sale_id:
        return _sale_url(entry.sale_id)
    return f"{customer.get_absolute_url()}#account-panel"


def store_credit_entries(page: TimelinePage) -> list[TimelineEntry]:
    """Return the customer's store credit ledger rows, in one query, narrowed by kind."""
    wanted = [kind for kind, name in STORE_CREDIT_KINDS.items() if page.wants(name)]
    if not wanted:
        return []
    rows = store_credit_ledger(customer_id=page.customer.pk).filter(
        page.before(STORE_CREDIT_SOURCE, at="created_at")
    )
    if len(wanted) < len(STORE_CREDIT_KINDS):
        rows = rows.filter(kind__in=wanted)
    rows = rows.order_by("-created_at", "-pk")
    return [
        TimelineEntry(
            at=row.created_at,
            kind=STORE_CREDIT_KINDS[row.kind],
            summary=_store_credit_summary(row),
            source=STORE_CREDIT_SOURCE,
            id=row.pk,
            actor=_username(row.created_by),
            link=_store_credit_link(row, page.customer),
        )
        for row in rows[: page.limit]
    ]


def connect() -> None:
    for source in (
        TimelineSource(
            name=INVOICE_SOURCE,
            label="Invoices",
            icon="bi-file-earmark-text",
            kinds=("invoice.issued",),
            entries=invoice_entries,
            permission=VIEW_INVOICE,
        ),
        TimelineSource(
            name=PAYMENT_SOURCE,
            label="Invoices",
            icon="bi-file-earmark-text",
            kinds=("invoice.paid",),
            entries=invoice_payment_entries,
            permission=VIEW_INVOICE,
        ),
        TimelineSource(
            name=REVERSAL_SOURCE,
            label="Invoices",
            icon="bi-file-earmark-text",
            kinds=("invoice.payment_reversed",),
            entries=invoice_payment_reversal_entries,
            permission=VIEW_INVOICE,
        ),
        TimelineSource(
            name=CREDIT_SOURCE,
            label="Invoices",
            icon="bi-file-earmark-text",
            kinds=("invoice.credited",),
            entries=invoice_credit_entries,
            permission=VIEW_INVOICE,
        ),
        TimelineSource(
            name=STORE_CREDIT_SOURCE,
            label="Store credit",
            icon="bi-wallet2",
            kinds=tuple(STORE_CREDIT_KINDS.values()),
            entries=store_credit_entries,
            permission=VIEW_STORE_CREDIT,
        ),
    ):
        register_timeline_source(source)
