"""Every write of accounting: invoices from sales on account, invoice payments, refunds'
credits, store credit and credit limits. Each one transaction.

Locks follow ``accounting.locks`` (customer, then sale, then invoice). Inside a
checkout or a refund the sales service has locked the customer and hands it
over on ``sale.customer``; the services called there never lock it again.
Store credit is written as a ledger row and the account's cached balance in
the same transaction, so the balance always equals the ledger's sum.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounting import conf
from accounting.locks import invoice_for_update, invoice_of_sale_for_update
from accounting.models import (
    UNPAID_STATUSES,
    CustomerAccount,
    Invoice,
    InvoiceCredit,
    InvoicePayment,
    InvoicePaymentMethod,
    InvoiceStatus,
    StoreCreditEntry,
    StoreCreditKind,
)
from accounting.selectors import (
    account_for,
    available_credit,
    customer_outstanding,
    invoice_paid_in_money,
)
from classicpos.limits import check_amount, parse_amount
from classicpos.reasons import clean_reason
from customers.locks import customer_for_update
from customers.models import Customer
from sales.models import Sale
from sales.money import ZERO, refunded_share
from sales.signals import sale_paid_later
from stores.models import NumberSeries
from stores.selectors import recorded_at
from stores.services import next_number

ON_ACCOUNT = "on_account"
STORE_CREDIT = "store_credit"
REFERENCE_MAX_LENGTH = 100


def invoice_number(store_code: str, number: int) -> str:
    """An invoice's number: ``INV-`` and its store's code before the store's own series."""
    return f"INV-{store_code}-{number:06d}"


def _account(customer: Customer) -> CustomerAccount:
    """Return the account of the locked ``customer``, created on first use."""
    account, _ = CustomerAccount.objects.get_or_create(
        customer=customer, defaults={"credit_limit": conf.default_credit_limit()}
    )
    return account


def _clean_amount(value, field: str = "amount", *, sign: str = "positive") -> Decimal:
    """Return ``value`` as a Decimal of whole cents, or raise the message the form shows.

    The amount is read as every amount is (``classicpos.limits.parse_amount``);
    ``sign`` is ``positive`` (payments), ``nonzero`` (adjustments) or
    ``not_negative`` (limits).
    """
    amount = parse_amount(value, field=field)
    if sign == "positive" and amount <= 0:
        raise ValidationError({field: ["Enter an amount of more than zero."]})
    if sign == "nonzero" and amount == 0:
        raise ValidationError({field: ["Enter an amount other than zero."]})
    if sign == "not_negative" and amount < 0:
        raise ValidationError({field: ["The credit limit cannot be negative."]})
    return amount


def _status(invoice: Invoice) -> str:
    """Return the status the invoice's amounts say (the database checks the same rule)."""
    if invoice.balance > 0:
        return InvoiceStatus.PARTIALLY_PAID if invoice.amount_paid > 0 else InvoiceStatus.OPEN
    return InvoiceStatus.PAID if invoice.amount_paid > 0 else InvoiceStatus.VOID


def _write_store_credit(
    *,
    customer: Customer,
    account: CustomerAccount,
    kind: str,
    amount: Decimal,
    reason: str,
    user=None,
    sale=None,
    refund=None,
    invoice_payment=None,
    payment_reversal=None,
    field: str = "amount",
    till=None,
) -> StoreCreditEntry:
    """Apply ``amount`` to the locked customer's store credit and record the ledger row.

    Every store credit write comes here, so the balance's bound lives here: past
    its column it is refused on ``field`` before anything is written. The row
    records the store and till of ``till``, else of what caused it.
    """
    balance = check_amount(
        account.store_credit + amount, field=field, what="The store credit balance"
    )
    CustomerAccount.objects.filter(pk=account.pk).update(
        store_credit=balance, updated_at=timezone.now()
    )
    account.store_credit = balance
    return StoreCreditEntry.objects.create(
        customer=customer,
        kind=kind,
        amount=amount,
        balance_after=balance,
        sale=sale,
        refund=refund,
        invoice_payment=invoice_payment,
        payment_reversal=payment_reversal,
        reason=reason,
        created_by=user,
        **recorded_at(till=till, source=refund or sale or invoice_payment),
    )


def _short_of_store_credit(customer: Customer, balance: Decimal, amount: Decimal) -> str:
    return f"{customer.name} has {balance} of store credit; this payment is {amount}."


