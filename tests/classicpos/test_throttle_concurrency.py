"""On PostgreSQL, many token requests from one address at once: the rate limit still holds.

Each request counts the address's recent hits and adds its own; without a lock,
ten requests that counted at the same moment would all see room and all pass.
"""

import json
import threading

import pytest
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient

from classicpos.throttling import LoginRateThrottle

THREADS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent requests need PostgreSQL (make test-postgres); "
        "SQLite serialises every write transaction instead.",
    ),
]


@override_settings(AXES_ENABLED=False)
def test_ten_token_requests_at_once_pass_the_limit_only_as_often_as_it_allows(monkeypatch):
    monkeypatch.setattr(LoginRateThrottle, "THROTTLE_RATES", {"login": "3/min"})
    statuses = []
    start = threading.Barrier(THREADS)

    def one():
        try:
            start.wait()
            response = APIClient(REMOTE_ADDR="10.0.0.9").post(
                "/api/auth/token",
                data=json.dumps({"username": "nobody", "password": "wrong"}),
                content_type="application/json",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [400] * 3 + [429] * (THREADS - 3)
