"""A customer's timeline: the page, and the panel on the customer page that shows its start."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.views.generic import TemplateView

from classicpos.views import StaffPageMixin
from customers.models import Customer
from customers.permissions import VIEW_CUSTOMER
from customers.timeline import DEFAULT_LIMIT, customer_timeline, timeline_filters

# How many entries the customer page shows before "Show older".
PANEL_ENTRIES = 10


class TimelineQueryForm(forms.Form):
    """The timeline page's query: which kinds, and where the last page ended."""

    kind = forms.CharField(required=False, max_length=100)
    cursor = forms.CharField(required=False, max_length=500)
    more = forms.BooleanField(required=False)


class CustomerTimelineView(StaffPageMixin, TemplateView):
    """The whole timeline, a page at a time; htmx asks for the next page or another filter."""

    permission_required = VIEW_CUSTOMER
    template_name = "customers/customer_timeline.html"

    def get(self, request, *args, **kwargs):
        customer = get_object_or_404(Customer, pk=kwargs["pk"])
        query = TimelineQueryForm(request.GET)
        values = query.cleaned_data if query.is_valid() else {}
        kind = values.get("kind", "")
        # The panel on the customer page asks through htmx and keeps its own page size.
        limit = PANEL_ENTRIES if request.htmx else DEFAULT_LIMIT
        try:
            timeline = customer_timeline(
                customer=customer,
                user=request.user,
                limit=limit,
                cursor=values.get("cursor"),
                kind=kind,
            )
        except ValueError:
            # A cursor from a stale or edited link: start again from the newest entry.
            timeline = customer_timeline(
                customer=customer, user=request.user, limit=limit, kind=kind
            )
        context = timeline_context(customer, request, timeline=timeline, kind=kind)
        if request.htmx:
            template = (
                "customers/_timeline_items.html"
                if values.get("more")
                else "customers/_timeline_entries.html"
            )
            return render(request, template, context)
        return self.render_to_response(self.get_context_data(**context))


def timeline_context(customer, request, *, timeline=None, kind: str = "") -> dict:
    """Return what the timeline panel shows: a page of entries and the filter's choices."""
    if timeline is None:
        timeline = customer_timeline(customer=customer, user=request.user, limit=PANEL_ENTRIES)
    return {
        "customer": customer,
        "timeline": timeline,
        "timeline_kind": kind,
        "timeline_filters": timeline_filters(request.user),
    }
