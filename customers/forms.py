"""Customer page forms: they collect input; the services validate and save it."""

from django import forms

from customers.selectors import ORDERING_FIELDS, STATUS_CHOICES
from customers.validators import ADDRESS_MAX_LENGTH, NAME_MAX_LENGTH

PAGE_SIZES = (10, 25, 50, 100)


class CustomerForm(forms.Form):
    """Add and edit share this form. It only collects text: the customer service checks
    every rule at once, so the page shows the same messages as the API and the admin."""

    name = forms.CharField(
        required=False,
        strip=False,
        help_text="Required. Up to 200 characters.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "name",
                "autofocus": True,
                "required": True,
                "aria-required": "true",
                "maxlength": NAME_MAX_LENGTH,
            }
        ),
    )
    email = forms.CharField(
        required=False,
        strip=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        required=False,
        strip=False,
        help_text="Any format: 555-201-0123, (415) 555 2671 or +44 20 7946 0958.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    address = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "autocomplete": "street-address", "maxlength": ADDRESS_MAX_LENGTH}
        ),
    )


class CustomerListForm(forms.Form):
    """The list's search, filter, sort and page size, read from the query string."""

    search = forms.CharField(required=False, label="Search")
    status = forms.ChoiceField(
        required=False,
        choices=[(value, value.capitalize()) for value in STATUS_CHOICES],
        label="Status",
    )
    ordering = forms.ChoiceField(
        required=False,
        choices=[(key, key) for key in ORDERING_FIELDS]
        + [(f"-{k}", f"-{k}") for k in ORDERING_FIELDS],
    )
    page_size = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(size, size) for size in PAGE_SIZES],
        label="Per page",
    )

    def values(self) -> dict:
        """Return cleaned values with defaults; bad values fall back instead of failing."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": (data.get("search") or "").strip(),
            "status": data.get("status") or "all",
            "ordering": data.get("ordering") or "name",
            "page_size": data.get("page_size") or 25,
        }