# ---- At the till: called by the payment methods' ``settle`` inside checkout. ----


@transaction.atomic
def invoice_create_for_sale(*, sale, amount: Decimal, user) -> Invoice:
    """Put ``amount`` of ``sale`` on the customer's account as a new invoice.

    Refuses (``ValidationError`` on ``amount``) a walk-in sale, an inactive
    customer, and an amount above the credit still available: what is owed on
    open invoices plus this amount may reach the credit limit, never pass it.
    ``sale.customer`` is locked by checkout, so two tills selling to the same
    customer check the limit one after the other.
    """
    customer = sale.customer
    if customer is None:
        raise ValidationError({"amount": ["Selling on account needs a customer, not a walk-in."]})
    if not customer.is_active:
        raise ValidationError({"amount": [f"{customer.name} is inactive: no sales on account."]})
    account = _account(customer)
    outstanding = customer_outstanding(customer=customer)
    available = available_credit(account=account, outstanding=outstanding)
    if amount > available:
        if account.credit_limit == 0:
            message = (
                f"{customer.name} has no credit with the shop (credit limit 0.00): "
                "0.00 is available on account."
            )
        else:
            message = (
                f"Only {available} of credit is available to {customer.name} "
                f"(limit {account.credit_limit}, owing {outstanding}); this payment is {amount}."
            )
        raise ValidationError({"amount": [message]})
    if Invoice.objects.filter(sale=sale).exists():
        raise ValidationError({"amount": ["Put what this sale owes on account in one payment."]})
    today = timezone.localdate()
    # Last, after every check: a refused sale takes no number, and a refused
    # checkout rolls it back, so the store's series has no gaps.
    number = next_number(store_id=sale.store_id, series=NumberSeries.INVOICE)
    return Invoice.objects.create(
        number=invoice_number(sale.store.code, number),
        store_id=sale.store_id,
        till_id=sale.till_id,
        customer=customer,
        sale=sale,
        issued_on=today,
        due_on=today + timedelta(days=conf.payment_terms_days()),
        total=amount,
    )


@transaction.atomic
def store_credit_spend_for_sale(*, sale, amount: Decimal, user) -> StoreCreditEntry:
    """Pay ``amount`` of ``sale`` with the customer's store credit; refuse when short."""
    customer = sale.customer
    if customer is None:
        raise ValidationError({"amount": ["Paying with store credit needs a customer."]})
    account = _account(customer)
    if account.store_credit < amount:
        raise ValidationError(
            {"amount": [_short_of_store_credit(customer, account.store_credit, amount)]}
        )
    return _write_store_credit(
        customer=customer,
        account=account,
        kind=StoreCreditKind.SALE,
        amount=-amount,
        sale=sale,
        reason=f"Sale {sale.number}",
        user=user,
    )


# ---- Refunds: the ``sale_refunded`` receiver, inside the refund's transaction. ----


def _paid_with(sale, method: str) -> Decimal:
    return sum((p.amount for p in sale.payments.all() if p.method == method), ZERO)


@transaction.atomic
def credit_for_refund(*, refund) -> StoreCreditEntry | None:
    """Give back what a refund owes through accounting, exactly once per refund.

    - The part of the sale put on account first reduces what its invoice still
      owes (a fully refunded unpaid invoice becomes void); what had already
      been paid on the invoice becomes store credit.
    - The part paid with store credit goes back to store credit.
    - The money part (``refund.paid_back``) goes to store credit when the
      refund says ``refund_to="store_credit"``.

    Shares are running totals over the sale's refunds (as loyalty's points), so
    partial refunds never give back more than was paid and a full refund gives
    back exactly what was. ``refund.sale`` and its customer are locked by the
    refund service; the invoice is locked after them.
    """
    sale = refund.sale
    if sale.customer_id is None:
        return None
    customer = sale.customer
    refunded_before = sale.refunded_total - refund.total

    def share(amount: Decimal) -> Decimal:
        now = refunded_share(amount, refunded=sale.refunded_total, total=sale.goods_total)
        return now - refunded_share(amount, refunded=refunded_before, total=sale.goods_total)

    to_store_credit = ZERO
    reasons = []
    invoice_share = share(_paid_with(sale, ON_ACCOUNT))
    if invoice_share > 0:
        invoice = invoice_of_sale_for_update(sale.pk)
        if invoice is not None:
            taken_off = min(invoice_share, invoice.balance)
            if taken_off > 0:
                InvoiceCredit.objects.create(invoice=invoice, refund=refund, amount=taken_off)
                invoice.amount_credited += taken_off
                invoice.status = _status(invoice)
                invoice.save(update_fields=["amount_credited", "status", "updated_at"])
            already_paid = invoice_share - taken_off
            if already_paid > 0:
                to_store_credit += already_paid
                reasons.append(f"{already_paid} already paid on {invoice.number}")
    store_credit_share = share(_paid_with(sale, STORE_CREDIT))
    if store_credit_share > 0:
        to_store_credit += store_credit_share
        reasons.append(f"{store_credit_share} paid with store credit")
    if refund.paid_back_to == STORE_CREDIT and refund.paid_back > 0:
        to_store_credit += refund.paid_back
        reasons.append(f"{refund.paid_back} refunded to store credit")
    if to_store_credit <= 0:
        return None
    return _write_store_credit(
        customer=customer,
        account=_account(customer),
        kind=StoreCreditKind.REFUND,
        amount=to_store_credit,
        refund=refund,
        sale=sale,
        reason=f"Refund of sale {sale.number}: " + "; ".join(reasons),
        user=refund.created_by,
        # The refund's own field: where its money goes, or which lines give it back.
        field="refund_to" if refund.paid_back_to == STORE_CREDIT else "lines",
    )


