"""One story of everything that happened to a customer, newest first.

``customers`` imports no other app, so each module contributes a
:class:`TimelineSource` from its ``AppConfig.ready()`` (as it does panels):
sales its sales and refunds, loyalty its points ledger, accounting invoices,
payments and store credit, CRM its activities, and ``customers`` its own
profile events. The timeline asks every source for one page and merges them,
so a page costs one query per source whatever the history's length.

Entries are ordered by ``(at, source, id)`` descending; that key is unique, so
the cursor (the key of the last entry shown) resumes exactly where a page
ended, even when several entries share a timestamp. A source answers
"the newest ``limit`` rows of this customer strictly before the cursor"; its
query filters with :meth:`TimelinePage.before` and orders by ``-at, -id``.
"""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from heapq import merge as heap_merge
from itertools import islice

from django.db.models import Q
from django.utils.dateparse import parse_datetime

from classicpos.registry import Registry

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "sale.completed": the module's noun, a dot, what happened
    summary: str  # one line, plain text, for staff
    source: str  # the contributing source's name (part of the ordering key)
    id: int  # the row's id within its source (part of the ordering key)
    actor: str | None = None  # who did it (a user name), when known
    link: str | None = None  # a path on this site that shows the thing
    changes: dict | None = None  # {"field": [old, new]} for customer.changed

    @property
    def key(self) -> tuple:
        return (self.at, self.source, self.id)


@dataclass(frozen=True)
class TimelinePage:
    """What a source is asked for: this customer's entries before ``cursor``, at most ``limit``."""

    customer: object
    limit: int = DEFAULT_LIMIT
    cursor: tuple | None = None  # (at, source, id) of the last entry already shown
    kind: str = ""  # a kind prefix ("customer", "sale.refunded"); empty for all

    def before(self, source: str, *, at: str, id: str = "pk") -> Q:
        """Return the condition "strictly before the cursor" for ``source``'s rows.

        ``at`` and ``id`` name the row's timestamp and id fields. With entries
        ordered by (at, source, id) descending, a source that sorts before the
        cursor's source still owes its rows at the cursor's very timestamp.
        """
        if self.cursor is None:
            return Q()
        cursor_at, cursor_source, cursor_id = self.cursor
        older = Q(**{f"{at}__lt": cursor_at})
        if source < cursor_source:
            return older | Q(**{at: cursor_at})
        if source == cursor_source:
            return older | Q(**{at: cursor_at, f"{id}__lt": cursor_id})
        return older

    def wants(self, kind: str) -> bool:
        """Return whether entries of ``kind`` pass the ``kind`` filter (a prefix by dotted part)."""
        return matches_kind(kind, self.kind)


def matches_kind(kind: str, prefix: str) -> bool:
    return not prefix or kind == prefix or kind.startswith(prefix + ".")


@dataclass(frozen=True)
class TimelineSource:
    name: str  # unique, stable: it is part of every cursor ("sales.sale")
    kinds: tuple[str, ...]  # every kind the source can produce, for the ``kind`` filter
    entries: Callable[[TimelinePage], list[TimelineEntry]]  # newest first, at most page.limit
    permission: str | None = None  # the permission a user needs to see these entries
    # What staff call the entries in the timeline's filter ("Sales and refunds"), and
    # the icon beside each: the module says it, so ``customers`` names no other module.
    label: str = ""
    icon: str = "bi-dot"


_sources: Registry[TimelineSource] = Registry("timeline sources")


def register_timeline_source(source: TimelineSource) -> None:
    _sources.register(source)


def timeline_sources() -> list[TimelineSource]:
    return list(_sources)


def timeline_filters(user) -> list[tuple[str, str]]:
    """Return the filter's choices (kind prefix, label) for the sources ``user`` may see."""
    labels = {}
    for source in _sources.for_user(user):
        for kind in source.kinds:
            prefix = kind.split(".", 1)[0]
            labels.setdefault(prefix, source.label or prefix.replace("_", " ").capitalize())
    return [("", "Everything"), *sorted(labels.items())]


def timeline_icon(kind: str) -> str:
    """The icon of an entry of ``kind``: its source's."""
    return next((source.icon for source in _sources if kind in source.kinds), "bi-dot")


def timeline_kinds() -> list[str]:
    """Return every kind some source can produce, sorted (for the filter's choices)."""
    return sorted({kind for source in _sources for kind in source.kinds})


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    next_cursor: str | None = None
    sources: list[str] = field(default_factory=list)


def customer_timeline(
    *, customer, user, limit: int = DEFAULT_LIMIT, cursor: str | None = None, kind: str = ""
) -> Timeline:
    """Return one page of ``customer``'s timeline that ``user`` may see, newest first.

    Raises ``ValueError`` for a cursor this function did not make.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    # Each source is asked for one entry more than the page: when one source holds all
    # the rest, that extra entry is how the page knows another one follows.
    page = TimelinePage(customer=customer, limit=limit + 1, cursor=decode_cursor(cursor), kind=kind)
    asked = [
        source
        for source in _sources
        if (not source.permission or user.has_perm(source.permission))
        and any(page.wants(source_kind) for source_kind in source.kinds)
    ]
    streams = [source.entries(page) for source in asked]
    merged = heap_merge(*streams, key=lambda entry: entry.key, reverse=True)
    entries = list(islice(merged, limit + 1))
    next_cursor = encode_cursor(entries[limit - 1].key) if len(entries) > limit else None
    return Timeline(
        entries=entries[:limit], next_cursor=next_cursor, sources=[s.name for s in asked]
    )


def encode_cursor(key: tuple) -> str:
    at, source, row_id = key
    raw = json.dumps([at.isoformat(), source, row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple | None:
    if not cursor:
        return None
    refused = ValueError("This cursor is not one the timeline gave.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at_text, source, row_id = json.loads(raw)
        at = parse_datetime(at_text).astimezone(UTC)
    except (binascii.Error, ValueError, TypeError, AttributeError, OverflowError):
        raise refused from None
    if not isinstance(source, str) or type(row_id) is not int or not 0 <= row_id < 2**63:
        raise refused
    return (at, source, row_id)
