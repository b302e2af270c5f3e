"""CRM page forms: they collect input; the services validate it and decide who may do what."""

from django import forms
from django.contrib.auth import get_user_model

from crm.models import (
    BODY_MAX_LENGTH,
    COMPANY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    ActivityKind,
    LeadSource,
    LeadStatus,
)
from crm.permissions import MARK_LEAD_LOST, REASSIGN_LEAD
from crm.selectors import ContactKind, LeadListStatus
from customers.validators import NAME_MAX_LENGTH

PAGE_SIZE = 25


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def staff_users():
    """Return who may own a lead: shop staff, as ``classicpos.permissions.is_shop_staff`` says."""
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")


class LeadForm(forms.Form):
    """Add and edit share this form. Text is checked by the lead service, with the customer
    module's messages; a Cashier is not offered "lost" nor other owners, and the service
    refuses them if sent anyway."""

    name = forms.CharField(
        required=False,
        strip=False,
        help_text="Required. Up to 200 characters.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autofocus": True,
                "required": True,
                "aria-required": "true",
                "maxlength": NAME_MAX_LENGTH,
            }
        ),
    )
    company = forms.CharField(
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": COMPANY_MAX_LENGTH}),
    )
    email = forms.CharField(
        required=False,
        strip=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    phone = forms.CharField(
        required=False,
        strip=False,
        help_text="Any format: 555-201-0123, (415) 555 2671 or +44 20 7946 0958.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "type": "tel"}),
    )
    source = forms.ChoiceField(choices=LeadSource.choices, initial=LeadSource.WALK_IN)
    status = forms.ChoiceField(
        choices=[choice for choice in LeadStatus.choices if choice[0] != LeadStatus.CONVERTED],
        initial=LeadStatus.NEW,
    )
    owner = StaffChoiceField(queryset=staff_users(), required=False, empty_label="Nobody yet")
    notes = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()
        self.can_reassign = user.has_perm(REASSIGN_LEAD)
        self.can_mark_lost = user.has_perm(MARK_LEAD_LOST)
        if not self.can_reassign:
            # Sent back as it was; a changed value still reaches the service, which refuses it.
            self.fields["owner"].widget = forms.HiddenInput()
        if not self.can_mark_lost:
            if lead is not None and lead.status == LeadStatus.LOST:
                self.fields["status"].widget = forms.HiddenInput()
            else:
                self.fields["status"].widget.choices = [
                    choice for choice in self.fields["status"].choices if choice[0] != "lost"
                ]


class LeadListForm(forms.Form):
    """The lead list's search and filters, read from the query string."""

    search = forms.CharField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "All"), *LeadListStatus.choices])
    owner = forms.ChoiceField(
        required=False, choices=[("", "Everyone"), ("me", "Mine")], label="Owner"
    )

    def values(self) -> dict:
        """Return cleaned values with defaults; bad values fall back instead of failing."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": (data.get("search") or "").strip(),
            "status": data.get("status") or "",
            "owner": data.get("owner") or "",
        }


class ContactListForm(forms.Form):
    search = forms.CharField(required=False)
    kind = forms.ChoiceField(required=False, choices=ContactKind.choices)

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": (data.get("search") or "").strip(),
            "kind": data.get("kind") or ContactKind.ALL,
        }


class ActivityForm(forms.Form):
    """Log a note, call, email, meeting or task; the activity service checks the rules."""

    kind = forms.ChoiceField(
        choices=ActivityKind.choices, initial=ActivityKind.NOTE, widget=forms.RadioSelect
    )
    subject = forms.CharField(
        required=False,
        strip=False,
        label="Subject",
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX_LENGTH, "autocomplete": "off"}),
    )
    body = forms.CharField(
        required=False,
        strip=False,
        label="Details",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": BODY_MAX_LENGTH}),
    )
    due_on = forms.DateField(
        required=False, label="Due on", widget=forms.DateInput(attrs={"type": "date"})
    )


class TaskListForm(forms.Form):
    who = forms.ChoiceField(required=False, choices=[("me", "Mine"), ("all", "Everyone's")])

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"who": data.get("who") or "me"}
