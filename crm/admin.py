"""Django admin for leads and activities: writes go through the CRM services; nothing is deleted."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from crm import services
from crm.models import Activity, Lead, LeadStatus
from crm.permissions import CONVERT_LEAD
from customers.models import Channel


class LeadAdminForm(forms.ModelForm):
    """The model checks the fields; the service's role check runs here so a refusal shows
    beside its field instead of as an error page."""

    request = None  # set by LeadAdmin.get_form

    class Meta:
        model = Lead
        fields = ["name", "email", "phone", "company", "source", "status", "owner", "notes"]
        widgets = {
            "name": forms.TextInput(attrs={"size": 60}),
            "email": forms.EmailInput(attrs={"size": 60}),
            "phone": forms.TextInput(attrs={"size": 30}),
            "company": forms.TextInput(attrs={"size": 60}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned_data = super().clean()
        lead = self.instance if self.instance.pk else None
        changes = {
            field: cleaned_data[field] for field in ("owner", "status") if field in cleaned_data
        }
        if lead is None and changes.get("owner") is None:
            changes["owner"] = self.request.user
        try:
            services.check_lead_change(user=self.request.user, lead=lead, data=changes)
        except services.CrmPermissionDenied as refusal:
            self.add_error(refusal.field, refusal.message)
        return cleaned_data


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    form = LeadAdminForm
    list_display = ["name", "company", "email", "phone_display", "status", "source", "owner"]
    list_filter = ["status", "source", "owner", "created_at"]
    search_fields = ["name", "company", "email", "phone"]
    list_select_related = ["owner"]
    readonly_fields = ["customer", "converted_at", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]
    actions = ["convert_selected"]
    list_per_page = 50

    @admin.display(description="Phone")
    def phone_display(self, lead: Lead) -> str:
        return lead.phone_display

    def has_delete_permission(self, request, obj=None) -> bool:
        # A lead that goes nowhere is marked lost, never erased.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A converted lead is its customer now: shown, no longer edited.
        if obj is not None and obj.is_converted:
            return False
        return super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in LeadAdminForm.Meta.fields}
        if change:
            services.lead_update(lead=obj, user=request.user, data=data)
        else:
            if data["owner"] is None:
                data["owner"] = request.user
            obj.pk = services.lead_create(user=request.user, **data).pk
        obj.refresh_from_db()

    @admin.action(description="Convert selected leads to customers", permissions=["convert"])
    def convert_selected(self, request, queryset):
        linked = created = 0
        for lead in queryset.exclude(status=LeadStatus.CONVERTED):
            try:
                result = services.lead_convert(lead=lead, user=request.user, channel=Channel.ADMIN)
            except ValidationError as error:
                self.message_user(request, f"{lead.name}: {error.messages[0]}", messages.ERROR)
                continue
            created += result.created
            linked += not result.created
        self.message_user(
            request,
            f"Converted {created + linked} lead(s): {created} new customer(s), "
            f"{linked} linked to existing ones.",
            messages.SUCCESS,
        )

    def has_convert_permission(self, request) -> bool:
        return request.user.has_perm(CONVERT_LEAD)


class ActivityAdminForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "subject", "body", "customer", "lead", "due_on", "done"]
        widgets = {"subject": forms.TextInput(attrs={"size": 60})}


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = ActivityAdminForm
    list_display = ["subject", "kind", "customer", "lead", "due_on", "done", "author", "created_at"]
    list_filter = ["kind", "done", "due_on", "created_at"]
    search_fields = ["subject", "body", "customer__name", "lead__name"]
    list_select_related = ["customer", "lead", "author"]
    autocomplete_fields = ["customer", "lead"]
    readonly_fields = ["moved_from_lead", "author", "completed_at", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]
    list_per_page = 50

    def has_delete_permission(self, request, obj=None) -> bool:
        # Activities are a contact's history.
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # Which contact and what kind are facts of the past; the rest may be corrected.
            return ["kind", "customer", "lead", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            editable = {field: data[field] for field in services.ACTIVITY_EDITABLE_FIELDS}
            services.activity_update(activity=obj, data=editable)
        else:
            obj.pk = services.activity_create(
                author=request.user,
                kind=data["kind"],
                subject=data["subject"],
                body=data.get("body") or "",
                customer=data.get("customer"),
                lead=data.get("lead"),
                due_on=data.get("due_on"),
            ).pk
        obj.refresh_from_db()
