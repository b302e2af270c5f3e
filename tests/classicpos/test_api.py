"""The API's shared plumbing: problem documents, idempotency, authentication, request ids,
logging and the schema. Customers are the resource these go through; every app's
endpoints share the same code (``classicpos/api/``)."""

import logging

import pytest
from rest_framework.test import APIClient

from classicpos.request_id import RequestIdLogFilter
from customers.models import Customer
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/customers/999999", "/api/customers/abc", "/api/nothing"])
def test_unknown_resource_is_a_404_problem(manager_client, path):
    assert_problem(manager_client.get(path), 404)


def test_malformed_json_is_a_400_problem(manager_client):
    response = manager_client.post("/api/customers", data="{bad", content_type="application/json")
    body = assert_problem(response, 400)
    assert "not valid JSON" in body["detail"]


def test_json_that_is_not_an_object_is_a_400_problem(manager_client):
    assert_problem(post_json(manager_client, "/api/customers", ["a", "list"]), 400)


def test_wrong_content_type_is_a_415_problem(manager_client):
    response = manager_client.post("/api/customers", data="name=A", content_type="text/plain")
    assert_problem(response, 415)


def test_method_not_allowed_is_a_405_problem(manager_client):
    assert_problem(manager_client.patch("/api/customers", data={}, format="json"), 405)


def test_retry_with_same_key_replays_the_first_answer(manager_client):
    payload = {"name": "Once Only", "email": "once@example.com"}
    first = post_json(manager_client, "/api/customers", payload, HTTP_IDEMPOTENCY_KEY="k-1")
    second = post_json(manager_client, "/api/customers/", payload, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Customer.objects.count() == 1


def test_same_key_with_a_different_body_is_a_409(manager_client):
    post_json(manager_client, "/api/customers", {"name": "One"}, HTTP_IDEMPOTENCY_KEY="k-2")
    response = post_json(
        manager_client, "/api/customers", {"name": "Two"}, HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert_problem(response, 409)
    assert Customer.objects.count() == 1


def test_a_failed_request_does_not_burn_its_key(manager_client):
    bad = post_json(manager_client, "/api/customers", {"name": ""}, HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 400
    good = post_json(manager_client, "/api/customers", {"name": "Ok"}, HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201


def test_keys_belong_to_their_user(manager_client, cashier_client):
    payload = {"name": "Shared Key"}
    post_json(manager_client, "/api/customers", payload, HTTP_IDEMPOTENCY_KEY="same")
    post_json(cashier_client, "/api/customers", payload, HTTP_IDEMPOTENCY_KEY="same")
    assert Customer.objects.count() == 2


def test_without_a_key_each_post_creates(manager_client):
    post_json(manager_client, "/api/customers", {"name": "A"})
    post_json(manager_client, "/api/customers", {"name": "A"})
    assert Customer.objects.count() == 2


def test_an_overlong_key_is_a_400(manager_client):
    response = post_json(
        manager_client, "/api/customers", {"name": "A"}, HTTP_IDEMPOTENCY_KEY="k" * 300
    )
    assert "Idempotency-Key" in assert_problem(response, 400)["errors"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/customers"),
        ("post", "/api/customers"),
        ("get", "/api/customers/1"),
        ("put", "/api/customers/1"),
        ("patch", "/api/customers/1"),
        ("delete", "/api/customers/1"),
        ("post", "/api/customers/1/restore"),
    ],
)
def test_unauthenticated_requests_get_401(anonymous_client, method, path):
    response = getattr(anonymous_client, method)(path)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_schema_needs_authentication_too(anonymous_client):
    response = anonymous_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401


def test_token_endpoint_and_token_authentication(anonymous_client, manager):
    tokens = []
    for path in ("/api/auth/token", "/api/auth/token/"):
        response = post_json(
            anonymous_client, path, {"username": "manager", "password": TEST_PASSWORD}
        )
        assert response.status_code == 200
        assert set(response.json()) == {"token", "expiry"}
        tokens.append(response.json()["token"])
    assert len(set(tokens)) == 2  # one token per till, each revocable on its own
    for token in tokens:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/customers").status_code == 200


def test_token_endpoint_refuses_a_wrong_password(anonymous_client, manager):
    response = post_json(
        anonymous_client, "/api/auth/token", {"username": "manager", "password": "wrong"}
    )
    assert assert_problem(response, 400)["errors"]


def test_bad_token_is_401(anonymous_client):
    anonymous_client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert_problem(anonymous_client.get("/api/customers"), 401)


def test_session_authentication_works(client, manager):
    client.force_login(manager)
    assert client.get("/api/customers").status_code == 200


def test_non_staff_user_is_forbidden():
    user = UserFactory(username="shopper", is_staff=False)
    client = APIClient()
    client.force_authenticate(user)
    assert_problem(client.get("/api/customers"), 403)


def test_staff_without_a_role_cannot_even_read():
    client = APIClient()
    client.force_authenticate(UserFactory(username="norole"))
    assert_problem(client.get("/api/customers"), 403)


def test_request_id_is_echoed_or_generated(manager_client):
    response = manager_client.get("/api/customers", HTTP_X_REQUEST_ID="till-7-abc")
    assert response["X-Request-ID"] == "till-7-abc"
    generated = manager_client.get("/api/customers")["X-Request-ID"]
    assert len(generated) == 32
    unsafe = manager_client.get("/api/customers", HTTP_X_REQUEST_ID="<script>")
    assert unsafe["X-Request-ID"] != "<script>"


def test_unexpected_error_is_a_500_problem_logged_with_the_request_id(
    manager_client, monkeypatch, caplog
):
    def explode(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("customers.api.views.customer_list", explode)
    with caplog.at_level(logging.ERROR, logger="classicpos.api"):
        response = manager_client.get("/api/customers", HTTP_X_REQUEST_ID="req-500")
    body = assert_problem(response, 500)
    assert "database on fire" not in response.content.decode()
    assert "logged" in body["detail"]
    record = next(r for r in caplog.records if r.name == "classicpos.api")
    assert record.exc_info is not None
    RequestIdLogFilter().filter(record)
    assert record.request_id == "req-500"


def test_client_errors_are_logged_at_warning(manager_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        manager_client.get("/api/customers/999999", HTTP_X_REQUEST_ID="req-404")
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_swagger_ui_is_served_without_a_cdn(manager_client):
    response = manager_client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr" not in html
    assert "unpkg.com" not in html


def test_nested_errors_are_flattened_with_indexes():
    from classicpos.api.exceptions import flatten_errors

    detail = {"lines": {0: {"quantity": ["Bad."]}}, "payments": [{}, {"amount": ["Worse."]}]}
    assert flatten_errors(detail) == {
        "lines[0].quantity": ["Bad."],
        "payments[1].amount": ["Worse."],
    }


def test_counts_stop_at_the_cap_and_pages_still_lead_on(manager_client, monkeypatch):
    from classicpos.api.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "count_limit", 10)
    CustomerFactory.create_batch(23)
    first = manager_client.get("/api/customers?pageSize=5").json()
    assert first["count"] == 10  # "at least 10": counting stopped there
    assert first["next"].endswith("page=2&pageSize=5")
    last = manager_client.get("/api/customers?pageSize=5&page=5").json()
    assert len(last["results"]) == 3  # rows 21-23, past the counted 10
    assert last["next"] is None
    assert manager_client.get("/api/customers?pageSize=5&page=6").status_code == 404
    few = manager_client.get("/api/customers?pageSize=5&search=zzz-none").json()
    assert (few["count"], few["next"]) == (0, None)
