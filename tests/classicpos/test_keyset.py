"""Keyset paging: ``next`` and ``previous`` carry the row a page ends at, and the page
after it is read from there, as fast as the first page, with the same rows as by number."""

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classicpos.api.pagination import CappedPaginator
from customers.models import Customer

pytestmark = pytest.mark.django_db

ORDERINGS = ["name", "-name", "createdAt", "-createdAt", "loyaltyPoints", "-loyaltyPoints"]


@pytest.fixture
def customers():
    """Names and points that repeat, in both cases: only the id tells some rows apart."""
    rows = [
        Customer(name=name, loyalty_points=points, status=status)
        for index in range(23)
        for name, points, status in [
            (["anna", "Anna", "Bob", "bob", "Zoë", "Émile"][index % 6], index % 4, "active")
        ]
    ]
    rows.append(Customer(name="Inactive Ida", status="inactive"))
    return Customer.objects.bulk_create(rows)


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def walk(api, url: str, link: str) -> list[list[int]]:
    """Follow ``link`` (next or previous) from ``url`` to the end; return each page's ids."""
    pages = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([row["id"] for row in body["results"]])
        url = body[link] and local(body[link])
    return pages


def page_query(captured) -> str:
    """Return the statement that read the page's rows (the other one counts them)."""
    (sql,) = [query["sql"] for query in captured.captured_queries if "ORDER BY" in query["sql"]]
    return sql


def by_number(api, query: str, pages: int) -> list[list[int]]:
    return [
        [row["id"] for row in api.get(f"/api/customers?{query}&page={number}").json()["results"]]
        for number in range(1, pages + 1)
    ]


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_following_next_gives_the_pages_that_page_numbers_give(token_client, customers, ordering):
    query = f"pageSize=5&ordering={ordering}&status=all"
    forward = walk(token_client, f"/api/customers?{query}", "next")
    assert forward == by_number(token_client, query, len(forward))
    ids = [pk for page in forward for pk in page]
    assert sorted(ids) == sorted(customer.pk for customer in customers)


@pytest.mark.parametrize("ordering", ["name", "-loyaltyPoints"])
def test_following_previous_from_the_last_page_gives_them_back(token_client, customers, ordering):
    query = f"pageSize=5&ordering={ordering}&status=all"
    forward = walk(token_client, f"/api/customers?{query}", "next")
    last = token_client.get(f"/api/customers?{query}").json()
    while last["next"]:
        last = token_client.get(local(last["next"])).json()
    backward = walk(token_client, local(last["previous"]), "previous")
    assert backward == list(reversed(forward[:-1]))


def test_next_and_previous_carry_a_cursor_and_the_page_number(token_client, customers):
    first = token_client.get("/api/customers?pageSize=5").json()
    next_query = parse_qs(urlsplit(first["next"]).query)
    assert next_query["page"] == ["2"]
    assert next_query["after"]
    second = token_client.get(local(first["next"])).json()
    previous_query = parse_qs(urlsplit(second["previous"]).query)
    assert previous_query["page"] == ["1"]
    assert previous_query["before"]
    assert "after" not in previous_query


def test_a_page_after_a_cursor_costs_what_the_first_page_costs(
    token_client, customers, django_assert_num_queries
):
    token_client.get("/api/customers?pageSize=5")  # the permission cache
    first = token_client.get("/api/customers?pageSize=5").json()
    with CaptureQueriesContext(connection) as first_page:
        token_client.get("/api/customers?pageSize=5")
    with django_assert_num_queries(len(first_page)) as deeper:
        token_client.get(local(first["next"]))
    assert "OFFSET" not in page_query(deeper).upper()


def test_the_page_after_a_cursor_starts_from_the_name_index(token_client, customers):
    first = token_client.get("/api/customers?pageSize=5").json()
    with CaptureQueriesContext(connection) as captured:
        token_client.get(local(first["next"]))
    sql = page_query(captured)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(row[-1] for row in cursor.fetchall())
            assert "SEARCH customers USING INDEX customers_name_lower_idx" in plan, plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index Cond" in plan, plan


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "", "e30", "WyJ4IiwgWzEsIDJdXQ", "W10", "WyJhYmMiXQ", "%ff", "\x00", "ab\u202e"],
)
def test_a_cursor_the_list_did_not_give_is_a_400(token_client, customers, cursor):
    response = token_client.get("/api/customers", {"after": cursor})
    if cursor == "":
        assert response.status_code == 200  # not given
        return
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert "after" in response.json()["errors"]


