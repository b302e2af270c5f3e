"""The customer list's segment from accounting: customers with an overdue invoice.

Registered into ``customers.segments`` (``customers`` does not import accounting).
The condition starts from the invoices, through their index on ``(status, due_on)``,
and hands the customers' ids to the list: at a million customers no request looks
at every customer's invoices, only at the overdue ones.
"""

from django import forms
from django.db.models import Q

from accounting.models import Invoice
from accounting.permissions import VIEW_INVOICE
from classicpos.api.filters import StrictBooleanField
from customers.segments import Segment, register_segment

CHOICES = [("", "Any"), ("true", "Has overdue invoices"), ("false", "None overdue")]


def _has_overdue(value: bool) -> Q:
    overdue = Q(pk__in=Invoice.objects.overdue().values("customer_id"))
    return overdue if value else ~overdue


def connect() -> None:
    register_segment(
        Segment(
            name="hasOverdue",
            label="Overdue invoices",
            field=lambda: StrictBooleanField(required=False, widget=forms.Select(choices=CHOICES)),
            condition=_has_overdue,
            help_text="Customers with an invoice past its due date (true), or with none (false).",
            schema={"type": "boolean"},
            permission=VIEW_INVOICE,
            order=60,
        )
    )
