"""Querysets of "exactly these rows": a list of ids bound as one parameter, counted for free.

A search reads its matches' ids from its index once (at most a thousand), then
the page and the count find them by id. ``pk__in=[...]`` would bind one parameter
per id, and Django prepares each one: 5 ms per query for a thousand ids. A JSON
list (SQLite) or an array (PostgreSQL) is one parameter. And a queryset that is
nothing but such a list has as many rows as the list has ids, so its count needs
no query at all (``known_count``).
"""

import json

from django.db import connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND

from classicpos.counts import AtLeast


class IdIn(RawSQL):
    """``<table>.<pk> IN <ids>``, with the ids as one parameter.

    ``more``: the ids were cut at a limit, so more rows matched than they name.
    """

    def __init__(self, sql: str, params: list, *, ids: tuple[int, ...], more: bool = False):
        super().__init__(sql, params, output_field=BooleanField())
        self.ids = ids
        self.more = more


def among(queryset: QuerySet, ids, *, limit: int | None = None) -> QuerySet:
    """Return the rows of ``queryset`` whose primary key is one of ``ids``.

    With ``limit``, only the first ``limit`` ids: when there were more, the rows
    are counted as "at least" that many (``known_count``).
    """
    ids = tuple(dict.fromkeys(int(pk) for pk in ids))
    more = limit is not None and len(ids) > limit
    if more:
        ids = ids[:limit]
    model = queryset.model
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"
    # The column is the model's own, quoted; the ids are the one parameter.
    if connection.vendor == "postgresql":
        sql, params = f"{column} = ANY(%s::bigint[])", [list(ids)]
    else:
        sql = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        params = [json.dumps(ids)]
    return queryset.filter(IdIn(sql, params, ids=ids, more=more))


def known_count(queryset) -> int | None:
    """Return how many rows ``queryset`` has when it is only ``among(ids)``; else None.

    ``AtLeast`` that many when ``among`` cut the ids at its limit.

    Only when nothing else narrows it (or, by a join or grouping, multiplies it):
    any other filter, join, slice or grouping means the database must count.
    """
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


def count_rows(queryset: QuerySet) -> int:
    """Return how many rows ``queryset`` has: from its ids when it is a list of them."""
    known = known_count(queryset)
    return queryset.count() if known is None else known
