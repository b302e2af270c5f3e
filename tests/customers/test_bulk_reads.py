"""A Cashier cannot harvest the customer base through the list API (issue 27 #24).

Paging the list read 41,856 customers with their emails in 15 s, though the export
is the Managers'. A search names someone; reading the customer base in bulk is a
Manager's: without the export permission a list reads no deeper than its first
``CLASSICPOS_CASHIER_LIST_ROWS`` rows (page numbers only; a cursor is set aside),
and every bulk read (no search, or past the first page) is logged with the user.
"""

import logging

import pytest

from tests.api_helpers import assert_problem
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

AUDIT = "classicpos.bulk_reads"


@pytest.fixture
def sixty_customers():
    return CustomerFactory.create_batch(60)


def test_a_cashier_reads_the_first_rows_of_the_list(cashier_client, settings, sixty_customers):
    settings.CLASSICPOS_CASHIER_LIST_ROWS = 50
    first = cashier_client.get("/api/customers", {"pageSize": 25})
    assert first.status_code == 200
    assert first.json()["count"] == 60
    second = cashier_client.get(first.json()["next"])
    assert second.status_code == 200
    assert len(second.json()["results"]) == 25
    # Rows 51-60 are there, but not for a Cashier: no link leads on.
    assert second.json()["next"] is None


def test_a_cashier_cannot_page_past_them(cashier_client, settings, sixty_customers):
    settings.CLASSICPOS_CASHIER_LIST_ROWS = 50
    body = assert_problem(cashier_client.get("/api/customers", {"pageSize": 25, "page": 3}), 403)
    assert "search" in body["detail"]
    # A bigger page reads no further either.
    wide = cashier_client.get("/api/customers", {"pageSize": 100})
    assert len(wide.json()["results"]) == 50
    assert wide.json()["next"] is None


def test_a_cashier_s_cursor_is_set_aside(cashier_client, manager_client, settings, sixty_customers):
    """A cursor names a row anywhere in the list: one from a Manager's deep page, labelled
    page 1, would otherwise read on past the Cashier's rows."""
    settings.CLASSICPOS_CASHIER_LIST_ROWS = 50
    deep = manager_client.get("/api/customers", {"pageSize": 25, "page": 2}).json()["next"]
    assert "after=" in deep
    assert_problem(cashier_client.get(deep), 403)  # it says page 3
    relabelled = deep.replace("page=3", "page=1")
    answer = cashier_client.get(relabelled).json()
    first = cashier_client.get("/api/customers", {"pageSize": 25}).json()
    assert [row["id"] for row in answer["results"]] == [row["id"] for row in first["results"]]
    assert "after=" not in answer["next"]


def test_a_manager_pages_through_everything(manager_client, settings, sixty_customers):
    settings.CLASSICPOS_CASHIER_LIST_ROWS = 50
    third = manager_client.get("/api/customers", {"pageSize": 25, "page": 3})
    assert third.status_code == 200
    assert len(third.json()["results"]) == 10


def test_bulk_reads_are_logged_with_the_user(
    cashier_client, manager_client, cashier, manager, caplog, sixty_customers
):
    with caplog.at_level(logging.INFO, logger=AUDIT):
        cashier_client.get("/api/customers", {"search": sixty_customers[0].name})
        assert not [r for r in caplog.records if r.name == AUDIT]
        cashier_client.get("/api/customers")
        manager_client.get("/api/customers", {"pageSize": 25, "page": 3})
    logged = [r.getMessage() for r in caplog.records if r.name == AUDIT]
    assert len(logged) == 2
    assert cashier.username in logged[0]
    assert manager.username in logged[1]
    assert "page 3" in logged[1]


def test_the_customer_list_page_is_bounded_the_same_way(cashier_page, settings, sixty_customers):
    """The staff page lists the same customers with their emails: the same bound, forgiving
    as the page is (a page past it shows the last one allowed, with no Next)."""
    settings.CLASSICPOS_CASHIER_LIST_ROWS = 50
    page = cashier_page.get("/customers/", {"page_size": 25, "page": 3})
    assert page.status_code == 200
    shown = page.context["page_obj"]
    assert shown.number == 2
    assert len(page.context["customers"]) == 25
    assert not shown.has_next()


def test_managers_page_through_the_customer_list_page(manager_page, settings, sixty_customers):
    settings.CLASSICPOS_CASHIER_LIST_ROWS = 50
    page = manager_page.get("/customers/", {"page_size": 25, "page": 3})
    assert page.context["page_obj"].number == 3
