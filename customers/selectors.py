"""Reads of customers that are more than one line: the filtered, sorted list."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import (
    DateTimeField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.functions import Lower
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual

from classicpos import prepared
from classicpos.id_lists import RowsById, id_list_value, with_ids
from classicpos.prepared import Slot, slots
from customers import validators
from customers.distinct import DistinctCustomers
from customers.models import Customer
from customers.names import names_alike
from customers.search import matching, rank_values, search_rank, search_term
from customers.segments import segment_conditions


class ListStatus(models.TextChoices):
    """Which customers a list shows: the active, the inactive, or all of them."""

    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    ALL = "all", "All"


# The values alone, for ``export_customers --status``.
STATUS_CHOICES = tuple(ListStatus.values)
# The API lists every customer unless asked (integrations sync them all); the staff
# list page shows the active ones, with inactive customers one click away.
DEFAULT_STATUS = ListStatus.ALL
PAGE_DEFAULT_STATUS = ListStatus.ACTIVE

# Public sort keys (camelCase, as in the API and page URLs) and their columns.
ORDERING_FIELDS = {
    "name": "name",
    "createdAt": "created_at",
    "loyaltyPoints": "loyalty_points",
}
DEFAULT_ORDERING = "name"
# Every accepted ``ordering`` value: each key, ascending or descending ("-").
ORDERING_CHOICES = (*ORDERING_FIELDS, *(f"-{key}" for key in ORDERING_FIELDS))


@dataclass(frozen=True)
class CustomerListFilters:
    """What a list of customers can be narrowed and sorted by."""

    search: str = ""
    status: str = DEFAULT_STATUS
    created_after: datetime | None = None
    created_before: datetime | None = None
    min_points: int | None = None
    max_points: int | None = None
    ordering: str = DEFAULT_ORDERING
    # (parameter, value) pairs of registered segments (customers.segments): tag, minSpend...
    segments: tuple[tuple[str, object], ...] = ()


# A search looks at no more than this many matches (past it, pages say "1,000+
# matches"): it bounds the work of one keystroke at the till however common the
# typed word is. Nobody pages through more; they type another letter.
MATCH_LIMIT = 1_000


def _order_by(ordering: str) -> list:
    """Return ``order_by`` arguments for a public sort key, with ``id`` as tie-breaker.

    Names sort case-insensitively ("anna" beside "Anna"), served by the
    ``LOWER(name), id`` index.
    """
    descending = ordering.startswith("-")
    column = ORDERING_FIELDS.get(ordering.lstrip("-"), ORDERING_FIELDS[DEFAULT_ORDERING])
    expression = Lower(column) if column == "name" else F(column)
    tie_breaker = F("id")
    if descending:
        return [expression.desc(), tie_breaker.desc()]
    return [expression.asc(), tie_breaker.asc()]


class _Unindexed(Func):
    """SQLite's unary ``+``: the column's own value, which no index may serve.

    Beside a search, the search index must find the rows. Without statistics
    SQLite would rather walk the status index (nine customers in ten are active)
    and test every row against the search.
    """

    template = "+%(expressions)s"


_FILTER_COLUMNS = {
    "status": TextField(),
    "created_at": DateTimeField(),
    "loyalty_points": IntegerField(),
}


def _sqlite(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "sqlite"


def _indexed_column(name: str):
    return F(name)


def _unindexed_column(name: str):
    return _Unindexed(F(name), output_field=_FILTER_COLUMNS[name])


def _filter_column(*, queryset: QuerySet, searching: bool):
    """Return what gives a filtered column's expression: the column, or beside a search on
    SQLite its ``+`` form.

    The lookups take the expression itself (``Exact(+status, 'active')``): an alias
    per column was 2 % of a search's instructions (callgrind), spent declaring and resolving.
    """
    return _unindexed_column if searching and _sqlite(queryset) else _indexed_column


def _narrows(filters: CustomerListFilters) -> bool:
    """Return whether the list is narrowed by more than its status (which most rows share)."""
    return bool(filters.segments) or any(
        value is not None
        for value in (
            filters.created_after,
            filters.created_before,
            filters.min_points,
            filters.max_points,
        )
    )


def _conditions(filters: CustomerListFilters, column) -> Q:
    """Return the list's conditions, each column the expression ``column`` gives."""
    conditions = Q()
    if filters.status in (ListStatus.ACTIVE, ListStatus.INACTIVE):
        # A slot: the prepared search binds each request's status (``_search_ids``).
        conditions &= Q(Exact(column("status"), Slot("status", filters.status)))
    if filters.created_after is not None:
        conditions &= Q(GreaterThanOrEqual(column("created_at"), filters.created_after))
    if filters.created_before is not None:
        conditions &= Q(LessThanOrEqual(column("created_at"), filters.created_before))
    if filters.min_points is not None:
        conditions &= Q(GreaterThanOrEqual(column("loyalty_points"), filters.min_points))
    if filters.max_points is not None:
        conditions &= Q(LessThanOrEqual(column("loyalty_points"), filters.max_points))
    if filters.segments:
        conditions &= segment_conditions(filters.segments)
    return conditions


