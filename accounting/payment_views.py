"""Staff pages that take money on an invoice or give it back: record a payment (asked,
then confirmed) and a Manager's reversal of one.

Recording is two steps, so a payment is never one mistaken click: the form asks for
the amount and how it was paid (nothing is suggested), the server answers with what
will happen ("Record $40.00 in cash on INV-S-000012; $60.00 will be left"), and only
the confirmation records it. From the invoice page and the customer page's dialog the
steps swap in place by htmx (``hx-select="#record-payment-form"``); without
JavaScript they are whole pages. Refusals are shown beside the field they concern.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView
from django_htmx.http import HttpResponseClientRedirect

from accounting import services
from accounting.forms import InvoicePaymentForm, PaymentReversalForm
from accounting.models import Invoice, InvoicePayment, InvoicePaymentMethod
from accounting.permissions import RECORD_PAYMENT, REVERSE_PAYMENT
from accounting.reversals import invoice_payment_reverse
from accounting.selectors import account_for
from classicpos.money_format import format_money
from classicpos.redirects import safe_next
from classicpos.views import StaffPageMixin
from stores.devices import device_till

# How each method reads in "Record $40.00 in cash on INV-S-000012".
PAID_HOW = {
    InvoicePaymentMethod.CASH: "in cash",
    InvoicePaymentMethod.CARD: "by card",
    InvoicePaymentMethod.BANK_TRANSFER: "by bank transfer",
    InvoicePaymentMethod.STORE_CREDIT: "from store credit",
}


def payment_confirmation(preview: services.PaymentPreview) -> str:
    """Return the sentence that asks to confirm a payment: what it records and what is left."""
    left = (
        f"{format_money(preview.balance_after)} will be left"
        if preview.balance_after
        else "it will be paid in full"
    )
    return (
        f"Record {format_money(preview.amount)} {PAID_HOW[preview.method]} "
        f"on {preview.invoice.number}; {left}."
    )


def _respond_done(request, target: str):
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


class InvoicePaymentView(StaffPageMixin, FormView):
    """``GET``: the payment form; ``POST``: check it and ask to confirm, or record it."""

    permission_required = RECORD_PAYMENT
    form_class = InvoicePaymentForm
    template_name = "accounting/invoice_payment_form.html"

    @cached_property
    def invoice(self) -> Invoice:
        # Looked up on first use, after the login and permission checks of dispatch():
        # a visitor learns nothing about which ids exist.
        return get_object_or_404(Invoice.objects.select_related("customer"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["store_credit"] = account_for(customer=self.invoice.customer).store_credit
        if self.request.method == "POST" and self.request.POST.get("change"):
            # "Change" goes back to the filled-in form, unchecked.
            kwargs["initial"] = self.request.POST.dict()
            kwargs.pop("data", None)
            kwargs.pop("files", None)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            invoice=self.invoice,
            next_url=safe_next(self.request, ""),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if not data["confirmed"]:
                preview = services.invoice_payment_preview(
                    invoice=self.invoice,
                    amount=data["amount"],
                    method=data["method"],
                    reference=data["reference"],
                )
                return self.render_to_response(
                    self.get_context_data(
                        form=form, preview=preview, confirmation=payment_confirmation(preview)
                    )
                )
            payment = services.invoice_record_payment(
                invoice=self.invoice,
                amount=data["amount"],
                method=data["method"],
                reference=data["reference"],
                user=self.request.user,
                till=device_till(self.request),
            )
        except ValidationError as error:
            # Back to the form, the message beside its field, what was typed kept.
            form.add_error(None, error)
            return self.form_invalid(form)
        invoice = self.invoice
        outcome = (
            f"{format_money(invoice.balance)} still to pay."
            if invoice.balance
            else "it is paid in full."
        )
        messages.success(
            self.request,
            f"Recorded {format_money(payment.amount)} {PAID_HOW[payment.method]} "
            f"on {invoice.number}; {outcome}",
        )
        return _respond_done(self.request, safe_next(self.request, invoice.get_absolute_url()))


class PaymentReversalView(StaffPageMixin, FormView):
    """A Manager reverses one payment: the page says what will happen and asks why."""

    permission_required = REVERSE_PAYMENT
    form_class = PaymentReversalForm
    template_name = "accounting/invoice_payment_reversal.html"

    @cached_property
    def payment(self) -> InvoicePayment:
        # After dispatch()'s checks, as above; the payment must be the invoice's own.
        invoice = get_object_or_404(
            Invoice.objects.select_related("customer"), pk=self.kwargs["pk"]
        )
        payment = get_object_or_404(
            InvoicePayment.objects.select_related("created_by"),
            pk=self.kwargs["payment_pk"],
            invoice=invoice,
        )
        payment.invoice = invoice
        return payment

    def get_context_data(self, **kwargs):
        payment = self.payment
        invoice = payment.invoice
        return super().get_context_data(
            payment=payment,
            invoice=invoice,
            already_reversed=hasattr(payment, "reversal"),
            owes_after=invoice.balance + payment.amount,
            gives_back_store_credit=payment.method == InvoicePaymentMethod.STORE_CREDIT,
            **kwargs,
        )

    def form_valid(self, form):
        payment = self.payment
        try:
            invoice_payment_reverse(
                payment=payment, reason=form.cleaned_data["reason"], user=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages if "payment" in error.message_dict else error)
            return self.form_invalid(form)
        invoice = payment.invoice
        invoice.refresh_from_db()
        messages.success(
            self.request,
            f"Reversed the payment of {format_money(payment.amount)} on {invoice.number}; "
            f"it owes {format_money(invoice.balance)}.",
        )
        return redirect(invoice)
