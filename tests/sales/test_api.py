"""Sales and products over the API: checkout, idempotency, refunds, lists and permissions."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from loyalty import services as loyalty_services
from loyalty.models import LoyaltyProgram
from sales.models import Sale
from tests.accounting.helpers import give_credit
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def post(client, url, payload, **headers):
    return client.post(url, data=json.dumps(payload), content_type="application/json", **headers)


def sale_payload(product, customer=None, quantity=2, payments=None):
    return {
        "customerId": customer.pk if customer else None,
        "lines": [{"productId": product.pk, "quantity": quantity}],
        "discount": "0.00",
        "payments": payments or [{"method": "cash", "amount": "20.00"}],
    }


@pytest.mark.parametrize("slash", ["", "/"])
def test_checkout_returns_the_sale(cashier_client, slash):
    customer = CustomerFactory()
    product = ProductFactory(price=Decimal("7.50"))
    response = post(cashier_client, f"/api/sales{slash}", sale_payload(product, customer))
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"/api/sales/{body['id']}")
    assert body["number"].startswith("S-")
    assert body["customerId"] == customer.pk
    assert body["status"] == "completed"
    assert (body["subtotal"], body["discount"], body["tax"], body["total"], body["change"]) == (
        "15.00",
        "0.00",
        "0.00",
        "15.00",
        "5.00",
    )
    assert body["lines"][0]["quantity"] == 2
    assert body["lines"][0]["unitPrice"] == "7.50"
    assert body["payments"] == [{"method": "cash", "amount": "20.00"}]
    assert body["pointsEarned"] == 15
    assert body["pointsRedeemed"] == 0
    assert body["createdAt"].endswith("Z")


def test_bad_input_is_a_problem_naming_the_field_and_saves_nothing(cashier_client):
    product = ProductFactory()
    payload = sale_payload(product, quantity=0)
    response = post(cashier_client, "/api/sales", payload)
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    assert "lines[0].quantity" in response.json()["errors"]
    payload = sale_payload(product)
    payload["lines"][0]["quantity"] = "two"
    assert "lines[0].quantity" in post(cashier_client, "/api/sales", payload).json()["errors"]
    payload = sale_payload(product, payments=[{"method": "cheque", "amount": "20"}])
    assert "payments[0].method" in post(cashier_client, "/api/sales", payload).json()["errors"]
    payload = sale_payload(product)
    payload["customerId"] = 424242
    assert post(cashier_client, "/api/sales", payload).json()["errors"]["customerId"] == [
        "There is no customer #424242."
    ]
    payload = sale_payload(product)
    payload["tip"] = "1.00"
    assert post(cashier_client, "/api/sales", payload).json()["errors"]["tip"] == ["Unknown field."]
    assert Sale.objects.count() == 0


def test_idempotent_retry_returns_the_same_sale(cashier_client):
    payload = sale_payload(ProductFactory())
    first = post(cashier_client, "/api/sales", payload, HTTP_IDEMPOTENCY_KEY="cart-42")
    again = post(cashier_client, "/api/sales", payload, HTTP_IDEMPOTENCY_KEY="cart-42")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Sale.objects.count() == 1


def test_pay_with_points_over_the_api(cashier_client, manager):
    customer = CustomerFactory()
    loyalty_services.points_adjust(customer=customer, points=500, reason="Gift", user=manager)
    product = ProductFactory(price=Decimal("10.00"))
    payload = sale_payload(
        product,
        customer,
        quantity=1,
        payments=[{"method": "points", "amount": "3.00"}, {"method": "card", "amount": "7.00"}],
    )
    body = post(cashier_client, "/api/sales", payload).json()
    assert body["pointsRedeemed"] == 300
    assert body["pointsEarned"] == 7
    customer.refresh_from_db()
    assert customer.loyalty_points == 500 - 300 + 7


def test_checkout_answers_with_what_the_sale_reads_back(cashier_client, manager_client, manager):
    """The 201 is built from the sale in hand (the store's counter row is still locked
    then); it must say exactly what reading the sale back says, other modules' facts too."""
    customer = CustomerFactory()
    loyalty_services.points_adjust(customer=customer, points=500, reason="Gift", user=manager)
    give_credit(customer, "100.00", manager)
    payload = sale_payload(
        ProductFactory(price=Decimal("10.00")),
        customer,
        quantity=3,
        payments=[
            {"method": "points", "amount": "3.00"},
            {"method": "on_account", "amount": "20.00"},
            {"method": "cash", "amount": "10.00"},
        ],
    )
    with CaptureQueriesContext(connection) as checkout:
        created = post(cashier_client, "/api/sales", payload)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["invoiceNumber"]
    assert body["pointsRedeemed"] == 300
    assert body == manager_client.get(f"/api/sales/{body['id']}").json()
    reads_of_sales = [
        query["sql"]
        for query in checkout.captured_queries
        if query["sql"].startswith("SELECT") and '"sales_sale"."number"' in query["sql"]
    ]
    assert reads_of_sales == []


