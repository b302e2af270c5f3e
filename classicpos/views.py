"""View helpers shared by every app's staff pages."""

import json

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from classicpos.api.pagination import AFTER, BEFORE, CappedPaginator


def query_without_page(request) -> str:
    """Return the query string minus ``page`` and its cursors, ready for ``?{this}page=N`` links."""
    query = request.GET.copy()
    for name in ("page", AFTER, BEFORE):
        query.pop(name, None)
    return f"{query.urlencode()}&" if query else ""


def page_cursors(request) -> dict:
    """Return the keyset cursors a pager link carried, for ``CappedPaginator``."""
    return {AFTER: request.GET.get(AFTER), BEFORE: request.GET.get(BEFORE)}


class StaffPageMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Logged-in staff with the page's permission; others get the friendly 403 page.

    Anonymous visitors are sent to the login page instead of a 403.
    """

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()


class ForgivingPaginationMixin:
    """List pages: a page number out of range or not a number shows the nearest page.

    ``ListView`` answers 404 there; a cashier's bookmark of page 9 after a search
    narrowed should land on the last page instead.
    """

    def get_paginator(self, queryset, per_page, **kwargs):
        if issubclass(self.paginator_class, CappedPaginator):
            kwargs.update(page_cursors(self.request))
        return super().get_paginator(queryset, per_page, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class ApiDocsSwaggerView(SpectacularSwaggerView):
    """Swagger UI for the API, its page fixed for accessibility (``api_docs/swagger_ui.html``).

    Deep links put a link inside each operation's button (nested interactive
    controls a screen reader cannot use), so they are turned off here.
    """

    template_name = "api_docs/swagger_ui.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        settings = json.loads(response.data["settings"] or "{}")
        settings["deepLinking"] = False
        response.data["settings"] = json.dumps(settings)
        return response


class ApiDocsRedocView(SpectacularRedocView):
    """ReDoc for the API, loading nothing from another host (``api_docs/redoc.html``)."""

    template_name = "api_docs/redoc.html"
