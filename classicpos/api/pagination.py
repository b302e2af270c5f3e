"""The one pagination style of the API (and the pages' lists): ``page`` and ``pageSize``.

Counts stop at 10,000: an exact ``COUNT(*)`` of a million customers would read a
whole index on every request, and "10,000+" is all a cashier needs to decide to
type another letter. ``count`` is then 10000 ("at least"), and ``next`` still
leads on while rows remain.
"""

import math

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework import exceptions, pagination

from classicpos.id_lists import known_count

COUNT_LIMIT = 10_000


class AtLeast(int):
    """A number known only from below: prints as "10,000+"."""

    def __str__(self) -> str:
        return f"{int(self):,}+"


class CappedPaginator(Paginator):
    """Count no further than ``COUNT_LIMIT`` rows; past it, page by asking for one row more.

    An exact ``COUNT(*)`` of a million customers reads a whole index on every
    request; nobody needs more than "10,000+" to decide to type another letter.
    ``count`` is then ``AtLeast(10_000)`` and any page number may be asked for:
    a page exists when it has rows, and has a next page when one more row follows.
    """

    count_limit = COUNT_LIMIT

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        known = known_count(rows)
        if known is not None:
            # Rows given by their ids (a search's matches): counted without a query.
            return known
        if hasattr(rows, "order_by"):
            rows = rows.order_by()
            if not rows.query.combinator:
                # Only the ids: columns the page shows (a list's tags, computed per row)
                # cost nothing to count (6.8 ms became 2.1 ms for 10,001 customers).
                rows = rows.values("pk")
        return rows[: self.count_limit + 1].count() if hasattr(rows, "count") else len(rows)

    @cached_property
    def is_capped(self) -> bool:
        return self._counted > self.count_limit

    @cached_property
    def count(self) -> int:
        return AtLeast(self.count_limit) if self.is_capped else self._counted

    @cached_property
    def num_pages(self) -> int:
        pages = math.ceil(self.count_limit / self.per_page)
        return AtLeast(pages) if self.is_capped else super().num_pages

    def validate_number(self, number):
        if not self.is_capped:
            return super().validate_number(number)
        number = super().validate_number(1) if number in (None, "") else number
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number):
        """Return the page, the first for a page that is no number, the last past the end.

        Past the end of a capped list the last page is not known without counting
        every row: that one exact count is paid only by someone asking for a page
        beyond the rows (an old bookmark), never by paging forward.
        """
        try:
            return self.page(self.validate_number(number))
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            if _below_one(number):
                return self.page(1)
            if not self.is_capped:
                return self.page(self.num_pages)
        total = self.object_list.order_by().count()
        return self.page(max(1, math.ceil(total / self.per_page)))

    def page(self, number):
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)


def _below_one(number) -> bool:
    try:
        return int(number) < 1
    except (TypeError, ValueError):
        return False


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more


class PageNumberPagination(pagination.PageNumberPagination):
    """Return ``{count, next, previous, results}`` pages of at most 100 rows.

    A ``pageSize`` above 100 is served as 100; one that is not a whole number of
    at least 1 is a 400 naming it (DRF would silently use the default); empty is
    not given. A page number past the last page, or not a number, is a 404.
    ``count`` stops at 10,000 (see the module's docstring).
    """

    django_paginator_class = CappedPaginator
    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        try:
            size = int(value) if value.isascii() else 0
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Enter a whole number of at least 1."]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page (default {self.page_size}); "
                    f"more than {self.max_page_size} is served as {self.max_page_size}."
                )
        return parameters
