"""Segments on the customer list: tags, consent, birthdays and points, combinable, in the URL,
the same in the API, on the page and in the export."""

import datetime

import pytest
from django.utils import timezone

from customers import services
from customers.segments import birthday_keys
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _customer(name: str, manager, **data):
    customer = CustomerFactory(name=name)
    if data:
        services.customer_update(customer=customer, data=data, actor=manager, channel="command")
    return customer


@pytest.fixture
def shop(manager):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=3)
    return {
        "vip": _customer("Vera Vip", manager, tags=["VIP"], email_consent=True),
        "both": _customer("Bo Both", manager, tags=["VIP", "Wholesale"], sms_consent=True),
        "birthday": _customer("Bea Birthday", manager, birthday=soon.replace(year=1990)),
        "plain": _customer("Paul Plain", manager),
    }


def _names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_tags_are_combined_and_found_in_any_case(manager_client, shop):
    assert _names(manager_client.get("/api/customers", {"tag": "vip"})) == {"Vera Vip", "Bo Both"}
    both = manager_client.get("/api/customers?tag=VIP&tag=wholesale")
    assert _names(both) == {"Bo Both"}
    assert _names(manager_client.get("/api/customers", {"tag": "nobody"})) == set()


def test_consent_birthdays_and_points_combine_with_search(manager_client, shop):
    assert _names(manager_client.get("/api/customers", {"consent": "email"})) == {"Vera Vip"}
    assert _names(manager_client.get("/api/customers", {"consent": "sms"})) == {"Bo Both"}
    week = manager_client.get("/api/customers", {"birthdayWithinDays": 7})
    assert _names(week) == {"Bea Birthday"}
    assert _names(manager_client.get("/api/customers", {"birthdayWithinDays": 1})) == set()
    combined = manager_client.get("/api/customers", {"tag": "vip", "search": "bo"})
    assert _names(combined) == {"Bo Both"}
    assert _names(manager_client.get("/api/customers", {"tag": "vip", "minPoints": 1})) == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"consent": "fax"}, "consent"),
        ({"birthdayWithinDays": "367"}, "birthdayWithinDays"),
        ({"birthdayWithinDays": "²"}, "birthdayWithinDays"),
        ({"tag": "x" * 41}, "tag"),
    ],
)
def test_bad_segment_values_are_a_400_naming_the_parameter(manager_client, query, field):
    response = manager_client.get("/api/customers", query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_page_filters_by_the_same_url_and_shows_errors_beside_the_field(manager_page, shop):
    html = manager_page.get("/customers/?tag=VIP&consent=email").content.decode()
    assert "Vera Vip" in html
    assert "Bo Both" not in html
    assert '<details class="col-12 segment-filters" open>' in html
    bad = manager_page.get("/customers/", {"birthdayWithinDays": "soon"})
    assert bad.status_code == 200
    assert "Enter a whole number." in bad.content.decode()


def test_the_export_takes_the_segments_of_the_list(manager_page, shop):
    response = manager_page.get("/customers/export/", {"tag": "wholesale"})
    text = b"".join(response.streaming_content).decode()
    assert "Bo Both" in text
    assert "Vera Vip" not in text
    assert "VIP; Wholesale" in text


def test_birthday_keys_wrap_the_year_and_keep_february_29():
    assert birthday_keys(datetime.date(2027, 12, 30), 3) == [1230, 1231, 101, 102]
    assert 229 in birthday_keys(datetime.date(2027, 2, 27), 1)
    assert 229 not in birthday_keys(datetime.date(2028, 2, 27), 1)
    assert 229 in birthday_keys(datetime.date(2028, 2, 27), 2)


def test_a_segmented_list_is_two_queries(manager_client, shop, django_assert_num_queries):
    manager_client.get("/api/customers", {"tag": "vip"})  # warm the permission cache
    # The segment's own index for its few matches and the page (tags included); the count
    # is how many matched. Within the budget of three.
    with django_assert_num_queries(2):
        manager_client.get("/api/customers", {"tag": "vip", "consent": "email"})


@pytest.mark.parametrize("limit", [2, 1000])
def test_a_segmented_search_is_three_queries(
    manager_client, shop, monkeypatch, django_assert_num_queries, limit
):
    """The segment's matches (more than ``limit``: none), the search's among them, the page."""
    from customers import selectors

    monkeypatch.setattr(selectors, "MATCH_LIMIT", limit)
    manager_client.get("/api/customers", {"tag": "vip"})  # warm the permission cache
    with django_assert_num_queries(3):
        response = manager_client.get("/api/customers", {"minPoints": 0, "search": "bo"})
    # The count is how many ids the search read: no query of its own.
    assert (response.json()["count"], _names(response)) == (1, {"Bo Both"})


@pytest.mark.parametrize("limit", [1, 2, 1000])
def test_few_or_many_matches_list_the_same_customers(manager_client, shop, monkeypatch, limit):
    """A narrowed list asks the filter's index first when few match, and walks the name
    index when many do: the same rows, in the same order, either way."""
    from customers import selectors

    monkeypatch.setattr(selectors, "MATCH_LIMIT", limit)
    for query in ({"tag": "vip"}, {"tag": "vip", "search": "b"}, {"consent": "email"}):
        names = [
            row["name"] for row in manager_client.get("/api/customers", query).json()["results"]
        ]
        expected = {"tag": ["Bo Both", "Vera Vip"], "consent": ["Vera Vip"]}
        assert names == (["Bo Both"] if "search" in query else expected[next(iter(query))])
