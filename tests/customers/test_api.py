"""The customer REST API: every verb, with and without the trailing slash, and every rule."""

import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from classicpos.request_id import RequestIdLogFilter
from customers.models import Customer
from customers.validators import MESSAGES
from tests.customers.factories import CustomerFactory
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

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


# --- list -----------------------------------------------------------------------------


@SLASHES
def test_list_is_paginated_with_camel_case_keys(manager_client, slash):
    CustomerFactory.create_batch(3)
    response = manager_client.get(f"/api/customers{slash}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert set(body["results"][0]) == {
        "id",
        "name",
        "email",
        "phone",
        "phoneDisplay",
        "address",
        "loyaltyPoints",
        "status",
        "createdAt",
        "updatedAt",
    }
    assert body["results"][0]["createdAt"].endswith("Z")


def test_page_size_is_capped_at_100(manager_client):
    CustomerFactory.create_batch(105)
    body = manager_client.get("/api/customers?pageSize=500").json()
    assert len(body["results"]) == 100
    body = manager_client.get("/api/customers?pageSize=10&page=2").json()
    assert len(body["results"]) == 10
    assert "page=3" in body["next"]


def test_list_query_count_does_not_grow_with_rows(manager_client, django_assert_num_queries):
    manager_client.get("/api/customers")  # warm the user's permission cache
    CustomerFactory.create_batch(5)
    with CaptureQueriesContext(connection) as five:
        manager_client.get("/api/customers")
    assert len(five.captured_queries) == 2  # count and page; permissions are cached
    CustomerFactory.create_batch(45)
    # count + page: the same for 5 rows and 50.
    with django_assert_num_queries(len(five.captured_queries)):
        response = manager_client.get("/api/customers?pageSize=100")
    assert response.json()["count"] == 50
    assert len(five.captured_queries) == 2


def test_search_matches_name_email_and_phone_digits(manager_client):
    ann = CustomerFactory(name="Ann Example", email="ann@shop.test", phone="+14155552671")
    CustomerFactory(name="Bob Other", email="bob@other.test", phone="+12125550100")
    for term in ["ann ex", "ANN@SHOP", "555-2671", "(415) 555 2671", "4155552671"]:
        results = manager_client.get("/api/customers", {"search": term}).json()["results"]
        assert [row["id"] for row in results] == [ann.pk], term


@pytest.mark.parametrize("term", ["'; DROP TABLE customers; --", "%", "_", "%_", "\\"])
def test_search_input_is_taken_literally(manager_client, term):
    CustomerFactory(name="Plain Name", email="plain@example.com")
    literal = CustomerFactory(name=f"Odd {term} Name", email="odd@example.com")
    results = manager_client.get("/api/customers", {"search": term}).json()["results"]
    assert [row["id"] for row in results] == [literal.pk]
    assert "customers" in connection.introspection.table_names()


def test_status_filter(manager_client):
    active = CustomerFactory(name="A")
    inactive = CustomerFactory(name="B", status="inactive")

    def ids(status):
        query = {"status": status} if status else {}
        return [r["id"] for r in manager_client.get("/api/customers", query).json()["results"]]

    assert ids("active") == [active.pk]
    assert ids("inactive") == [inactive.pk]
    assert ids("all") == [active.pk, inactive.pk]
    assert ids(None) == [active.pk, inactive.pk]
    body = assert_problem(manager_client.get("/api/customers?status=gone"), 400)
    assert "status" in body["errors"]


def test_ordering(manager_client):
    bea = CustomerFactory(name="bea", loyalty_points=5)
    adam = CustomerFactory(name="Adam", loyalty_points=50)
    carl = CustomerFactory(name="Carl", loyalty_points=1)

    def ids(ordering):
        rows = manager_client.get("/api/customers", {"ordering": ordering}).json()["results"]
        return [row["id"] for row in rows]

    assert ids("name") == [adam.pk, bea.pk, carl.pk]
    assert ids("-name") == [carl.pk, bea.pk, adam.pk]
    assert ids("loyaltyPoints") == [carl.pk, bea.pk, adam.pk]
    assert ids("-loyaltyPoints") == [adam.pk, bea.pk, carl.pk]
    assert ids("createdAt") == [bea.pk, adam.pk, carl.pk]
    assert ids("-createdAt") == [carl.pk, adam.pk, bea.pk]
    assert_problem(manager_client.get("/api/customers?ordering=email"), 400)


