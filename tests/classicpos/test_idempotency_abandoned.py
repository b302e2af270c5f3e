"""A worker killed mid-request leaves its key reserved: the retry must not wait minutes.

A reservation lives as long as the request that made it: on PostgreSQL the request
holds a lock on its key (the database drops it when the worker's connection dies),
so a reservation nobody holds is taken over at once; on either database a
reservation older than ``CLASSICPOS_REQUEST_TIMEOUT_SECONDS`` (the server's worker
timeout: no request lives longer) is taken over.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from classicpos.api import idempotency
from classicpos.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

BODY = {"name": "Ada Retry"}


@pytest.fixture(autouse=True)
def short_wait(monkeypatch):
    """A live holder makes the retry wait this long before its 409 (10 s in production)."""
    monkeypatch.setattr(idempotency, "IN_PROGRESS_WAIT_SECONDS", 0.3)


def _abandoned_reservation(user, *, age: timedelta) -> IdempotencyRecord:
    """The row a worker killed mid-create leaves: reserved, never answered, held by nobody."""
    record = IdempotencyRecord.objects.create(
        user=user,
        key="killed-worker",
        method="POST",
        path="/api/customers",
        request_fingerprint=idempotency._fingerprint(BODY),
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)
    return record


def _retry(client):
    return client.post(
        "/api/customers",
        json.dumps(BODY),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="killed-worker",
    )


def test_a_reservation_older_than_the_request_timeout_is_taken_over(
    manager_client, manager, settings
):
    settings.CLASSICPOS_REQUEST_TIMEOUT_SECONDS = 30
    _abandoned_reservation(manager, age=timedelta(seconds=31))
    response = _retry(manager_client)
    assert response.status_code == 201, response.content
    assert IdempotencyRecord.objects.get(key="killed-worker").response_status == 201


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no lock to ask")
def test_a_reservation_no_live_request_holds_is_taken_over_at_once(manager_client, manager):
    _abandoned_reservation(manager, age=timedelta(seconds=1))
    response = _retry(manager_client)
    assert response.status_code == 201, response.content


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL asks the lock")
def test_a_young_reservation_is_still_waited_for(manager_client, manager, settings):
    """Without a lock to ask, a reservation younger than a request may be a live one."""
    settings.CLASSICPOS_REQUEST_TIMEOUT_SECONDS = 30
    _abandoned_reservation(manager, age=timedelta(seconds=5))
    response = _retry(manager_client)
    assert response.status_code == 409
    assert response["Retry-After"]
