"""How accounting plugs into sales: the ``on_account`` and ``store_credit`` payment
methods, the invoice number on a sale's response and receipt, and the till's
"On account" / "Store credit" widget."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist

from accounting import services
from accounting.selectors import account_for, available_credit, customer_outstanding
from classicpos.money_format import format_money
from sales.extensions import (
    CheckoutWidget,
    MethodLimit,
    PaymentMethodType,
    RefundedAs,
    SaleFacts,
    register_checkout_widget,
    register_payment_method,
    register_sale_facts,
)


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
