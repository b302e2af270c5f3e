"""Query parameters of the sales and products lists."""

import django_filters

from sales.models import SaleStatus
from sales.selectors import SaleFilters, product_search, sale_list


class SaleFilterSet(django_filters.FilterSet):
    customer = django_filters.NumberFilter(method="noop")
    status = django_filters.ChoiceFilter(method="noop", choices=SaleStatus.choices)
    createdAfter = django_filters.IsoDateTimeFilter(method="noop")
    createdBefore = django_filters.IsoDateTimeFilter(method="noop")

    def noop(self, queryset, name, value):
        """Leave filtering to :meth:`filter_queryset`, which calls the selector once."""
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        customer = data.get("customer")
        return sale_list(
            filters=SaleFilters(
                customer_id=int(customer) if customer is not None else None,
                status=data.get("status") or None,
                created_after=data.get("createdAfter"),
                created_before=data.get("createdBefore"),
            )
        )


class ProductFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="noop", help_text="SKU (exact or prefix) or name.")
    active = django_filters.BooleanFilter(method="noop")

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        products = product_search(term=data.get("search") or "")
        if data.get("active") is not None:
            products = products.filter(active=data["active"])
        return products
