import pytest

pytestmark = pytest.mark.django_db


def test_manager_lists_customers(manager_client):
    response = manager_client.get("/api/customers")
    assert response.status_code == 200
    assert response.json()["count"] == 0