# ---- Back office: payments, credit limits, adjustments. ----


def _payment_input(*, amount, method: str, reference) -> tuple[Decimal, str]:
    """Return the payment's amount and trimmed reference, or raise every field's message."""
    errors = {}
    try:
        amount = _clean_amount(amount)
    except ValidationError as error:
        errors.update(error.message_dict)
    if method not in InvoicePaymentMethod.values:
        known = ", ".join(InvoicePaymentMethod.values)
        errors["method"] = [f"Choose one of: {known}."]
    reference = " ".join(str(reference or "").split())
    if len(reference) > REFERENCE_MAX_LENGTH:
        errors["reference"] = [f"Keep the reference to {REFERENCE_MAX_LENGTH} characters."]
    if errors:
        raise ValidationError(errors)
    return amount, reference


def _refuse_payment(
    *, invoice: Invoice, account: CustomerAccount | None, amount: Decimal, method: str
) -> None:
    """Raise why ``invoice`` cannot take this payment now, if it cannot."""
    if invoice.status not in UNPAID_STATUSES:
        raise ValidationError(
            {
                "amount": [
                    f"{invoice.number} is {invoice.get_status_display().lower()}: nothing is due."
                ]
            }
        )
    if amount > invoice.balance:
        raise ValidationError(
            {"amount": [f"{invoice.number} has only {invoice.balance} left to pay."]}
        )
    if method == InvoicePaymentMethod.STORE_CREDIT and account.store_credit < amount:
        raise ValidationError(
            {"amount": [_short_of_store_credit(invoice.customer, account.store_credit, amount)]}
        )


@dataclass(frozen=True)
class PaymentPreview:
    """What recording a payment would do, for the page to ask before it is recorded."""

    invoice: Invoice
    amount: Decimal
    method: str
    reference: str
    balance_after: Decimal


def invoice_payment_preview(*, invoice: Invoice, amount, method: str, reference: str = ""):
    """Return what ``invoice_record_payment`` would record, or raise what it would refuse.

    It writes and locks nothing: the confirmation says what will happen, and the
    payment is checked again, under the locks, when it is recorded.
    """
    amount, reference = _payment_input(amount=amount, method=method, reference=reference)
    account = account_for(customer=invoice.customer)
    _refuse_payment(invoice=invoice, account=account, amount=amount, method=method)
    return PaymentPreview(
        invoice=invoice,
        amount=amount,
        method=method,
        reference=reference,
        balance_after=invoice.balance - amount,
    )


