"""Admin: invoices (money read-only, only the due date editable), payments and their
reversals, credits, accounts (the credit limit through the service) and the store credit
ledger, read-only."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from accounting import services
from accounting.models import (
    CustomerAccount,
    Invoice,
    InvoiceCredit,
    InvoicePayment,
    InvoicePaymentReversal,
    StoreCreditEntry,
)
from classicpos.admin import ReadOnlyAdminMixin


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class InvoicePaymentInline(ReadOnlyInline):
    model = InvoicePayment
    fields = ["created_at", "method", "amount", "reference", "created_by"]
    readonly_fields = ["created_at"]


class InvoiceCreditInline(ReadOnlyInline):
    model = InvoiceCredit
    fields = ["created_at", "refund", "amount"]
    readonly_fields = ["created_at"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "issued_on", "due_on", "customer", "status", "total", "amount_paid"]
    list_filter = ["status", "issued_on", "due_on"]
    search_fields = ["number", "customer__name", "sale__number"]
    list_select_related = ["customer"]
    date_hierarchy = "issued_on"
    show_full_result_count = False
    fields = [
        "number",
        "customer",
        "sale",
        "issued_on",
        "due_on",
        "total",
        "amount_paid",
        "amount_credited",
        "status",
    ]
    readonly_fields = [
        "number",
        "customer",
        "sale",
        "issued_on",
        "total",
        "amount_paid",
        "amount_credited",
        "status",
    ]
    inlines = [InvoicePaymentInline, InvoiceCreditInline]

    def has_add_permission(self, request) -> bool:
        # Invoices come from sales on account at the till, never from a blank form.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.invoice_set_due_date(invoice=obj, due_on=form.cleaned_data["due_on"])
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level="error")


@admin.register(InvoicePayment)
class InvoicePaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "invoice", "method", "amount", "reference", "created_by"]
    list_filter = ["method", "created_at"]
    search_fields = ["invoice__number", "invoice__customer__name", "reference"]
    list_select_related = ["invoice", "created_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(InvoicePaymentReversal)
class InvoicePaymentReversalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reversals are made from the invoice page (a Manager, with a reason), never here."""

    list_display = ["created_at", "payment", "reason", "created_by"]
    search_fields = ["payment__invoice__number", "payment__invoice__customer__name", "reason"]
    list_select_related = ["payment__invoice", "created_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(CustomerAccount)
class CustomerAccountAdmin(admin.ModelAdmin):
    list_display = ["customer", "credit_limit", "store_credit", "updated_at"]
    search_fields = ["customer__name", "customer__email"]
    list_select_related = ["customer"]
    fields = ["customer", "credit_limit", "store_credit", "updated_at"]
    readonly_fields = ["customer", "store_credit", "updated_at"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        # An account is created on first use (a sale on account, a credit limit).
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        services.account_set_credit_limit(
            customer=obj.customer, credit_limit=form.cleaned_data["credit_limit"], user=request.user
        )


@admin.register(StoreCreditEntry)
class StoreCreditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "customer", "kind", "amount", "balance_after", "reason"]
    list_filter = ["kind", "created_at"]
    search_fields = ["customer__name", "reason"]
    list_select_related = ["customer"]
    date_hierarchy = "created_at"
    show_full_result_count = False
