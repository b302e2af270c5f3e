"""Querysets of "exactly these rows": a list of ids bound as one parameter, counted for free.

A search reads its matches' ids from its index once (at most a thousand), then
the page finds them by id. ``pk__in=[...]`` would bind one parameter per id, and
Django prepares each one: 5 ms per query for a thousand ids. A JSON list (SQLite)
or an array (PostgreSQL) is one parameter. And rows named by such a list
(``RowsById``) are as many as the list has ids, so their count needs no query at
all (``known_count``).
"""

import json
from collections.abc import Callable, Sequence

from django.db import connections
from django.db.models import BooleanField, Expression, QuerySet

from classicpos.counts import AtLeast
from classicpos.prepared import Slot


class IdIn(Expression):
    """``<table>.<pk> IN <ids>``, with the ids as one parameter: the value of ``ids_slot``."""

    output_field = BooleanField()

    def __init__(self, model, ids_slot: Slot):
        super().__init__()
        self.model = model
        self.ids_slot = ids_slot

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


def with_ids(queryset: QuerySet, ids_slot: Slot) -> QuerySet:
    """Return the rows of ``queryset`` whose primary key is in the list ``ids_slot`` binds."""
    return queryset.filter(IdIn(queryset.model, ids_slot))


def among(queryset: QuerySet, ids) -> QuerySet:
    """Return the rows of ``queryset`` whose primary key is one of ``ids``."""
    ids = tuple(dict.fromkeys(int(pk) for pk in ids))
    return with_ids(queryset, Slot("ids", id_list_value(ids, connections[queryset.db].vendor)))


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

    def __iter__(self):
        """Read every row in one go (``Sequence`` would read them one by one)."""
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self.ids))
            if step != 1:
                raise ValueError("rows by id are read in pages: no step")
            return self._read(start, stop) if start < stop else []
        position = range(len(self.ids))[index]
        return self._read(position, position + 1)[0]


def known_count(rows) -> int | None:
    """Return how many rows ``rows`` has when that is known without a query; else None.

    A ``RowsById`` knows (``AtLeast`` that many when its ids were cut at a limit);
    a QuerySet is counted by the database.
    """
    return rows.known_count if isinstance(rows, RowsById) else None


def count_rows(queryset: "QuerySet | RowsById") -> int:
    """Return how many rows ``queryset`` has: from its ids when it is a list of them."""
    known = known_count(queryset)
    return queryset.count() if known is None else known
