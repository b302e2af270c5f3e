"""Staff pages of the till: checkout, receipts, the sales list and refunds."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, ListView

from classicpos.counts import AtLeast
from classicpos.money_format import format_money
from classicpos.reasons import REASON_MAX_LENGTH
from classicpos.views import (
    ForgivingPaginationMixin,
    StaffPageMixin,
    errors_by_field,
    query_without_page,
)
from customers import selectors as customer_selectors
from customers.forms import MAX_TAG_CHOICES, QuickAddCustomerForm
from customers.models import Customer, Tag
from customers.permissions import BLOCK_CUSTOMER
from sales import services
from sales.approvals import approval_pin_set, approver_for
from sales.extensions import checkout_widgets_for, payment_methods, sale_facts
from sales.forms import ApprovalPinForm, RefundForm, SaleListForm
from sales.models import ApprovalPin, SaleStatus
from sales.permissions import ADD_SALE, REFUND_SALE, VIEW_SALE
from sales.refund_quotes import refund_quote
from sales.selectors import sale_by_number, sale_detail_list, sale_list
from stores.devices import device_till
from stores.selectors import may_sell_at

SALES_PER_PAGE = 25


class CheckoutView(StaffPageMixin, FormView):
    """The till. Its numbers come from ``POST /api/sales/quote``; it computes none itself."""

    permission_required = ADD_SALE
    template_name = "sales/checkout.html"

    @cached_property
    def till(self):
        """The till this browser is (``stores.devices``); ``None`` until a Manager pairs it."""
        return device_till(self.request)

    def get(self, request, *args, **kwargs):
        if self.till is None:
            return render(request, "sales/till_not_paired.html")
        if not may_sell_at(request.user, self.till.store):
            context = {"till": self.till}
            return render(request, "sales/till_not_yours.html", context, status=403)
        return super().get(request, *args, **kwargs)

    def get_form(self, form_class=None):
        # The quick-add modal: the customer page's own form, under its own ids.
        return QuickAddCustomerForm(prefix="quick-add", auto_id="%s")

    def get_context_data(self, **kwargs):
        # Every method, flagged: the page offers those needing a customer once one is chosen.
        methods = [
            {"value": method.code, "label": method.label, "needsCustomer": method.needs_customer}
            for method in payment_methods()
        ]
        widgets = checkout_widgets_for(self.request.user)
        widget_context = {}
        for widget in widgets:
            if widget.context is not None:
                widget_context.update(widget.context(self.request))
        context = super().get_context_data(
            methods_json=json.dumps(methods),
            urls_json=json.dumps(till_urls()),
            till=self.till,
            # A search's count stops at the matches it looks at: "1,000+" past them.
            match_limit=customer_selectors.MATCH_LIMIT,
            match_limit_label=str(AtLeast(customer_selectors.MATCH_LIMIT)),
            # The picker narrows a search to one tag (a shop has a handful of them).
            customer_tags=list(Tag.objects.values_list("name", flat=True)[:MAX_TAG_CHOICES]),
            # A customer whose note blocks sales: a Manager is offered "Allow this sale".
            may_allow_blocked_sale=self.request.user.has_perm(BLOCK_CUSTOMER),
            reason_max_length=REASON_MAX_LENGTH,
            widgets=widgets,
            **widget_context,
            **kwargs,
        )
        context["quick_add_form"] = context["form"]
        return context


# A stand-in id, replaced by "{id}" in the addresses the till fills in.
_ANY_ID = 987654321


def till_urls() -> dict[str, str]:
    """The API addresses the till calls, from the URL conf: its JavaScript spells no path."""

    def one(name: str) -> str:
        return reverse(name, kwargs={"pk": _ANY_ID}).replace(str(_ANY_ID), "{id}")

    return {
        "quote": reverse("sale-quote"),
        "sales": reverse("sale-list"),
        "products": reverse("product-list"),
        "customers": reverse("customer-list"),
        "customerDuplicates": reverse("customer-duplicates"),
        "customer": one("customer-detail"),
        "customerRestore": one("customer-restore"),
    }


class SaleDetailView(StaffPageMixin, DetailView):
    """The receipt: printable, with a refund action for managers."""

    permission_required = VIEW_SALE
    template_name = "sales/sale_detail.html"
    context_object_name = "sale"

    def get_queryset(self):
        return sale_detail_list()

    def get_context_data(self, **kwargs):
        sale = self.object
        return super().get_context_data(
            facts=[line for extension in sale_facts() for line in extension.receipt(sale)],
            receipt_names_customer=settings.CLASSICPOS_RECEIPT_NAMES_CUSTOMER,
            receipt_sections=[
                (extension.receipt_template, section)
                for extension in sale_facts()
                if extension.receipt_template and (section := extension.receipt_context(sale))
            ],
            refund_form=RefundForm(
                sale=sale, needs_approval=not self.request.user.has_perm(REFUND_SALE)
            ),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("completed"):
            messages.success(request, "Sale recorded.")
            return redirect("sales:sale_detail", pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)


class SaleListView(StaffPageMixin, ForgivingPaginationMixin, ListView):
    permission_required = VIEW_SALE
    template_name = "sales/sale_list.html"
    context_object_name = "sales"
    paginate_by = SALES_PER_PAGE

    def get(self, request, *args, **kwargs):
        # A receipt's number leads straight to its sale; one that matches none says so.
        self.filter_form = SaleListForm(request.GET)
        number = self.filter_form.filters().number
        if number:
            sale = sale_by_number(text=number)
            if sale is not None:
                return redirect(sale)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return sale_list(filters=self.filter_form.filters(), with_details=False)

    def get_context_data(self, **kwargs):
        customer_id = self.filter_form.filters().customer_id
        without_customer = self.request.GET.copy()
        without_customer.pop("customer", None)
        without_customer.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form,
            filter_customer=Customer.objects.filter(pk=customer_id).first()
            if customer_id
            else None,
            query_without_customer=without_customer.urlencode(),
            statuses=SaleStatus.choices,
            query_without_page=query_without_page(self.request),
            **kwargs,
        )


class RefundPreviewView(StaffPageMixin, DetailView):
    """What the refund form's quantities are worth, asked by the form as they change (htmx)."""

    permission_required = ADD_SALE
    template_name = "sales/_refund_preview.html"
    context_object_name = "sale"

    def get_queryset(self):
        return sale_detail_list()

    def get_context_data(self, **kwargs):
        form = RefundForm(self.request.GET, sale=self.object)
        preview = None
        if form.is_valid():
            try:
                preview = refund_quote(sale=self.object, lines=form.refund_lines())
            except ValidationError as error:
                form.add_error(None, error.messages)
        return super().get_context_data(preview=preview, refund_form=form, **kwargs)


