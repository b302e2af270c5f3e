"""Selling in a chain: the till names the store, its rate prices the sale, its series numbers
it, and a Cashier assigned to one store cannot sell at another's tills."""

from decimal import Decimal

import pytest
from django.test import override_settings

from loyalty.models import LoyaltyTransaction
from sales.models import Sale
from stores.models import Store, Till
from stores.selectors import the_only_till
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory
from tests.sales.helpers import refund, ring_up
from tests.stores.factories import StoreFactory, TillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def downtown():
    return TillFactory(store=StoreFactory(code="DT", name="Downtown", tax_rate=Decimal("0.0875")))


@pytest.fixture
def airport():
    return TillFactory(store=StoreFactory(code="AP", name="Airport", tax_rate=Decimal("0.05")))


def _sale_body(product, till=None, **extra):
    body = {
        "lines": [{"productId": product.pk, "quantity": 1}],
        "discount": "0",
        "payments": [{"method": "cash", "amount": "20.00"}],
        **extra,
    }
    if till is not None:
        body["tillId"] = till.pk
    return body


def test_a_one_till_shop_never_names_its_till(cashier_client):
    product = ProductFactory(price=Decimal("10.00"))
    created = cashier_client.post("/api/sales", _sale_body(product), format="json")
    assert created.status_code == 201, created.json()
    only = the_only_till()
    assert (created.json()["storeId"], created.json()["tillId"]) == (only.store_id, only.pk)
    assert created.json()["number"].startswith(f"{only.store.code}-")


def test_the_selling_stores_tax_rate_prices_the_quote_and_the_sale(
    cashier_client, downtown, airport
):
    product = ProductFactory(price=Decimal("10.00"))
    body = {"lines": [{"productId": product.pk, "quantity": 1}], "discount": "0"}
    at_downtown = cashier_client.post(
        "/api/sales/quote", {**body, "tillId": downtown.pk}, format="json"
    )
    at_airport = cashier_client.post(
        "/api/sales/quote", {**body, "tillId": airport.pk}, format="json"
    )
    assert (at_downtown.json()["tax"], at_downtown.json()["total"]) == ("0.88", "10.88")
    assert (at_airport.json()["tax"], at_airport.json()["total"]) == ("0.50", "10.50")
    sold = cashier_client.post("/api/sales", _sale_body(product, downtown), format="json").json()
    assert (sold["tax"], sold["total"], sold["storeId"]) == ("0.88", "10.88", downtown.store_id)


@override_settings(CLASSICPOS_TAX_RATE=Decimal("0.0725"))
def test_a_store_without_a_rate_charges_the_shops_setting(cashier):
    sale = ring_up(customer=None, price="2.00", cashier=cashier)
    assert sale.store.tax_rate is None
    assert sale.tax == Decimal("0.15")


def test_once_the_chain_has_two_tills_a_sale_must_name_one(cashier_client, downtown):
    product = ProductFactory(price=Decimal("10.00"))
    missing = cashier_client.post("/api/sales", _sale_body(product), format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"tillId": ["Choose the till this sale is rung up at."]}
    quote = cashier_client.post("/api/sales/quote", {"lines": []}, format="json")
    assert quote.status_code == 400
    assert "tillId" in quote.json()["errors"]
    unknown = cashier_client.post("/api/sales", _sale_body(product, tillId=999999), format="json")
    assert unknown.json()["errors"]["tillId"] == ["There is no till #999999."]
    assert Sale.objects.count() == 0


