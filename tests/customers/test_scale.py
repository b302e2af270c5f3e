"""Customers at scale: capped counts on the page, a fixed number of queries, the seeder.

A million customers must not make a list or search request cost more queries (or a
``COUNT(*)`` of every row). The cap is lowered here so that a few rows stand for
"more than 10,000"; the query budgets are absolute numbers, so a new query per
request anywhere on these paths fails a test rather than slipping in. The demo
customers a seed gives stay the same, and ``seed_demo`` says how far it got; the
loader that builds a million of them is ``bench/seed.py``'s (``tests/test_bench_seed.py``).
"""

import io
import random
import re

import phonenumbers
import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classicpos.api.pagination import AtLeast, CappedPaginator
from classicpos.management.commands import seed_demo
from customers import demo
from customers.models import Customer
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "customer-results"}

# What a request costs before its list: the session and its user (pages) or the token
# and its user in one query (API; knox's sweep of the user's other tokens happens at
# login instead), then the user's permissions, their own and their groups' in one query
# (classicpos.auth_backend; cached for the request).
PAGE_AUTH_QUERIES = 3
API_AUTH_QUERIES = 2
# The list itself: a count that stops at 10,000 and the page of rows (no rows query
# when the count is 0); a search: its matches' ids from the search index, and the page
# of those rows (the count is how many ids there are). The budget is three.
LIST_QUERIES = 2
# The whole list page also reads the tag names for its Tag filter (at most 200): its
# third query, the budget spent. The htmx fragment (the results alone) does not.
PAGE_LIST_QUERIES = LIST_QUERIES + 1
# Beside the list, the whole page asks whether the chain has several stores, to offer the
# Home store and Bought at filters (two rows of the stores table at most).
PAGE_STORE_QUERIES = 1


def page_list_queries(htmx: bool) -> int:
    return LIST_QUERIES if htmx else PAGE_LIST_QUERIES


def page_other_queries(htmx: bool) -> int:
    return 0 if htmx else PAGE_STORE_QUERIES


def count_line(response) -> str:
    found = re.search(r"<p [^>]*data-result-count>(.*?)</p>", response.content.decode(), re.S)
    assert found, "the list shows how many customers it found"
    return " ".join(found.group(1).split())


