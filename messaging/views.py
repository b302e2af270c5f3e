"""Messaging's pages: the Managers' outbox and the receipt page's "Email receipt" form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from classicpos.views import ForgivingPaginationMixin, StaffPageMixin
from customers.models import Channel, Customer
from messaging import services
from messaging.forms import EmailReceiptForm, MessageFilterForm
from messaging.integration import email_receipt_section
from messaging.masking import mask_email
from messaging.permissions import EMAIL_RECEIPT, VIEW_MESSAGE
from messaging.selectors import MessageFilters, message_list
from sales.permissions import VIEW_SALE
from sales.selectors import sale_list

MESSAGES_PER_PAGE = 25


class MessageListView(StaffPageMixin, ForgivingPaginationMixin, ListView):
    """Every message and what became of it, newest first; one customer's with ``?customer=``."""

    permission_required = VIEW_MESSAGE
    template_name = "messaging/message_list.html"
    context_object_name = "outbox"
    paginate_by = MESSAGES_PER_PAGE

    def get_queryset(self):
        self.filter_form = MessageFilterForm(self.request.GET)
        return message_list(filters=MessageFilters(customer_id=self.filter_form.customer_id()))

    def get_context_data(self, **kwargs):
        customer_id = self.filter_form.customer_id()
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_customer=Customer.objects.filter(pk=customer_id).first()
            if customer_id
            else None,
            query_without_page=f"{query.urlencode()}&" if query else "",
            **kwargs,
        )


class EmailReceiptView(StaffPageMixin, View):
    """``POST``: queue a sale's receipt to its customer's email or to the address typed."""

    permission_required = (EMAIL_RECEIPT, VIEW_SALE)

    def post(self, request, pk: int):
        sale = get_object_or_404(sale_list().select_related("customer"), pk=pk)
        form = EmailReceiptForm(request.POST)
        errors: list[str] = []
        sent_to = ""
        saved = False
        if form.is_valid():
            try:
                message = services.receipt_email(
                    sale=sale,
                    email=form.cleaned_data["email"] or None,
                    user=request.user,
                    save_to_customer=form.cleaned_data["save_to_customer"],
                    channel=Channel.PAGE,
                )
            except ValidationError as error:
                by_field = (
                    error.message_dict
                    if hasattr(error, "error_dict")
                    else {"email": error.messages}
                )
                errors = by_field.get("email", []) + by_field.get("save_to_customer", [])
                errors = errors or error.messages
            else:
                sent_to = mask_email(message.to)
                saved = form.cleaned_data["save_to_customer"]
        else:
            errors = form.errors.get("email", [])
        if not request.htmx:
            if errors:
                messages.error(request, " ".join(errors))
            else:
                saved_note = " The address is now the customer's email." if saved else ""
                messages.success(request, f"Receipt queued for {sent_to}.{saved_note}")
            return redirect(sale)
        context = {
            "section": email_receipt_section(sale),
            "email_errors": errors,
            "email_value": request.POST.get("email", "") if errors else None,
            "sent_to": sent_to,
            "saved": saved,
        }
        response = TemplateResponse(request, "messaging/_email_receipt.html", context)
        response["HX-Push-Url"] = "false"
        return response


class SendAgainView(StaffPageMixin, View):
    """``POST``: a Manager sends a failed message again; back to the Messages page."""

    permission_required = (VIEW_MESSAGE, EMAIL_RECEIPT)

    def post(self, request, pk: int):
        message = get_object_or_404(message_list(), pk=pk)
        try:
            queued = services.message_send_again(message=message, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Queued again for {mask_email(queued.to)}.")
        customer = f"?customer={message.customer_id}" if message.customer_id else ""
        return redirect(reverse("messaging:list") + customer)
