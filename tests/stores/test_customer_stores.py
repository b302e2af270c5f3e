"""The customer across stores (issue 30 #5): a home store set where the customer was added
and editable, the list's Home store and Bought at filters, and the customer page's figures
per store; a one-store shop sees none of it."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from classicpos.money_format import format_money
from customers import services
from customers.models import Channel, Customer
from customers.segments import segment_conditions
from stores.models import Store
from stores.selectors import the_only_till
from stores.services import first_store
from tests.api_helpers import post_json
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund, ring_up
from tests.stores.factories import StoreFactory, TillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def downtown():
    return TillFactory(store=StoreFactory(code="DT", name="Downtown"))


@pytest.fixture
def airport():
    return TillFactory(store=StoreFactory(code="AP", name="Airport"))


def _pair(manager_page, till):
    assert manager_page.post("/tills/pair/", {"till": till.pk}).status_code == 302


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


# --- the home store, set where the customer is added -------------------------------------


def test_a_one_store_shop_s_new_customers_belong_to_its_store(manager_client, manager_page):
    only = the_only_till()
    created = post_json(manager_client, "/api/customers", {"name": "Api Ann"})
    assert created.status_code == 201
    assert created.json()["homeStoreId"] == only.store_id
    form = manager_page.get("/customers/new/").content.decode()
    assert 'name="home_store"' not in form  # nothing to choose in a one-store shop
    manager_page.post("/customers/new/", {"name": "Page Pat", "preferred_contact": "none"})
    assert Customer.objects.get(name="Page Pat").home_store_id == only.store_id


def test_the_api_takes_the_paired_till_s_store_or_none_in_a_chain(
    manager_client, manager_page, downtown, airport
):
    created = post_json(manager_client, "/api/customers", {"name": "Nowhere Ned"})
    assert created.json()["homeStoreId"] is None  # several tills, none named
    named = post_json(
        manager_client, "/api/customers", {"name": "Named Nia", "homeStoreId": airport.store_id}
    )
    assert named.json()["homeStoreId"] == airport.store_id
    # The till's quick-add posts from a paired browser: the till's store.
    _pair(manager_page, downtown)
    quick = post_json(manager_page, "/api/customers", {"name": "Quick Quinn"})
    assert quick.status_code == 201
    assert quick.json()["homeStoreId"] == downtown.store_id


def test_the_till_page_tells_quick_add_its_store(manager_page, downtown, airport):
    _pair(manager_page, airport)
    page = manager_page.get("/checkout/").content.decode()
    assert f'data-store-id="{airport.store_id}"' in page


def test_the_page_form_offers_the_stores_and_starts_at_the_device_s(
    manager_page, downtown, airport
):
    _pair(manager_page, airport)
    form = manager_page.get("/customers/new/").content.decode()
    (selected,) = re.findall(r'<option value="(\d+)" selected>', form)
    assert int(selected) == airport.store_id
    manager_page.post(
        "/customers/new/",
        {"name": "Picked Pia", "preferred_contact": "none", "home_store": downtown.store_id},
    )
    customer = Customer.objects.get(name="Picked Pia")
    assert customer.home_store_id == downtown.store_id
    edited = manager_page.post(
        f"/customers/{customer.pk}/edit/",
        {"name": "Picked Pia", "preferred_contact": "none", "home_store": airport.store_id},
    )
    assert edited.status_code == 302
    customer.refresh_from_db()
    assert customer.home_store_id == airport.store_id


# --- editing it through the API ------------------------------------------------------------


def test_patch_changes_the_home_store_and_the_history_says_so(manager_client, downtown, airport):
    customer = services.customer_create(
        name="Moving Mo", home_store=downtown.store, actor=None, channel=Channel.COMMAND
    )
    response = manager_client.patch(
        f"/api/customers/{customer.pk}", {"homeStoreId": airport.store_id}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["homeStoreId"] == airport.store_id
    event = customer.events.latest("id")
    assert event.changes == {"home_store": [downtown.store_id, airport.store_id]}
    timeline = manager_client.get(f"/api/customers/{customer.pk}/timeline").json()
    assert timeline["results"][0]["changes"] == {
        "homeStoreId": [downtown.store_id, airport.store_id]
    }
    cleared = manager_client.patch(
        f"/api/customers/{customer.pk}", {"homeStoreId": None}, format="json"
    )
    assert cleared.json()["homeStoreId"] is None


def test_an_edit_that_keeps_the_home_store_writes_nothing(downtown):
    customer = services.customer_create(
        name="Staying Sam", home_store=downtown.store, actor=None, channel=Channel.COMMAND
    )
    with CaptureQueriesContext(connection) as queries:
        services.customer_update(
            customer=customer,
            data={"home_store": downtown.store_id},
            actor=None,
            channel=Channel.COMMAND,
        )
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (999_999, "There is no store #999999."),
        (10**30, None),
        ("two", None),
        (True, None),
    ],
)
def test_a_bad_home_store_is_a_400_naming_home_store_id(manager_client, value, message):
    customer = CustomerFactory()
    for response in (
        manager_client.patch(
            f"/api/customers/{customer.pk}", {"homeStoreId": value}, format="json"
        ),
        post_json(manager_client, "/api/customers", {"name": "Bad Bo", "homeStoreId": value}),
    ):
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert list(errors) == ["homeStoreId"]
        if message:
            assert errors["homeStoreId"] == [message]


def test_a_put_without_the_home_store_clears_it_as_every_left_out_field(manager_client):
    customer = CustomerFactory(home_store=Store.objects.get())
    response = manager_client.put(
        f"/api/customers/{customer.pk}", {"name": customer.name}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["homeStoreId"] is None


def test_a_merge_keeps_the_survivor_s_home_store_or_takes_the_duplicate_s(downtown, airport):
    survivor = CustomerFactory(home_store=None)
    duplicate = CustomerFactory(home_store=airport.store)
    services.customer_merge(
        survivor=survivor, duplicate=duplicate, actor=None, channel=Channel.COMMAND
    )
    survivor.refresh_from_db()
    assert survivor.home_store_id == airport.store_id
    other = CustomerFactory(home_store=downtown.store)
    services.customer_merge(survivor=survivor, duplicate=other, actor=None, channel=Channel.COMMAND)
    survivor.refresh_from_db()
    assert survivor.home_store_id == airport.store_id


# --- the list's filters --------------------------------------------------------------------


@pytest.fixture
def chain(cashier, downtown, airport):
    """Ann lives by Downtown and buys at the Airport; Ben buys at Downtown; Cy never buys."""
    ann = CustomerFactory(name="Ann Home", home_store=downtown.store)
    ben = CustomerFactory(name="Ben Buyer", home_store=airport.store)
    CustomerFactory(name="Cy None", home_store=None)
    ring_up(customer=ann, cashier=cashier, price="10.00", till=airport)
    ring_up(customer=ben, cashier=cashier, price="5.00", till=downtown)
    ring_up(customer=None, cashier=cashier, price="1.00", till=downtown)
    return {"downtown": downtown.store, "airport": airport.store}


def test_the_api_lists_customers_by_home_store_and_by_where_they_bought(manager_client, chain):
    downtown, airport = chain["downtown"].pk, chain["airport"].pk
    assert _names(manager_client.get("/api/customers", {"homeStore": downtown})) == {"Ann Home"}
    assert _names(manager_client.get("/api/customers", {"boughtAt": downtown})) == {"Ben Buyer"}
    assert _names(manager_client.get("/api/customers", {"boughtAt": airport})) == {"Ann Home"}
    both = manager_client.get("/api/customers", {"homeStore": downtown, "boughtAt": airport})
    assert _names(both) == {"Ann Home"}
    searched = manager_client.get("/api/customers", {"search": "ben", "boughtAt": downtown})
    assert _names(searched) == {"Ben Buyer"}


@pytest.mark.parametrize("parameter", ["homeStore", "boughtAt"])
@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1.5", "99999999999999999999", "\u0661"])
def test_a_bad_store_filter_is_a_400_naming_it(manager_client, chain, parameter, value):
    response = manager_client.get("/api/customers", {parameter: value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert list(response.json()["errors"]) == [parameter]
    if value == "999999":
        assert response.json()["errors"][parameter] == ["There is no store #999999."]


def test_the_list_page_filters_by_store_and_shows_a_bad_one_beside_its_field(manager_page, chain):
    downtown = chain["downtown"].pk
    page = manager_page.get("/customers/", {"homeStore": downtown}).content.decode()
    assert "Ann Home" in page
    assert "Ben Buyer" not in page
    assert f'<option value="{downtown}" selected>Downtown</option>' in page
    bought = manager_page.get("/customers/", {"boughtAt": downtown}).content.decode()
    assert "Ben Buyer" in bought
    assert "Ann Home" not in bought
    bad = manager_page.get("/customers/", {"boughtAt": "999999"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "There is no store #999999." in html
    # Ignored: the list is everyone.
    assert {"Ann Home", "Ben Buyer", "Cy None"} <= set(re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+", html))
    (select,) = re.findall(r'<select[^>]*name="boughtAt"[^>]*>', html)
    assert "is-invalid" in select


def test_a_one_store_shop_s_list_offers_no_store_filter(manager_page):
    CustomerFactory(name="Only Olga")
    page = manager_page.get("/customers/").content.decode()
    assert 'name="homeStore"' not in page
    assert 'name="boughtAt"' not in page


def test_bought_at_reads_the_sales_store_and_customer_index(chain):
    if connection.vendor != "sqlite":
        pytest.skip("The plan is SQLite's; PostgreSQL's depends on its statistics.")
    condition = segment_conditions((("boughtAt", chain["downtown"].pk),))
    sql, params = Customer.objects.filter(condition).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "sale_store_customer_idx" in plan, plan


# --- the customer page's figures per store -------------------------------------------------


def test_the_customer_page_shows_spend_and_visits_per_store(
    manager_page, manager, cashier, downtown, airport
):
    customer = CustomerFactory(name="Roaming Rae", home_store=downtown.store)
    ring_up(customer=customer, cashier=cashier, price="10.00", till=downtown)
    sale = ring_up(customer=customer, cashier=cashier, price="20.00", till=downtown)
    ring_up(customer=customer, cashier=cashier, price="7.00", till=airport)
    refund(sale=sale, user=manager)
    html = manager_page.get(f"/customers/{customer.pk}/").content.decode()
    panel = html[html.index('id="stores-panel"') :]
    assert "Home store: <strong>Downtown</strong>" in panel
    rows = dict(re.findall(r'<tr data-store="(\d+)">(.*?)</tr>', panel, re.S))
    downtown_row = " ".join(rows[str(downtown.store_id)].split())
    # Two visits (a refunded sale is still one), spend net of the refund, the last visit.
    assert '<td data-label="Visits" class="text-end">2</td>' in downtown_row
    spend = sum(s.total - s.refunded_total for s in customer.sales.filter(store=downtown.store))
    assert spend == customer.sales.filter(store=downtown.store).earliest("id").total
    assert f'<td data-label="Spend" class="text-end">{format_money(spend)}</td>' in downtown_row
    assert '<td data-label="Visits" class="text-end">1</td>' in rows[str(airport.store_id)]
    assert "Airport" in rows[str(airport.store_id)]


def test_the_per_store_panel_costs_one_query_however_many_sales_and_stores(
    manager_page, cashier, downtown, airport, django_assert_num_queries
):
    customer = CustomerFactory()
    ring_up(customer=customer, cashier=cashier, price="1.00", till=downtown)
    manager_page.get(f"/customers/{customer.pk}/")
    with CaptureQueriesContext(connection) as few:
        manager_page.get(f"/customers/{customer.pk}/")
    store_queries = [q for q in few.captured_queries if 'FROM "stores_store"' in q["sql"]]
    assert len(store_queries) == 1  # the panel's figures, every store in one query
    for till in (downtown, airport, TillFactory(), TillFactory()):
        for _ in range(3):
            ring_up(customer=customer, cashier=cashier, price="2.00", till=till)
    with django_assert_num_queries(len(few.captured_queries)):
        response = manager_page.get(f"/customers/{customer.pk}/")
    assert response.content.decode().count("<tr data-store=") == 4


def test_a_one_store_shop_s_customer_page_has_no_store_panel(manager_page, cashier):
    customer = CustomerFactory()
    ring_up(customer=customer, cashier=cashier, price="1.00")
    html = manager_page.get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="stores-panel"' not in html
    assert "By store" not in html


# --- the upgrade ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_upgrade_puts_every_existing_customer_in_the_first_store():
    CustomerFactory.create_batch(3, home_store=None)
    # A transactional test before this one may have flushed the migration's "Main".
    first = first_store()
    StoreFactory()  # a later store takes no one
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate([("customers", "0012_prior_history")])
    finally:
        _migrate(leaves)
    assert set(Customer.objects.values_list("home_store_id", flat=True)) == {first.pk}


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
