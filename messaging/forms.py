"""Page forms of messaging: they collect; the services decide."""

from django import forms

from classicpos.limits import MAX_ID


class EmailReceiptForm(forms.Form):
    email = forms.CharField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="For this sale only: the address is saved on no customer.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    save_to_customer = forms.BooleanField(
        label="Also save it as the customer's email (they agreed)", required=False
    )


class MessageFilterForm(forms.Form):
    customer = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def customer_id(self) -> int | None:
        return self.cleaned_data.get("customer") if self.is_valid() else None
