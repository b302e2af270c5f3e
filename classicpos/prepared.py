"""Statements the ORM writes once per shape and the database then runs with new values.

A till search is the same two statements keystroke after keystroke: only the
typed text (and the ids it found) change. Building and compiling them as
QuerySets on every request was 1.5 ms of a 3.4 ms search (Python, not SQL).

A ``Slot`` is a named value a statement takes as a parameter. A QuerySet built
with slots runs like any other: each slot binds its own value. ``statement()``
compiles such a QuerySet once per key, noting which parameter each slot became;
afterwards it only binds the new values to the SQL it kept. The ORM stays the one
author of the SQL: the key must name everything the QuerySet's shape depends on,
and every value that changes from one request to the next must come from a slot.
``CLASSICPOS_VERIFY_PREPARED`` (on in the tests) holds the cache to that: each
run also builds and compiles the QuerySet afresh and compares.
"""

import contextvars
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import connections
from django.db.models import Expression, Model, QuerySet, TextField
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# While a statement is compiled for the cache, slots write their names, not their values.
_naming_slots = contextvars.ContextVar("naming_slots", default=False)

# Statements kept per process: enough for every shape a shop's searches take.
MAX_STATEMENTS = 512


@dataclass(frozen=True)
class SlotName:
    """Where a compiled statement takes the value of the slot ``name``."""

    name: str


class Slot(Expression):
    """A value the statement binds as one parameter, named so a prepared statement can bind anew."""

    def __init__(self, name: str, value, output_field=None):
        super().__init__(output_field=output_field or TextField())
        self.name = name
        self.value = value

    def as_sql(self, compiler, connection):
        return "%s", [SlotName(self.name) if _naming_slots.get() else self.value]

    def get_group_by_cols(self):
        return []


def slots(values: Mapping[str, object]) -> Callable[[str], Slot]:
    """Return ``slot(name)``: the slot of that name, bound to ``values[name]``."""
    return lambda name: Slot(name, values[name])


class PreparedMismatch(AssertionError):
    """A kept statement is not what the QuerySet compiles to now: its key misses something."""


@dataclass(frozen=True)
class Statement:
    """SQL compiled once, with where each request's values go.

    It keeps no database connection: the process keeps statements, and a thread's
    connection (the development server opens one per request) must go with its
    thread. What reads its rows on a connection lives on that connection (``_Rows``).
    """

    sql: str
    recipe: tuple
    using: str
    rows_of: "_Rows"

    def params(self, values: Mapping[str, object]) -> list:
        return [values[item.name] if isinstance(item, SlotName) else item for item in self.recipe]

    def rows(self, values: Mapping[str, object], connection=None) -> list[tuple]:
        """Run the statement with ``values``; return its rows as the database gives them."""
        with (connection or connections[self.using]).cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            return cursor.fetchall()

    def instances(self, values: Mapping[str, object]) -> list[Model]:
        """Run the statement with ``values``; return model instances, as the QuerySet would.

        Each with the related rows it selects (``select_related``) and its
        annotations set as attributes.
        """
        connection = connections[self.using]
        return self.rows_of.instances(connection, self.rows(values, connection))


class _Rows:
    """What turns a statement's rows into instances, as Django's ``ModelIterable`` does."""

    def __init__(self, query, compiler: SQLCompiler):
        self.query = query
        self.select = compiler.select
        self.col_count = compiler.col_count
        self.klass_info = compiler.klass_info
        self.annotations = tuple(compiler.annotation_col_map.items())
        self.model = self.klass_info["model"]
        fields = self.klass_info["select_fields"]
        self.columns = slice(fields[0], fields[-1] + 1)
        self.attnames = [column[0].target.attname for column in self.select[self.columns]]
        self.related = get_related_populators(self.klass_info, self.select, compiler.using)

    def _converters(self, connection) -> tuple:
        """Return the compiler and converters of ``connection``, kept on it (and gone with it)."""
        kept = connection.__dict__.setdefault("classicpos_prepared_rows", WeakKeyDictionary())
        found = kept.get(self)
        if found is None:
            compiler = self.query.get_compiler(connection=connection)
            expressions = [column[0] for column in self.select[: self.col_count]]
            found = kept[self] = (compiler, compiler.get_converters(expressions))
        return found

    def instances(self, connection, rows: list[tuple]) -> list[Model]:
        compiler, converters = self._converters(connection)
        if converters:
            rows = compiler.apply_converters(rows, converters)
        instances = []
        for row in rows:
            instance = self.model.from_db(connection.alias, self.attnames, row[self.columns])
            for populator in self.related:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


_statements: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _compile(queryset: QuerySet, *, naming: bool) -> tuple[SQLCompiler, str, tuple]:
    compiler = queryset.query.get_compiler(using=queryset.db)
    token = _naming_slots.set(naming)
    try:
        sql, params = compiler.as_sql()
    finally:
        _naming_slots.reset(token)
    return compiler, sql, tuple(params)


def statement(
    key: Hashable,
    build: Callable[[Callable[[str], Slot]], QuerySet],
    values: Mapping[str, object],
    *,
    using: str = "default",
) -> Statement:
    """Return the statement of ``build(slot)`` for ``key``, compiled on first use only.

    ``build`` makes the QuerySet from ``slot(name)``; ``key`` must name everything
    else its shape depends on (the same key, the same SQL). ``values`` are this
    run's: used to compile the first time, and to check the kept statement when
    ``CLASSICPOS_VERIFY_PREPARED`` is on.
    """
    cache_key = (using, connections[using].vendor, key)
    with _lock:
        kept = _statements.get(cache_key)
        if kept is not None:
            _statements.move_to_end(cache_key)
    if kept is None:
        queryset = build(slots(values))
        compiler, sql, recipe = _compile(queryset, naming=True)
        kept = Statement(
            sql=sql, recipe=recipe, using=using, rows_of=_Rows(queryset.query, compiler)
        )
        with _lock:
            _statements[cache_key] = kept
            while len(_statements) > MAX_STATEMENTS:
                _statements.popitem(last=False)
    if getattr(settings, "CLASSICPOS_VERIFY_PREPARED", False):
        _verify(kept, build, values)
    return kept


def _verify(kept: Statement, build, values: Mapping[str, object]) -> None:
    _, sql, params = _compile(build(slots(values)), naming=False)
    if (sql, list(params)) != (kept.sql, kept.params(values)):
        raise PreparedMismatch(
            f"kept: {kept.sql} {kept.params(values)!r}\nnow:  {sql} {list(params)!r}"
        )


def forget_statements() -> None:
    """Drop every kept statement (a test that changes the schema under them)."""
    with _lock:
        _statements.clear()
