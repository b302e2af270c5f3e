"""The customer list's hasOverdue segment: from the invoices' index, on the API, page and export."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounting.models import Invoice
from tests.accounting.helpers import give_credit, on_day, pay, sell_on_account
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(manager, cashier):
    late = CustomerFactory(name="Lana Late")
    on_time = CustomerFactory(name="Otto Ontime")
    paid_up = CustomerFactory(name="Pia Paid")
    CustomerFactory(name="Nina Noaccount")
    for customer in (late, on_time, paid_up):
        give_credit(customer, "500.00", manager)
    long_ago = timezone.localdate() - timedelta(days=400)
    with on_day(long_ago):
        sell_on_account(late, "40.00", cashier)
        paid = sell_on_account(paid_up, "10.00", cashier).invoice
    sell_on_account(on_time, "25.00", cashier)
    pay(Invoice.objects.get(pk=paid.pk), "10.00", manager)
    assert list(Invoice.objects.overdue().values_list("customer__name", flat=True)) == ["Lana Late"]


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_has_overdue_true_and_false(manager_client, accounts):
    assert _names(manager_client.get("/api/customers?hasOverdue=true")) == {"Lana Late"}
    assert _names(manager_client.get("/api/customers?hasOverdue=false")) == {
        "Otto Ontime",
        "Pia Paid",
        "Nina Noaccount",
    }
    combined = manager_client.get("/api/customers?hasOverdue=true&search=otto")
    assert _names(combined) == set()


@pytest.mark.parametrize("value", ["yes", "maybe", "2"])
def test_a_value_that_is_not_true_or_false_is_a_400(manager_client, value):
    response = manager_client.get("/api/customers", {"hasOverdue": value})
    assert response.status_code == 400
    assert response.json()["errors"]["hasOverdue"] == ["Enter true or false."]


def test_the_list_page_and_export_take_it(manager_page, accounts):
    html = manager_page.get("/customers/?hasOverdue=true").content.decode()
    assert "Lana Late" in html
    assert "Otto Ontime" not in html
    assert '<option value="true" selected>Has overdue invoices</option>' in html
    export = manager_page.get("/customers/export/?hasOverdue=true")
    text = b"".join(export.streaming_content).decode()
    assert "Lana Late" in text
    assert "Otto Ontime" not in text


def test_the_list_is_two_queries(manager_client, accounts, django_assert_num_queries):
    manager_client.get("/api/customers?hasOverdue=true")
    with django_assert_num_queries(2):  # the few matches and the page (counted by their ids)
        manager_client.get("/api/customers?hasOverdue=true")