def test_ranges(manager_client):
    old = CustomerFactory(name="Old", loyalty_points=10)
    new = CustomerFactory(name="New", loyalty_points=200)
    Customer.objects.filter(pk=old.pk).update(created_at="2024-01-01T00:00:00Z")

    def ids(**query):
        return [r["id"] for r in manager_client.get("/api/customers", query).json()["results"]]

    assert ids(createdAfter="2025-01-01") == [new.pk]
    assert ids(createdBefore="2025-01-01T00:00:00Z") == [old.pk]
    assert ids(minPoints=100) == [new.pk]
    assert ids(maxPoints=100) == [old.pk]
    assert ids(minPoints=5, maxPoints=500) == [new.pk, old.pk]
    body = assert_problem(manager_client.get("/api/customers?minPoints=many"), 400)
    assert "minPoints" in body["errors"]
    assert_problem(manager_client.get("/api/customers?createdAfter=yesterday"), 400)


# --- retrieve / create / update -------------------------------------------------------------


@SLASHES
def test_retrieve(manager_client, slash):
    customer = CustomerFactory(phone="+14155552671")
    response = manager_client.get(f"/api/customers/{customer.pk}{slash}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == customer.pk
    assert body["phone"] == "+14155552671"
    assert body["phoneDisplay"] == "(415) 555-2671"


@pytest.mark.parametrize("path", ["/api/customers/999999", "/api/customers/abc", "/api/nothing"])
def test_unknown_resource_is_a_404_problem(manager_client, path):
    assert_problem(manager_client.get(path), 404)


@SLASHES
def test_create_returns_201_with_location(manager_client, slash):
    response = post_json(
        manager_client,
        f"/api/customers{slash}",
        {"name": " Jane Doe ", "email": "JANE@X.COM", "phone": "415-555-2671"},
    )
    assert response.status_code == 201
    body = response.json()
    assert response["Location"].endswith(f"/api/customers/{body['id']}")
    assert body["name"] == "Jane Doe"
    assert body["email"] == "jane@x.com"
    assert body["phone"] == "+14155552671"
    assert body["loyaltyPoints"] == 0
    assert body["status"] == "active"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({}, "name", "This field is required."),
        ({"name": ""}, "name", MESSAGES["name_required"]),
        ({"name": "  "}, "name", MESSAGES["name_required"]),
        ({"name": "x" * 201}, "name", MESSAGES["name_too_long"]),
        ({"name": "A", "email": "nope"}, "email", MESSAGES["email_invalid"]),
        ({"name": "A", "phone": "123"}, "phone", MESSAGES["phone_invalid"]),
        ({"name": "A", "address": "a" * 501}, "address", MESSAGES["address_too_long"]),
        ({"name": "A", "loyaltyPoints": 500}, "loyaltyPoints", "This field is read-only."),
        ({"name": "A", "id": 7}, "id", "This field is read-only."),
        ({"name": "A", "status": "inactive"}, "status", "This field is read-only."),
        ({"name": "A", "createdAt": "2020-01-01"}, "createdAt", "This field is read-only."),
        ({"name": "A", "nickname": "Al"}, "nickname", "Unknown field."),
    ],
)
def test_create_validation_errors_name_the_field(manager_client, payload, field, message):
    body = assert_problem(post_json(manager_client, "/api/customers", payload), 400)
    assert body["errors"][field] == [message]
    assert body["type"].endswith("validation-error")
    assert Customer.objects.count() == 0


def test_duplicate_email_is_a_400_naming_the_owner(manager_client):
    owner = CustomerFactory(name="First Owner", email="taken@example.com")
    body = assert_problem(
        post_json(manager_client, "/api/customers", {"name": "B", "email": "Taken@Example.com"}),
        400,
    )
    assert body["errors"]["email"] == [
        f"First Owner (customer #{owner.pk}) already has this email."
    ]


def test_malformed_json_is_a_400_problem(manager_client):
    response = manager_client.post("/api/customers", data="{bad", content_type="application/json")
    body = assert_problem(response, 400)
    assert "not valid JSON" in body["detail"]


def test_json_that_is_not_an_object_is_a_400_problem(manager_client):
    assert_problem(post_json(manager_client, "/api/customers", ["a", "list"]), 400)


def test_wrong_content_type_is_a_415_problem(manager_client):
    response = manager_client.post("/api/customers", data="name=A", content_type="text/plain")
    assert_problem(response, 415)