class RefundView(StaffPageMixin, FormView):
    """GET: the refund form (the no-JavaScript path). POST: refund the chosen quantities.

    Anyone at the till may start a refund; one without the refund permission (a
    Cashier) needs a Manager's approval, typed into the same form.
    """

    permission_required = ADD_SALE
    template_name = "sales/refund_form.html"

    @cached_property
    def sale(self):
        # Looked up on first use, after the login and permission checks: an anonymous
        # visitor learns nothing about which sales exist.
        return get_object_or_404(sale_detail_list(), pk=self.kwargs["pk"])

    def get_form(self, form_class=None):
        return RefundForm(
            **self.get_form_kwargs(),
            sale=self.sale,
            needs_approval=not self.request.user.has_perm(REFUND_SALE),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(sale=self.sale, **kwargs)
        context["refund_form"] = context["form"]
        return context

    def form_valid(self, form):
        sale = self.sale
        approved_by = None
        if form.needs_approval:
            try:
                approved_by = approver_for(
                    request=self.request,
                    username=form.cleaned_data["approver"],
                    secret=form.cleaned_data["approver_password"],
                    permission=REFUND_SALE,
                )
            except ValidationError as error:
                form.add_error(None, error)
                return self.form_invalid(form)
        try:
            refund = services.sale_refund(
                sale=sale,
                user=self.request.user,
                lines=form.refund_lines(),
                reason=form.cleaned_data["reason"],
                refund_to=form.cleaned_data["refund_to"],
                approved_by=approved_by,
            )
        except ValidationError as error:
            # Beside the field it is about ("Pay back as"), else above the form; the
            # approval is spent, so the Manager types it again with the corrected form.
            for field, field_messages in errors_by_field(error).items():
                form.add_error("refund_to" if field == "refundTo" else None, field_messages)
            return self.form_invalid(form)
        if refund.paid_back != refund.total:
            messages.success(
                self.request,
                f"Refunded {format_money(refund.total)} on {sale.number}: "
                f"pay back {format_money(refund.paid_back)}; "
                "the rest goes back the way it was paid.",
            )
        else:
            messages.success(
                self.request, f"Refunded {format_money(refund.total)} on {sale.number}."
            )
        return redirect(sale)


class ApprovalPinView(StaffPageMixin, FormView):
    """Where a Manager sets the PIN they approve refunds with at a till."""

    permission_required = REFUND_SALE
    template_name = "sales/approval_pin_form.html"
    form_class = ApprovalPinForm

    def get_context_data(self, **kwargs):
        has_pin = ApprovalPin.objects.filter(user=self.request.user).exists()
        return super().get_context_data(has_pin=has_pin, **kwargs)

    def form_valid(self, form):
        try:
            approval_pin_set(
                user=self.request.user,
                password=form.cleaned_data["password"],
                pin=form.cleaned_data["pin"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your approval PIN is set.")
        return redirect("sales:approval_pin")