def _few_matches(filters: CustomerListFilters) -> list[int] | None:
    """Return the ids of the customers the filters (without the search) let through,
    when there are at most ``MATCH_LIMIT``; None when more do.

    Asked of the filters' own indexes (points, a tag, consent, the sales totals),
    in one bounded query.
    """
    passing = Customer.objects.filter(_conditions(filters, column=_indexed_column))
    few = list(passing.order_by().values_list("pk", flat=True)[: MATCH_LIMIT + 1])
    return few if len(few) <= MATCH_LIMIT else None


def _sorted(queryset: QuerySet, filters: CustomerListFilters, *, rank=None) -> QuerySet:
    """Return ``queryset`` in the list's order; a search sorted by name, best matches first.

    ``rank``: ``slot(name)`` of the search's rank values (``customers.search.rank_values``),
    when the list is a search.
    """
    if rank is not None and filters.ordering == DEFAULT_ORDERING:
        return queryset.alias(search_rank=search_rank(rank)).order_by(
            "search_rank", *_order_by(filters.ordering)
        )
    return queryset.order_by(*_order_by(filters.ordering))


def _search_matches(queryset: QuerySet, shape: tuple, slot) -> QuerySet:
    """Return the ids of the first ``MATCH_LIMIT`` + 1 matches (by id) of a search of ``shape``."""
    return (
        matching(queryset, shape, slot).order_by().values_list("pk", flat=True)[: MATCH_LIMIT + 1]
    )


def _search_ids(filters: CustomerListFilters) -> tuple[int, ...]:
    """Return the ids of the first ``MATCH_LIMIT`` + 1 matches (by id) of the list's search.

    The matches' ids, read once: the count and the page then find them by id instead
    of each asking the search index again (the index is most of a search's time).
    The one past the limit only says there are more: the count is then "1,000+".

    A search narrowed by its status alone, the till's every keystroke, reads them by
    a prepared statement. A list narrowed by more is read along the name index until
    a page is full, but a filter that only a few hundred of a million customers pass
    (points over 100, a rare tag) would test every one of a common word's matches
    against it. So its filters' own indexes are first asked for up to
    ``MATCH_LIMIT`` + 1 ids (one bounded query); when there are no more than the
    limit, only those few are searched.
    """
    connection = connections[Customer.objects.db]
    term = search_term(filters.search, connection)
    if not _narrows(filters):
        values = {**term.values, "status": filters.status}

        def matches(slot) -> QuerySet:
            queryset = Customer.objects.all()
            # Not narrowed: the conditions are the status alone, bound from its slot.
            conditions = _conditions(filters, _filter_column(queryset=queryset, searching=True))
            return _search_matches(queryset.filter(conditions), term.shape, slot)

        filtered_by_status = filters.status in (ListStatus.ACTIVE, ListStatus.INACTIVE)
        key = ("customer search ids", term.shape, filtered_by_status, MATCH_LIMIT)
        return tuple(row[0] for row in prepared.statement(key, matches, values).rows(values))
    few = _few_matches(filters)
    if few is not None:
        narrowed = Customer.objects.among(few).search_unindexed(filters.search)
        return tuple(narrowed.order_by().values_list("pk", flat=True))
    queryset = Customer.objects.all()
    conditions = _conditions(filters, _filter_column(queryset=queryset, searching=True))
    return tuple(_search_matches(queryset.filter(conditions), term.shape, slots(term.values)))


