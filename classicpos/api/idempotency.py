"""``Idempotency-Key`` for every API ``POST`` that creates something.

A till that loses its connection retries with the same key and gets the first
answer again instead of a second customer, sale or payment. Wrap the create
handler with :func:`run_idempotently` (or use :class:`IdempotentCreateMixin`).

As Stripe's keys do, the key is reserved (an in-progress record, committed on
its own) before the handler runs; a concurrent request with the same key waits
for that outcome and replays it.

A reservation lives as long as the request that made it, so a worker killed
mid-checkout does not block the till's retry: on PostgreSQL the request holds an
advisory lock on its key while it runs (the database drops it with the dead
worker's connection), and a reservation that no one holds is taken over at once;
on any database a reservation older than ``CLASSICPOS_REQUEST_TIMEOUT_SECONDS``
(the server's worker timeout: no request outlives it) is taken over.

An answer is replayed for ``CLASSICPOS_IDEMPOTENCY_TTL_HOURS`` and then
forgotten: each stored answer deletes the expired ones in its transaction (no
cron job to forget), and ``manage.py purge_idempotency_keys`` does the same. An
answer shows people's details, so each one records the objects it names
(:func:`answer_subjects`) and an erasure forgets them
(``IdempotencyRecord.objects.about``).
"""

import hashlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.response import Response

from classicpos.api.exceptions import Conflict
from classicpos.limits import is_whole_number
from classicpos.models import IdempotencyRecord, subject_tag
from classicpos.registry import Registry

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# How long a retry waits for the first request with its key before answering 409.
IN_PROGRESS_WAIT_SECONDS = 10
POLL_SECONDS = 0.05
# ``/api/<resource>/<id>`` at the start of a path or Location: the object it names.
RESOURCE_PATH = re.compile(r"^/api/(?P<resource>[a-z][a-z0-9-]*)/(?P<id>\d+)(?:/|$)")


# JSON keys that name an object of another resource (``customerId`` -> customers),
# registered by the app that owns the resource (``register_reference_key``).
@dataclass(frozen=True)
class ReferenceKey:
    name: str  # "customerId"
    resource: str  # "customers"


_reference_keys: Registry[ReferenceKey] = Registry("reference keys")


def register_reference_key(key: str, *, resource: str) -> None:
    """Say that a JSON key in request or answer bodies holds the id of a ``resource``."""
    _reference_keys.register(ReferenceKey(name=key, resource=resource))


def _referenced(data) -> Iterator[tuple[str, int]]:
    """Yield ``(resource, id)`` for every registered key with an id, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            reference = _reference_keys.get(key)
            if reference and is_whole_number(value):
                yield reference.resource, value
            else:
                yield from _referenced(value)
    elif isinstance(data, list):
        for item in data:
            yield from _referenced(item)


def answer_subjects(*, path: str, location: str, request_data, response_data) -> str:
    """Return the subject tags of a stored answer: every object its request or answer names.

    The path names the object acted on (``/api/customers/5/merge``), the
    ``Location`` the one created, and registered keys the others (a sale's
    ``customerId``, a merge's ``duplicateId``).
    """
    subjects = set(_referenced(request_data)) | set(_referenced(response_data))
    for url in (path, urlsplit(location).path):
        match = RESOURCE_PATH.match(url)
        if match:
            subjects.add((match["resource"], int(match["id"])))
    return "".join(subject_tag(resource, object_id) for resource, object_id in sorted(subjects))


def purge_expired_answers() -> int:
    """Delete the answers past their TTL; return how many went."""
    deleted, _per_model = IdempotencyRecord.objects.expired().delete()
    return deleted


def _fingerprint(data) -> str:
    """Return a hash of the parsed body, independent of key order and spacing."""
    canonical = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    """Return the stored answer, or refuse a different body sent with the same key."""
    if record.request_fingerprint != fingerprint:
        raise Conflict(
            "This Idempotency-Key was already used with a different request body. "
            "Use a new key for a new request."
        )
    headers = {"Idempotent-Replayed": "true"}
    if record.response_location:
        headers["Location"] = record.response_location
    return Response(record.response_body, status=record.response_status, headers=headers)


class KeyInProgress(Conflict):
    """The first request with this key is still running: retry in a moment."""

    default_detail = (
        "A request with this Idempotency-Key is still being processed. "
        "Retry in a moment to get its answer."
    )
    default_code = "idempotency-key-in-progress"
    wait = 1


def validated_key(request) -> str | None:
    """Return the request's key, or None without one; a blank or overlong key is a 400.

    Endpoints that are safe to retry without replaying (a quote) check it too, so
    the header means the same thing on every ``POST``.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {IDEMPOTENCY_HEADER: [f"Send a key of 1 to {MAX_KEY_LENGTH} characters."]}
        )
    return key


def _reserve(scope: dict, fingerprint: str) -> IdempotencyRecord | None:
    """Insert an in-progress record for the key and commit it at once; ``None`` if taken.

    The reservation is what makes a concurrent retry wait for this request's
    outcome instead of running the handler a second time (and being refused by
    what the first one did: "has 0 points", "already has this email").
    """
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(**scope, request_fingerprint=fingerprint)
    except IntegrityError:
        return None


