"""Django admin for customers: edits go through the services; nothing is hard-deleted."""

from django import forms
from django.contrib import admin, messages

from customers import services
from customers.models import (
    EDITABLE_FIELDS,
    Channel,
    Customer,
    CustomerEvent,
    CustomerPriorHistory,
    CustomerReference,
    Tag,
)
from customers.permissions import DEACTIVATE_CUSTOMER, TAG_CUSTOMER


def change_by(request) -> dict:
    """Return who changes a customer in the admin, as the services record it."""
    return {"actor": request.user, "channel": Channel.ADMIN}


class CustomerAdminForm(forms.ModelForm):
    """Single-line inputs for the short text fields (the table stores them as TEXT)."""

    class Meta:
        model = Customer
        fields = EDITABLE_FIELDS
        widgets = {
            "name": forms.TextInput(attrs={"size": 60}),
            "email": forms.EmailInput(attrs={"size": 60}),
            "phone": forms.TextInput(attrs={"size": 30}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "birthday": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.phone:
            # Shown as staff type and read it; the service stores E.164 again on save.
            self.initial["phone"] = self.instance.phone_display


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    form = CustomerAdminForm
    list_display = ["name", "email", "phone_display", "loyalty_points", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "email", "phone"]
    readonly_fields = [
        "loyalty_points",
        "status",
        "created_at",
        "updated_at",
        "ids_in_other_systems",
        "history_before_classicpos",
    ]
    ordering = ["name", "id"]
    actions = ["deactivate_selected", "restore_selected"]
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description="Ids in other systems")
    def ids_in_other_systems(self, customer: Customer) -> str:
        """What an import brought from the old system: matched first on a re-import."""
        references = CustomerReference.objects.filter(customer=customer).order_by("pk")
        return ", ".join(f"{item.reference} ({item.source})" for item in references) or "—"

    @admin.display(description="History before ClassicPOS")
    def history_before_classicpos(self, customer: Customer) -> str:
        history = CustomerPriorHistory.objects.filter(customer=customer).first()
        return str(history) if history else "—"

    @admin.display(description="Phone", ordering="phone")
    def phone_display(self, customer: Customer) -> str:
        return customer.phone_display

    def get_search_results(self, request, queryset, search_term):
        """Search as the staff pages and the API do: every word, phone by its digits.

        A term that is exactly a customer's id in the system they were imported
        from (a Shopify or Square id) finds them by it.
        """
        referenced = CustomerReference.objects.filter(reference=search_term.strip())
        if search_term.strip() and referenced.exists():
            return queryset.filter(pk__in=referenced.values("customer")), False
        return queryset.search(search_term), False

    def has_change_permission(self, request, obj=None) -> bool:
        # A merged duplicate or an anonymised customer is final: shown, never edited.
        if obj is not None and services.customer_is_closed(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A customer with history must never vanish: deactivate instead.
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.has_perm(TAG_CUSTOMER):
            form.base_fields.pop("tags", None)
        return form

    def save_model(self, request, obj, form, change):
        data = {
            field: form.cleaned_data.get(field)
            for field in EDITABLE_FIELDS
            if field in form.cleaned_data
        }
        if "tags" in data:
            data["tags"] = [tag.name for tag in data["tags"] or []]
        if change:
            # The form has already copied its values onto ``obj``: the service compares
            # them with the stored row, so it gets that row.
            stored = Customer.objects.get(pk=obj.pk)
            services.customer_update(customer=stored, data=data, **change_by(request))
        else:
            obj.pk = services.customer_create(**data, **change_by(request)).pk
            obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Tags were set by the service (with its event); the form must not set them again."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description="Deactivate selected customers", permissions=["deactivate"])
    def deactivate_selected(self, request, queryset):
        for customer in queryset:
            services.customer_deactivate(customer=customer, **change_by(request))
        self.message_user(request, f"Deactivated {queryset.count()} customer(s).", messages.SUCCESS)

    @admin.action(description="Restore selected customers", permissions=["deactivate"])
    def restore_selected(self, request, queryset):
        restored = 0
        for customer in queryset:
            if services.customer_is_closed(customer):
                continue
            services.customer_restore(customer=customer, **change_by(request))
            restored += 1
        self.message_user(request, f"Restored {restored} customer(s).", messages.SUCCESS)
        if restored < queryset.count():
            self.message_user(
                request,
                "Merged and anonymised customers stay as they are.",
                messages.WARNING,
            )

    def has_deactivate_permission(self, request) -> bool:
        return request.user.has_perm(DEACTIVATE_CUSTOMER)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Managers name the tags; putting them on customers happens on the customer."""

    list_display = ["name"]
    search_fields = ["name"]
    ordering = ["name"]


@admin.register(CustomerEvent)
class CustomerEventAdmin(admin.ModelAdmin):
    """The history, read-only: events are never edited or deleted."""

    list_display = ["at", "customer", "kind", "actor", "channel"]
    list_filter = ["kind", "channel"]
    list_select_related = ["customer", "actor"]
    raw_id_fields = ["customer"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