def test_list_filters_and_constant_queries(
    manager_client, cashier_client, django_assert_num_queries
):
    ann = CustomerFactory()
    product = ProductFactory()
    post(cashier_client, "/api/sales", sale_payload(product, ann))
    post(cashier_client, "/api/sales", sale_payload(product))
    rows = manager_client.get(f"/api/sales?customer={ann.pk}").json()["results"]
    assert [row["customerId"] for row in rows] == [ann.pk]
    assert manager_client.get("/api/sales?status=refunded").json()["count"] == 0
    assert manager_client.get("/api/sales?createdAfter=2000-01-01").json()["count"] == 2
    assert manager_client.get("/api/sales?status=lost").status_code == 400
    with CaptureQueriesContext(connection) as few:
        manager_client.get("/api/sales")
    baseline = len(few.captured_queries)
    # count, page of sales, their lines, payments, ledger rows, invoices, gift card entries
    assert baseline == 7
    for _ in range(10):
        post(cashier_client, "/api/sales", sale_payload(product, CustomerFactory()))
    with django_assert_num_queries(baseline):
        response = manager_client.get("/api/sales")
    assert response.json()["count"] == 12


def test_customer_history_newest_first_with_constant_queries(
    manager_client, cashier_client, django_assert_num_queries
):
    customer = CustomerFactory()
    product = ProductFactory()
    first = post(cashier_client, "/api/sales", sale_payload(product, customer)).json()
    second = post(cashier_client, "/api/sales/", sale_payload(product, customer)).json()
    post(cashier_client, "/api/sales", sale_payload(product))
    for slash in ("", "/"):
        rows = manager_client.get(f"/api/customers/{customer.pk}/sales{slash}").json()["results"]
        assert [row["id"] for row in rows] == [second["id"], first["id"]]
    with CaptureQueriesContext(connection) as few:
        manager_client.get(f"/api/customers/{customer.pk}/sales")
    baseline = len(few.captured_queries)
    # The customer, count, page of sales, lines, payments, ledger rows, invoices, gift card
    # entries and perms.
    assert baseline == 9
    for _ in range(8):
        post(cashier_client, "/api/sales", sale_payload(product, customer))
    with django_assert_num_queries(baseline):
        manager_client.get(f"/api/customers/{customer.pk}/sales")
    assert manager_client.get("/api/customers/999999/sales").status_code == 404