def _listed(filters: CustomerListFilters) -> tuple[QuerySet, tuple[int, ...] | None]:
    """Return the list as a QuerySet and, when it is exactly a list of ids read here, those ids.

    A search keeps the first ``MATCH_LIMIT`` matches (by id) that its index finds
    (``_search_ids``) and sorts only those: by how well they match (when sorted by
    name), then by the sort key. A list that a filter cuts to a few ids is those
    ids, sorted. Any other list is read along the index of its sort.
    """
    if filters.search.split():
        ids = _search_ids(filters)
        matched = Customer.objects.among(ids[:MATCH_LIMIT])
        return _sorted(matched, filters, rank=slots(rank_values(filters.search))), ids
    few = _few_matches(filters) if _narrows(filters) else None
    if few is not None:
        return _sorted(Customer.objects.among(few), filters), tuple(few)
    queryset = Customer.objects.all()
    conditions = _conditions(filters, _filter_column(queryset=queryset, searching=False))
    return queryset.filter(conditions).order_by(*_order_by(filters.ordering)), None


def customer_list(
    *, filters: CustomerListFilters | None = None, with_tags: bool = False
) -> "QuerySet[Customer] | RowsById":
    """Return the customers matching ``filters``, sorted with a stable tie-breaker, to page through.

    A search, or a list that a narrow filter cuts to a few ids, comes back as
    ``RowsById``: counted by its ids ("1,000+" when a search found more than
    ``MATCH_LIMIT``: ``AtLeast``), each page read by id. A search's pages are read
    by a prepared statement (``classicpos.prepared``), as are the matches of a
    search narrowed by its status alone. Any other list is a QuerySet, which pages
    by keyset where its order allows (``classicpos.keyset``). ``with_tags``: each
    customer's ``tag_names`` in the page's own query (the API lists them).
    """
    filters = filters or CustomerListFilters()
    if filters.search.split():
        return _search_rows(filters, _search_ids(filters), with_tags=with_tags)
    queryset, ids = _listed(filters)
    if with_tags:
        queryset = queryset.with_tag_names()
    if ids is None:
        return queryset
    return RowsById(ids, limit=MATCH_LIMIT, read=lambda start, stop: list(queryset[start:stop]))


def customer_queryset(*, filters: CustomerListFilters | None = None) -> QuerySet[Customer]:
    """Return ``customer_list``'s customers, in its order, as one QuerySet.

    For a caller that streams the rows or narrows them further (the export), not
    for pages: ``customer_list`` reads those faster.
    """
    queryset, _ids = _listed(filters or CustomerListFilters())
    return queryset


def _search_rows(
    filters: CustomerListFilters, ids: tuple[int, ...], *, with_tags: bool
) -> RowsById:
    """Return a search's matches ``ids`` in the list's order, each page a prepared statement.

    The till asks a search on every keystroke: building and compiling its page as
    a QuerySet (the rank is a ``Case`` of four lookups) was most of the Python
    time of a search. The ORM writes the statement once per order and page, from
    the builders ``_listed`` uses; each request binds its ids and term.
    """
    connection = connections[Customer.objects.db]
    values = {
        "ids": id_list_value(ids[:MATCH_LIMIT], connection.vendor),
        **rank_values(filters.search),
    }

    def page(start: int, stop: int) -> list[Customer]:
        def rows_of_page(slot) -> QuerySet:
            ranked = _sorted(with_ids(Customer.objects.all(), slot("ids")), filters, rank=slot)
            return (ranked.with_tag_names() if with_tags else ranked)[start:stop]

        key = ("customer search page", filters.ordering, with_tags, start, stop)
        return prepared.statement(key, rows_of_page, values).instances(values)

    return RowsById(ids, limit=MATCH_LIMIT, read=page)


