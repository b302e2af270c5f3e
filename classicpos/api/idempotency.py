"""``Idempotency-Key`` for every API ``POST`` that creates something.

A till that loses its connection retries with the same key and gets the first
answer again instead of a second customer, sale or payment. Wrap the create
handler with :func:`run_idempotently` (or use :class:`IdempotentCreateMixin`).
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from rest_framework import exceptions
from rest_framework.response import Response

from classicpos.api.exceptions import Conflict
from classicpos.models import IdempotencyRecord

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


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


def run_idempotently(request, handler) -> Response:
    """Run ``handler`` once per key: store its success, replay it on a retry."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return handler()
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {IDEMPOTENCY_HEADER: [f"Send a key of 1 to {MAX_KEY_LENGTH} characters."]}
        )
    scope = {
        "user": request.user,
        "key": key,
        "method": request.method,
        "path": request.path.rstrip("/"),
    }
    fingerprint = _fingerprint(request.data)
    record = IdempotencyRecord.objects.filter(**scope).first()
    if record is not None:
        return _replay(record, fingerprint)
    try:
        with transaction.atomic():
            response = handler()
            # Only successes are kept: a retry after a 400 may carry corrected input.
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.create(
                    **scope,
                    request_fingerprint=fingerprint,
                    response_status=response.status_code,
                    response_body=json.loads(json.dumps(response.data, cls=DjangoJSONEncoder)),
                    response_location=response.get("Location", ""),
                )
    except IntegrityError:
        # A racing request with the same key committed first; ours rolled back whole.
        record = IdempotencyRecord.objects.filter(**scope).first()
        if record is None:
            raise
        return _replay(record, fingerprint)
    return response


class IdempotentCreateMixin:
    """Make a viewset's ``create`` honour the ``Idempotency-Key`` header."""

    def create(self, request, *args, **kwargs):
        return run_idempotently(
            request, lambda: super(IdempotentCreateMixin, self).create(request, *args, **kwargs)
        )
