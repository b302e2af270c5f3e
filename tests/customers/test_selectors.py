"""Customer reads: search (shared by the list page, the API, the till and the admin),
and the duplicates the form points out or asks about."""

import pytest
from django.db import connection

from customers.models import Customer
from customers.selectors import (
    DEFAULT_STATUS,
    PAGE_DEFAULT_STATUS,
    CustomerListFilters,
    customer_duplicates_to_confirm,
    customer_list,
)
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def search(term: str) -> list[str]:
    return [customer.name for customer in Customer.objects.search(term).order_by("name")]


@pytest.fixture
def isla():
    CustomerFactory(name="Davis Okafor", email="davis@example.com", phone="+14155550111")
    CustomerFactory(name="Isla Brown", email="isla.b@example.com", phone="+14155550222")
    return CustomerFactory(name="Isla Davis", email="isla@shop.test", phone="+14155550008")


@pytest.mark.parametrize(
    "term",
    [
        "davis isla",  # words in any order
        "isla davis",
        "ISLA  DaViS",
        "isla 0008",  # a name word and the phone's last digits
        "0008 isla",
        "isla shop.test",  # a name word and part of the email
        "(415) 555-0008",  # a whole number, typed with spaces and punctuation
        "+1 415 555 0008",
    ],
)
def test_every_word_must_match_name_email_or_phone_digits(isla, term):
    assert search(term) == ["Isla Davis"]


def test_one_word_still_matches_any_field(isla):
    assert search("isla") == ["Isla Brown", "Isla Davis"]
    assert search("davis") == ["Davis Okafor", "Isla Davis"]
    assert search("0222") == ["Isla Brown"]


def test_a_word_that_matches_nothing_leaves_nothing(isla):
    assert search("isla zzz") == []
    assert search("davis 0222") == []


def test_digits_inside_a_name_word_do_not_match_phones():
    CustomerFactory(name="Room 101", phone="+14155551010")
    CustomerFactory(name="Other", phone="+14155550101")
    assert search("room101") == []
    assert search("101") == ["Other", "Room 101"]


def test_blank_search_returns_everyone(isla):
    assert Customer.objects.search("   ").count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_a_multi_word_search_uses_the_trigram_indexes(isla):
    query = Customer.objects.search("davis 0008").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Served by the trigram indexes: no full scan of the table, even for a multi-word search.
    assert "Seq Scan" not in plan, plan
    assert "_trgm_idx" in plan, plan


def test_list_defaults_the_page_to_active_and_the_api_to_all():
    assert PAGE_DEFAULT_STATUS == "active"
    assert DEFAULT_STATUS == "all"
    CustomerFactory(name="Here")
    CustomerFactory(name="Gone", status="inactive")
    assert [c.name for c in customer_list()] == ["Gone", "Here"]
    assert [c.name for c in customer_list(filters=CustomerListFilters(status="active"))] == ["Here"]


def test_a_shared_phone_is_asked_about_with_the_similar_name_noted():
    grace = CustomerFactory(name="Grace Hopper", phone="+14155552671")
    found = customer_duplicates_to_confirm(name="Grace Hoper", phone="(415) 555-2671")
    assert [(item.customer, item.reasons) for item in found] == [
        (grace, ("same phone", "similar name"))
    ]
    found = customer_duplicates_to_confirm(name="Alan Turing", phone="415 555 2671")
    assert [(item.customer, item.reasons) for item in found] == [(grace, ("same phone",))]


def test_nothing_to_ask_without_a_shared_phone_or_when_an_edit_keeps_its_phone():
    grace = CustomerFactory(name="Grace Hopper", phone="+14155552671")
    twin = CustomerFactory(name="Grace Twin", phone="+14155552671")
    assert customer_duplicates_to_confirm(name="Grace Hopper", phone="") == []
    assert customer_duplicates_to_confirm(name="Grace Hopper", phone="12") == []
    assert customer_duplicates_to_confirm(name="Grace", phone="+12125550100") == []
    # Editing Grace without changing her number asks nothing, even though Twin shares it.
    assert (
        customer_duplicates_to_confirm(name="Grace H.", phone="415-555-2671", customer=grace) == []
    )
    # Changing another customer's number to Grace's asks about Grace and Twin.
    other = CustomerFactory(name="Other")
    found = customer_duplicates_to_confirm(name="Other", phone="4155552671", customer=other)
    assert {item.customer for item in found} == {grace, twin}
