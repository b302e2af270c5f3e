"""An htmx request without a session gets a 401, not the login page swapped in as results."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_htmx_request_after_the_session_ended_is_a_401(client):
    response = client.get("/customers/?search=ann", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert b"<form" not in response.content


def test_a_plain_request_still_goes_to_the_login_page(client):
    response = client.get("/customers/?search=ann")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_htmx_request_with_a_session_is_answered(client, cashier):
    client.force_login(cashier)
    response = client.get("/customers/?search=ann", headers={"HX-Request": "true"})
    assert response.status_code == 200
