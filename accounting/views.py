"""Staff pages of accounting: invoices, an invoice with its payments, the statement of
account, and the customer page's forms (record a payment, credit limit, store credit)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounting import services
from accounting.forms import (
    CreditLimitForm,
    InvoiceListForm,
    InvoicePaymentForm,
    StatementForm,
    StoreCreditAdjustmentForm,
)
from accounting.models import Invoice, InvoicePaymentMethod
from accounting.selectors import (
    account_for,
    account_summary,
    customer_statement,
    default_statement_period,
    invoice_detail,
    invoice_list,
    invoice_totals,
)
from classicpos.money_format import format_money
from classicpos.redirects import safe_next
from classicpos.views import StaffPageMixin, query_without_page
from customers.models import Customer

INVOICES_PER_PAGE = 25


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_error_messages(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


class InvoiceListView(StaffPageMixin, ListView):
    """Every invoice, filtered by status, overdue, customer and issue dates, with totals."""

    permission_required = "accounting.view_invoice"
    template_name = "accounting/invoice_list.html"
    context_object_name = "invoices"
    paginate_by = INVOICES_PER_PAGE

    def get_queryset(self):
        self.filter_form = InvoiceListForm(self.request.GET)
        self.filters = self.filter_form.filters()
        invoices = invoice_list(filters=self.filters, with_payments=False)
        self.totals = invoice_totals(invoices)
        return invoices

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # The totals query has counted the invoices already; no second COUNT(*).
        paginator.__dict__["count"] = self.totals.count
        return paginator

    def get_context_data(self, **kwargs):
        customer = None
        if self.filters.customer_id is not None:
            customer = Customer.objects.filter(pk=self.filters.customer_id).first()
        return super().get_context_data(
            filter_form=self.filter_form,
            filter_customer=customer,
            totals=self.totals,
            query_without_page=query_without_page(self.request),
            **kwargs,
        )


class InvoiceDetailView(StaffPageMixin, DetailView):
    """One invoice, printable, with its payments and refund credits."""

    permission_required = "accounting.view_invoice"
    template_name = "accounting/invoice_detail.html"
    context_object_name = "invoice"

    def get_object(self, queryset=None):
        try:
            return invoice_detail(pk=self.kwargs["pk"])
        except Invoice.DoesNotExist:
            raise Http404("There is no such invoice.") from None

    def get_context_data(self, **kwargs):
        invoice = self.object
        store_credit = account_for(customer=invoice.customer).store_credit
        return super().get_context_data(
            payment_form=InvoicePaymentForm(
                initial={"amount": invoice.balance}, store_credit=store_credit
            ),
            can_record_payment=self.request.user.has_perm("accounting.add_invoicepayment"),
            **kwargs,
        )


class InvoicePaymentView(StaffPageMixin, FormView):
    """POST only: record a payment from the invoice page or the customer page's modal."""

    permission_required = "accounting.add_invoicepayment"
    form_class = InvoicePaymentForm
    http_method_names = ["post"]

    @cached_property
    def invoice(self) -> Invoice:
        # Looked up on first use, after the login and permission checks of dispatch():
        # a visitor learns nothing about which ids exist.
        return get_object_or_404(Invoice.objects.select_related("customer"), pk=self.kwargs["pk"])

    def _back(self, form):
        return redirect(safe_next(self.request, self.invoice.get_absolute_url()))

    def form_invalid(self, form):
        _form_error_messages(self.request, form)
        return self._back(form)

    def form_valid(self, form):
        invoice = self.invoice
        try:
            payment = services.invoice_record_payment(
                invoice=invoice,
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
                user=self.request.user,
            )
        except ValidationError as error:
            _error_messages(self.request, error)
            return self._back(form)
        method = InvoicePaymentMethod(payment.method).label.lower()
        outcome = (
            f"{format_money(invoice.balance)} still to pay."
            if invoice.balance
            else "it is paid in full."
        )
        messages.success(
            self.request,
            f"Recorded {format_money(payment.amount)} by {method} on {invoice.number}; {outcome}",
        )
        return self._back(form)


class CustomerFormView(StaffPageMixin, FormView):
    """POST only: a form from the customer page's Account panel; the outcome is a toast."""

    http_method_names = ["post"]

    @cached_property
    def customer(self) -> Customer:
        # Looked up on first use, after the login and permission checks of dispatch():
        # a visitor learns nothing about which ids exist.
        return get_object_or_404(Customer, pk=self.kwargs["pk"])

    def form_invalid(self, form):
        _form_error_messages(self.request, form)
        return redirect(self.customer)

    def form_valid(self, form):
        try:
            message = self.save(form.cleaned_data)
        except ValidationError as error:
            _error_messages(self.request, error)
        else:
            messages.success(self.request, message)
        return redirect(self.customer)


class CreditLimitView(CustomerFormView):
    permission_required = "accounting.change_customeraccount"
    form_class = CreditLimitForm

    def save(self, data) -> str:
        account = services.account_set_credit_limit(
            customer=self.customer, credit_limit=data["credit_limit"], user=self.request.user
        )
        return f"{self.customer.name}'s credit limit is now {account.credit_limit}."


class StoreCreditAdjustView(CustomerFormView):
    permission_required = "accounting.adjust_store_credit"
    form_class = StoreCreditAdjustmentForm

    def save(self, data) -> str:
        entry = services.store_credit_adjust(
            customer=self.customer,
            amount=data["amount"],
            reason=data["reason"],
            user=self.request.user,
        )
        return (
            f"Adjusted {self.customer.name}'s store credit by {entry.amount:+}; "
            f"balance {format_money(entry.balance_after)}."
        )


class StatementView(StaffPageMixin, TemplateView):
    """The printable statement of account for a date range, with a running balance."""

    permission_required = "accounting.view_invoice"
    template_name = "accounting/statement.html"

    def get_context_data(self, **kwargs):
        customer = get_object_or_404(Customer, pk=self.kwargs["pk"])
        form = StatementForm(self.request.GET)
        if form.is_valid():
            start, end = form.period()
        else:
            start, end = default_statement_period(start=None, end=None)
        return super().get_context_data(
            customer=customer,
            form=form,
            statement=customer_statement(customer=customer, start=start, end=end),
            account=account_summary(customer=customer),
            **kwargs,
        )
