"""Template helpers of the CRM pages: status colours and activity icons."""

from django import template

from customers.validators import format_phone_national

register = template.Library()

STATUS_BADGES = {
    "new": "text-bg-primary",
    "contacted": "text-bg-info",
    "qualified": "text-bg-warning",
    "converted": "text-bg-success",
    "lost": "text-bg-secondary",
    # Customers, in the contacts list.
    "active": "text-bg-success",
    "inactive": "text-bg-secondary",
}

KIND_ICONS = {
    "note": "bi-journal-text",
    "call": "bi-telephone",
    "email": "bi-envelope",
    "meeting": "bi-people",
    "task": "bi-check2-square",
}


@register.filter
def status_badge(status: str) -> str:
    """Return the badge classes for a lead's (or customer's) status."""
    return STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def activity_icon(kind: str) -> str:
    """Return the Bootstrap icon class for an activity kind."""
    return KIND_ICONS.get(kind, "bi-dot")


@register.filter
def national_phone(e164: str | None) -> str:
    """Return a stored E.164 number in the shop's national format."""
    return format_phone_national(e164)
