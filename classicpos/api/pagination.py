"""The one pagination style of the API (and the pages' lists): ``page`` and ``pageSize``.

Counts stop at 10,000: an exact ``COUNT(*)`` of a million customers would read a
whole index on every request, and "10,000+" is all a cashier needs to decide to
type another letter. ``count`` is then 10000 ("at least"), and ``next`` still
leads on while rows remain.

``next`` and ``previous`` carry a cursor (``after`` / ``before``) where the list's
order allows: the page is then read from where the last one ended, so page 20,000
costs what page 1 costs (``classicpos.keyset``).
"""

import math

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework import exceptions, pagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from classicpos import keyset
from classicpos.counts import AtLeast
from classicpos.id_lists import known_count

COUNT_LIMIT = 10_000

# The cursors of keyset paging, as the ``next`` and ``previous`` links carry them.
AFTER = "after"
BEFORE = "before"
CURSOR_HELP = (
    "Start {side} the row this cursor names (the `{link}` link gives it): a page as fast "
    "as the first, however deep. `page` then only numbers it. A cursor the list did not "
    "give is a 400."
)


class CappedPaginator(Paginator):
    """Count no further than ``COUNT_LIMIT`` rows; past it, page by asking for one row more.

    An exact ``COUNT(*)`` of a million customers reads a whole index on every
    request; nobody needs more than "10,000+" to decide to type another letter.
    ``count`` is then ``AtLeast(10_000)`` and any page number may be asked for:
    a page exists when it has rows, and has a next page when one more row follows.

    A list sorted by its own columns (and its id) also pages by keyset
    (``classicpos.keyset``): each page offers ``after_cursor`` and
    ``before_cursor``, and given one as ``after`` or ``before``, the paginator
    reads the next (or previous) page from where that page ended instead of
    stepping over every row before it.
    """

    count_limit = COUNT_LIMIT

    def __init__(self, object_list, per_page, *args, after=None, before=None, **kwargs):
        self.sort_keys = keyset.sort_keys(object_list)
        if self.sort_keys is not None:
            object_list = keyset.with_sort_keys(object_list, self.sort_keys)
        super().__init__(object_list, per_page, *args, **kwargs)
        self.after = after or None
        self.before = None if self.after else before or None

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
    def count_is_lower_bound(self) -> bool:
        """Say whether there may be more rows than ``count``: "10,000+", "1,000+ match".

        A capped count, or a search's matches when it found more than it looks at
        (its pages list those it looked at: ``num_pages`` is then exact).
        """
        return self.is_capped or isinstance(self.count, AtLeast)

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
        beyond the rows (an old bookmark), never by paging forward. A cursor that
        is not this list's, or leads to no rows, is set aside for the page number.
        """
        try:
            page = self._keyset_page(number)
        except keyset.InvalidCursor:
            page = None
        if page is not None and len(page):
            return page
        self.after = self.before = None
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
        """Return page ``number``: read after (or before) the cursor given, else by OFFSET.

        Raises ``keyset.InvalidCursor`` for a cursor this list did not give.
        """
        page = self._keyset_page(number)
        if page is not None:
            return page
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def _keyset_page(self, number) -> "CappedPage | None":
        cursor = self.after or self.before
        if cursor is None or self.sort_keys is None:
            return None
        values = keyset.read_cursor(cursor, self.object_list, self.sort_keys)
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        size = self.per_page
        if self.after:
            rows = list(keyset.rows_after(self.object_list, self.sort_keys, values)[: size + 1])
            # A row came before these: this is page 2 at least, whatever the link said.
            number = max(number, 2)
            return CappedPage(rows[:size], number, self, has_more=len(rows) > size)
        rows = list(keyset.rows_before(self.object_list, self.sort_keys, values)[: size + 1])
        more_before = len(rows) > size
        # Nothing before these rows: this is the first page, whatever the link said.
        number = max(number, 2) if more_before else 1
        return CappedPage(rows[:size][::-1], number, self, has_more=True)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


def _below_one(number) -> bool:
    try:
        return int(number) < 1
    except (TypeError, ValueError):
        return False


class CappedPage(Page):
    """A page that knows whether another follows, and the cursors that lead on from it."""

    def __init__(self, object_list, number, paginator, *, has_more: bool | None = None):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return super().has_next() if self.has_more is None else self.has_more

    def next_page_number(self) -> int:
        """A page that knows whether more follow (read by cursor, or past a capped count)
        numbers the next without counting: the count may not reach this far."""
        return self.number + 1 if self.has_more is not None else super().next_page_number()

    def previous_page_number(self) -> int:
        """The same for the page before: a typed ``page`` beside a cursor is only a label."""
        if self.has_more is None:
            return super().previous_page_number()
        return max(1, self.number - 1)

    @cached_property
    def after_cursor(self) -> str | None:
        """The cursor of the page that follows (None when the list pages by number only)."""
        keys = self.paginator.sort_keys
        if keys is None or not self.has_next() or not len(self):
            return None
        return keyset.cursor_of(self[len(self) - 1], keys)

    @cached_property
    def before_cursor(self) -> str | None:
        """The cursor of the page before (None on the first page, or by number only)."""
        keys = self.paginator.sort_keys
        if keys is None or not self.has_previous() or not len(self):
            return None
        return keyset.cursor_of(self[0], keys)


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

    def paginate_queryset(self, queryset, request, view=None):
        """Page by number, or after/before the row a cursor names (see ``CappedPaginator``)."""
        self.request = request
        page_size = self.get_page_size(request)
        after, before = self.cursors(request)
        paginator = self.django_paginator_class(queryset, page_size, after=after, before=before)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except keyset.InvalidCursor as error:
            name = AFTER if paginator.after else BEFORE
            raise exceptions.ValidationError({name: [str(error)]}) from None
        except InvalidPage as error:
            raise exceptions.NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(error))
            ) from None
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True  # the browsable API's pager
        return list(self.page)

    def cursors(self, request) -> tuple[str | None, str | None]:
        """Return the ``after`` and ``before`` cursors the request gives."""
        return request.query_params.get(AFTER), request.query_params.get(BEFORE)

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return self._link(self.page.next_page_number(), AFTER, self.page.after_cursor)

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        url = self._link(number, BEFORE, self.page.before_cursor)
        if number == 1 and not self.page.before_cursor:
            return remove_query_param(url, self.page_query_param)
        return url

    def _link(self, number: int, name: str, cursor: str | None) -> str:
        """Return this request's URL for page ``number``, with ``cursor`` as ``name`` (after or
        before) when the page has one, and never the other cursor."""
        other = BEFORE if name == AFTER else AFTER
        url = remove_query_param(self.request.build_absolute_uri(), other)
        url = replace_query_param(url, self.page_query_param, number)
        return replace_query_param(url, name, cursor) if cursor else remove_query_param(url, name)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters += [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "string"},
            }
            for name, description in (
                (AFTER, CURSOR_HELP.format(side="after", link="next")),
                (BEFORE, CURSOR_HELP.format(side="before", link="previous")),
            )
        ]
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page (default {self.page_size}); "
                    f"more than {self.max_page_size} is served as {self.max_page_size}."
                )
        return parameters
