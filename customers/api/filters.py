"""Query parameters of ``GET /api/customers``, parsed and checked, then handed to the selector."""

import django_filters

from classicpos.api.filters import DateTimeFilter, PointsFilter, SelectorFilterSet
from customers.selectors import (
    DEFAULT_ORDERING,
    DEFAULT_STATUS,
    ORDERING_CHOICES,
    STATUS_CHOICES,
    CustomerListFilters,
    customer_list,
)


class CustomerFilterSet(SelectorFilterSet):
    """Validate the list parameters; the selector does the filtering."""

    search = django_filters.CharFilter(
        method="noop", help_text="Name, email or phone digits; matched literally."
    )
    status = django_filters.ChoiceFilter(
        method="noop",
        choices=[(value, value) for value in STATUS_CHOICES],
        empty_label=None,
        help_text=f"active, inactive or all (default {DEFAULT_STATUS}).",
    )
    createdAfter = DateTimeFilter(method="noop")
    createdBefore = DateTimeFilter(method="noop")
    minPoints = PointsFilter(method="noop")
    maxPoints = PointsFilter(method="noop")
    ordering = django_filters.ChoiceFilter(
        method="noop",
        choices=[(key, key) for key in ORDERING_CHOICES],
        empty_label=None,
        help_text="name, createdAt or loyaltyPoints; prefix - for descending.",
    )

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        filters = CustomerListFilters(
            search=data.get("search") or "",
            status=data.get("status") or DEFAULT_STATUS,
            created_after=data.get("createdAfter"),
            created_before=data.get("createdBefore"),
            min_points=data.get("minPoints"),
            max_points=data.get("maxPoints"),
            ordering=data.get("ordering") or DEFAULT_ORDERING,
        )
        return customer_list(filters=filters)
