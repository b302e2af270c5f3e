"""How accounting plugs into sales: the ``on_account`` and ``store_credit`` payment
methods, the invoice number on a sale's response and receipt, the till's
"On account" / "Store credit" widget, and the warnings shown when a customer is picked
(over or near the credit limit, overdue invoices)."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist

from accounting import services
from accounting.permissions import VIEW_CUSTOMER_ACCOUNT
from accounting.selectors import (
    account_for,
    account_summary,
    available_credit,
    customer_outstanding,
)
from classicpos.money_format import format_money
from sales.extensions import (
    CheckoutWidget,
    MethodLimit,
    PaymentMethodType,
    PickWarning,
    PickWarnings,
    RefundedAs,
    SaleFacts,
    register_checkout_widget,
    register_payment_method,
    register_pick_warnings,
    register_sale_facts,
)

# "Near" the credit limit: owing this share of it or more. The cashier hears it at the pick,
# before a sale on account is refused for want of credit.
NEAR_LIMIT_SHARE = Decimal("0.9")


def settle_on_account(*, sale, payment, user) -> None:
    """Put the payment's amount on the customer's account; a refusal refuses the sale.

    The service refuses on ``amount``; checkout keys it to this payment's row
    (``payments[1].amount``), where the till shows it.
    """
    services.invoice_create_for_sale(sale=sale, amount=payment.amount, user=user)


def settle_store_credit(*, sale, payment, user) -> None:
    """Spend the customer's store credit; short of it, the sale is refused."""
    services.store_credit_spend_for_sale(sale=sale, amount=payment.amount, user=user)


def on_account_limit(*, customer, amount: Decimal) -> MethodLimit:
    """Return the credit still available, with what is owed, for the till to show."""
    account = account_for(customer=customer)
    outstanding = customer_outstanding(customer=customer)
    available = available_credit(account=account, outstanding=outstanding)
    if account.credit_limit == 0:
        owes = format_money(outstanding)
        detail = f"Owes {owes} · no credit account" if outstanding else "No credit account"
    else:
        detail = (
            f"Owes {format_money(outstanding)} · {format_money(available)} of "
            f"{format_money(account.credit_limit)} credit available"
        )
    return MethodLimit(max_amount=available, detail=detail)


def store_credit_limit(*, customer, amount: Decimal) -> MethodLimit:
    balance = account_for(customer=customer).store_credit
    return MethodLimit(max_amount=balance, detail=f"{format_money(balance)} available")


def account_warnings(customer) -> list[PickWarning]:
    """Return what the cashier should know before taking payment: over, at or near the
    credit limit, and overdue invoices. Two queries (``account_summary``)."""
    account = account_summary(customer=customer)
    owes, limit = format_money(account.outstanding), format_money(account.credit_limit)
    warnings = []
    if account.outstanding > account.credit_limit:
        warnings.append(
            PickWarning(
                level="warn",
                text=f"Over the credit limit: owes {owes} of a {limit} limit."
                if account.credit_limit
                else f"Owes {owes} and has no credit account.",
            )
        )
    elif account.credit_limit and account.outstanding >= account.credit_limit * NEAR_LIMIT_SHARE:
        left = format_money(account.available_credit)
        warnings.append(
            PickWarning(
                level="warn", text=f"Near the credit limit: owes {owes} of {limit}; {left} left."
            )
        )
    if account.overdue_invoices:
        count = account.overdue_invoices
        warnings.append(
            PickWarning(
                level="warn",
                text=f"{count} overdue invoice{'s' if count != 1 else ''}: "
                f"{format_money(account.overdue)} past due.",
            )
        )
    return warnings


def _invoice(sale):
    try:
        return sale.invoice
    except ObjectDoesNotExist:
        return None


def sale_invoice(sale) -> dict:
    """Return ``invoiceId`` and ``invoiceNumber`` of a sale (``null`` without one)."""
    invoice = _invoice(sale)
    return {
        "invoiceId": invoice.pk if invoice else None,
        "invoiceNumber": invoice.number if invoice else None,
    }


def sale_receipt_invoice(sale) -> list[tuple[str, str]]:
    invoice = _invoice(sale)
    if invoice is None:
        return []
    due = invoice.due_on
    return [("Invoice", invoice.number), ("Due", f"{due:%b} {due.day}, {due.year}")]


def connect() -> None:
    register_payment_method(
        PaymentMethodType(
            code=services.ON_ACCOUNT,
            label="On account",
            needs_customer=True,
            refunded_as=RefundedAs.IN_KIND,
            paid_later=True,
            settle=settle_on_account,
            limit=on_account_limit,
            order=40,
        )
    )
    register_payment_method(
        PaymentMethodType(
            code=services.STORE_CREDIT,
            label="Store credit",
            needs_customer=True,
            refunded_as=RefundedAs.IN_KIND,
            accepts_refunds=True,
            settle=settle_store_credit,
            limit=store_credit_limit,
            order=50,
        )
    )
    register_sale_facts(
        SaleFacts(
            name="accounting", api=sale_invoice, receipt=sale_receipt_invoice, prefetch=("invoice",)
        )
    )
    register_checkout_widget(
        CheckoutWidget(
            template_name="accounting/_checkout_account.html",
            script="accounting/checkout-account.js",
            order=20,
        )
    )
    register_pick_warnings(
        PickWarnings(name="accounting", warnings=account_warnings, permission=VIEW_CUSTOMER_ACCOUNT)
    )
