"""Query parameters of ``GET /api/loyalty-transactions``."""

import django_filters

from classicpos.api.filters import IdFilter, SelectorFilterSet
from loyalty.models import TransactionKind
from loyalty.selectors import LedgerFilters, ledger_list


class LoyaltyTransactionFilterSet(SelectorFilterSet):
    customer = IdFilter(method="noop")
    kind = django_filters.ChoiceFilter(method="noop", choices=TransactionKind.choices)

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return ledger_list(
            filters=LedgerFilters(
                customer_id=self.int_or_none("customer"),
                kind=data.get("kind") or None,
                created_after=data.get("createdAfter"),
                created_before=data.get("createdBefore"),
            )
        )