def test_a_cursor_of_another_sort_is_a_400(token_client, customers):
    by_name = token_client.get("/api/customers?pageSize=5").json()
    cursor = parse_qs(urlsplit(by_name["next"]).query)["after"][0]
    response = token_client.get("/api/customers", {"after": cursor, "ordering": "-createdAt"})
    assert response.status_code == 400
    response = token_client.get("/api/customers", {"before": cursor, "ordering": "-createdAt"})
    assert response.status_code == 400
    assert "before" in response.json()["errors"]


def test_a_cursor_whose_values_do_not_parse_is_a_400(token_client, customers):
    by_date = token_client.get("/api/customers?pageSize=5&ordering=createdAt").json()
    cursor = parse_qs(urlsplit(by_date["next"]).query)["after"][0]
    name, _ = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for values in (["not a date", 1], ["2026-01-01T00:00:00", "x"], [None, 1], [1.5, 1], [[1], 1]):
        forged = base64.urlsafe_b64encode(json.dumps([name, values]).encode()).decode()
        response = token_client.get("/api/customers", {"after": forged, "ordering": "createdAt"})
        assert response.status_code == 400, (values, response.content)


def test_a_cursor_with_text_no_database_takes_is_a_400(token_client, customers):
    """A NUL (PostgreSQL refuses it in text) or half a surrogate pair (no UTF-8 for it)."""
    by_name = token_client.get("/api/customers?pageSize=5").json()
    cursor = parse_qs(urlsplit(by_name["next"]).query)["after"][0]
    name, _ = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for text in ("a\x00b", "\ud800", "ok\udfff"):
        forged = base64.urlsafe_b64encode(json.dumps([name, [text, 1]]).encode()).decode()
        response = token_client.get("/api/customers", {"after": forged})
        assert response.status_code == 400, (text, response.content)
        assert "after" in response.json()["errors"]


def test_a_ranked_search_pages_by_number(token_client, customers):
    """A search's order is how well rows match: no key to start from, so no cursor."""
    body = token_client.get("/api/customers?search=ann&pageSize=3").json()
    assert body["next"]
    assert "after" not in parse_qs(urlsplit(body["next"]).query)


def test_the_schema_names_the_cursors(token_client):
    schema = token_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {item["name"] for item in schema["paths"]["/api/customers/"]["get"]["parameters"]}
    assert {"after", "before", "page", "pageSize"} <= parameters


# --- the staff pages --------------------------------------------------------------------


def pager_links(response) -> dict[str, str]:
    html = response.content.decode()
    found = re.search(r'<nav aria-label="Pages">(.*?)</nav>', html, re.S)
    links = re.findall(r'<a class="page-link" href="([^"]+)">(\w+)</a>', found.group(1))
    return {label: href.replace("&amp;", "&") for href, label in links}


def page_names(response) -> list[str]:
    return [customer.name for customer in response.context["customers"]]


@pytest.mark.parametrize("limit", [5, 10_000], ids=["capped", "counted"])
def test_the_list_pages_next_and_previous_by_cursor(manager_page, customers, monkeypatch, limit):
    monkeypatch.setattr(CappedPaginator, "count_limit", limit)
    first = manager_page.get("/customers/?page_size=10")
    next_link = pager_links(first)["Next"]
    assert "after=" in next_link
    assert "page=2" in next_link
    second = manager_page.get(f"/customers/{next_link}")
    assert page_names(second) == page_names(manager_page.get("/customers/?page_size=10&page=2"))
    back = manager_page.get(f"/customers/{pager_links(second)['Previous']}")
    assert page_names(back) == page_names(first)
    assert "before=" in pager_links(second)["Previous"]


def test_a_page_with_a_broken_cursor_shows_the_page_by_number(manager_page, customers):
    by_number_page = manager_page.get("/customers/?page_size=10&page=2")
    response = manager_page.get("/customers/?page_size=10&page=2&after=broken")
    assert response.status_code == 200
    assert page_names(response) == page_names(by_number_page)


def test_the_crm_contacts_page_pages_by_number(manager_page, monkeypatch):
    """Contacts sort by a computed name across customers and leads: no key of their own
    columns to start from, so the pager keeps page numbers (and still pages on)."""
    monkeypatch.setattr(CappedPaginator, "count_limit", 5)
    Customer.objects.bulk_create(Customer(name=f"Contact {n:02d}") for n in range(60))
    first = manager_page.get("/crm/contacts/")
    next_link = pager_links(first)["Next"]
    assert "page=2" in next_link
    assert "after=" not in next_link
    second = manager_page.get(f"/crm/contacts/{next_link}")
    assert second.status_code == 200
    assert "Contact 00" in first.content.decode()
    assert "Contact 00" not in second.content.decode()
