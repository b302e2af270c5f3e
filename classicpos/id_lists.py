"""Querysets of "exactly these rows": a list of ids bound as one parameter, counted for free.

A search reads its matches' ids from its index once (at most a thousand), then
the page and the count find them by id. ``pk__in=[...]`` would bind one parameter
per id, and Django prepares each one: 5 ms per query for a thousand ids. A JSON
list (SQLite) or an array (PostgreSQL) is one parameter. And a queryset that is
nothing but such a list has as many rows as the list has ids, so its count needs
no query at all (``known_count``).
"""

import json
from collections.abc import Callable, Sequence

from django.db import connections
from django.db.models import BooleanField, Expression, QuerySet
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND

from classicpos.counts import AtLeast
from classicpos.prepared import Slot


class IdIn(Expression):
    """``<table>.<pk> IN <ids>``, with the ids as one parameter: the value of ``ids_slot``.

    ``ids``: the ids themselves, when known (a prepared statement's are bound later).
    ``more``: the ids were cut at a limit, so more rows matched than they name.
    """

    output_field = BooleanField()

    def __init__(self, model, ids_slot: Slot, *, ids: tuple[int, ...] = (), more: bool = False):
        super().__init__()
        self.model = model
        self.ids_slot = ids_slot
        self.ids = ids
        self.more = more

    def get_source_expressions(self):
        return [self.ids_slot]

    def set_source_expressions(self, expressions):
        (self.ids_slot,) = expressions

    def as_sql(self, compiler, connection):
        placeholder, params = compiler.compile(self.ids_slot)
        quote = connection.ops.quote_name
        column = f"{quote(self.model._meta.db_table)}.{quote(self.model._meta.pk.column)}"
        # The column is the model's own, quoted; the ids are the one parameter.
        if connection.vendor == "postgresql":
            return f"{column} = ANY({placeholder}::bigint[])", params
        return f"{column} IN (SELECT value FROM json_each({placeholder}))", params  # noqa: S608


def id_list_value(ids, vendor: str):
    """Return ``ids`` as the one parameter ``IdIn`` binds: an array, or a JSON list on SQLite."""
    return list(ids) if vendor == "postgresql" else json.dumps(list(ids))


def with_ids(queryset: QuerySet, ids_slot: Slot, **known) -> QuerySet:
    """Return the rows of ``queryset`` whose primary key is in the list ``ids_slot`` binds."""
    return queryset.filter(IdIn(queryset.model, ids_slot, **known))


def among(queryset: QuerySet, ids, *, limit: int | None = None) -> QuerySet:
    """Return the rows of ``queryset`` whose primary key is one of ``ids``.

    With ``limit``, only the first ``limit`` ids: when there were more, the rows
    are counted as "at least" that many (``known_count``).
    """
    ids = tuple(dict.fromkeys(int(pk) for pk in ids))
    more = limit is not None and len(ids) > limit
    if more:
        ids = ids[:limit]
    value = id_list_value(ids, connections[queryset.db].vendor)
    return with_ids(queryset, Slot("ids", value), ids=ids, more=more)


class RowsById(Sequence):
    """Rows named by their ids, in an order the ids do not give: a sequence a paginator pages.

    ``read(start, stop)`` returns the rows at those positions of the order (a
    statement of its own, with the ids bound as one parameter). ``limit``: keep the
    first ``limit`` ids only, the rows then counting as "at least" that many.
    """

    # Sorted by ``read``: the paginator need not warn of an unordered list.
    ordered = True

    def __init__(self, ids, *, read: Callable[[int, int], list], limit: int | None = None):
        ids = tuple(ids)
        more = limit is not None and len(ids) > limit
        self.ids = ids[:limit] if more else ids
        self.known_count = AtLeast(len(self.ids)) if more else len(self.ids)
        self._read = read

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self.ids))
            if step != 1:
                raise ValueError("rows by id are read in pages: no step")
            return self._read(start, stop) if start < stop else []
        position = range(len(self.ids))[index]
        return self._read(position, position + 1)[0]


def known_count(queryset) -> int | None:
    """Return how many rows ``queryset`` has when it is only ``among(ids)``; else None.

    ``AtLeast`` that many when ``among`` cut the ids at its limit; a ``RowsById``
    knows its own.

    Only when nothing else narrows it (or, by a join or grouping, multiplies it):
    any other filter, join, slice or grouping means the database must count.
    """
    if isinstance(queryset, RowsById):
        return queryset.known_count
    if not isinstance(queryset, QuerySet):
        return None
    query = queryset.query
    where = query.where
    if (
        query.is_sliced
        or query.combinator
        or query.group_by is not None
        or len(query.alias_map) > 1
        or where.negated
        or where.connector != AND
        or len(where.children) != 1
    ):
        return None
    (condition,) = where.children
    if isinstance(condition, Exact) and condition.rhs is True:
        condition = condition.lhs
    if not isinstance(condition, IdIn):
        return None
    # The ids were read from these rows earlier in the same request: each is one row.
    return AtLeast(len(condition.ids)) if condition.more else len(condition.ids)


def count_rows(queryset: "QuerySet | RowsById") -> int:
    """Return how many rows ``queryset`` has: from its ids when it is a list of them."""
    known = known_count(queryset)
    return queryset.count() if known is None else known
