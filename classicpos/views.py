"""View helpers shared by every app's staff pages."""

import json
import math

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from classicpos.api.bulk_reads import bounded_rows, log_bulk_read
from classicpos.api.pagination import AFTER, BEFORE, CappedPaginator
from classicpos.permissions import is_shop_staff


def errors_by_field(error: ValidationError) -> dict:
    """Return a service's errors keyed by field (``None``: not about one field), for a form."""
    return error.message_dict if hasattr(error, "error_dict") else {None: error.messages}


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

    Anonymous visitors are sent to the login page instead of a 403. Who is staff is
    the API's rule (``is_shop_staff``), checked before the page's own permission
    (which a page may override): a role without the staff flag gets neither.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_shop_staff(request.user):
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()


class ForgivingPaginationMixin:
    """List pages: a page number out of range or not a number shows the nearest page.

    ``ListView`` answers 404 there; a cashier's bookmark of page 9 after a search
    narrowed should land on the last page instead.

    A view that names a ``bulk_read_permission`` is bounded and logged as the API's
    lists are (``classicpos.api.bulk_reads``): without the permission a user reads
    no deeper than ``CLASSICPOS_CASHIER_LIST_ROWS`` rows (a page past them shows the
    last one allowed, with no Next; cursors are set aside), and bulk reads are logged.
    """

    bulk_read_permission: str | None = None
    bulk_read_name = "rows"
    _bounded_rows: int | None = None

    def get_paginator(self, queryset, per_page, **kwargs):
        if issubclass(self.paginator_class, CappedPaginator) and self._bounded_rows is None:
            kwargs.update(page_cursors(self.request))
        return super().get_paginator(queryset, per_page, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        self._bounded_rows = bounded_rows(self.request.user, self.bulk_read_permission)
        number = self.request.GET.get(self.page_kwarg)
        if self._bounded_rows is not None:
            page_size = min(page_size, self._bounded_rows)
            number = min(_page_number(number), math.ceil(self._bounded_rows / page_size))
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(number)
        if self._bounded_rows is not None:
            allowed = self._bounded_rows - (page.number - 1) * page_size
            page.object_list = list(page.object_list)[:allowed]
            if page.number * page_size >= self._bounded_rows:
                page.has_more = False
        if self.bulk_read_permission is not None:
            log_bulk_read(
                self.request,
                name=self.bulk_read_name,
                page_number=page.number,
                shown=len(page.object_list),
                searched=bool(self.request.GET.get("search", "").strip()),
            )
        return paginator, page, page.object_list, page.has_other_pages()


def _page_number(value) -> int:
    """A typed page number as a number (the paginator forgives the rest: page 1)."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


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
