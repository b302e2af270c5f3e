"""Staff pages of accounting: invoices, an invoice with its payments, the statement of
account, and the customer page's forms (credit limit, store credit). Recording and
reversing payments: ``accounting.payment_views``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_htmx.http import HttpResponseClientRedirect

from accounting import services
from accounting.forms import (
    CreditLimitForm,
    InvoiceListForm,
    InvoicePaymentForm,
    StatementForm,
    StoreCreditAdjustmentForm,
)
from accounting.models import Invoice
from accounting.panels import CREDIT_LIMIT_AUTO_ID, account_panel_context
from accounting.permissions import (
    ADJUST_STORE_CREDIT,
    CHANGE_CUSTOMER_ACCOUNT,
    RECORD_PAYMENT,
    REVERSE_PAYMENT,
    VIEW_INVOICE,
)
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
from classicpos.views import StaffPageMixin, query_without_page
from customers.models import Customer
from stores.devices import device_till

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

    permission_required = VIEW_INVOICE
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

    permission_required = VIEW_INVOICE
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
        payments = invoice.payments.all()
        return super().get_context_data(
            # Nothing suggested: the cashier types what was paid and says how.
            payment_form=InvoicePaymentForm(store_credit=store_credit),
            can_record_payment=self.request.user.has_perm(RECORD_PAYMENT),
            can_reverse=self.request.user.has_perm(REVERSE_PAYMENT),
            reversals=[p.reversal for p in payments if hasattr(p, "reversal")],
            **kwargs,
        )


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
    """From the dialog (htmx) a refused limit comes back as the same form, what was typed
    kept and the message beside the field, as loyalty's points dialog does; a saved one
    reloads the customer page. Without JavaScript every outcome is a toast there."""

    permission_required = CHANGE_CUSTOMER_ACCOUNT
    form_class = CreditLimitForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": CREDIT_LIMIT_AUTO_ID}

    def form_invalid(self, form):
        if not self.request.htmx:
            return super().form_invalid(form)
        # The dialog picks its form out of the panel (hx-select) and swaps it in place.
        context = account_panel_context(self.customer, self.request)
        context.update(customer=self.customer, credit_limit_form=form)
        return TemplateResponse(self.request, "accounting/_account_panel.html", context)

    def form_valid(self, form):
        try:
            message = self.save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        if self.request.htmx:
            return HttpResponseClientRedirect(self.customer.get_absolute_url())
        return redirect(self.customer)

    def save(self, data) -> str:
        account = services.account_set_credit_limit(
            customer=self.customer, credit_limit=data["credit_limit"], user=self.request.user
        )
        return f"{self.customer.name}'s credit limit is now {format_money(account.credit_limit)}."


class StoreCreditAdjustView(CustomerFormView):
    permission_required = ADJUST_STORE_CREDIT
    form_class = StoreCreditAdjustmentForm

    def save(self, data) -> str:
        entry = services.store_credit_adjust(
            customer=self.customer,
            amount=data["amount"],
            reason=data["reason"],
            user=self.request.user,
            till=device_till(self.request),
        )
        return (
            f"Adjusted {self.customer.name}'s store credit by {entry.amount:+}; "
            f"balance {format_money(entry.balance_after)}."
        )


class StatementView(StaffPageMixin, TemplateView):
    """The printable statement of account for a date range, with a running balance."""

    permission_required = VIEW_INVOICE
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
