"""Sales page forms: the list's filters, the refund form (one quantity per line) and the
sales-by-store report's period."""

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from classicpos.api.filters import StrictBooleanField
from classicpos.limits import MAX_ID
from sales.extensions import refund_destinations
from sales.models import Sale, SaleStatus
from sales.quotes import RefundLineInput
from sales.reports import check_period
from sales.selectors import SaleFilters
from stores.models import Store


class SaleListForm(forms.Form):
    """The sales list's filters, read from the query string; a bad value is ignored."""

    status = forms.ChoiceField(required=False, choices=[("", "All"), *SaleStatus.choices])
    customer = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    # A receipt's number: the list opens that sale (see SaleListView).
    number = forms.CharField(required=False, max_length=40, label="Sale number")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The query string says ``from`` and ``to``, which Python cannot name as attributes.
        self.fields["from"] = forms.DateField(required=False, label="From")
        self.fields["to"] = forms.DateField(required=False, label="To")

    def filters(self) -> SaleFilters:
        """Return the selector's filters from the valid fields only."""
        self.is_valid()
        data = self.cleaned_data
        return SaleFilters(
            customer_id=data.get("customer"),
            status=data.get("status") or None,
            created_after=_day_edge(data.get("from"), time.min),
            created_before=_day_edge(data.get("to"), time.max),
            number=data.get("number") or None,
        )


def _day_edge(day, moment: time):
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


class RefundForm(forms.Form):
    """How many of each refundable line to give back, and why."""

    reason = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, sale: Sale, needs_approval: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sale = sale
        paid_with = {payment.method for payment in sale.payments.all()}
        destinations = [
            (
                method.code,
                f"Back to {method.label.lower()}" if method.refunds_up_to_paid else method.label,
            )
            for method in refund_destinations()
            if (sale.customer_id or not method.needs_customer)
            and (not method.refunds_up_to_paid or method.code in paid_with)
        ]
        self.fields["refund_to"] = forms.ChoiceField(
            required=False,
            label="Pay back as",
            choices=[("", "Money from the till"), *destinations],
        )
        self.needs_approval = needs_approval
        if needs_approval:
            # The signed-in cashier may not refund alone: a Manager approves on this screen.
            # Not required here: ``sales.approvals`` says what is missing, beside the fields.
            self.fields["approver"] = forms.CharField(
                required=False, max_length=150, label="Manager"
            )
            self.fields["approver_password"] = forms.CharField(
                required=False,
                max_length=4096,
                strip=False,
                label="Manager's password or PIN",
                widget=forms.PasswordInput,
            )
        self.refundable_lines = [line for line in sale.lines.all() if line.refundable_quantity]
        for line in self.refundable_lines:
            # No max_value: "only N can still be refunded" is the refund service's rule,
            # worded there once (the input's max attribute still guides the browser).
            self.fields[f"line-{line.pk}"] = forms.IntegerField(
                required=False,
                min_value=0,
                initial=0,
                label=line.name,
                widget=forms.NumberInput(attrs={"max": line.refundable_quantity, "step": 1}),
            )

    def line_fields(self):
        """Pair each refundable line with its bound quantity field, for the template."""
        return [(line, self[f"line-{line.pk}"]) for line in self.refundable_lines]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.refund_lines():
            raise forms.ValidationError("Choose at least one item to refund.")
        return data

    def refund_lines(self) -> list[RefundLineInput]:
        return [
            RefundLineInput(sale_line_id=line.pk, quantity=quantity)
            for line in self.refundable_lines
            if (quantity := self.cleaned_data.get(f"line-{line.pk}") or 0)
        ]


class ApprovalPinForm(forms.Form):
    """A Manager's approval PIN, set after typing their password (``sales.approvals``)."""

    password = forms.CharField(
        label="Your password", strip=False, max_length=4096, widget=forms.PasswordInput
    )
    pin = forms.CharField(
        label="New PIN (4 to 8 digits)",
        max_length=8,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )
    pin_again = forms.CharField(
        label="The PIN again",
        max_length=8,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("pin") and data.get("pin_again") and data["pin"] != data["pin_again"]:
            self.add_error("pin_again", "The two PINs differ.")
        return data


REPORT_DATE_RANGE = [
    MinValueValidator(date(2000, 1, 1), "Enter a date from 2000-01-01 on."),
    MaxValueValidator(date(9998, 12, 31), "Enter a date before 9999-01-01."),
]


class SalesReportForm(forms.Form):
    """``?from=&to=&storeId=&byTill=`` of the sales-by-store report, for the page and the API.

    Both dates default to today; ``sales.reports`` checks the period's length.
    """

    storeId = forms.TypedChoiceField(
        required=False, label="Store", coerce=int, empty_value=None, choices=()
    )
    byTill = StrictBooleanField(required=False, label="One row per till")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.DateField(
                required=False,
                label=label,
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
                validators=REPORT_DATE_RANGE,
            )
        self.order_fields(["from", "to", "storeId", "byTill"])
        # Unknown ids are named in the message ("There is no store #9."), as the API's are.
        self.fields["storeId"].choices = [("", "Every store")] + [
            (store.pk, f"{store.name} ({store.code})") for store in Store.objects.order_by("code")
        ]
        self.fields["storeId"].error_messages["invalid_choice"] = "There is no store #%(value)s."

    def clean(self):
        data = super().clean()
        store = (
            Store.objects.filter(pk=data.get("storeId")).first() if data.get("storeId") else None
        )
        # "Today" is the store's own when one store is asked for; the server's for the chain.
        today = timezone.localdate(timezone=store.zone) if store else timezone.localdate()
        start = data.get("from") or today
        end = data.get("to") or start
        if "from" not in self.errors and "to" not in self.errors:
            try:
                check_period(start, end)
            except ValidationError as error:
                self.add_error(None, error)
        data["start"], data["end"] = start, end
        return data

    def report_arguments(self) -> dict:
        return {
            "start": self.cleaned_data["start"],
            "end": self.cleaned_data["end"],
            "store_id": self.cleaned_data.get("storeId"),
            "by_till": self.cleaned_data.get("byTill", False),
        }
