"""The customer list's segments from sales: lifetime spend, the last visit, where they bought.

Registered into ``customers.segments`` (``customers`` does not import sales).
Each condition is ``pk__in`` on ``CustomerSalesTotals``, served by that table's
index on ``lifetime_spend`` or ``last_visit_at``: at a million customers no
request adds up sales.

Days are the shop's (``TIME_ZONE``), as on its receipts. ``lastVisitBefore`` is
exclusive and ``lastVisitAfter`` inclusive, so for one day they split the
customers who have visited in two: last seen before it, or on it and since.
Customers who never bought anything match neither; ``minSpend=0`` is everyone.

``boughtAt`` is the one that reads sales themselves: a store's customers from the
sales' ``(store, customer)`` index alone, however many sales each has.
"""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from classicpos.limits import MAX_AMOUNT, NOT_AN_AMOUNT, parse_amount
from customers.home_stores import several_stores
from customers.segments import STORE_ID_SCHEMA, Segment, register_segment, store_id_field
from sales.models import CustomerSalesTotals, Sale
from sales.money import ZERO
from sales.permissions import VIEW_SALE

ISO_DATE = "%Y-%m-%d"
# What the API schema promises and the fields accept, nothing looser: "100", "100.5",
# "100.00" up to MAX_AMOUNT; no sign, exponent or spaces (``1e2`` is not an amount).
AMOUNT_PATTERN = r"^\d{1,10}(\.\d{1,2})?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def _with_totals(**conditions) -> Q:
    return Q(pk__in=CustomerSalesTotals.objects.filter(**conditions).values("customer_id"))


def _bought_at(store_id: int) -> Q:
    return Q(
        pk__in=Sale.objects.filter(store_id=store_id, customer__isnull=False).values("customer_id")
    )


def _min_spend(amount: Decimal) -> Q:
    if amount <= ZERO:
        # Lifetime spend is never negative, so every customer has spent at least
        # nothing, including those with no sale and so no totals row.
        return Q()
    return _with_totals(lifetime_spend__gte=amount)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Return the first moment of ``day`` in the shop's time zone, in UTC.

    Year 1 east of UTC, and year 9999 west of it, start outside what Python's
    dates can hold: the earliest and latest moments stand in, which no sale
    precedes or follows, rather than an error.
    """
    try:
        local = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return local.astimezone(datetime.UTC)
    except OverflowError:
        moment = datetime.datetime.min if day.year == 1 else datetime.datetime.max
        return moment.replace(tzinfo=datetime.UTC)


def _last_visit_before(day: datetime.date) -> Q:
    return _with_totals(last_visit_at__lt=start_of_day(day))


def _last_visit_after(day: datetime.date) -> Q:
    return _with_totals(last_visit_at__gte=start_of_day(day))


class AmountField(forms.DecimalField):
    """An amount, read as every amount is (``classicpos.limits.parse_amount``), never negative.

    Its own pattern once said "Enter an amount such as 100.00." where the till, the
    invoices and the API said "12.50" for the same ``Infinity`` or ``1e400``.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            if isinstance(value, str) and value != value.strip():
                # A query parameter is written as the schema's pattern says, spaces and all.
                raise ValidationError({"amount": [NOT_AN_AMOUNT]})
            return parse_amount(value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["amount"], code="invalid") from None


class IsoDateField(forms.DateField):
    """A day as ``YYYY-MM-DD`` (what a date input sends); ``strptime`` alone takes ``2025-1-5``."""

    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}

    def to_python(self, value):
        if isinstance(value, str) and value and not re.fullmatch(DATE_PATTERN, value, re.ASCII):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def _amount_field() -> forms.DecimalField:
    return AmountField(
        required=False,
        min_value=ZERO,
        max_value=MAX_AMOUNT,
        max_digits=12,
        decimal_places=2,
        # Text, not a number input: a number input's default step refuses cents.
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _date_field() -> forms.DateField:
    return IsoDateField(
        required=False,
        input_formats=[ISO_DATE],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )


AMOUNT_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": AMOUNT_PATTERN,
    "example": "100.00",
}
DATE_SCHEMA = {
    "type": "string",
    "format": "date",
    "pattern": DATE_PATTERN,
    "example": "2025-01-31",
}


def connect() -> None:
    register_segment(
        Segment(
            name="minSpend",
            label="Spent at least",
            field=_amount_field,
            condition=_min_spend,
            help_text="Lifetime spend after refunds, e.g. 100.00.",
            schema=AMOUNT_SCHEMA,
            permission=VIEW_SALE,
            order=40,
        )
    )
    register_segment(
        Segment(
            name="lastVisitAfter",
            label="Last visit on or after",
            field=_date_field,
            condition=_last_visit_after,
            help_text="Customers whose latest sale was on this day or later.",
            schema=DATE_SCHEMA,
            permission=VIEW_SALE,
            order=50,
        )
    )
    register_segment(
        Segment(
            name="lastVisitBefore",
            label="Last visit before",
            field=_date_field,
            condition=_last_visit_before,
            help_text="Customers not seen since before this day (a sale on it counts as seen).",
            schema=DATE_SCHEMA,
            permission=VIEW_SALE,
            order=60,
        )
    )
    register_segment(
        Segment(
            name="boughtAt",
            label="Bought at",
            field=store_id_field,
            condition=_bought_at,
            help_text="Customers with a sale at this store (a store id).",
            schema=STORE_ID_SCHEMA,
            permission=VIEW_SALE,
            order=75,
            offered=several_stores,
        )
    )