@dataclass(frozen=True)
class PossibleDuplicate:
    customer: Customer
    reasons: tuple[str, ...]


MAX_DUPLICATES = 5


def _normalized_or_none(normalize, value):
    try:
        return normalize(value)
    except ValidationError:
        return None


def _not_decided_apart(customers, customer_id: int):
    """Return ``customers`` without those someone said are not ``customer_id``'s person.

    An edit of one of a household that shares a phone neither hints at nor asks about
    the others once that was decided (``customers.DistinctCustomers``; in the same query).
    """
    return customers.exclude(
        pk__in=DistinctCustomers.objects.filter(first_id=customer_id).values("second_id")
    ).exclude(pk__in=DistinctCustomers.objects.filter(second_id=customer_id).values("first_id"))


def customer_find_duplicates(
    *, name: str = "", email: str = "", phone: str = "", exclude_id: int | None = None
) -> list[PossibleDuplicate]:
    """Return existing customers a new entry may duplicate, with why.

    Same email (any case), same phone number (any format, compared as E.164),
    or a very similar name. Input that is not valid yet is simply ignored: this
    runs while the cashier is still typing.
    """
    email = _normalized_or_none(validators.normalize_email, email)
    phone = _normalized_or_none(validators.normalize_phone, phone)
    name = " ".join((name or "").split())
    if "\x00" in name:
        # No stored name holds a NUL (PostgreSQL text cannot), so none is similar.
        name = ""
    condition = Q(pk__in=[])
    if email:
        condition |= Q(email__iexact=email)
    if phone:
        condition |= Q(phone=phone)
    if len(name) >= 3:
        # Candidates share the first three letters; similarity is decided below.
        condition |= Q(name__istartswith=name[:3])
    candidates = Customer.objects.filter(condition)
    if exclude_id is not None:
        candidates = _not_decided_apart(candidates.exclude(pk=exclude_id), exclude_id)
    found = []
    for customer in candidates.order_by("name", "id")[:200]:
        reasons = []
        if email and customer.email == email:
            reasons.append("same email")
        if phone and customer.phone == phone:
            reasons.append("same phone")
        if len(name) >= 3 and names_alike(name, customer.name):
            reasons.append("similar name")
        if reasons:
            found.append(PossibleDuplicate(customer=customer, reasons=tuple(reasons)))
    found.sort(key=lambda item: (-len(item.reasons), item.customer.name))
    return found[:MAX_DUPLICATES]


def customer_duplicates_to_confirm(
    *, name: str = "", phone: str = "", customer: Customer | None = None
) -> list[PossibleDuplicate]:
    """Return the customers whose phone a save would share: the staff page asks first.

    A shared phone is most often the same person typed twice, but a family may
    share one number, so the page asks for confirmation instead of refusing (the
    API saves as before). An edit that keeps the customer's phone asks nothing.
    """
    phone = _normalized_or_none(validators.normalize_phone, phone)
    if not phone or (customer is not None and customer.phone == phone):
        return []
    others = Customer.objects.filter(phone=phone)
    if customer is not None:
        others = _not_decided_apart(others.exclude(pk=customer.pk), customer.pk)
    name = " ".join((name or "").split())
    return [
        PossibleDuplicate(
            customer=other,
            reasons=("same phone", "similar name")
            if len(name) >= 3 and names_alike(name, other.name)
            else ("same phone",),
        )
        for other in others.order_by("name", "id")[:MAX_DUPLICATES]
    ]