def _release(record: IdempotencyRecord) -> None:
    """Forget a reservation whose request failed: a retry may carry corrected input."""
    IdempotencyRecord.objects.filter(pk=record.pk, response_status__isnull=True).delete()


class KeyLock:
    """This request's hold on its key while it runs: a PostgreSQL session advisory lock.

    The lock, not the reservation row, says whether the request that reserved
    the key is alive: the database releases it when that worker's connection
    dies, which no row can tell. Requests with one key take it in turn, before
    reserving, and keep it until the answer is stored: whoever holds it finds
    either an answer to replay or a reservation whose request is dead. SQLite
    has no such lock (``held`` stays False); there the reservation's age tells.
    """

    def __init__(self, scope: dict):
        digest = hashlib.sha256(repr(sorted(scope.items())).encode()).digest()
        self.id = int.from_bytes(digest[:8], "big", signed=True)
        self.held = False

    def take(self) -> None:
        """Hold the key, waiting while a live request does (then 409, as for a reservation)."""
        if connection.vendor != "postgresql":
            return
        deadline = time.monotonic() + IN_PROGRESS_WAIT_SECONDS
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.id])
                if cursor.fetchone()[0]:
                    self.held = True
                    return
                if time.monotonic() >= deadline:
                    raise KeyInProgress()
                time.sleep(POLL_SECONDS)

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.id])
        except DatabaseError:
            # A connection that broke took its session's locks with it; the error that
            # broke it is the one to report, not this.
            return


def _abandoned(record: IdempotencyRecord, lock: KeyLock) -> bool:
    """Say whether the request that reserved ``record`` is gone (killed mid-request).

    Its transaction rolled back with it, so nothing was done and the key is free.
    Holding the key's lock proves it on PostgreSQL; elsewhere a reservation older
    than any request may live proves it.
    """
    age = timezone.now() - record.created_at
    return lock.held or age > timedelta(seconds=settings.CLASSICPOS_REQUEST_TIMEOUT_SECONDS)


def _settled_record(scope: dict, lock: KeyLock) -> IdempotencyRecord | None:
    """Wait while another request holds the key; return its finished record, or ``None``
    once the key is free again (that request failed, or was abandoned)."""
    deadline = time.monotonic() + IN_PROGRESS_WAIT_SECONDS
    while True:
        record = IdempotencyRecord.objects.filter(**scope).first()
        if record is not None and record.is_expired:
            # Past its TTL the key is new again (and the old answer is forgotten).
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return None
        if record is None or record.response_status is not None:
            return record
        if _abandoned(record, lock):
            _release(record)
            return None
        if time.monotonic() >= deadline:
            raise KeyInProgress()
        time.sleep(POLL_SECONDS)


def run_idempotently(request, handler) -> Response:
    """Run ``handler`` once per key: reserve the key, run, store the success, replay it.

    A retry that arrives while the first request runs waits for its answer (up
    to a few seconds, then 409 with ``Retry-After``); it never runs the handler
    itself, so it can never be told that a successful request failed.
    """
    key = validated_key(request)
    if key is None:
        return handler()
    scope = {
        "user": request.user,
        "key": key,
        "method": request.method,
        "path": request.path.rstrip("/"),
    }
    fingerprint = _fingerprint(request.data)
    lock = KeyLock(scope)
    try:
        lock.take()
        while (record := _reserve(scope, fingerprint)) is None:
            settled = _settled_record(scope, lock)
            if settled is not None:
                return _replay(settled, fingerprint)
        return _run_reserved(request, handler, record)
    finally:
        lock.release()


def _run_reserved(request, handler, record: IdempotencyRecord) -> Response:
    """Run the handler for a reserved key; keep a success, forget a failure."""
    try:
        with transaction.atomic():
            response = handler()
            # Only successes are kept, in the same transaction as what they did.
            if 200 <= response.status_code < 300:
                record.response_status = response.status_code
                record.response_body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
                # Keys an answer gives once and nothing may keep (a gift card's code).
                for key in getattr(response, "not_kept", ()):
                    record.response_body[key] = None
                record.response_location = response.get("Location", "")
                record.subjects = answer_subjects(
                    path=record.path,
                    location=record.response_location,
                    request_data=request.data,
                    response_data=record.response_body,
                )
                record.save(
                    update_fields=[
                        "response_status",
                        "response_body",
                        "response_location",
                        "subjects",
                    ]
                )
                # Forgetting rides on writes: the table holds a TTL's worth of answers. After
                # the commit, in a transaction of its own: inside, it would lengthen the
                # handler's, which holds the store's number series until it commits.
                transaction.on_commit(purge_expired_answers)
                return response
    except BaseException:
        _release(record)
        raise
    _release(record)
    return response


class IdempotentCreateMixin:
    """Make a viewset's ``create`` honour the ``Idempotency-Key`` header."""

    def create(self, request, *args, **kwargs):
        return run_idempotently(
            request, lambda: super(IdempotentCreateMixin, self).create(request, *args, **kwargs)
        )
