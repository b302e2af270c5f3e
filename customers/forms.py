"""Customer page forms: they collect input; the services validate and save it."""

from django import forms

from customers.models import EDITABLE_FIELDS, Customer
from customers.selectors import (
    DEFAULT_ORDERING,
    ORDERING_CHOICES,
    PAGE_DEFAULT_STATUS,
    STATUS_CHOICES,
)
from customers.validators import ADDRESS_MAX_LENGTH, NAME_MAX_LENGTH

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25


class CustomerForm(forms.ModelForm):
    """Add, edit and the till's quick-add share this form, built from ``EDITABLE_FIELDS``.

    It only collects text: the customer service checks every rule at once (so
    the model validation a ModelForm would run is skipped here), and the page
    shows the same messages as the API and the admin. Each input carries
    ``data-field`` with the API's name, so the till maps API errors onto it.
    """

    # The fields the "possible duplicates" panel watches while the cashier types.
    DUPLICATE_FIELDS = ("name", "email", "phone")

    class Meta:
        model = Customer
        fields = EDITABLE_FIELDS
        widgets = {
            "name": forms.TextInput(
                attrs={
                    "autocomplete": "name",
                    "autofocus": True,
                    "required": True,
                    "aria-required": "true",
                    "maxlength": NAME_MAX_LENGTH,
                }
            ),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
            "phone": forms.TextInput(
                attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}
            ),
            "address": forms.Textarea(
                attrs={"rows": 3, "autocomplete": "street-address", "maxlength": ADDRESS_MAX_LENGTH}
            ),
        }
        help_texts = {
            "name": "Required. Up to 200 characters.",
            "phone": "Any format: 555-201-0123, (415) 555 2671 or +44 20 7946 0958.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.strip = False
            field.widget.attrs["data-field"] = name
        if self.prefix:
            # Embedded in another page (the till's modal): that page decides the focus.
            self.fields["name"].widget.attrs.pop("autofocus", None)

    def _post_clean(self):
        """Skip the model's validation: ``customer_create``/``customer_update`` run it once."""

    def focus_first_error(self) -> None:
        """Move the page's focus from Name to the first field in error, if any."""
        in_error = [name for name in self.fields if name in self.errors]
        if not in_error:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[in_error[0]].widget.attrs["autofocus"] = True


class DuplicateConfirmationForm(forms.Form):
    """The "Save anyway" step: which possible duplicates the user has seen and accepted.

    The ids travel with the form, so a confirmation covers exactly the customers
    shown; a different phone that matches someone else is asked about again.
    """

    confirmed_duplicates = forms.RegexField(
        regex=r"^[0-9]+(,[0-9]+)*$", required=False, widget=forms.HiddenInput
    )

    def confirmed_ids(self) -> set[int]:
        """Return the ids accepted on the previous step; nothing when tampered with."""
        if not self.is_valid() or not self.cleaned_data["confirmed_duplicates"]:
            return set()
        return {int(part) for part in self.cleaned_data["confirmed_duplicates"].split(",")}

    def confirms(self, duplicates) -> bool:
        """Return whether every one of ``duplicates`` was shown and accepted."""
        return {item.customer.pk for item in duplicates} <= self.confirmed_ids()


class CustomerListForm(forms.Form):
    """The list's search, filter, sort and page size, read from the query string."""

    search = forms.CharField(required=False, label="Search")
    status = forms.ChoiceField(
        required=False,
        choices=[(value, value.capitalize()) for value in STATUS_CHOICES],
        label="Status",
    )
    ordering = forms.ChoiceField(required=False, choices=[(key, key) for key in ORDERING_CHOICES])
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
            "status": data.get("status") or PAGE_DEFAULT_STATUS,
            "ordering": data.get("ordering") or DEFAULT_ORDERING,
            "page_size": data.get("page_size") or DEFAULT_PAGE_SIZE,
        }
