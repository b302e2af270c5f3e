"""Keyset paging: the page after (or before) a row, read from the sort's index, not by OFFSET.

``OFFSET 500000`` makes the database step over half a million rows to show page
20,000: 26 ms on SQLite and 4.8 s on PostgreSQL at a million customers, against
7 ms for page 1. A page that remembers its last row's sort key (``after``) lets
the next one start right there, through the same index the list is sorted by:
page 20,000 then costs what page 1 costs. The ``next`` and ``previous`` links
carry such a key, so following them never slows down; a page number typed by
hand still works, by OFFSET.

A list can be paged this way when its order is made of its own columns (or
functions of them, such as ``Lower("name")``) and ends with the primary key, so
that no two rows share a key. Anything else (a search ranked by how well rows
match, a random order) pages by number alone.
"""

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.expressions import Col, RawSQL

KEY_PREFIX = "keyset_"


class InvalidCursor(ValueError):
    """A cursor that is not one this list gave out (edited, or from another sort)."""


def sort_keys(queryset) -> tuple[OrderBy, ...] | None:
    """Return ``queryset``'s order as expressions, when a page can follow a row by it."""
    if not isinstance(queryset, QuerySet):
        return None
    query = queryset.query
    if query.combinator or query.distinct or query.group_by is not None:
        return None
    ordering = query.order_by or (query.default_ordering and queryset.model._meta.ordering) or ()
    keys = []
    for item in ordering:
        key = _order_by(queryset.model, item)
        if key is None:
            return None
        keys.append(key)
    if not keys or not _is_primary_key(queryset.model, keys[-1].expression):
        return None
    return tuple(keys)


def _order_by(model, item) -> OrderBy | None:
    """Return ``item`` (``"-name"`` or an expression) as an ``OrderBy`` of the model's columns."""
    if isinstance(item, str):
        if item == "?" or "__" in item.lstrip("-"):
            return None
        item = F(item[1:]).desc() if item.startswith("-") else F(item).asc()
    if not isinstance(item, OrderBy):
        item = item.asc() if hasattr(item, "asc") else None
    if item is None or not _of_columns(model, item.expression):
        return None
    return item


def _of_columns(model, expression) -> bool:
    """Say whether ``expression`` reads only the model's own columns (no annotation, no join)."""
    for node in _nodes(expression):
        if isinstance(node, F):
            if not _is_field(model, node.name):
                return False
        elif isinstance(node, Col | RawSQL) or hasattr(node, "query"):
            return False
    return True


def _nodes(expression):
    """Yield ``expression`` and every expression inside it (``F`` has no ``flatten``)."""
    yield expression
    for inner in getattr(expression, "get_source_expressions", list)():
        yield from _nodes(inner)


def _is_field(model, name: str) -> bool:
    if name == "pk":
        return True
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and not field.is_relation


def _is_primary_key(model, expression) -> bool:
    return isinstance(expression, F) and expression.name in ("pk", model._meta.pk.name)


def with_sort_keys(queryset: QuerySet, keys: tuple[OrderBy, ...]) -> QuerySet:
    """Select each sort key with the rows, so a page can tell where it ends."""
    return queryset.annotate(
        **{f"{KEY_PREFIX}{index}": key.expression for index, key in enumerate(keys)}
    )


def fingerprint(keys: tuple[OrderBy, ...]) -> str:
    """Return a short name of the sort: a cursor of one sort is refused by another."""
    return hashlib.sha256(repr(keys).encode()).hexdigest()[:12]


def cursor_of(row, keys: tuple[OrderBy, ...]) -> str | None:
    """Return the cursor of ``row`` (selected with ``with_sort_keys``); None when a key is NULL."""
    values = [getattr(row, f"{KEY_PREFIX}{index}", None) for index in range(len(keys))]
    if any(value is None for value in values):
        return None
    document = json.dumps([fingerprint(keys), values], default=_as_text)
    return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")


def _as_text(value) -> str:
    """Dates and times in full (to the microsecond, which Django's JSON encoder drops)."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def read_cursor(cursor: str, queryset: QuerySet, keys: tuple[OrderBy, ...]) -> list:
    """Return the sort key values a cursor holds, as the database compares them."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        raise InvalidCursor("This cursor is not one the list gave.") from None
    if name != fingerprint(keys) or not isinstance(values, list) or len(values) != len(keys):
        raise InvalidCursor("This cursor is from a list sorted differently.")
    annotations = with_sort_keys(queryset, keys).query.annotations
    parsed = []
    for index, value in enumerate(values):
        field = annotations[f"{KEY_PREFIX}{index}"].output_field
        if not isinstance(value, str | int) or isinstance(value, bool) or not _storable(value):
            raise InvalidCursor("This cursor is not one the list gave.")
        try:
            parsed.append(_comparable(field.to_python(value)))
        except (ValidationError, ValueError, TypeError, OverflowError):
            raise InvalidCursor("This cursor is not one the list gave.") from None
    return parsed


def _comparable(value):
    """Return a parsed key as the database will compare it, or raise ``ValueError``.

    A cursor is readable JSON that anyone can edit: the field's parser accepts
    values no column holds, which then failed inside the query (a 500). A moment
    is compared in UTC (year 1 at +23:59 is before the calendar starts), a number
    must fit 64 bits and a decimal must be finite.
    """
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("past a 64-bit column")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("not a finite number")
    return value


def _storable(value) -> bool:
    """Say whether a database can take ``value``: text without NUL (PostgreSQL refuses
    it), encodable as UTF-8 (half a surrogate pair is not)."""
    if not isinstance(value, str):
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def rows_after(queryset: QuerySet, keys: tuple[OrderBy, ...], values: list) -> QuerySet:
    """Return the rows that sort after the row whose keys are ``values``.

    ``key_0 >= v_0 AND (key_0 > v_0 OR (key_0 = v_0 AND key_1 > v_1) ...)``: the
    first condition lets the database start its index walk at the row.
    """
    return queryset.filter(*_conditions(keys, values, backwards=False))


def rows_before(queryset: QuerySet, keys: tuple[OrderBy, ...], values: list) -> QuerySet:
    """Return the rows that sort before the row whose keys are ``values``, nearest first."""
    return queryset.filter(*_conditions(keys, values, backwards=True)).reverse()


def _conditions(keys, values, *, backwards: bool) -> tuple[Q, Q]:
    later, equal = Q(), Q()
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        name = f"{KEY_PREFIX}{index}"
        smaller = key.descending != backwards
        later |= equal & Q((f"{name}__{'lt' if smaller else 'gt'}", value))
        equal &= Q((name, value))
    first_smaller = keys[0].descending != backwards
    start = Q((f"{KEY_PREFIX}0__{'lte' if first_smaller else 'gte'}", values[0]))
    return start, later
