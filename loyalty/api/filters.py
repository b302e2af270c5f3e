"""Query parameters of ``GET /api/loyalty-transactions``."""

import django_filters

from loyalty.models import TransactionKind
from loyalty.selectors import LedgerFilters, ledger_list


class LoyaltyTransactionFilterSet(django_filters.FilterSet):
    customer = django_filters.NumberFilter(method="noop")
    kind = django_filters.ChoiceFilter(method="noop", choices=TransactionKind.choices)
    createdAfter = django_filters.IsoDateTimeFilter(method="noop")
    createdBefore = django_filters.IsoDateTimeFilter(method="noop")

    def noop(self, queryset, name, value):
        """Leave filtering to :meth:`filter_queryset`, which calls the selector once."""
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        customer = data.get("customer")
        return ledger_list(
            filters=LedgerFilters(
                customer_id=int(customer) if customer is not None else None,
                kind=data.get("kind") or None,
                created_after=data.get("createdAfter"),
                created_before=data.get("createdBefore"),
            )
        )
