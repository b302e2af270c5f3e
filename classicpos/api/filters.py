"""Filter-set helpers: parse and check query parameters, then let one selector filter."""

import django_filters


class SelectorFilterSet(django_filters.FilterSet):
    """Validate parameters with django-filter; ``filter_queryset`` hands them to a selector.

    Filters declare ``method="noop"`` so the rules stay in the selector, applied once.
    ``createdAfter`` / ``createdBefore`` are shared by every list with a date range.
    """

    createdAfter = django_filters.IsoDateTimeFilter(method="noop")
    createdBefore = django_filters.IsoDateTimeFilter(method="noop")

    def noop(self, queryset, name, value):
        return queryset

    def int_or_none(self, name: str) -> int | None:
        value = self.form.cleaned_data.get(name)
        return int(value) if value is not None else None
