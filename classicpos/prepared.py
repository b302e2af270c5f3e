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
from functools import cached_property

from django.conf import settings
from django.db import connections
from django.db.models import Expression, Model, QuerySet, TextField
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
    """SQL compiled once, with where each request's values go."""

    sql: str
    recipe: tuple
    compiler: SQLCompiler

    def params(self, values: Mapping[str, object]) -> list:
        return [values[item.name] if isinstance(item, SlotName) else item for item in self.recipe]

    def rows(self, values: Mapping[str, object]) -> list[tuple]:
        """Run the statement with ``values``; return its rows as the database gives them."""
        with connections[self.compiler.using].cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            return cursor.fetchall()

    def instances(self, values: Mapping[str, object]) -> list[Model]:
        """Run the statement with ``values``; return model instances, as the QuerySet would.

        Only for a statement of whole rows of one model (no ``select_related``), with
        its annotations set as attributes.
        """
        return self._read_instances(self.rows(values))

    @cached_property
    def _read_instances(self) -> Callable[[list[tuple]], list[Model]]:
        return _instance_reader(self.compiler)


def _instance_reader(compiler: SQLCompiler) -> Callable[[list[tuple]], list[Model]]:
    """Return what turns the rows of ``compiler``'s statement into instances (as ModelIterable)."""
    select = compiler.select
    klass_info = compiler.klass_info
    model = klass_info["model"]
    first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    attnames = [column[0].target.attname for column in select[first:last]]
    annotations = tuple(compiler.annotation_col_map.items())
    converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
    using = compiler.using

    def read(rows: list[tuple]) -> list[Model]:
        if converters:
            rows = compiler.apply_converters(rows, converters)
        instances = []
        for row in rows:
            instance = model.from_db(using, attnames, row[first:last])
            for name, position in annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances

    return read


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
        compiler, sql, recipe = _compile(build(slots(values)), naming=True)
        kept = Statement(sql=sql, recipe=recipe, compiler=compiler)
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
