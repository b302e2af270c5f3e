"""Template tags of the customer pages."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from customers import timeline

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_panels(context, customer, shown):
    """Render each module's panel for ``customer`` (orders, loyalty, invoices, CRM).

    ``shown`` is ``customers.panels.customer_page_panels``: each context was worked
    out once, for these panels and for the summary at the top of the page.
    """
    request = context["request"]
    rendered = []
    for item in shown:
        panel_context = {"customer": customer, "request": request, "perms": context.get("perms")}
        panel_context.update(item.context)
        rendered.append(render_to_string(item.panel.template_name, panel_context, request=request))
    return mark_safe("".join(rendered))  # noqa: S308 - each panel is a rendered template


# The profile's rows that can be empty, as the page labels them.
OPTIONAL_PROFILE_ROWS = (
    ("email", "email"),
    ("phone", "phone"),
    ("address", "address"),
    ("birthday", "birthday"),
)


@register.simple_tag
def missing_profile_rows(customer, tag_names) -> str:
    """Return the empty rows the profile leaves out ("email, birthday, tags"), or "".

    One short line instead of a "Not given" per row: on a phone the blanks filled
    the first screen, above what a cashier needs.
    """
    missing = [label for field, label in OPTIONAL_PROFILE_ROWS if not getattr(customer, field)]
    if not tag_names:
        missing.append("tags")
    return ", ".join(missing)


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


@register.filter
def timeline_icon(kind: str) -> str:
    return timeline.timeline_icon(kind)


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
