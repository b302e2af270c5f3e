"""Helpers for API tests of every app: problem documents and JSON posts."""

import json

import pytest

PROBLEM = "application/problem+json"
SLASHES = pytest.mark.parametrize("slash", ["", "/"])


def assert_problem(response, status: int) -> dict:
    """Assert an RFC 9457 problem document with this status and return it."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert "Traceback" not in response.content.decode()
    return body


def post_json(client, url, data, **headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)
