"""Reading personal data in bulk: bounded for those who may not export it, logged for all.

A Cashier paged the customer list API through 41,856 customers and their emails
in 15 s, though the export is the Managers'. A search names someone, which is a
cashier's job; reading the base page after page is an export by other means. So
a list whose view names a ``bulk_read_permission`` (the export's) reads, for a
user without it, no deeper than its first ``CLASSICPOS_CASHIER_LIST_ROWS`` rows,
by page number only (a cursor names a row anywhere in the list, so it is set
aside), and every bulk read (no search, or past the first page) is logged with
the user, whoever they are.
"""

import logging

from django.conf import settings
from rest_framework import exceptions

from classicpos.api.pagination import PageNumberPagination

logger = logging.getLogger("classicpos.bulk_reads")


class BulkReadPagination(PageNumberPagination):
    """The API's pages, bounded and logged as above for views that say what they list.

    The view sets ``bulk_read_permission`` (who may read it all), ``bulk_read_name``
    (what the log calls the rows) and ``bulk_read_search_param`` (the query
    parameter that names someone).
    """

    bounded_rows: int | None = None

    def paginate_queryset(self, queryset, request, view=None):
        self.bounded_rows = bounded_rows(request.user, getattr(view, "bulk_read_permission", None))
        rows = super().paginate_queryset(queryset, request, view)
        if self.bounded_rows is not None:
            rows = rows[: max(0, self.bounded_rows - self._rows_before())]
        self._log(request, view, len(rows))
        return rows

    def get_page_size(self, request):
        size = super().get_page_size(request)
        return size if self.bounded_rows is None else min(size, self.bounded_rows)

    def cursors(self, request):
        return (None, None) if self.bounded_rows is not None else super().cursors(request)

    def get_page_number(self, request, paginator):
        number = super().get_page_number(request, paginator)
        if self.bounded_rows is not None:
            try:
                rows_before = (int(number) - 1) * paginator.per_page
            except (TypeError, ValueError):
                rows_before = 0  # not a number: the paginator answers for it
            if rows_before >= self.bounded_rows:
                raise exceptions.PermissionDenied(
                    f"A list shows you its first {self.bounded_rows} rows: search for the "
                    "customer by name, email or phone. Reading them all is for Managers "
                    "(the export)."
                )
        return number

    def get_next_link(self):
        if self.bounded_rows is not None and self._rows_before() + len(self.page) >= (
            self.bounded_rows
        ):
            return None
        return super().get_next_link()

    def _link(self, number: int, name: str, cursor: str | None) -> str:
        # Links by page number alone: a cursor would be set aside anyway.
        return super()._link(number, name, None if self.bounded_rows is not None else cursor)

    def _rows_before(self) -> int:
        return (self.page.number - 1) * self.page.paginator.per_page

    def _log(self, request, view, shown: int) -> None:
        search_param = getattr(view, "bulk_read_search_param", "search")
        log_bulk_read(
            request,
            name=getattr(view, "bulk_read_name", "rows"),
            page_number=self.page.number,
            shown=shown,
            searched=bool(request.query_params.get(search_param, "").strip()),
        )


def bounded_rows(user, permission: str | None) -> int | None:
    """Return how deep ``user`` may read a list guarded by ``permission``; None: all of it."""
    if permission is None or user.has_perm(permission):
        return None
    return settings.CLASSICPOS_CASHIER_LIST_ROWS


def log_bulk_read(request, *, name: str, page_number: int, shown: int, searched: bool) -> None:
    """Log a read of many rows of personal data with the user; a search's first page is
    someone being looked up, not a bulk read."""
    if searched and page_number == 1:
        return
    logger.info(
        "Bulk read of %s by %s: page %s, %s rows%s",
        name,
        request.user.get_username(),
        page_number,
        shown,
        " of a search" if searched else "",
    )