def test_a_retired_till_sells_no_more(cashier_client, manager_client, downtown):
    product = ProductFactory(price=Decimal("10.00"))
    retired = manager_client.patch(f"/api/tills/{downtown.pk}", {"active": False}, format="json")
    assert retired.status_code == 200
    assert retired.json()["active"] is False
    refused = cashier_client.post("/api/sales", _sale_body(product, downtown), format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["tillId"] == [
        f"{downtown.name} is retired: choose another till."
    ]


def test_a_cashier_of_one_store_is_refused_at_anothers_till(
    cashier, cashier_client, downtown, airport
):
    downtown.store.staff.add(cashier)
    product = ProductFactory(price=Decimal("10.00"))
    refused = cashier_client.post("/api/sales", _sale_body(product, airport), format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You may not sell at Airport's tills."
    quote = cashier_client.post(
        "/api/sales/quote", {"lines": [], "tillId": airport.pk}, format="json"
    )
    assert quote.status_code == 403
    sold = cashier_client.post("/api/sales", _sale_body(product, downtown), format="json")
    assert sold.status_code == 201
    assert Sale.objects.count() == 1


def test_each_store_numbers_its_sales_and_invoices_in_its_own_series(
    cashier, manager, downtown, airport
):
    numbers = [
        ring_up(customer=None, price="1.00", cashier=cashier, till=till).number
        for till in (downtown, airport, downtown, airport, downtown)
    ]
    assert numbers == ["DT-000001", "AP-000001", "DT-000002", "AP-000002", "DT-000003"]


def test_points_earned_in_one_store_are_spent_in_another(cashier, downtown, airport):
    customer = CustomerFactory()
    earned = ring_up(customer=customer, price="300.00", cashier=cashier, till=downtown)
    customer.refresh_from_db()
    assert earned.total == Decimal("326.25")  # Downtown's 8.75 %, a point a dollar
    assert customer.loyalty_points == 326
    spent = ring_up(
        customer=customer,
        cashier=cashier,
        till=airport,
        price="3.00",
        payments=[("points", "3.00"), ("cash", "0.15")],
    )
    customer.refresh_from_db()
    assert customer.loyalty_points == 26
    rows = LoyaltyTransaction.objects.order_by("id")
    assert [(row.kind, row.store_id, row.till_id) for row in rows] == [
        ("earn", downtown.store_id, downtown.pk),
        ("redeem", airport.store_id, airport.pk),
    ]
    assert spent.store_id == airport.store_id


def test_a_refund_is_recorded_where_it_is_given(cashier, manager, downtown, airport):
    sale = ring_up(customer=None, price="5.00", cashier=cashier, till=downtown)
    given = refund(sale=sale, user=manager)
    # With several tills and none named, the refund is the selling till's.
    assert (given.store_id, given.till_id) == (downtown.store_id, downtown.pk)


def test_the_receipt_prints_the_selling_stores_details(cashier_page, cashier, downtown):
    Store.objects.filter(pk=downtown.store_id).update(
        address="1 Main St, Springfield", phone="+1 555 0100", tax_id="TX-42"
    )
    sale = ring_up(customer=None, price="1.00", cashier=cashier, till=downtown)
    page = cashier_page.get(sale.get_absolute_url()).content.decode()
    for text in ("Downtown", "1 Main St, Springfield", "+1 555 0100", "TX-42", "DT-000001"):
        assert text in page


def test_the_till_page_asks_for_pairing_and_refuses_another_stores_cashier(
    client, cashier, manager, downtown, airport
):
    client.force_login(cashier)
    unpaired = client.get("/checkout/")
    assert unpaired.status_code == 200
    assert "This device is not a till yet" in unpaired.content.decode()
    client.force_login(manager)
    paired = client.post("/tills/pair/", {"till": airport.pk})
    assert paired.status_code == 302
    assert paired["Location"] == "/checkout/"
    page = client.get("/checkout/").content.decode()
    assert f'data-till-id="{airport.pk}"' in page
    assert "Airport" in page
    downtown.store.staff.add(cashier)
    client.force_login(cashier)
    refused = client.get("/checkout/")
    assert refused.status_code == 403
    assert "You may not sell at this till" in refused.content.decode()
    # Only a Manager pairs: a Cashier cannot move the device.
    assert client.post("/tills/pair/", {"till": downtown.pk}).status_code == 403


def test_a_forged_till_cookie_pairs_nothing(client, manager, downtown, airport):
    client.force_login(manager)
    client.cookies["classicpos_till"] = str(airport.pk)
    page = client.get("/checkout/").content.decode()
    assert "This device is not a till yet" in page


def test_an_empty_database_gets_its_first_store_and_till_at_the_first_sale(cashier):
    Till.objects.all().delete()
    Store.objects.all().delete()
    sale = ring_up(customer=None, price="1.00", cashier=cashier)
    assert (sale.store.code, sale.till.name, sale.number) == ("S", "Till 1", "S-000001")


def test_payments_and_adjustments_record_the_till_the_api_names(
    manager_client, manager, cashier, downtown, airport
):
    customer = CustomerFactory()
    url = f"/api/customers/{customer.pk}/loyalty-adjustments"
    adjusted = manager_client.post(
        url, {"points": 50, "reason": "Welcome", "tillId": airport.pk}, format="json"
    )
    assert adjusted.status_code == 201
    assert (adjusted.json()["storeId"], adjusted.json()["tillId"]) == (airport.store_id, airport.pk)
    credit = manager_client.post(
        f"/api/customers/{customer.pk}/store-credit-adjustments",
        {"amount": "5.00", "reason": "Goodwill", "tillId": downtown.pk},
        format="json",
    )
    assert credit.json()["storeId"] == downtown.store_id
    unknown = manager_client.post(
        url, {"points": 50, "reason": "Welcome", "tillId": 999999}, format="json"
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"tillId": ["There is no till #999999."]}
    # Away from every till in a chain of several, a back-office adjustment names none.
    back_office = manager_client.post(url, {"points": 5, "reason": "Fix"}, format="json").json()
    assert (back_office["storeId"], back_office["tillId"]) == (None, None)
