"""Query parameters of ``GET /api/customers``, parsed and checked, then handed to the selector."""

import django_filters
from drf_spectacular.utils import extend_schema_field

from classicpos.api.filters import DateTimeFilter, PointsFilter, SelectorFilterSet
from customers.segments import Segment, segments
from customers.selectors import (
    DEFAULT_ORDERING,
    DEFAULT_STATUS,
    ORDERING_CHOICES,
    CustomerListFilters,
    ListStatus,
    customer_queryset,
)


def segment_filter(segment: Segment) -> django_filters.Filter:
    """Return the parameter of a segment: its own form field parses it, the selector filters."""

    class SegmentFilter(django_filters.Filter):
        field_class = type(segment.field())

        @property
        def field(self):
            if not hasattr(self, "_field"):
                self._field = segment.field()
                self._field.help_text = segment.help_text
            return self._field

    if segment.schema is not None:
        SegmentFilter = extend_schema_field(segment.schema)(SegmentFilter)
    return SegmentFilter(method="noop", help_text=segment.help_text)


class CustomerFilterSet(SelectorFilterSet):
    """Validate the list parameters; the selector does the filtering."""

    search = django_filters.CharFilter(
        method="noop",
        help_text=(
            "Name, email or phone digits; every word in any order, accents and case ignored "
            "(joao finds João, gross finds Groß). Without a word of three or more characters, "
            "each word starts a word of the name or email (jo sm finds John Smith). "
            "Looks at the first 1,000 matches, best first: past them `count` is 1000, "
            "meaning 1,000 or more."
        ),
    )
    status = django_filters.ChoiceFilter(
        method="noop",
        choices=[(value, value) for value in ListStatus.values],
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

    @classmethod
    def get_filters(cls):
        """Add every registered segment (``customers.segments``) as a parameter."""
        filters = super().get_filters()
        for segment in segments():
            filters[segment.name] = segment_filter(segment)
        return filters

    def filter_queryset(self, queryset):
        return customer_queryset(filters=self.list_filters())

    def list_filters(self) -> CustomerListFilters:
        """Return the validated parameters as the selectors take them."""
        data = self.form.cleaned_data
        return CustomerListFilters(
            search=data.get("search") or "",
            status=data.get("status") or DEFAULT_STATUS,
            created_after=data.get("createdAfter"),
            created_before=data.get("createdBefore"),
            min_points=data.get("minPoints"),
            max_points=data.get("maxPoints"),
            ordering=data.get("ordering") or DEFAULT_ORDERING,
            segments=tuple(
                (segment.name, data[segment.name])
                for segment in segments()
                if data.get(segment.name) not in (None, "", [])
                and (not segment.permission or self.request.user.has_perm(segment.permission))
            ),
        )