@transaction.atomic
def invoice_record_payment(
    *, invoice: Invoice, amount, method: str, user, reference: str = "", till=None
) -> InvoicePayment:
    """Record a payment against an invoice; never more than its balance.

    Store credit payments spend the customer's store credit (refused when it
    is short). The customer, then the invoice, are locked first, so two
    payments of one invoice cannot both pass the balance check.
    """
    amount, reference = _payment_input(amount=amount, method=method, reference=reference)
    customer = customer_for_update(invoice.customer_id)
    locked = invoice_for_update(invoice.pk)
    locked.customer = customer
    account = _account(customer) if method == InvoicePaymentMethod.STORE_CREDIT else None
    _refuse_payment(invoice=locked, account=account, amount=amount, method=method)
    payment = InvoicePayment.objects.create(
        invoice=locked,
        method=method,
        amount=amount,
        reference=reference,
        created_by=user,
        **recorded_at(till=till),
    )
    if account is not None:
        _write_store_credit(
            customer=customer,
            account=account,
            kind=StoreCreditKind.INVOICE_PAYMENT,
            amount=-amount,
            invoice_payment=payment,
            reason=f"Payment of {locked.number}",
            user=user,
        )
    locked.amount_paid += amount
    locked.status = _status(locked)
    locked.save(update_fields=["amount_paid", "status", "updated_at"])
    for field in ("amount_paid", "status", "updated_at"):
        setattr(invoice, field, getattr(locked, field))
    if method != InvoicePaymentMethod.STORE_CREDIT:
        _tell_paid_later(locked, reference=f"invoice-payment-{payment.pk}", user=user)
    return payment


def _tell_paid_later(invoice: Invoice, *, reference: str, user, reversal: bool = False) -> None:
    """Tell other modules what the invoice's sale has now been paid in money since checkout.

    Sent for a money payment and for its reversal, never for store credit (in kind,
    as at the till): loyalty brings the sale's points up or down to match.
    """
    sale_paid_later.send(
        sender=Sale,
        sale=invoice.sale,
        paid_so_far=invoice_paid_in_money(invoice=invoice),
        reference=reference,
        user=user,
        reversal=reversal,
    )


@transaction.atomic
def account_set_credit_limit(*, customer: Customer, credit_limit, user) -> CustomerAccount:
    """Set how much the customer may owe on account (a Manager's decision; ``0``: no credit).

    A lower limit than what is owed is allowed: it stops new sales on account
    until the customer pays, and changes no invoice.
    """
    limit = _clean_amount(credit_limit, "credit_limit", sign="not_negative")
    locked = customer_for_update(customer.pk)
    account = _account(locked)
    account.credit_limit = limit
    account.full_clean()
    account.save(update_fields=["credit_limit", "updated_at"])
    return account


@transaction.atomic
def store_credit_adjust(
    *, customer: Customer, amount, reason: str, user, till=None
) -> StoreCreditEntry:
    """Record a Manager's correction of store credit; it may not take the balance below zero."""
    errors = {}
    try:
        amount = _clean_amount(amount, sign="nonzero")
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        reason = clean_reason(reason, missing="Say why the store credit is adjusted.")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    locked = customer_for_update(customer.pk)
    account = _account(locked)
    if account.store_credit + amount < 0:
        raise ValidationError(
            {"amount": [f"{locked.name} has only {account.store_credit} of store credit."]}
        )
    return _write_store_credit(
        customer=locked,
        account=account,
        kind=StoreCreditKind.ADJUSTMENT,
        amount=amount,
        reason=reason,
        user=user,
        till=till,
    )


@transaction.atomic
def store_credit_reconcile(*, customer_id: int, user=None) -> StoreCreditEntry | None:
    """Write the adjustment that makes the ledger explain the current cached balance.

    Used by ``accounting_reconcile --fix`` for balances changed outside the
    ledger: the balance stays, and the ledger gains a visible, signed row.
    """
    customer = customer_for_update(customer_id)
    account = _account(customer)
    ledger = sum(
        StoreCreditEntry.objects.filter(customer=customer).values_list("amount", flat=True), ZERO
    )
    difference = account.store_credit - ledger
    if difference == 0:
        return None
    return StoreCreditEntry.objects.create(
        customer=customer,
        kind=StoreCreditKind.ADJUSTMENT,
        amount=difference,
        balance_after=account.store_credit,
        reason=(f"Reconciliation: balance {account.store_credit} did not match ledger {ledger}"),
        created_by=user,
    )


@transaction.atomic
def invoice_set_due_date(*, invoice: Invoice, due_on) -> Invoice:
    """Move an invoice's due date (the admin's one edit); never before its issue date."""
    locked = invoice_for_update(invoice.pk)
    if due_on is None or due_on < locked.issued_on:
        raise ValidationError(
            {"due_on": [f"The due date cannot be before the issue date ({locked.issued_on})."]}
        )
    locked.due_on = due_on
    locked.save(update_fields=["due_on", "updated_at"])
    invoice.due_on = due_on
    return locked
