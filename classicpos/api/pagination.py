"""The one pagination style of the API: ``page`` and ``pageSize`` (at most 100)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Return ``{count, next, previous, results}`` pages of at most 100 rows."""

    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100
