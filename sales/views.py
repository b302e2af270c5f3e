"""Staff pages of the till: checkout, receipts, the sales list and refunds."""

import json
from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView

from classicpos.views import StaffPageMixin
from sales import services
from sales.extensions import payment_handler, sale_facts
from sales.models import PaymentMethod, Sale, SaleStatus
from sales.selectors import SaleFilters, sale_detail, sale_list


def enabled_payment_methods() -> list[dict]:
    """Return the methods the till offers: cash, card and those a module settles."""
    return [
        {"value": method.value, "label": method.label}
        for method in PaymentMethod
        if method in (PaymentMethod.CASH, PaymentMethod.CARD) or payment_handler(method.value)
    ]


class CheckoutView(StaffPageMixin, TemplateView):
    permission_required = "sales.add_sale"
    template_name = "sales/checkout.html"

    def get_context_data(self, **kwargs):
        methods = enabled_payment_methods()
        return super().get_context_data(
            tax_rate=str(settings.CLASSICPOS_TAX_RATE),
            methods_json=json.dumps(methods),
            points_enabled=any(method["value"] == "points" for method in methods),
            **kwargs,
        )


class SaleDetailView(StaffPageMixin, TemplateView):
    """The receipt: printable, with a refund action for managers."""

    permission_required = "sales.view_sale"
    template_name = "sales/sale_detail.html"

    def get_context_data(self, **kwargs):
        sale = get_object_or_404(sale_list(), pk=self.kwargs["pk"])
        sale = sale_detail(sale_id=sale.pk)
        facts = [line for extension in sale_facts() for line in extension.receipt(sale)]
        return super().get_context_data(
            sale=sale,
            facts=facts,
            refundable_lines=[line for line in sale.lines.all() if line.refundable_quantity],
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("completed"):
            messages.success(request, "Sale recorded.")
            return redirect("sales:sale_detail", pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)


def _parse_day(value: str, end: bool = False):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


class SaleListView(StaffPageMixin, TemplateView):
    permission_required = "sales.view_sale"
    template_name = "sales/sale_list.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        customer = params.get("customer", "")
        status = params.get("status", "")
        filters = SaleFilters(
            customer_id=int(customer) if customer.isdigit() else None,
            status=status if status in SaleStatus.values else None,
            created_after=_parse_day(params.get("from")),
            created_before=_parse_day(params.get("to"), end=True),
        )
        page = Paginator(sale_list(filters=filters, with_details=False), 25).get_page(
            params.get("page")
        )
        query = params.copy()
        query.pop("page", None)
        return super().get_context_data(
            sales=page.object_list,
            page_obj=page,
            query_without_page=f"{query.urlencode()}&" if query else "",
            statuses=SaleStatus.choices,
            filters={
                "status": status,
                "from": params.get("from"),
                "to": params.get("to"),
                "customer": customer,
            },
            **kwargs,
        )


class RefundView(StaffPageMixin, TemplateView):
    """GET: the refund form (the no-JavaScript path). POST: refund the chosen quantities."""

    permission_required = "sales.refund_sale"
    template_name = "sales/refund_form.html"

    def get_context_data(self, **kwargs):
        sale = sale_detail(sale_id=get_object_or_404(Sale, pk=self.kwargs["pk"]).pk)
        return super().get_context_data(
            sale=sale,
            refundable_lines=[line for line in sale.lines.all() if line.refundable_quantity],
            **kwargs,
        )

    def post(self, request, pk):
        sale = get_object_or_404(Sale, pk=pk)
        lines = []
        for line in sale.lines.all():
            raw = request.POST.get(f"line-{line.pk}", "0").strip() or "0"
            quantity = int(raw) if raw.lstrip("-").isdigit() else -1
            if quantity:
                lines.append(services.RefundLineInput(sale_line_id=line.pk, quantity=quantity))
        if not lines:
            messages.warning(request, "Choose at least one item to refund.")
            return redirect(sale)
        try:
            refund = services.sale_refund(
                sale=sale, user=request.user, lines=lines, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(sale)
        if refund.paid_back != refund.total:
            messages.success(
                request,
                f"Refunded {refund.total} on {sale.number}: pay back {refund.paid_back}; "
                "the rest returns to the customer as points.",
            )
        else:
            messages.success(request, f"Refunded {refund.total} on {sale.number}.")
        return redirect(sale)
