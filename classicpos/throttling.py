"""Rate limits counted in the database, per client address as ``classicpos.client_ip`` reads it.

DRF's own throttles count in the cache, which is each worker's memory here, so
four workers allowed four times the rate; and they key on ``X-Forwarded-For``
as the client wrote it unless told how many proxies there are, so a new forged
header was a new, empty count. These count in a table every worker shares, per
the address the last trusted proxy (or the socket) saw.
"""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from classicpos.client_ip import client_ip
from classicpos.models import ThrottleHit


def _serialise(scope: str, client: str) -> None:
    """Make requests from one client count one at a time, until the transaction ends.

    Counting and adding are two statements: ten requests that counted at once would
    all see room. There is no row to lock before the first hit, so PostgreSQL takes
    an advisory lock on the pair (raw SQL: a backend feature, with parameters);
    SQLite's write transactions are IMMEDIATE, which already serialises them.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{scope} {client}"])


def hit_allowed(*, scope: str, client: str, limit: int, window: timedelta, now=None):
    """Count a hit of ``client`` in ``scope`` if fewer than ``limit`` came in the last
    ``window``; return ``(allowed, seconds until the oldest counted hit leaves the window)``.

    Its own transaction, serialised per scope and client: requests that count at once
    cannot all see room. A refused hit is not counted.
    """
    now = now or timezone.now()
    since = now - window
    with transaction.atomic():
        _serialise(scope, client)
        # Counts older than this scope's window go as new ones come: the table stays small.
        ThrottleHit.objects.filter(scope=scope, at__lt=since).delete()
        hits = list(
            ThrottleHit.objects.filter(scope=scope, client=client, at__gte=since)
            .order_by("at")
            .values_list("at", flat=True)[:limit]
        )
        if len(hits) >= limit:
            return False, (hits[0] - since).total_seconds()
        ThrottleHit.objects.create(scope=scope, client=client, at=now)
    return True, 0.0


class DatabaseRateThrottle(SimpleRateThrottle):
    """A sliding-window limit: at most ``num_requests`` in the last ``duration`` seconds."""

    def get_cache_key(self, request, view) -> str:
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        allowed, self.retry_after = hit_allowed(
            scope=self.scope,
            client=self.get_cache_key(request, view),
            limit=self.num_requests,
            window=timedelta(seconds=self.duration),
        )
        return allowed

    def wait(self) -> float:
        return max(getattr(self, "retry_after", 0), 0)


class LoginRateThrottle(DatabaseRateThrottle):
    """``POST /api/auth/token``: ``CLASSICPOS_TOKEN_LOGIN_RATE`` per client address."""

    scope = "login"