def test_refund_over_the_api(manager_client, cashier_client):
    payload = sale_payload(
        ProductFactory(), quantity=3, payments=[{"method": "card", "amount": "30.00"}]
    )
    sale = post(cashier_client, "/api/sales", payload).json()
    line_id = sale["lines"][0]["id"]
    response = post(
        manager_client,
        f"/api/sales/{sale['id']}/refund",
        {"lines": [{"saleLineId": line_id, "quantity": 1}]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["total"] == "10.00"
    assert response.json()["saleStatus"] == "partially_refunded"
    too_many = post(
        manager_client,
        f"/api/sales/{sale['id']}/refund/",
        {"lines": [{"saleLineId": line_id, "quantity": 5}]},
    )
    assert too_many.status_code == 400
    assert too_many.json()["errors"]["lines[0].quantity"] == [
        "Only 2 of Product " + sale["lines"][0]["name"].split()[-1] + " can still be refunded."
    ]
    full = post(manager_client, f"/api/sales/{sale['id']}/refund", {})
    assert full.json()["saleStatus"] == "refunded"
    assert manager_client.get(f"/api/sales/{sale['id']}").json()["status"] == "refunded"


def test_cashier_cannot_refund(cashier_client):
    sale = post(cashier_client, "/api/sales", sale_payload(ProductFactory())).json()
    assert post(cashier_client, f"/api/sales/{sale['id']}/refund", {}).status_code == 403


def test_sales_cannot_be_edited_or_deleted(manager_client, cashier_client):
    sale = post(cashier_client, "/api/sales", sale_payload(ProductFactory())).json()
    assert manager_client.delete(f"/api/sales/{sale['id']}").status_code == 405
    assert manager_client.patch(f"/api/sales/{sale['id']}", {}, format="json").status_code == 405


def test_products_crud_and_search(manager_client, cashier_client):
    response = post(
        manager_client, "/api/products", {"sku": "TEA-1", "name": "Green tea", "price": "4.20"}
    )
    assert response.status_code == 201, response.content
    product_id = response.json()["id"]
    ProductFactory(sku="COF-1", name="Coffee")
    assert [p["sku"] for p in cashier_client.get("/api/products?search=tea").json()["results"]] == [
        "TEA-1"
    ]
    assert [
        p["sku"] for p in cashier_client.get("/api/products?search=cof-1").json()["results"]
    ] == ["COF-1"]
    duplicate = post(manager_client, "/api/products", {"sku": "TEA-1", "name": "X", "price": "1"})
    assert duplicate.status_code == 400
    assert "sku" in duplicate.json()["errors"]
    negative = post(manager_client, "/api/products", {"sku": "N", "name": "N", "price": "-1"})
    assert "price" in negative.json()["errors"]
    assert (
        manager_client.patch(
            f"/api/products/{product_id}", {"price": "4.50"}, format="json"
        ).json()["price"]
        == "4.50"
    )
    assert manager_client.delete(f"/api/products/{product_id}").status_code == 204
    assert manager_client.get(f"/api/products/{product_id}").json()["active"] is False


def test_cashier_reads_products_but_cannot_write(cashier_client):
    assert cashier_client.get("/api/products").status_code == 200
    response = post(cashier_client, "/api/products", {"sku": "X", "name": "X", "price": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize("slash", ["", "/"])
@override_settings(CLASSICPOS_TAX_RATE=Decimal("0.0725"))
def test_quote_gives_the_tills_numbers(cashier_client, slash, django_assert_num_queries):
    customer = CustomerFactory(loyalty_points=320)
    product = ProductFactory(sku="MUG", name="Mug", price=Decimal("2.00"))
    payload = {
        "customerId": customer.pk,
        "lines": [{"productId": product.pk, "quantity": 3}],
        "discount": "1.00",
        "payments": [{"method": "card", "amount": "2.00"}],
    }
    LoyaltyProgram.current()  # created on first use; the till's quotes only read it
    # The user's permissions (1), the till with its store and whether the user may sell
    # there (1), the customer, the products, the loyalty program, the customer's tier and
    # points expiring (named beside the points), the customer's usable vouchers,
    # accounting's account (read once, for its on-account and store-credit limits and
    # its pick warnings), the outstanding balance, and one aggregate of the unpaid
    # invoices for customerWarnings.
    with django_assert_num_queries(11):
        response = post(cashier_client, f"/api/sales/quote{slash}", payload)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lines"] == [
        {
            "productId": product.pk,
            "kind": None,
            "sku": "MUG",
            "name": "Mug",
            "unitPrice": "2.00",
            "quantity": 3,
            "discount": "0.00",
            "lineTotal": "6.00",
        }
    ]
    # 5.00 taxable x 7.25 % = 0.3625 -> 0.36
    assert (body["subtotal"], body["discount"], body["tax"], body["total"]) == (
        "6.00",
        "1.00",
        "0.36",
        "5.36",
    )
    assert (body["paid"], body["amountDue"], body["change"]) == ("2.00", "3.36", "0.00")
    offers = {offer["method"]: offer for offer in body["paymentMethods"]}
    assert list(offers) == [
        "cash",
        "card",
        "gift_card",
        "points",
        "voucher",
        "on_account",
        "store_credit",
    ]
    assert (offers["voucher"]["maxAmount"], offers["voucher"]["detail"]) == ("0.00", "No voucher")
    assert offers["cash"]["givesChange"] is True
    assert offers["points"] == {
        "method": "points",
        "label": "Points",
        "needsCustomer": True,
        "givesChange": False,
        "maxAmount": "3.00",
        "detail": "320 points, worth $3.00",
    }
    assert body["customerWarnings"] == []
    assert Sale.objects.count() == 0


def test_quote_errors_are_problems_naming_the_field(cashier_client):
    product = ProductFactory(price=Decimal("2.00"))
    response = post(
        cashier_client,
        "/api/sales/quote",
        {
            "customerId": 999999,
            "lines": [{"productId": product.pk, "quantity": 1}],
            "discount": "3",
        },
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"customerId"}
    response = post(
        cashier_client,
        "/api/sales/quote",
        {"lines": [{"productId": product.pk, "quantity": 1}], "discount": "3"},
    )
    assert response.json()["errors"] == {
        "discount": ["The discount cannot be more than the subtotal of 2.00."]
    }


def test_quote_needs_the_right_to_sell(anonymous_client, manager):
    from tests.factories import UserFactory

    assert post(anonymous_client, "/api/sales/quote", {"lines": []}).status_code in (401, 403)
    outsider = UserFactory(username="outsider")  # staff, but in no role
    client = APIClient()
    client.force_authenticate(outsider)
    assert post(client, "/api/sales/quote", {"lines": []}).status_code == 403
