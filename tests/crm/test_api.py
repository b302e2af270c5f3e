"""The CRM REST API: leads, conversion, activities, a customer's activities, roles and counts."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from crm.models import Activity, Lead
from customers.models import Customer
from tests.crm.factories import ActivityFactory, LeadActivityFactory, LeadFactory, TaskFactory
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SLASHES = pytest.mark.parametrize("slash", ["", "/"])


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


def post_json(client, url, data=None, **headers):
    return client.post(
        url,
        data=json.dumps(data if data is not None else {}),
        content_type="application/json",
        **headers,
    )


def patch_json(client, url, data):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- leads ------------------------------------------------------------------------------


@SLASHES
def test_lead_list_is_paginated_with_camel_case_keys(cashier_client, slash):
    LeadFactory.create_batch(3)
    body = cashier_client.get(f"/api/leads{slash}").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert set(body["results"][0]) == {
        "id",
        "name",
        "email",
        "phone",
        "phoneDisplay",
        "company",
        "source",
        "status",
        "ownerId",
        "ownerName",
        "notes",
        "customerId",
        "convertedAt",
        "createdAt",
        "updatedAt",
    }


def test_lead_list_query_count(cashier_client, django_assert_num_queries):
    cashier_client.get("/api/leads")  # warm the user's permission cache
    LeadFactory.create_batch(30)
    # count + one page with owners and customers joined, however many rows.
    with django_assert_num_queries(2):
        body = cashier_client.get("/api/leads?pageSize=100").json()
    assert body["count"] == 30


def test_lead_filters(cashier_client, cashier, manager):
    mine = LeadFactory(name="Mine New", owner=cashier, company="Acme Tools")
    theirs = LeadFactory(
        name="Theirs Qualified", owner=manager, status="qualified", phone="+14155552671"
    )
    lost = LeadFactory(name="Lost One", owner=manager, status="lost", email="LOST@shop.test")
    assert ids(cashier_client.get("/api/leads?status=new")) == [mine.pk]
    assert ids(cashier_client.get("/api/leads?status=open")) == [theirs.pk, mine.pk]
    assert ids(cashier_client.get(f"/api/leads?owner={manager.pk}")) == [lost.pk, theirs.pk]
    assert ids(cashier_client.get("/api/leads?owner=me")) == [mine.pk]
    assert ids(cashier_client.get("/api/leads?search=acme")) == [mine.pk]
    assert ids(cashier_client.get("/api/leads?search=lost@shop")) == [lost.pk]
    assert ids(cashier_client.get("/api/leads?search=(415) 555-2671")) == [theirs.pk]
    assert ids(cashier_client.get("/api/leads?ordering=name")) == [lost.pk, mine.pk, theirs.pk]
    body = assert_problem(cashier_client.get("/api/leads?status=gone&owner=x"), 400)
    assert set(body["errors"]) == {"status", "owner"}


def test_create_lead_normalises_and_defaults_the_owner(cashier_client, cashier):
    response = post_json(
        cashier_client,
        "/api/leads",
        {"name": " Ada ", "email": "ADA@example.com", "phone": "415 555 2671", "source": "web"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/leads/{body['id']}")
    assert (body["name"], body["email"], body["phone"], body["phoneDisplay"]) == (
        "Ada",
        "ada@example.com",
        "+14155552671",
        "(415) 555-2671",
    )
    assert (body["ownerId"], body["ownerName"], body["status"]) == (cashier.pk, "cashier", "new")


def test_create_lead_errors_are_problem_documents_beside_the_fields(cashier_client):
    body = assert_problem(
        post_json(cashier_client, "/api/leads", {"name": "", "phone": "12", "colour": "red"}), 400
    )
    assert body["errors"] == {"colour": ["Unknown field."]}
    body = assert_problem(post_json(cashier_client, "/api/leads", {"name": "", "phone": "12"}), 400)
    assert body["errors"]["name"] == ["Enter a name."]
    assert body["errors"]["phone"][0].startswith("Enter a valid phone number")
    body = assert_problem(
        post_json(cashier_client, "/api/leads", {"name": "X", "customerId": 1}), 400
    )
    assert body["errors"] == {"customerId": ["This field is read-only."]}
    assert not Lead.objects.exists()


def test_create_lead_honours_idempotency_key(cashier_client):
    payload = {"name": "Once Only"}
    first = post_json(cashier_client, "/api/leads", payload, HTTP_IDEMPOTENCY_KEY="lead-1")
    again = post_json(cashier_client, "/api/leads", payload, HTTP_IDEMPOTENCY_KEY="lead-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Lead.objects.count() == 1
    other = post_json(
        cashier_client, "/api/leads", {"name": "Other"}, HTTP_IDEMPOTENCY_KEY="lead-1"
    )
    assert_problem(other, 409)


@SLASHES
def test_get_and_patch_a_lead(cashier_client, slash):
    lead = LeadFactory(company="Old")
    assert cashier_client.get(f"/api/leads/{lead.pk}{slash}").json()["company"] == "Old"
    response = patch_json(
        cashier_client, f"/api/leads/{lead.pk}{slash}", {"company": "New Co", "status": "contacted"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["company"], response.json()["status"]) == ("New Co", "contacted")
    assert_problem(cashier_client.get("/api/leads/999999"), 404)


def test_leads_are_never_replaced_or_deleted(manager_client):
    lead = LeadFactory()
    assert_problem(manager_client.delete(f"/api/leads/{lead.pk}"), 405)
    assert_problem(manager_client.put(f"/api/leads/{lead.pk}", {}, format="json"), 405)
    assert Lead.objects.filter(pk=lead.pk).exists()


def test_cashier_gets_403_marking_lost_or_reassigning(cashier_client, manager, cashier):
    lead = LeadFactory(owner=cashier)
    body = assert_problem(
        patch_json(cashier_client, f"/api/leads/{lead.pk}", {"status": "lost"}), 403
    )
    assert body["detail"] == "Only a Manager can mark a lead lost."
    body = assert_problem(
        patch_json(cashier_client, f"/api/leads/{lead.pk}", {"ownerId": manager.pk}), 403
    )
    assert body["detail"] == "Only a Manager can reassign a lead."
    body = assert_problem(
        post_json(cashier_client, "/api/leads", {"name": "For the boss", "ownerId": manager.pk}),
        403,
    )
    lead.refresh_from_db()
    assert (lead.status, lead.owner) == ("new", cashier)


def test_manager_marks_lost_and_reassigns(manager_client, cashier):
    lead = LeadFactory()
    response = patch_json(
        manager_client, f"/api/leads/{lead.pk}", {"status": "lost", "ownerId": cashier.pk}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["ownerId"]) == ("lost", cashier.pk)


def test_owner_must_be_staff_and_converted_is_not_patched(manager_client):
    lead = LeadFactory()
    shopper = UserFactory(is_staff=False)
    body = assert_problem(
        patch_json(manager_client, f"/api/leads/{lead.pk}", {"ownerId": shopper.pk}), 400
    )
    assert body["errors"] == {"ownerId": ["The owner must be an active staff user."]}
    body = assert_problem(
        patch_json(manager_client, f"/api/leads/{lead.pk}", {"ownerId": 999999}), 400
    )
    assert "ownerId" in body["errors"]
    body = assert_problem(
        patch_json(manager_client, f"/api/leads/{lead.pk}", {"status": "converted"}), 400
    )
    assert body["errors"] == {"status": ["Use Convert to turn a lead into a customer."]}


# --- conversion -------------------------------------------------------------------------


@SLASHES
def test_convert_creates_then_returns_the_same_customer(cashier_client, slash):
    lead = LeadFactory(name="Nova Buyer", email="nova@example.com")
    call = LeadActivityFactory(lead=lead, kind="call")
    response = post_json(cashier_client, f"/api/leads/{lead.pk}/convert{slash}")
    assert response.status_code == 200, response.content
    customer = Customer.objects.get()
    assert response.json() == {"customerId": customer.pk, "created": True}
    again = post_json(cashier_client, f"/api/leads/{lead.pk}/convert{slash}")
    assert again.json() == {"customerId": customer.pk, "created": False}
    assert Customer.objects.count() == 1
    call.refresh_from_db()
    assert call.customer == customer
    body = cashier_client.get(f"/api/leads/{lead.pk}").json()
    assert (body["status"], body["customerId"]) == ("converted", customer.pk)


def test_convert_links_an_existing_customer_by_email_or_phone(cashier_client):
    by_email = CustomerFactory(email="grace@example.com")
    by_phone = CustomerFactory(email=None, phone="+14155552671")
    lead = LeadFactory(email="GRACE@example.com", phone=None)
    response = post_json(cashier_client, f"/api/leads/{lead.pk}/convert")
    assert response.json() == {"customerId": by_email.pk, "created": False}
    lead = LeadFactory(email=None, phone="(415) 555 2671")
    response = post_json(cashier_client, f"/api/leads/{lead.pk}/convert")
    assert response.json() == {"customerId": by_phone.pk, "created": False}
    assert Customer.objects.count() == 2


def test_convert_onto_an_inactive_customer_manager_vs_cashier(cashier_client, manager_client):
    inactive = CustomerFactory(email="back@example.com", status="inactive")
    lead = LeadFactory(email="back@example.com")
    body = assert_problem(post_json(cashier_client, f"/api/leads/{lead.pk}/convert"), 400)
    assert "inactive" in body["detail"]
    assert "Manager" in body["detail"]
    inactive.refresh_from_db()
    assert inactive.status == "inactive"
    response = post_json(manager_client, f"/api/leads/{lead.pk}/convert")
    assert response.json() == {"customerId": inactive.pk, "created": False}
    inactive.refresh_from_db()
    assert inactive.status == "active"


def test_convert_honours_idempotency_key(cashier_client):
    lead = LeadFactory()
    first = post_json(cashier_client, f"/api/leads/{lead.pk}/convert", HTTP_IDEMPOTENCY_KEY="c-1")
    again = post_json(cashier_client, f"/api/leads/{lead.pk}/convert", HTTP_IDEMPOTENCY_KEY="c-1")
    assert (
        first.json() == again.json() == {"customerId": Customer.objects.get().pk, "created": True}
    )
    assert again["Idempotent-Replayed"] == "true"


def test_convert_unknown_lead_is_404(cashier_client):
    assert_problem(post_json(cashier_client, "/api/leads/999999/convert"), 404)


# --- activities -------------------------------------------------------------------------


def test_activity_list_keys_and_query_count(cashier_client, django_assert_num_queries):
    cashier_client.get("/api/activities")
    ActivityFactory.create_batch(10)
    LeadActivityFactory.create_batch(10)
    with django_assert_num_queries(2):
        body = cashier_client.get("/api/activities?pageSize=100").json()
    assert body["count"] == 20
    assert set(body["results"][0]) == {
        "id",
        "kind",
        "subject",
        "body",
        "customerId",
        "leadId",
        "contactName",
        "dueOn",
        "done",
        "overdue",
        "completedAt",
        "authorId",
        "authorName",
        "createdAt",
        "updatedAt",
    }


def test_activity_filters(cashier_client, cashier):
    customer = CustomerFactory()
    lead = LeadFactory()
    note = ActivityFactory(customer=customer, author=cashier)
    today = timezone.localdate()
    later_task = TaskFactory(customer=customer, due_on=today + timedelta(days=3))
    soon_task = LeadActivityFactory(lead=lead, kind="task", due_on=today - timedelta(days=1))
    TaskFactory(customer=customer, due_on=today, done=True)
    call = LeadActivityFactory(lead=lead, kind="call", author=cashier)
    assert ids(cashier_client.get(f"/api/activities?lead={lead.pk}")) == [call.pk, soon_task.pk]
    assert set(ids(cashier_client.get(f"/api/activities?customer={customer.pk}&kind=note"))) == {
        note.pk
    }
    assert ids(cashier_client.get("/api/activities?openTasks=true")) == [
        soon_task.pk,
        later_task.pk,
    ]
    assert ids(cashier_client.get("/api/activities?owner=me")) == [call.pk, note.pk]
    assert ids(cashier_client.get(f"/api/activities?owner={cashier.pk}&kind=call")) == [call.pk]
    overdue = cashier_client.get("/api/activities?openTasks=true").json()["results"][0]
    assert overdue["overdue"] is True
    body = assert_problem(cashier_client.get("/api/activities?kind=chat&customer=1.5"), 400)
    assert set(body["errors"]) == {"kind", "customer"}


def test_create_activity_on_a_customer_or_a_lead(cashier_client, cashier):
    customer = CustomerFactory()
    lead = LeadFactory()
    response = post_json(
        cashier_client,
        "/api/activities",
        {"kind": "call", "subject": "Asked about mugs", "customerId": customer.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["customerId"], body["leadId"], body["authorId"]) == (customer.pk, None, cashier.pk)
    assert body["contactName"] == customer.name
    assert response["Location"].endswith(f"/api/activities/{body['id']}")
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = post_json(
        cashier_client,
        "/api/activities",
        {"kind": "task", "subject": "Send offer", "leadId": lead.pk, "dueOn": due},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["leadId"], response.json()["dueOn"]) == (lead.pk, due)


@pytest.mark.parametrize("contacts", ["both", "neither"])
def test_create_activity_needs_exactly_one_contact(cashier_client, contacts):
    payload = {"kind": "note", "subject": "Hello"}
    if contacts == "both":
        payload |= {"customerId": CustomerFactory().pk, "leadId": LeadFactory().pk}
    body = assert_problem(post_json(cashier_client, "/api/activities", payload), 400)
    assert body["errors"] == {
        "nonFieldErrors": ["Log an activity on a customer or on a lead, not both and not neither."]
    }
    assert not Activity.objects.exists()


def test_create_activity_errors_use_api_names(cashier_client):
    customer = CustomerFactory()
    body = assert_problem(
        post_json(
            cashier_client,
            "/api/activities",
            {
                "kind": "note",
                "subject": " ",
                "customerId": customer.pk,
                "dueOn": timezone.localdate().isoformat(),
            },
        ),
        400,
    )
    assert body["errors"] == {
        "subject": ["Say what it was about."],
        "dueOn": ["Only tasks have a due date and can be done."],
    }
    body = assert_problem(
        post_json(
            cashier_client, "/api/activities", {"kind": "note", "subject": "x", "leadId": 999}
        ),
        400,
    )
    assert body["errors"] == {"leadId": ["There is no lead #999."]}
    body = assert_problem(
        post_json(
            cashier_client,
            "/api/activities",
            {"kind": "task", "subject": "x", "customerId": customer.pk, "done": True},
        ),
        400,
    )
    assert body["errors"] == {"done": ["This field is read-only."]}


LEAD_ERRORS = (
    {"owner": ["No such owner."], "customer": ["No such customer."], "__all__": ["Not so."]},
    {
        "ownerId": ["No such owner."],
        "customerId": ["No such customer."],
        "nonFieldErrors": ["Not so."],
    },
)
ACTIVITY_ERRORS = (
    {
        "customer": ["No customer."],
        "lead": ["No lead."],
        "due_on": ["No date."],
        "__all__": ["No."],
    },
    {
        "customerId": ["No customer."],
        "leadId": ["No lead."],
        "dueOn": ["No date."],
        "nonFieldErrors": ["No."],
    },
)


@pytest.mark.parametrize(
    ("service", "request_for", "errors"),
    [
        (
            "lead_create",
            lambda client: post_json(client, "/api/leads", {"name": "Ada"}),
            LEAD_ERRORS,
        ),
        (
            "lead_update",
            lambda client: patch_json(client, f"/api/leads/{LeadFactory().pk}", {"notes": "x"}),
            LEAD_ERRORS,
        ),
        (
            "lead_convert",
            lambda client: post_json(client, f"/api/leads/{LeadFactory().pk}/convert"),
            LEAD_ERRORS,
        ),
        (
            "activity_create",
            lambda client: post_json(
                client,
                "/api/activities",
                {"kind": "note", "subject": "x", "customerId": CustomerFactory().pk},
            ),
            ACTIVITY_ERRORS,
        ),
        (
            "activity_update",
            lambda client: patch_json(
                client, f"/api/activities/{ActivityFactory().pk}", {"subject": "y"}
            ),
            ACTIVITY_ERRORS,
        ),
    ],
)
def test_service_errors_on_model_fields_use_api_names(
    manager_client, monkeypatch, service, request_for, errors
):
    """The services name model fields (``owner``, ``customer``, ``due_on``); every CRM
    endpoint answers under the keys its JSON has for them."""
    service_errors, api_errors = errors

    def refuse(**kwargs):
        raise ValidationError(service_errors)

    monkeypatch.setattr(f"crm.services.{service}", refuse)
    body = assert_problem(request_for(manager_client), 400)
    assert body["errors"] == api_errors


def test_a_refusal_is_a_403_problem_document_with_its_reason(cashier_client, manager):
    response = post_json(cashier_client, "/api/leads", {"name": "Boss's", "ownerId": manager.pk})
    assert assert_problem(response, 403) == {
        "type": "urn:classicpos:problem:permission-denied",
        "title": "Forbidden",
        "status": 403,
        "detail": "Only a Manager can give a lead to someone else.",
    }
    assert not Lead.objects.exists()


def test_create_activity_honours_idempotency_key(cashier_client):
    payload = {"kind": "note", "subject": "Once", "customerId": CustomerFactory().pk}
    post_json(cashier_client, "/api/activities", payload, HTTP_IDEMPOTENCY_KEY="a-1")
    again = post_json(cashier_client, "/api/activities", payload, HTTP_IDEMPOTENCY_KEY="a-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Activity.objects.count() == 1


def test_patch_activity(cashier_client):
    task = TaskFactory()
    due = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = patch_json(
        cashier_client,
        f"/api/activities/{task.pk}",
        {"done": True, "dueOn": due, "subject": "Ring back", "body": "After lunch"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["done"], body["dueOn"], body["subject"], body["body"]) == (
        True,
        due,
        "Ring back",
        "After lunch",
    )
    assert body["completedAt"] is not None
    body = assert_problem(
        patch_json(cashier_client, f"/api/activities/{task.pk}", {"kind": "note", "leadId": 1}),
        400,
    )
    assert set(body["errors"]) == {"kind", "leadId"}
    note = ActivityFactory()
    body = assert_problem(
        patch_json(cashier_client, f"/api/activities/{note.pk}", {"done": True}), 400
    )
    assert body["errors"] == {"dueOn": ["Only tasks have a due date and can be done."]}
    assert_problem(cashier_client.delete(f"/api/activities/{task.pk}"), 405)


@SLASHES
def test_customer_activities_newest_first(cashier_client, django_assert_num_queries, slash):
    customer = CustomerFactory()
    older = ActivityFactory(customer=customer)
    newer = ActivityFactory(customer=customer)
    ActivityFactory()
    url = f"/api/customers/{customer.pk}/activities{slash}"
    cashier_client.get(url)
    ActivityFactory.create_batch(10, customer=customer)
    # customer + count + page.
    with django_assert_num_queries(3):
        response = cashier_client.get(url + "?pageSize=100")
    rows = ids(response)
    assert len(rows) == 12
    assert rows[-2:] == [newer.pk, older.pk]
    assert_problem(cashier_client.get("/api/customers/999999/activities"), 404)


# --- who may do what --------------------------------------------------------------------


def test_every_endpoint_needs_a_staff_login(anonymous_client):
    for url in ("/api/leads", "/api/activities", "/api/customers/1/activities"):
        assert_problem(anonymous_client.get(url), 401)
    not_staff = APIClient()
    not_staff.force_authenticate(UserFactory(is_staff=False))
    assert_problem(not_staff.get("/api/leads"), 403)


def test_staff_without_a_role_cannot_see_the_crm():
    client = APIClient()
    client.force_authenticate(UserFactory())
    lead = LeadFactory()
    assert_problem(client.get("/api/leads"), 403)
    assert_problem(client.get("/api/activities"), 403)
    assert_problem(post_json(client, f"/api/leads/{lead.pk}/convert"), 403)
    assert_problem(post_json(client, "/api/leads", {"name": "X"}), 403)


@pytest.mark.parametrize(
    ("role_client", "can_reassign"), [("cashier_client", False), ("manager_client", True)]
)
def test_permissions_per_role(request, role_client, can_reassign, manager, cashier):
    client = request.getfixturevalue(role_client)
    me = cashier if role_client == "cashier_client" else manager
    other = manager if me == cashier else cashier
    created = post_json(client, "/api/leads", {"name": "Role Lead"})
    assert created.status_code == 201
    lead_id = created.json()["id"]
    logged = post_json(
        client, "/api/activities", {"kind": "call", "subject": "Rang", "leadId": lead_id}
    )
    assert logged.status_code == 201
    reassigned = patch_json(client, f"/api/leads/{lead_id}", {"ownerId": other.pk})
    assert reassigned.status_code == (200 if can_reassign else 403)
    lost = patch_json(client, f"/api/leads/{lead_id}", {"status": "lost"})
    assert lost.status_code == (200 if can_reassign else 403)
    converted = post_json(client, f"/api/leads/{lead_id}/convert")
    assert converted.status_code == 200


def test_openapi_schema_describes_the_crm(manager_client):
    schema = json.loads(manager_client.get("/api/schema/", HTTP_ACCEPT="application/json").content)
    paths = "".join(schema["paths"])
    for path in ("/api/leads", "/api/leads/{id}/convert", "/api/activities"):
        assert path in paths
    assert "/api/customers/{customer_id}/activities" in paths
    assert {"ownerId", "customerId"} <= set(schema["components"]["schemas"]["Lead"]["properties"])
