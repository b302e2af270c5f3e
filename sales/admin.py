"""Admin: products are edited through the services; sales are read-only history."""

from django.contrib import admin

from classicpos.admin import ReadOnlyAdminMixin
from sales import services
from sales.models import Payment, Product, Refund, Sale, SaleLine


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "barcode", "name", "price", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["sku", "barcode", "name"]
    ordering = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Sold products stay for the receipts; untick "active" to stop selling one.
        return False

    def save_model(self, request, obj, form, change):
        data = {
            field: form.cleaned_data[field]
            for field in ("sku", "barcode", "name", "price", "active")
        }
        if change:
            services.product_update(product=obj, data=data)
        else:
            obj.pk = services.product_create(**data).pk
            obj.refresh_from_db()


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class SaleLineInline(ReadOnlyInline):
    model = SaleLine
    fields = ["sku", "name", "unit_price", "quantity", "line_total", "refunded_quantity"]


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["method", "amount"]


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ["total", "reason", "created_by", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "created_at",
        "store",
        "till",
        "customer",
        "cashier",
        "status",
        "total",
    ]
    list_filter = ["store", "status", "created_at"]
    search_fields = ["number", "customer__name"]
    list_select_related = ["customer", "cashier", "store", "till"]
    date_hierarchy = "created_at"
    inlines = [SaleLineInline, PaymentInline, RefundInline]
    show_full_result_count = False
