"""Query parameters of ``GET /api/invoices``."""

import django_filters

from accounting.selectors import InvoiceFilters, InvoiceListStatus, invoice_list
from classicpos.api.filters import BooleanFilter, IdFilter, SelectorFilterSet


class InvoiceFilterSet(SelectorFilterSet):
    # Invoices are filtered by their issue date, not by when the row was written.
    createdAfter = None
    createdBefore = None
    customer = IdFilter(method="noop")
    status = django_filters.ChoiceFilter(method="noop", choices=InvoiceListStatus.choices)
    overdue = BooleanFilter(method="noop")
    issuedAfter = django_filters.DateFilter(method="noop")
    issuedBefore = django_filters.DateFilter(method="noop")

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return invoice_list(
            filters=InvoiceFilters(
                customer_id=self.int_or_none("customer"),
                status=data.get("status") or None,
                overdue=bool(data.get("overdue")),
                issued_after=data.get("issuedAfter"),
                issued_before=data.get("issuedBefore"),
            )
        )