def pager(response) -> str:
    found = re.search(r'<nav aria-label="Pages">(.*?)</nav>', response.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def row_names(response) -> list[str]:
    return [customer.name for customer in response.context["customers"]]


def customer_queries(captured) -> list[str]:
    """Return the captured statements that read customers' tables (the list's share)."""
    return [query["sql"] for query in captured if re.search(r'\bFROM "customer', query["sql"])]


def add_smiths(count: int) -> None:
    """Add customers "Smith 01" to "Smith <count>", each with an email of their own."""
    Customer.objects.bulk_create(
        Customer(name=f"Smith {number:02d}", email=f"smith{number}@example.com")
        for number in range(1, count + 1)
    )


@pytest.fixture
def capped(monkeypatch):
    """Counts stop at 5 instead of 10,000: 25 customers are then "5+"."""
    monkeypatch.setattr(CappedPaginator, "count_limit", 5)
    add_smiths(25)


def test_at_least_prints_with_a_plus():
    assert str(AtLeast(10_000)) == "10,000+"
    assert f"{AtLeast(10_000)} customers" == "10,000+ customers"


def test_a_capped_list_says_how_many_at_least(manager_page, capped):
    response = manager_page.get("/customers/?page_size=10")
    assert count_line(response) == "5+ active customers"
    assert count_line(manager_page.get("/customers/?search=smith&page_size=10")) == (
        "5+ active customers match"
    )
    fragment = manager_page.get("/customers/?search=smith&page_size=10", **HTMX)
    assert count_line(fragment) == "5+ active customers match"


def test_an_exact_count_reads_with_thousands_separators(manager_page):
    Customer.objects.bulk_create(Customer(name=f"Jo {number}") for number in range(1234))
    assert count_line(manager_page.get("/customers/?status=all")) == "1,234 customers"
    CustomerFactory(name="Quentin Unique")
    assert count_line(manager_page.get("/customers/?search=quentin")) == (
        "1 active customer matches"
    )


def test_a_capped_list_pages_on_without_a_last_page_number(manager_page, capped):
    first = manager_page.get("/customers/?page_size=10")
    assert row_names(first) == [f"Smith {number:02d}" for number in range(1, 11)]
    # The last page is unknown past the cap: no "of N" to lie about, Next while rows remain.
    assert pager(first) == "Previous Page 1 Next"
    # Next and Previous carry the cursor of the row the page ends (starts) at.
    assert 'href="?page_size=10&amp;page=2&amp;after=' in first.content.decode()

    second = manager_page.get("/customers/?page_size=10&page=2")
    assert row_names(second) == [f"Smith {number:02d}" for number in range(11, 21)]
    assert pager(second) == "Previous Page 2 Next"
    assert 'href="?page_size=10&amp;page=1&amp;before=' in second.content.decode()
    assert 'href="?page_size=10&amp;page=3&amp;after=' in second.content.decode()

    last = manager_page.get("/customers/?page_size=10&page=3")
    assert row_names(last) == [f"Smith {number:02d}" for number in range(21, 26)]
    assert pager(last) == "Previous Page 3 Next"
    assert 'page=4"' not in last.content.decode()  # Next is there but not a link

    searched = manager_page.get("/customers/?search=smith&page_size=10&page=2", **HTMX)
    assert len(row_names(searched)) == 10
    assert "search=smith&amp;page_size=10&amp;page=3" in searched.content.decode()


def test_a_page_number_that_is_not_a_number_shows_the_first_page(manager_page, capped):
    for page in ("abc", "0", "-1", ""):
        response = manager_page.get(f"/customers/?page_size=10&page={page}")
        assert response.status_code == 200, page
        assert row_names(response)[0] == "Smith 01", page


def test_a_page_past_the_end_of_a_capped_list_shows_the_last_page(manager_page, capped):
    response = manager_page.get("/customers/?page_size=10&page=99")
    assert response.status_code == 200
    assert row_names(response) == [f"Smith {number:02d}" for number in range(21, 26)]


# --- queries per request ---------------------------------------------------------------


@pytest.fixture
def searchable():
    CustomerFactory(name="Olivia King", email="olivia.king@example.com", phone="+14155550123")
    CustomerFactory(name="Oliver Kingsley", email="ok@example.com")
    CustomerFactory(name="Gone Kingston", status="inactive")
    Customer.objects.bulk_create(Customer(name=f"Filler {number}") for number in range(30))


@pytest.fixture
def many_smiths(monkeypatch):
    """A search looks at 5 matches instead of 1,000: 12 Smiths are then "5+"."""
    from customers import selectors

    monkeypatch.setattr(selectors, "MATCH_LIMIT", 5)
    add_smiths(12)
    Customer.objects.bulk_create(
        Customer(name=f"Gone Smith {number:02d}", status="inactive") for number in range(1, 8)
    )


def test_a_search_past_its_match_limit_counts_at_least_the_limit(token_client, many_smiths):
    """The matches a search looks at are listed, and the count says there are more."""
    first = token_client.get("/api/customers", {"search": "smith", "status": "active"}).json()
    assert first["count"] == 5
    assert len(first["results"]) == 5
    assert first["next"] is None
    names = []
    url, query = "/api/customers", {"search": "smith", "status": "active", "pageSize": 2}
    while url:
        page = token_client.get(url, query).json()
        assert page["count"] == 5
        names += [row["name"] for row in page["results"]]
        url, query = page["next"], None
    assert names == [row["name"] for row in first["results"]]


def test_a_search_within_its_match_limit_counts_exactly(token_client, many_smiths):
    found = token_client.get("/api/customers", {"search": "smith 1", "status": "active"}).json()
    assert found["count"] == 4  # Smith 01, 10, 11, 12
    assert len(found["results"]) == 4


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_page_says_a_search_past_its_limit_found_at_least_that_many(
    manager_page, many_smiths, htmx
):
    response = manager_page.get("/customers/?search=smith&page_size=10", **(HTMX if htmx else {}))
    assert count_line(response) == "5+ active customers match"
    assert len(row_names(response)) == 5
    assert pager(response) == ""  # one page of the five it looked at
    exact = manager_page.get("/customers/?search=smith+1", **(HTMX if htmx else {}))
    assert count_line(exact) == "4 active customers match"


def test_the_page_says_how_many_inactive_customers_match_at_least(manager_page, many_smiths):
    response = manager_page.get("/customers/?search=gone")
    assert "5+ inactive customers match" in " ".join(response.content.decode().split())


@pytest.fixture
def warm_page(manager_page):
    """A logged-in page client past its first page, whose session already remembers
    whether to show the Admin link (the first page of a session asks and saves it)."""
    assert manager_page.get("/customers/").status_code == 200
    return manager_page


API_SEARCHES = [
    "/api/customers?search=king",  # three or more characters: the trigram index
    "/api/customers?search=ol",  # one or two: the trigrams of a word's start
    "/api/customers?search=555-0123",  # phone digits typed with a dash
    "/api/customers",
    "/api/customers?page=2&pageSize=10&ordering=-loyaltyPoints",
    # The till's customer picker (static/sales/checkout.js): eight active matches,
    # then, when none, whether an inactive customer matches.
    "/api/customers?status=active&pageSize=8&search=kin",
    "/api/customers?status=inactive&pageSize=1&search=kingston",
]


@pytest.mark.parametrize("url", API_SEARCHES)
def test_an_api_list_or_search_costs_a_fixed_number_of_queries(
    token_client, searchable, url, django_assert_num_queries
):
    with django_assert_num_queries(API_AUTH_QUERIES + LIST_QUERIES) as captured:
        response = token_client.get(url)
    assert response.status_code == 200
    assert response.json()["results"]
    assert len(customer_queries(captured)) == LIST_QUERIES


def test_a_search_that_finds_nothing_only_counts(
    token_client, searchable, django_assert_num_queries
):
    """No matches leave an empty page: the search index is asked once, and that is all."""
    with django_assert_num_queries(API_AUTH_QUERIES + 1):
        response = token_client.get("/api/customers?search=nobody+at+all")
    assert response.json()["count"] == 0


PAGE_SEARCHES = [
    "/customers/?search=king",
    "/customers/?search=ol",
    "/customers/?search=555-0123",
    "/customers/?status=all&ordering=-createdAt",
    "/customers/?page_size=10&page=2",
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("url", PAGE_SEARCHES)
def test_the_customer_list_page_costs_a_fixed_number_of_queries(
    warm_page, searchable, url, htmx, django_assert_num_queries
):
    list_queries = page_list_queries(htmx)
    with django_assert_num_queries(
        PAGE_AUTH_QUERIES + list_queries + page_other_queries(htmx)
    ) as captured:
        response = warm_page.get(url, **(HTMX if htmx else {}))
    assert response.status_code == 200
    assert len(customer_queries(captured)) == list_queries


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_no_active_match_asks_once_more_for_inactive_ones(
    warm_page, searchable, htmx, django_assert_num_queries
):
    """An empty active list counts the inactive matches instead of asking for rows."""
    list_queries = page_list_queries(htmx)
    with django_assert_num_queries(
        PAGE_AUTH_QUERIES + list_queries + page_other_queries(htmx)
    ) as captured:
        response = warm_page.get("/customers/?search=kingston", **(HTMX if htmx else {}))
    assert "1 inactive customer matches" in " ".join(response.content.decode().split())
    assert len(customer_queries(captured)) == list_queries


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("url", ["/crm/contacts/?search=king", "/crm/contacts/"])
def test_crm_contacts_cost_a_fixed_number_of_queries(
    warm_page, searchable, url, htmx, django_assert_num_queries
):
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "contact-results"} if htmx else {}
    with django_assert_num_queries(PAGE_AUTH_QUERIES + LIST_QUERIES) as captured:
        response = warm_page.get(url, **headers)
    assert response.status_code == 200
    assert len(customer_queries(captured)) == LIST_QUERIES


def test_a_session_costs_its_first_page_four_queries_more(manager_page, searchable):
    """The first page of a session asks whether to offer the Admin link and saves the
    answer in the session (a group lookup and the session's save in a savepoint)."""
    with CaptureQueriesContext(connection) as first:
        manager_page.get("/customers/?search=king")
    with CaptureQueriesContext(connection) as second:
        manager_page.get("/customers/?search=king")
    assert len(first) == len(second) + 4
    assert len(second) == PAGE_AUTH_QUERIES + PAGE_LIST_QUERIES + PAGE_STORE_QUERIES


# --- seeding at scale ---------------------------------------------------------------------


def test_the_generator_draws_what_choice_randint_and_randrange_draw():
    """The seeder calls ``Random._randbelow`` directly (the public helpers' checks cost a
    third of a million-row load); on this Python it must give the public helpers' numbers,
    or the same seed would stop giving the same demo shop."""
    public, direct = random.Random(7), random.Random(7)
    for n in (5, 59, 230, 999, 10**7, 10**8):
        assert [public.choice(range(n)) for _ in range(50)] == [
            direct._randbelow(n) for _ in range(50)
        ]
        assert public.randint(1, n) == 1 + direct._randbelow(n)
        assert public.randrange(n) == direct._randbelow(n)


def test_seed_42_gives_the_customers_it_always_gave():
    rows = list(demo.demo_customer_rows(1, 3, random.Random(42)))
    assert [row[:4] for row in rows] == [
        ("João Brown", "jbrown.1@yahoo.com", "+12125146316", "755 Pine St, Springfield, IL 62701"),
        (
            "Zoë Smith-Jones",
            "zoe_smithjones.2@outlook.com",
            "+14152098246",
            "224 Park Ave, Sydney NSW 2000",
        ),
        (
            "Seo-yeon Choi",
            "seoyeonchoi1994.3@hotmail.com",
            "+15148231148",
            "460 Rue de la Paix, Springfield, IL 62701",
        ),
    ]
    if connection.vendor == "sqlite":
        assert rows[0][6:8] == ("2018-01-01 00:04:00", "2018-01-01 00:04:00")


def test_demo_customers_are_varied_and_realistic():
    rows = list(demo.demo_customer_rows(1, 20_000, random.Random(42)))
    names = [row[0] for row in rows]
    firsts = {name.split()[0] for name in names}
    lasts = {name.rsplit(" ", 1)[-1] for name in names}
    # Not 30 x 30: hundreds of first and last names, most full names different.
    assert len(firsts) > 150
    assert len(lasts) > 150
    assert len(set(names)) > 10_000
    assert any("'" in name for name in names)
    assert any("-" in name.split()[-1] for name in names)
    assert any(not name.isascii() for name in names)
    assert any(len(name.split()) >= 3 for name in names)
    emails = [row[1] for row in rows if row[1]]
    assert len(emails) == len(set(emails))
    assert 0.75 < len(emails) / len(rows) < 0.85
    assert len({email.split("@")[1] for email in emails}) >= 10
    # Phones are stored as E.164, as every saved phone is; shown in each country's format.
    phones = [row[2] for row in rows if row[2]]
    assert len({phonenumbers.parse(phone).country_code for phone in phones}) >= 7
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(phone)) for phone in phones[:500])
    assert 0.7 < sum(1 for row in rows if row[3]) / len(rows) < 0.8
    inactive = sum(1 for row in rows if row[5] == "inactive")
    assert inactive == len(rows) // 17


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_is_one_line_rewritten(monkeypatch):
    clock = iter([0.0, 38.4, 60.0, 95.0])
    monkeypatch.setattr(seed_demo.time, "monotonic", lambda: next(clock))
    out = Terminal()
    progress = seed_demo.Progress("customers", OutputWrapper(out), terminal=True)
    progress(420_000, 1_000_000)
    progress(1_000_000, 1_000_000, stage="building indexes")
    progress.finish()
    lines = out.getvalue().split("\r")
    assert out.getvalue().count("\n") == 1
    assert [line.rstrip() for line in lines[1:]] == [
        "customers 420,000/1,000,000 (42%) 38 s",
        "customers 1,000,000/1,000,000 (100%) 60 s, building indexes",
        "customers 1,000,000/1,000,000 (100%) 95 s, done",
    ]


