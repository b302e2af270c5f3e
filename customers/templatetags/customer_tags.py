"""Template tags of the customer pages."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from customers.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_panels(context, customer):
    """Render each module's panel for ``customer`` (orders, loyalty, invoices, CRM)."""
    request = context["request"]
    rendered = []
    for panel in panels_for(request.user):
        panel_context = {"customer": customer, "request": request, "perms": context.get("perms")}
        panel_context.update(panel.context(customer, request))
        rendered.append(render_to_string(panel.template_name, panel_context, request=request))
    return mark_safe("".join(rendered))  # noqa: S308 - each panel is a rendered template


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with ``changes`` applied (for sort and page links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def points_class(points) -> str:
    """Return the CSS class that shows a negative balance in red."""
    return "points-negative" if points is not None and points < 0 else ""


# The icon of each kind of timeline entry, by its module's noun ("sale.refunded" -> "sale").
TIMELINE_ICONS = {
    "customer": "bi-person",
    "sale": "bi-receipt",
    "points": "bi-star",
    "invoice": "bi-file-earmark-text",
    "payment": "bi-cash-coin",
    "store_credit": "bi-wallet2",
    "activity": "bi-chat-left-text",
    "lead": "bi-person-plus",
}


@register.filter
def timeline_icon(kind: str) -> str:
    return TIMELINE_ICONS.get(kind.split(".", 1)[0], "bi-dot")


@register.filter
def timeline_value(value) -> str:
    """Show a before/after value of a change: lists joined, nothing as a dash."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
