"""A Manager's reversal of an invoice payment: a reversing entry, never an edit or a delete.

The payment stays in the ledger as it was recorded; an ``InvoicePaymentReversal``
row points at it and undoes what the payment did, in one transaction:

- the invoice owes the amount again (``amount_paid`` and the status follow);
- store credit the payment spent is given back through the store credit ledger;
- points the payment earned are taken back: ``sale_paid_later`` is sent again with
  the lower ``paid_so_far`` and the reversal's own reference, and loyalty writes
  the difference (``loyalty.services.points_award_for_later_payment``).

Locks follow ``accounting.locks``: the customer first, then the invoice.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from accounting.locks import invoice_for_update
from accounting.models import (
    Invoice,
    InvoicePayment,
    InvoicePaymentMethod,
    InvoicePaymentReversal,
    StoreCreditKind,
)
from accounting.permissions import REVERSE_PAYMENT
from accounting.services import (
    _account,
    _status,
    _tell_paid_later,
    _write_store_credit,
)
from classicpos.reasons import clean_reason
from customers.locks import customer_for_update


def payment_reversal_reference(reversal: InvoicePaymentReversal) -> str:
    """Return how ``sale_paid_later`` names this reversal (once, in the points ledger)."""
    return f"invoice-payment-reversal-{reversal.pk}"


def _refuse_reversal(*, payment: InvoicePayment, invoice: Invoice) -> None:
    """Raise why ``payment`` cannot be reversed, if it cannot (checked under the locks)."""
    reversal = InvoicePaymentReversal.objects.filter(payment=payment).first()
    if reversal is not None:
        day = format_date(timezone.localtime(reversal.created_at), "M j, Y")
        raise ValidationError(
            {"payment": [f"This payment of {payment.amount} was already reversed on {day}."]}
        )
    # A refund after the payment counted it as paid (what was paid went back as
    # store credit); undoing the payment now would leave that store credit unpaid for.
    if invoice.sale.refunds.filter(created_at__gte=payment.created_at).exists():
        raise ValidationError(
            {
                "payment": [
                    f"Sale {invoice.sale.number} was refunded after this payment, and the "
                    "refund counted it: the payment can no longer be reversed."
                ]
            }
        )


@transaction.atomic
def invoice_payment_reverse(
    *, payment: InvoicePayment, reason: str, user
) -> InvoicePaymentReversal:
    """Reverse ``payment`` (a Manager's decision, with a reason); refused a second time.

    The invoice owes the payment's amount again, which may take the customer past
    their credit limit: like a lowered limit, that stops new sales on account
    until they pay, and changes nothing else.
    """
    if not user.has_perm(REVERSE_PAYMENT):
        raise PermissionDenied("Only a Manager can reverse a payment.")
    reason = clean_reason(reason, missing="Say why the payment is reversed.")
    customer_id = Invoice.objects.values_list("customer_id", flat=True).get(pk=payment.invoice_id)
    customer = customer_for_update(customer_id)
    invoice = invoice_for_update(payment.invoice_id)
    payment = InvoicePayment.objects.get(pk=payment.pk)
    _refuse_reversal(payment=payment, invoice=invoice)
    reversal = InvoicePaymentReversal.objects.create(
        payment=payment, reason=reason, created_by=user
    )
    invoice.amount_paid -= payment.amount
    invoice.status = _status(invoice)
    invoice.save(update_fields=["amount_paid", "status", "updated_at"])
    if payment.method == InvoicePaymentMethod.STORE_CREDIT:
        _write_store_credit(
            customer=customer,
            account=_account(customer),
            kind=StoreCreditKind.PAYMENT_REVERSAL,
            amount=payment.amount,
            payment_reversal=reversal,
            reason=f"Payment of {invoice.number} reversed: {reason}",
            user=user,
        )
    else:
        _tell_paid_later(
            invoice, reference=payment_reversal_reference(reversal), user=user, reversal=True
        )
    return reversal
