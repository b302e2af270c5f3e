"""Admin: stores and tills are written through the services; neither is ever deleted."""

from django.contrib import admin

from stores import services
from stores.models import Store, Till


class TillInline(admin.TabularInline):
    model = Till
    extra = 0
    fields = ["name", "active"]
    can_delete = False


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "address", "tax_rate", "time_zone"]
    search_fields = ["code", "name"]
    filter_horizontal = ["staff"]
    inlines = [TillInline]

    def get_readonly_fields(self, request, obj=None):
        # The code is printed on the store's receipts.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = {
            field: form.cleaned_data[field]
            for field in services.STORE_FIELDS
            if field in form.cleaned_data
        }
        if change:
            services.store_update(store=obj, data=data)
        else:
            obj.pk = services.store_create(**data).pk
            obj.refresh_from_db()


@admin.register(Till)
class TillAdmin(admin.ModelAdmin):
    list_display = ["name", "store", "active"]
    list_filter = ["store", "active"]
    list_select_related = ["store"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in ("store", "name", "active")}
        if change:
            services.till_update(till=obj, data=data)
        else:
            obj.pk = services.till_create(**data).pk
            obj.refresh_from_db()
