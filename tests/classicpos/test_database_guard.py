"""A missing or broken database answers 503 and is never silently replaced by an empty one."""

from pathlib import Path

import pytest
from django.db import OperationalError, connection

from tests.api_helpers import assert_problem

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="Only SQLite creates a missing database file."
)


@sqlite_only
def test_a_missing_sqlite_file_is_a_503_and_is_not_recreated(manager_client, manager_page):
    manager_client.get("/api/customers")  # the test's connection is open
    path = Path(connection.settings_dict["NAME"])
    moved = path.with_suffix(".moved")
    path.rename(moved)
    try:
        response = manager_client.get("/api/customers")
        body = assert_problem(response, 503)
        assert "nothing was saved" in body["detail"]
        assert response["Retry-After"] == "30"
        page = manager_page.get("/customers/")
        assert page.status_code == 503
        assert "cannot reach its database" in page.content.decode()
        assert not path.exists()  # no empty database was made in its place
    finally:
        moved.rename(path)


def test_a_database_error_in_the_api_is_a_503_problem(manager_client, monkeypatch):
    def read_only(**kwargs):
        raise OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("customers.api.views.services.customer_create", read_only)
    response = manager_client.post(
        "/api/customers", {"name": "Ro"}, content_type="application/json"
    )
    body = assert_problem(response, 503)
    assert "unavailable" in body["type"]


def test_a_database_error_on_a_page_is_a_503(manager_page, monkeypatch):
    def read_only(**kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr("customers.views.profile.services.customer_create", read_only)
    response = manager_page.post("/customers/new/", {"name": "Ro"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