def test_progress_in_a_log_is_a_plain_line_every_ten_seconds_and_at_each_stage(monkeypatch):
    clock = iter([0.0, 1.0, 5.0, 12.0, 13.0, 14.0, 20.0])
    monkeypatch.setattr(seed_demo.time, "monotonic", lambda: next(clock))
    out = io.StringIO()
    progress = seed_demo.Progress("customers", OutputWrapper(out), terminal=False)
    progress(100_000, 500_000)
    progress(200_000, 500_000)  # 4 s after the last line: not yet
    progress(300_000, 500_000)  # 11 s after it
    progress(500_000, 500_000)
    progress(500_000, 500_000, stage="building indexes")
    progress.finish()
    assert "\r" not in out.getvalue()
    assert out.getvalue().splitlines() == [
        "customers 100,000/500,000 (20%) 1 s",
        "customers 300,000/500,000 (60%) 12 s",
        "customers 500,000/500,000 (100%) 14 s, building indexes",
        "customers 500,000/500,000 (100%) 20 s, done",
    ]


def test_seed_demo_shows_progress_unless_told_to_be_quiet(monkeypatch):
    monkeypatch.setattr(seed_demo, "PROGRESS_FROM", 10)
    out = io.StringIO()
    call_command("seed_demo", "--customers", "30", "--sales", "0", stdout=out)
    assert re.search(r"^customers 30/30 \(100%\) \d+ s, done$", out.getvalue(), re.M)
    assert "Created 30 demo customers." in out.getvalue()
    quiet = io.StringIO()
    call_command("seed_demo", "--customers", "30", "--sales", "0", "--verbosity", "0", stdout=quiet)
    assert quiet.getvalue() == ""
    assert Customer.objects.count() == 60
