"""The data tools over the API: import, export, merge and anonymise, Managers only."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.models import Customer, CustomerErasure, CustomerMerge
from sales.models import Sale
from tests.api_helpers import SLASHES, assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db


def upload(client, text: str, **fields):
    data = {"file": SimpleUploadedFile("customers.csv", text.encode(), "text/csv"), **fields}
    return client.post("/api/customers/import", data, format="multipart")


def rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


# --- import ---------------------------------------------------------------------------


def test_import_answers_the_same_report_the_command_prints(manager_client):
    response = upload(manager_client, "name,email\nAda,ada@example.com\nBad,nope\n")
    assert response.status_code == 200
    assert response.json() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "newWithoutContact": 0,
        "errors": [{"row": 3, "column": "email", "message": "Enter a valid email address."}],
        "updates": [],
        "ignoredColumns": [],
        "dryRun": False,
        "source": "",
        "columns": [{"header": "name", "fills": "name"}, {"header": "email", "fills": "email"}],
    }
    again = upload(manager_client, "name,email\nAda,ada@example.com\nBad,nope\n")
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 1)
    assert Customer.objects.count() == 1


def test_an_import_dry_run_saves_nothing(manager_client):
    response = upload(manager_client, "name\nAda\n", dryRun="true")
    assert response.json()["created"] == 1
    assert response.json()["dryRun"] is True
    assert not Customer.objects.exists()


def test_an_import_check_lists_the_customers_it_would_update(manager_client):
    ada = CustomerFactory(name="Ada L", email="ada@example.com", address=None)
    response = upload(
        manager_client, "name,email,address\nAda,ada@example.com,1 Main St\n", dryRun="true"
    )
    assert response.json()["updates"] == [
        {
            "row": 2,
            "customerId": ada.pk,
            "name": "Ada L",
            "matchedBy": "email",
            "changes": {"name": ["Ada L", "Ada"], "address": [None, "1 Main St"]},
        }
    ]
    ada.refresh_from_db()
    assert ada.name == "Ada L"


def test_name_only_rows_are_new_customers_and_say_so(manager_client):
    CustomerFactory(name="Ann Lee", email=None, phone=None, address="1 Oak St")
    response = upload(manager_client, "name,address\nAnn Lee,9 Elm Rd\nAnn Lee,2 Ash Ct\n")
    assert (response.json()["created"], response.json()["updated"]) == (2, 0)
    assert response.json()["newWithoutContact"] == 2
    assert Customer.objects.filter(name="Ann Lee").count() == 3


def test_an_unreadable_file_is_a_400_on_file(manager_client):
    body = assert_problem(upload(manager_client, "foo,bar\n1,2\n"), 400)
    assert "No column of the file" in body["errors"]["file"][0]
    body = assert_problem(upload(manager_client, "name\nAda\n", columns="Client=nickname"), 400)
    assert "file" in body["errors"]


def test_import_needs_a_file(manager_client):
    body = assert_problem(manager_client.post("/api/customers/import", {}, format="multipart"), 400)
    assert "file" in body["errors"]


def test_cashiers_cannot_import_export_merge_or_anonymise(cashier_client):
    customer, other = CustomerFactory.create_batch(2)
    assert_problem(upload(cashier_client, "name\nAda\n"), 403)
    assert_problem(cashier_client.get("/api/customers/export"), 403)
    merge = post_json(
        cashier_client, f"/api/customers/{customer.pk}/merge", {"duplicateId": other.pk}
    )
    assert_problem(merge, 403)
    erase = post_json(
        cashier_client, f"/api/customers/{customer.pk}/anonymise", {"confirm": customer.name}
    )
    assert_problem(erase, 403)
    assert not Customer.objects.filter(name="Ada").exists()


# --- export ---------------------------------------------------------------------------


@SLASHES
def test_export_takes_the_lists_query_parameters(manager_client, slash):
    CustomerFactory(name="Ada Lovelace")
    CustomerFactory(name="Grace Hopper")
    response = manager_client.get(f"/api/customers/export{slash}?search=grace")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert [row[0] for row in rows(response)] == ["name", "Grace Hopper"]


def test_export_orders_like_the_list_and_ignores_pagination(manager_client):
    CustomerFactory.create_batch(30)
    response = manager_client.get("/api/customers/export?ordering=-name&pageSize=10")
    names = [row[0] for row in rows(response)[1:]]
    assert len(names) == 30
    assert names == sorted(names, key=str.lower, reverse=True)


def test_export_with_accept_text_csv(manager_client):
    CustomerFactory()
    response = manager_client.get("/api/customers/export", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert len(rows(response)) == 2


def test_export_refuses_bad_parameters_with_a_problem(manager_client):
    body = assert_problem(manager_client.get("/api/customers/export?status=gone"), 400)
    assert "status" in body["errors"]


def test_export_is_two_queries_however_many_rows(manager_client, django_assert_num_queries):
    """One bounded count (is it too big for a request? ``customers.jobs``), one for the rows."""
    CustomerFactory.create_batch(3)
    rows(manager_client.get("/api/customers/export"))  # the user's permissions are cached
    with django_assert_num_queries(2):
        assert len(rows(manager_client.get("/api/customers/export"))) == 4
    CustomerFactory.create_batch(30)
    with django_assert_num_queries(2):
        assert len(rows(manager_client.get("/api/customers/export"))) == 34


# --- merge ----------------------------------------------------------------------------


def test_merge_moves_history_and_the_old_id_leads_to_the_survivor(manager_client, cashier):
    survivor = CustomerFactory(address=None)
    duplicate = CustomerFactory(address="1 Main St")
    ring_up(customer=duplicate, price="10.00", cashier=cashier)
    response = post_json(
        manager_client,
        f"/api/customers/{survivor.pk}/merge",
        {"duplicateId": duplicate.pk, "valuesFrom": {"email": "duplicate"}},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == survivor.pk
    assert body["email"] == duplicate.email
    assert body["address"] == "1 Main St"
    assert Sale.objects.get().customer_id == survivor.pk
    old = manager_client.get(f"/api/customers/{duplicate.pk}")
    assert old.status_code == 301
    assert old["Location"].endswith(f"/api/customers/{survivor.pk}")
    assert old.json() == {"id": duplicate.pk, "mergedInto": survivor.pk}


def test_merge_refuses_an_unknown_duplicate_itself_and_a_merged_one(manager_client):
    survivor, duplicate = CustomerFactory.create_batch(2)
    url = f"/api/customers/{survivor.pk}/merge"
    body = assert_problem(post_json(manager_client, url, {"duplicateId": 99999}), 400)
    assert "duplicateId" in body["errors"]
    assert_problem(post_json(manager_client, url, {"duplicateId": survivor.pk}), 400)
    assert_problem(post_json(manager_client, url, {"duplicateId": "x"}), 400)
    bad_choice = {"duplicateId": duplicate.pk, "valuesFrom": {"email": "neither"}}
    assert_problem(post_json(manager_client, url, bad_choice), 400)
    assert post_json(manager_client, url, {"duplicateId": duplicate.pk}).status_code == 200
    assert_problem(post_json(manager_client, url, {"duplicateId": duplicate.pk}), 400)
    assert CustomerMerge.objects.count() == 1
    assert_problem(post_json(manager_client, "/api/customers/99999/merge", {"duplicateId": 1}), 404)


def test_a_merged_customer_cannot_be_changed_through_the_api(manager_client, manager):
    survivor, duplicate = CustomerFactory.create_batch(2)
    post_json(manager_client, f"/api/customers/{survivor.pk}/merge", {"duplicateId": duplicate.pk})
    response = manager_client.patch(
        f"/api/customers/{duplicate.pk}", {"name": "Back"}, format="json"
    )
    body = assert_problem(response, 400)
    assert f"#{survivor.pk}" in str(body)


# --- anonymise ------------------------------------------------------------------------


def test_anonymise_needs_the_current_name(manager_client, manager):
    customer = CustomerFactory(name="Ada Lovelace", email="ada@example.com")
    url = f"/api/customers/{customer.pk}/anonymise"
    body = assert_problem(post_json(manager_client, url, {"confirm": "Ada"}), 400)
    assert "confirm" in body["errors"]
    assert_problem(post_json(manager_client, url, {}), 400)
    response = post_json(manager_client, url, {"confirm": "Ada Lovelace"})
    assert response.status_code == 200
    assert response.json()["name"] == f"Anonymised customer #{customer.pk}"
    assert response.json()["email"] is None
    assert CustomerErasure.objects.get().erased_by == manager
    restore = manager_client.post(f"/api/customers/{customer.pk}/restore")
    assert_problem(restore, 400)
    put = manager_client.put(
        f"/api/customers/{customer.pk}", {"name": "Ada Lovelace"}, format="json"
    )
    assert_problem(put, 400)
    new = post_json(manager_client, "/api/customers", {"name": "New", "email": "ada@example.com"})
    assert new.status_code == 201