@SLASHES
def test_put_replaces_editable_fields(manager_client, slash):
    customer = CustomerFactory(email="keep@example.com", address="Somewhere")
    response = manager_client.put(
        f"/api/customers/{customer.pk}{slash}",
        data=json.dumps({"name": "Replaced", "phone": "+442079460958"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Replaced"
    assert body["email"] is None
    assert body["address"] is None
    assert body["phone"] == "+442079460958"


def test_put_without_name_is_a_400(manager_client):
    customer = CustomerFactory()
    response = manager_client.put(
        f"/api/customers/{customer.pk}",
        data=json.dumps({"email": "a@b.co"}),
        content_type="application/json",
    )
    assert assert_problem(response, 400)["errors"]["name"] == ["This field is required."]


@SLASHES
def test_patch_changes_only_the_given_fields(manager_client, slash):
    customer = CustomerFactory(name="Same", email="old@example.com")
    response = manager_client.patch(
        f"/api/customers/{customer.pk}{slash}",
        data=json.dumps({"email": "new@example.com"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Same"
    assert response.json()["email"] == "new@example.com"


def test_patch_cannot_change_points(manager_client):
    customer = CustomerFactory()
    response = manager_client.patch(
        f"/api/customers/{customer.pk}",
        data=json.dumps({"loyaltyPoints": 1000}),
        content_type="application/json",
    )
    assert assert_problem(response, 400)["errors"]["loyaltyPoints"]
    customer.refresh_from_db()
    assert customer.loyalty_points == 0


def test_method_not_allowed_is_a_405_problem(manager_client):
    assert_problem(manager_client.patch("/api/customers", data={}, format="json"), 405)


# --- delete (deactivate) and restore ----------------------------------------------------


@SLASHES
def test_delete_deactivates_and_is_idempotent(manager_client, slash):
    customer = CustomerFactory()
    for _ in range(2):
        response = manager_client.delete(f"/api/customers/{customer.pk}{slash}")
        assert response.status_code == 204
    customer.refresh_from_db()
    assert customer.status == "inactive"
    assert manager_client.get(f"/api/customers/{customer.pk}").json()["status"] == "inactive"


@SLASHES
def test_restore_is_idempotent(manager_client, slash):
    customer = CustomerFactory(status="inactive")
    for _ in range(2):
        response = manager_client.post(f"/api/customers/{customer.pk}/restore{slash}")
        assert response.status_code == 200
        assert response.json()["status"] == "active"


def test_delete_unknown_customer_is_404(manager_client):
    assert_problem(manager_client.delete("/api/customers/424242"), 404)


# --- idempotency -------------------------------------------------------------------------------


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


# --- authentication, roles -------------------------------------------------------------------


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
    for path in ("/api/auth/token", "/api/auth/token/"):
        response = post_json(
            anonymous_client, path, {"username": "manager", "password": TEST_PASSWORD}
        )
        assert response.status_code == 200
        assert response.json() == {"token": Token.objects.get(user=manager).key}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=manager).key}")
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


def test_cashier_finds_views_adds_and_edits(cashier_client):
    customer = CustomerFactory()
    assert cashier_client.get("/api/customers").status_code == 200
    assert cashier_client.get(f"/api/customers/{customer.pk}").status_code == 200
    assert post_json(cashier_client, "/api/customers", {"name": "New"}).status_code == 201
    response = cashier_client.patch(
        f"/api/customers/{customer.pk}",
        data=json.dumps({"name": "Fixed typo"}),
        content_type="application/json",
    )
    assert response.status_code == 200


def test_cashier_cannot_deactivate_or_restore(cashier_client):
    customer = CustomerFactory()
    assert_problem(cashier_client.delete(f"/api/customers/{customer.pk}"), 403)
    assert_problem(cashier_client.post(f"/api/customers/{customer.pk}/restore"), 403)
    customer.refresh_from_db()
    assert customer.status == "active"


def test_manager_deactivates_and_restores(manager_client):
    customer = CustomerFactory()
    assert manager_client.delete(f"/api/customers/{customer.pk}").status_code == 204
    assert manager_client.post(f"/api/customers/{customer.pk}/restore").status_code == 200


# --- request ids, logging, 500 ----------------------------------------------------------------


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

    monkeypatch.setattr("customers.api.filters.customer_list", explode)
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


# --- schema and docs --------------------------------------------------------------------


def test_openapi_schema_describes_customers(manager_client):
    response = manager_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/customers" in "".join(schema["paths"])
    properties = schema["components"]["schemas"]["Customer"]["properties"]
    assert {"loyaltyPoints", "createdAt"} <= set(properties)


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
