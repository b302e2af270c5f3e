"""The customer timeline: every module's entries merged newest first, a page at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers import services
from customers.timeline import timeline_sources
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _history(customer, manager, changes: int):
    for number in range(changes):
        services.customer_update(
            customer=customer, data={"note": f"note {number}"}, actor=manager, channel="api"
        )


def test_the_api_pages_through_every_entry_newest_first(manager_client, manager):
    customer = CustomerFactory(name="Long Story")
    _history(customer, manager, 7)
    seen, url = [], f"/api/customers/{customer.pk}/timeline?pageSize=3"
    while url:
        body = manager_client.get(url).json()
        seen += body["results"]
        url = body["next"]
    assert len(seen) == 7
    assert [entry["changes"]["note"][1] for entry in seen] == [
        f"note {n}" for n in range(6, -1, -1)
    ]
    first = seen[0]
    assert set(first) == {"at", "kind", "summary", "actor", "link", "changes"}
    assert (first["kind"], first["actor"]) == ("customer.changed", "manager")
    assert first["summary"] == "Changed note · API"


def test_kind_filters_by_prefix(manager_client, manager):
    customer = CustomerFactory()
    _history(customer, manager, 2)
    services.customer_deactivate(customer=customer, actor=manager, channel="page")
    url = f"/api/customers/{customer.pk}/timeline"
    kinds = [e["kind"] for e in manager_client.get(url, {"kind": "customer"}).json()["results"]]
    assert kinds == ["customer.deactivated", "customer.changed", "customer.changed"]
    only = manager_client.get(url, {"kind": "customer.deactivated"}).json()["results"]
    assert [entry["summary"] for entry in only] == ["Deactivated · Staff page"]
    assert manager_client.get(url, {"kind": "sale"}).json()["results"] == []


@pytest.mark.parametrize("cursor", ["nonsense", "eyJhIjoxfQ", "W10", "!!"])
def test_a_cursor_the_timeline_did_not_give_is_a_400(manager_client, cursor):
    customer = CustomerFactory()
    response = manager_client.get(f"/api/customers/{customer.pk}/timeline", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_a_page_costs_one_query_per_source_whatever_the_history(manager_client, manager):
    customer = CustomerFactory()
    url = f"/api/customers/{customer.pk}/timeline?pageSize=5"
    manager_client.get(url)  # warm the permission cache
    _history(customer, manager, 3)
    with CaptureQueriesContext(connection) as short:
        manager_client.get(url)
    _history(customer, manager, 30)
    with CaptureQueriesContext(connection) as long:
        manager_client.get(url)
    assert len(long) == len(short)
    # The customer, then one query per source the Manager may see.
    assert len(long) == 1 + len(timeline_sources())


def test_the_customer_page_shows_the_timeline_and_its_next_page(manager_page, manager):
    customer = CustomerFactory(name="Page Story")
    _history(customer, manager, 12)
    html = manager_page.get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="timeline-panel"' in html
    assert html.count('class="timeline-entry') == 10
    assert "Show older" in html
    more = manager_page.get(
        f"/customers/{customer.pk}/timeline/",
        {"more": "1", "cursor": "nonsense"},
        headers={"HX-Request": "true"},
    )
    assert more.status_code == 200


def test_the_timeline_page_follows_the_cursor_without_javascript(manager_page, manager):
    customer = CustomerFactory(name="No Script")
    _history(customer, manager, 25)
    page = manager_page.get(f"/customers/{customer.pk}/timeline/").content.decode()
    assert page.count('class="timeline-entry') == 20
    assert "cursor=" in page
