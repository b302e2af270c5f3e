"""Forms of the accounting pages. They collect text; the services parse amounts and
word every rule, so a page and the API say the same thing about the same input."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from accounting.models import InvoicePaymentMethod
from accounting.selectors import InvoiceFilters, InvoiceListStatus, default_statement_period

AMOUNT_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}


class InvoicePaymentForm(forms.Form):
    amount = forms.CharField(
        max_length=20,
        widget=forms.TextInput(attrs=AMOUNT_ATTRS),
        error_messages={"required": "Enter an amount such as 12.50."},
    )
    # Nothing is chosen for the cashier: they say how the customer paid.
    method = forms.ChoiceField(
        choices=[("", "Choose how they paid"), *InvoicePaymentMethod.choices],
        error_messages={"required": "Choose how they paid."},
    )
    reference = forms.CharField(
        required=False,
        max_length=100,
        help_text="A bank transfer's reference or a card slip number (optional).",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    # Set by the confirmation step: only a confirmed payment is recorded.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, store_credit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if store_credit is not None:
            self.fields["method"].choices = [
                ("", "Choose how they paid"),
                *(
                    (value, f"{label} ({store_credit} available)")
                    if value == "store_credit"
                    else (value, label)
                    for value, label in InvoicePaymentMethod.choices
                ),
            ]


class PaymentReversalForm(forms.Form):
    """Why a payment is reversed; the service says when it is missing, as the API does."""

    reason = forms.CharField(required=False, max_length=500)


class CreditLimitForm(forms.Form):
    credit_limit = forms.CharField(
        label="Credit limit",
        max_length=20,
        widget=forms.TextInput(attrs=AMOUNT_ATTRS),
        help_text="0 means no sales on account.",
        error_messages={"required": "Enter an amount such as 12.50."},
    )


class StoreCreditAdjustmentForm(forms.Form):
    amount = forms.CharField(
        max_length=20,
        label="Amount (negative to take away)",
        widget=forms.TextInput(attrs={**AMOUNT_ATTRS, "inputmode": "text"}),
        error_messages={"required": "Enter an amount such as 12.50."},
    )
    reason = forms.CharField(required=False, max_length=500)


class InvoiceListForm(forms.Form):
    """The invoice list's filters; a bad value is ignored rather than breaking the page."""

    status = forms.ChoiceField(choices=[("", "All"), *InvoiceListStatus.choices], required=False)
    overdue = forms.BooleanField(required=False, label="Overdue only")
    customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    issued_after = forms.DateField(required=False, label="Issued from")
    issued_before = forms.DateField(required=False, label="Issued to")

    def filters(self) -> InvoiceFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return InvoiceFilters(
            customer_id=data.get("customer"),
            status=data.get("status") or None,
            overdue=bool(data.get("overdue")),
            issued_after=data.get("issued_after"),
            issued_before=data.get("issued_before"),
        )


# A statement's days: the default start is 30 days before the end, and a day of
# year 1 (a valid date) then fell before the calendar starts, a 500.
STATEMENT_DATE_RANGE = [
    MinValueValidator(date(1900, 1, 1), "Enter a date from 1900-01-01 on."),
    MaxValueValidator(date(9999, 12, 30), "Enter a date before 9999-12-31."),
]


class StatementForm(forms.Form):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD`` of a statement, for the page and the API alike."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these fields cannot be class attributes.
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.DateField(
                required=False,
                label=label,
                error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
                validators=STATEMENT_DATE_RANGE,
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("from", "The start date must be on or before the end date.")
        return data

    def period(self):
        """Return ``(start, end)`` of the valid form, the defaults filled in."""
        return default_statement_period(
            start=self.cleaned_data.get("from"), end=self.cleaned_data.get("to")
        )
