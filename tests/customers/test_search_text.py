"""What a search must find whatever the shop's size and however a name is spelt.

Short words ("jo sm") start words of the name, in any order, and a search never
misses a customer who matches every word because its match limit was spent on
customers who match only some. Accents and case fold both ways ("joao" finds
"João", "Groß" finds "Gross"), through the index, in the selectors, the API (which
the till asks) and the staff list.
"""

import pytest
from django.db import connection

from customers import selectors
from customers.models import Customer
from customers.search_text import fold
from customers.selectors import CustomerListFilters, customer_list
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "customer-results"}


def api_names(client, term: str, **params) -> list[str]:
    body = client.get("/api/customers", {"search": term, "pageSize": 100, **params}).json()
    return [row["name"] for row in body["results"]]


def page_names(client, term: str) -> list[str]:
    response = client.get("/customers/", {"search": term, "page_size": 100}, **HTMX)
    return [customer.name for customer in response.context["customers"]]


def found_everywhere(term: str, manager_client, manager_page) -> list[set[str]]:
    """Return the names ``term`` finds by each way in: index, list, API, the till's call, page."""
    return [
        {customer.name for customer in Customer.objects.search(term)},
        {customer.name for customer in customer_list(filters=CustomerListFilters(search=term))},
        set(api_names(manager_client, term)),
        set(api_names(manager_client, term, status="active", pageSize=8)),
        set(page_names(manager_page, term)),
    ]


# --- short words past the match limit ------------------------------------------------------


@pytest.fixture
def more_jos_than_the_limit(monkeypatch):
    """A search looks at 5 matches instead of 1,000; 12 customers start "Jo"/"Ma" first.

    They are added before the Smiths and Lees, so their ids come first: a search
    that took the first matches of "jo" and filtered those would never see John Smith.
    """
    monkeypatch.setattr(selectors, "MATCH_LIMIT", 5)
    Customer.objects.bulk_create(
        Customer(name=f"{first} Brown {number:02d}")
        for number in range(12)
        for first in ("Joan", "Mary")
    )
    CustomerFactory(name="John Smith", email="jsmith@example.com")
    CustomerFactory(name="Maria Lee", email="maria@example.com")
    CustomerFactory(name="Mary Jane Smithers", email="mjs@example.com")
    CustomerFactory(name="Tom Majors", email="tom@example.com")  # "jo" inside a word only


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("jo sm", {"John Smith"}),
        ("JO SM", {"John Smith"}),
        ("sm jo", {"John Smith"}),
        ("j s", {"John Smith", "Mary Jane Smithers"}),
        ("ma le", {"Maria Lee"}),
        ("le ma", {"Maria Lee"}),
        ("ja sm", {"Mary Jane Smithers"}),
        ("ma ja sm", {"Mary Jane Smithers"}),
        ("jo ma", set()),
    ],
)
def test_short_words_find_every_customer_whose_name_has_words_starting_with_them(
    more_jos_than_the_limit, manager_client, manager_page, term, expected
):
    for found in found_everywhere(term, manager_client, manager_page):
        assert found == expected, term


def test_short_words_are_counted_exactly_past_the_limit_of_the_first_word(
    more_jos_than_the_limit, manager_client
):
    body = manager_client.get("/api/customers", {"search": "ma br"}).json()
    assert body["count"] == 5  # twelve Mary Browns: the limit, meaning "at least"
    body = manager_client.get("/api/customers", {"search": "ma le"}).json()
    assert body["count"] == 1
    assert [row["name"] for row in body["results"]] == ["Maria Lee"]


# --- accents and case ----------------------------------------------------------------------


@pytest.fixture
def spelt_many_ways():
    names = [
        "João Silva",
        "Joao Pereira",
        "Heinz Groß",
        "Anna Gross",
        "Søren Kierkegaard",
        "Soren Lund",
        "Siobhán Murphy",
        "SIOBHAN KELLY",
        "Zoë Ærø",
        "Ðorđe Łukasz",
    ]
    for name in names:
        CustomerFactory(name=name)
    CustomerFactory(name="Unrelated Person", email="person@example.com")


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("joao", {"João Silva", "Joao Pereira"}),
        ("JOÃO", {"João Silva", "Joao Pereira"}),
        ("gross", {"Heinz Groß", "Anna Gross"}),
        ("groß", {"Heinz Groß", "Anna Gross"}),
        ("soren", {"Søren Kierkegaard", "Soren Lund"}),
        ("søren", {"Søren Kierkegaard", "Soren Lund"}),
        ("siobhan", {"Siobhán Murphy", "SIOBHAN KELLY"}),
        ("siobhán murphy", {"Siobhán Murphy"}),
        ("zoe aero", {"Zoë Ærø"}),
        ("dorde lukasz", {"Ðorđe Łukasz"}),
        ("jo si", {"João Silva"}),
        ("so", {"Søren Kierkegaard", "Soren Lund"}),
        ("sø", {"Søren Kierkegaard", "Soren Lund"}),
    ],
)
def test_accents_and_case_fold_both_ways(
    spelt_many_ways, manager_client, manager_page, term, expected
):
    for found in found_everywhere(term, manager_client, manager_page):
        assert found == expected, term


def test_a_changed_name_is_found_by_its_folded_spelling():
    customer = CustomerFactory(name="Plain Name")
    Customer.objects.filter(pk=customer.pk).update(name="Bjørn Ødegård")
    assert list(Customer.objects.search("bjorn odegard")) == [customer]
    assert list(Customer.objects.search("bj od")) == [customer]
    assert list(Customer.objects.search("plain")) == []


def test_fold_drops_accents_and_case_and_spells_out_letters_that_have_none():
    assert fold("  João   SILVA ") == "joao silva"
    assert fold("Straße ẞ") == "strasse ss"
    assert fold("Søren Ærø Œuvre") == "soren aero oeuvre"
    assert fold("Łódź Đorđe İlkay") == "lodz dorde ilkay"
    assert fold("Иван") == "иван"  # other scripts keep their letters, lower-cased
    assert fold("한국") == "한국"  # composed again: Hangul is not split into its jamo


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL folds with unaccent")
def test_postgresql_folds_as_python_does_for_the_names_shops_have():
    names = ["João Silva", "Straße", "Søren Ærø", "Łódź Đorđe", "Zoë O'Brien", "Nguyễn Thảo"]
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute("SELECT customers_fold(%s)", [name])
            assert cursor.fetchone()[0] == fold(name), name


@pytest.mark.parametrize(
    ("term", "first"),
    [("siobhan murphy", "Siobhán Murphy"), ("joao silva", "João Silva"), ("GROSS", "Groß")],
)
def test_the_best_match_is_the_best_whatever_its_accents(manager_client, term, first):
    """An exact name ranks first though only its folded spelling equals what was typed:
    the till must not offer "Siobhan Murphy-Jones" above "Siobhán Murphy"."""
    for name in ("Siobhan Murphy-Jones", "Joao Silvano", "Grossman Ltd", "Anna Gross", "Groß"):
        CustomerFactory(name=name)
    CustomerFactory(name="Siobhán Murphy")
    CustomerFactory(name="João Silva")
    listed = customer_list(filters=CustomerListFilters(search=term))
    assert listed[0].name == first
    assert api_names(manager_client, term, status="active", pageSize=8)[0] == first
