"""The customer REST API: every verb, with and without the trailing slash, and every rule."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer
from customers.validators import MESSAGES
from tests.api_helpers import SLASHES, assert_problem, post_json
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

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
        "birthday",
        "preferredContact",
        "marketingConsent",
        "note",
        "alert",
        "tags",
        "homeStoreId",
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
    # At the start of the name: a search of one or two characters is a prefix.
    literal = CustomerFactory(name=f"{term} Odd Name", email="odd@example.com")
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


def test_a_till_quick_add_costs_a_fixed_number_of_queries(manager_client):
    manager_client.get("/api/customers")  # warm the user's permission cache
    with CaptureQueriesContext(connection) as queries:
        response = post_json(
            manager_client, "/api/customers", {"name": "Quick Add", "email": "quick@shop.test"}
        )
    assert response.status_code == 201
    assert response.json()["tags"] == []
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    # The till's store (the chain's only till: its home store), the email check, the
    # insert and its event, in savepoints: a customer given no tags has none, so neither
    # its history nor the response asks for them.
    assert [s for s in statements if s not in ("SAVEPOINT", "RELEASE")] == [
        "SELECT",
        "SELECT",
        "INSERT",
        "INSERT",
    ], statements
    customer = Customer.objects.get(pk=response.json()["id"])
    (event,) = customer.events.all()
    assert event.changes["name"] == [None, "Quick Add"]
    assert "tags" not in event.changes


def test_a_customer_created_with_tags_shows_them(manager_client):
    response = post_json(manager_client, "/api/customers", {"name": "Tagged", "tags": ["vip"]})
    assert response.status_code == 201
    assert response.json()["tags"] == ["vip"]
    customer = Customer.objects.get(pk=response.json()["id"])
    assert customer.events.get().changes["tags"] == [None, ["vip"]]


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


def test_put_leaves_each_field_it_was_not_given_as_a_new_customer_has_it(manager_client):
    customer = CustomerFactory(
        email="keep@example.com",
        birthday=datetime.date(1990, 3, 14),
        preferred_contact="sms",
        email_consent=True,
        sms_consent=True,
        note="Prefers email",
    )
    response = manager_client.put(
        f"/api/customers/{customer.pk}",
        data=json.dumps({"name": "Replaced"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    fresh = Customer(name="Replaced")
    for field in ("email", "phone", "address", "birthday", "preferred_contact", "note"):
        assert getattr(customer, field) == getattr(fresh, field), field
    assert (customer.email_consent, customer.sms_consent) == (False, False)


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


# --- roles -----------------------------------------------------------------------------------


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


# --- schema and docs --------------------------------------------------------------------


def test_openapi_schema_describes_customers(manager_client):
    response = manager_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/customers" in "".join(schema["paths"])
    properties = schema["components"]["schemas"]["Customer"]["properties"]
    assert {"loyaltyPoints", "createdAt"} <= set(properties)


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"email": None, "phone": None, "address": None, "note": None},
        {
            "address": "1 Rue de l'Église, Zoë's",
            "birthday": "1990-02-28",
            "preferred_contact": "sms",
            "email_consent": True,
            "sms_consent": True,
            "note": "Allergic to nuts 🥜",
            "loyalty_points": 1234,
            "status": "inactive",
        },
    ],
    ids=["defaults", "nothing-given", "everything"],
)
def test_the_json_of_a_customer_is_what_drfs_fields_give(fields):
    """The serializer writes a customer's JSON directly; DRF's field walk gives the same."""
    from rest_framework import serializers

    from customers.api.serializers import CustomerSerializer
    from customers.models import Tag

    customer = CustomerFactory(**fields)
    customer.tags.add(Tag.objects.create(name="vip"), Tag.objects.create(name="Wholesale"))
    for row in (customer, Customer.objects.with_tag_names().get(pk=customer.pk)):
        serializer = CustomerSerializer(row)
        by_fields = serializers.ModelSerializer.to_representation(serializer, row)
        assert json.loads(json.dumps(serializer.data)) == json.loads(json.dumps(by_fields))
        assert list(serializer.data) == list(by_fields)
