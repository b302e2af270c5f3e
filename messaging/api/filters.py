"""Query parameters of ``GET /api/messages``."""

from classicpos.api.filters import IdFilter, SelectorFilterSet
from messaging.selectors import MessageFilters, message_list


class MessageFilterSet(SelectorFilterSet):
    customerId = IdFilter(method="noop")

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return message_list(
            filters=MessageFilters(
                customer_id=self.int_or_none("customerId"),
                created_after=data.get("createdAfter"),
                created_before=data.get("createdBefore"),
            )
        )
