"""Query parameters of ``GET /api/leads`` and ``GET /api/activities``, checked, then handed
to the selectors."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from classicpos.api.filters import BooleanFilter, IdFilter, SelectorFilterSet
from classicpos.limits import MAX_ID, is_id
from crm.models import ActivityKind
from crm.selectors import (
    LEAD_ORDERING_FIELDS,
    ActivityListFilters,
    LeadListFilters,
    LeadListStatus,
    activity_list,
    lead_list,
)

ME = "me"


class UserOrMeField(forms.Field):
    """A staff user's id, or ``me`` for whoever is asking."""

    default_error_messages = {"invalid": "Give a user id or 'me'."}

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        if value == ME:
            return ME
        if value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID)):
            value = int(value)
        if is_id(value):
            return value
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            {"type": "string", "enum": [ME]},
        ]
    }
)
class UserOrMeFilter(django_filters.Filter):
    field_class = UserOrMeField


class CrmFilterSet(SelectorFilterSet):
    def user_id(self, name: str) -> int | None:
        value = self.form.cleaned_data.get(name)
        return self.request.user.pk if value == ME else value


class LeadFilterSet(CrmFilterSet):
    """Validate the lead list's parameters; the selector does the filtering."""

    status = django_filters.ChoiceFilter(
        method="noop",
        choices=LeadListStatus.choices,
        help_text="new, contacted, qualified, converted, lost, or open (the first three).",
    )
    owner = UserOrMeFilter(method="noop", help_text="The owner's user id, or me.")
    search = django_filters.CharFilter(
        method="noop", help_text="Name, company, email or phone digits; matched literally."
    )
    ordering = django_filters.ChoiceFilter(
        method="noop",
        choices=[(key, key) for key in LEAD_ORDERING_FIELDS]
        + [(f"-{key}", f"-{key}") for key in LEAD_ORDERING_FIELDS],
        help_text="createdAt, name or status; prefix - for descending (default -createdAt).",
    )

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return lead_list(
            filters=LeadListFilters(
                search=data.get("search") or "",
                status=data.get("status") or "",
                owner_id=self.user_id("owner"),
                created_after=data.get("createdAfter"),
                created_before=data.get("createdBefore"),
                ordering=data.get("ordering") or "-createdAt",
            )
        )


class ActivityFilterSet(CrmFilterSet):
    """Validate the activity list's parameters; the selector does the filtering."""

    customer = IdFilter(method="noop", help_text="Activities of this customer.")
    lead = IdFilter(method="noop", help_text="Activities of this lead.")
    kind = django_filters.ChoiceFilter(method="noop", choices=ActivityKind.choices)
    openTasks = BooleanFilter(
        method="noop", help_text="true: only tasks not done yet, soonest due first."
    )
    owner = UserOrMeFilter(method="noop", help_text="The author's user id, or me.")

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return activity_list(
            filters=ActivityListFilters(
                customer_id=data.get("customer"),
                lead_id=data.get("lead"),
                kind=data.get("kind") or "",
                open_tasks=bool(data.get("openTasks")),
                author_id=self.user_id("owner"),
                created_after=data.get("createdAfter"),
                created_before=data.get("createdBefore"),
            )
        )
