"""Query parameters of the sales and products lists."""

import django_filters

from classicpos.api.filters import BooleanFilter, IdFilter, SelectorFilterSet
from sales.models import SaleStatus
from sales.selectors import SaleFilters, product_search, sale_list


class SaleFilterSet(SelectorFilterSet):
    customer = IdFilter(method="noop")
    status = django_filters.ChoiceFilter(method="noop", choices=SaleStatus.choices)
    number = django_filters.CharFilter(
        method="noop",
        max_length=40,
        help_text="A receipt's number as typed (`S-000044`, `s-44`): that sale, or none.",
    )

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return sale_list(
            filters=SaleFilters(
                customer_id=self.int_or_none("customer"),
                status=data.get("status") or None,
                created_after=data.get("createdAfter"),
                created_before=data.get("createdBefore"),
                number=data.get("number") or None,
            )
        )


class ProductFilterSet(SelectorFilterSet):
    search = django_filters.CharFilter(method="noop", help_text="SKU (exact or prefix) or name.")
    active = BooleanFilter(method="noop")
    createdAfter = None
    createdBefore = None

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        products = product_search(term=data.get("search") or "")
        if data.get("active") is not None:
            products = products.filter(active=data["active"])
        return products
