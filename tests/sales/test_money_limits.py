"""Amounts and their sums stay inside the money columns: past them a 400 names the field.

Issue 27 #20: two cash payments of 9,999,999,999.99 for a 2.50 sale were saved on
SQLite (then every list and receipt showing the sale answered 500) and were a 500
on PostgreSQL. Each figure a sale writes is bounded before anything is written.
"""

from decimal import Decimal

import pytest
from django.test import override_settings

from classicpos.limits import MAX_AMOUNT
from sales.models import Sale
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db

LARGEST = str(MAX_AMOUNT)


def _cart(product, *, quantity=1, payments=(), customer=None) -> dict:
    return {
        "customerId": customer.pk if customer else None,
        "lines": [{"productId": product.pk, "quantity": quantity}],
        "discount": "0.00",
        "payments": [{"method": method, "amount": amount} for method, amount in payments],
    }


@pytest.mark.parametrize("url", ["/api/sales", "/api/sales/quote"])
def test_two_cash_payments_adding_up_past_the_columns_are_refused(
    cashier_client, manager_page, url
):
    product = ProductFactory(price=Decimal("2.50"))
    cart = _cart(product, payments=[("cash", LARGEST), ("cash", LARGEST)])
    body = assert_problem(post_json(cashier_client, url, cart), 400)
    assert body["errors"] == {
        "payments": [
            "The payments would come to 19,999,999,999.98, past the limit of 9,999,999,999.99."
        ]
    }
    assert not Sale.objects.exists()
    assert cashier_client.get("/api/sales").status_code == 200
    assert manager_page.get("/sales/").status_code == 200


def test_the_largest_payment_still_sells(cashier_client):
    product = ProductFactory(price=Decimal("2.50"))
    cart = _cart(product, payments=[("cash", LARGEST)])
    response = post_json(cashier_client, "/api/sales", cart)
    assert response.status_code == 201, response.content
    assert response.json()["change"] == "9999999997.49"
    assert cashier_client.get(f"/api/sales/{response.json()['id']}").status_code == 200


@pytest.mark.parametrize("url", ["/api/sales", "/api/sales/quote"])
def test_a_line_past_the_columns_is_refused_on_its_quantity(cashier_client, url):
    product = ProductFactory(price=MAX_AMOUNT)
    cart = _cart(product, quantity=2, payments=[("cash", LARGEST)])
    body = assert_problem(post_json(cashier_client, url, cart), 400)
    assert body["errors"]["lines[0].quantity"] == [
        "This line would come to 19,999,999,999.98, past the limit of 9,999,999,999.99."
    ]
    assert not Sale.objects.exists()


@pytest.mark.parametrize("url", ["/api/sales", "/api/sales/quote"])
def test_lines_adding_up_past_the_columns_are_refused(cashier_client, url):
    first, second = ProductFactory(price=Decimal("6000000000.00")), ProductFactory(price=1)
    cart = _cart(first, payments=[("cash", LARGEST)])
    cart["lines"] += [
        {"productId": first.pk, "quantity": 1},
        {"productId": second.pk, "quantity": 1},
    ]
    body = assert_problem(post_json(cashier_client, url, cart), 400)
    assert body["errors"] == {
        "lines": [
            "The subtotal would come to 12,000,000,001.00, past the limit of 9,999,999,999.99."
        ]
    }
    assert not Sale.objects.exists()


@override_settings(CLASSICPOS_TAX_RATE=Decimal("0.0725"))
@pytest.mark.parametrize("url", ["/api/sales", "/api/sales/quote"])
def test_tax_taking_the_total_past_the_columns_is_refused(cashier_client, url):
    product = ProductFactory(price=Decimal("9500000000.00"))
    cart = _cart(product, payments=[("cash", LARGEST)])
    body = assert_problem(post_json(cashier_client, url, cart), 400)
    assert body["errors"] == {
        "lines": ["The total would come to 10,188,750,000.00, past the limit of 9,999,999,999.99."]
    }


def test_quick_cash_never_suggests_more_than_an_amount_can_be(cashier_client):
    product = ProductFactory(price=Decimal("9999999998.00"))
    response = post_json(cashier_client, "/api/sales/quote", _cart(product))
    assert response.status_code == 200, response.content
    assert response.json()["cashSuggestions"] == ["9999999998.00"]


@pytest.mark.parametrize(
    "amount",
    [
        "\u0661\u0662.\u0665\u0660",
        "\uff11\uff12",
        "1_000",
        "1_000.00",
        "12e1",
        "1E+2",
        "+5",
        "0x10",
        "12,50",
        "--1",
    ],
)
@pytest.mark.parametrize("field", ["payment", "discount"])
def test_amounts_not_written_in_plain_digits_are_refused(cashier_client, amount, field):
    """Issue 27 #26: ``Decimal()`` takes Unicode digits, ``1_000`` and exponents; a till never
    sends them, so they are typos or probes, not amounts."""
    product = ProductFactory(price=Decimal("2000.00"))
    cart = _cart(product, payments=[("cash", "2000.00")])
    key = "payments[0].amount" if field == "payment" else "discount"
    if field == "payment":
        cart["payments"][0]["amount"] = amount
    else:
        cart["discount"] = amount
    for url in ("/api/sales/quote", "/api/sales"):
        body = assert_problem(post_json(cashier_client, url, cart), 400)
        # A discount's message also offers a percentage; both start alike.
        [message] = body["errors"][key]
        assert message.startswith("Enter an amount such as "), url
    assert not Sale.objects.exists()


def test_a_product_price_in_unicode_digits_is_refused(manager_client):
    response = post_json(
        manager_client, "/api/products", {"sku": "U-1", "name": "Mug", "price": "\u0661\u0662"}
    )
    assert assert_problem(response, 400)["errors"] == {"price": ["Enter an amount such as 12.50."]}


def test_a_customers_lifetime_spend_never_passes_its_column(cashier_client):
    from sales.models import CustomerSalesTotals

    customer = CustomerFactory()
    product = ProductFactory(price=Decimal("10.00"))
    cart = _cart(product, payments=[("cash", "10.00")], customer=customer)
    assert post_json(cashier_client, "/api/sales", cart).status_code == 201
    CustomerSalesTotals.objects.filter(customer=customer).update(
        lifetime_spend=Decimal("99999999999995.00")
    )
    body = assert_problem(post_json(cashier_client, "/api/sales", cart), 400)
    assert body["errors"] == {
        "customerId": [
            f"{customer.name}'s lifetime spend would come to 100,000,000,000,005.00, "
            "past the limit of 99,999,999,999,999.99."
        ]
    }
    assert Sale.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("minSpend=\u0661\u0662", "minSpend"),
        ("lastVisitAfter=\uff12\uff10\uff12\uff15-01-05", "lastVisitAfter"),
    ],
)
def test_list_filters_refuse_unicode_digits(manager_client, manager_page, query, key):
    """The spend and visit filters read ``\\d``, which in Python also matches Unicode digits."""
    body = assert_problem(manager_client.get(f"/api/customers?{query}"), 400)
    assert key in body["errors"]
    assert manager_page.get(f"/customers/?{query}").status_code == 200


def test_a_merge_whose_lifetime_spend_would_pass_its_column_is_refused(
    cashier_client, manager_client
):
    from sales.models import CustomerSalesTotals

    survivor, duplicate = CustomerFactory(), CustomerFactory()
    product = ProductFactory(price=Decimal("10.00"))
    for customer in (survivor, duplicate):
        cart = _cart(product, payments=[("cash", "10.00")], customer=customer)
        assert post_json(cashier_client, "/api/sales", cart).status_code == 201
    CustomerSalesTotals.objects.update(lifetime_spend=Decimal("60000000000000.00"))
    response = post_json(
        manager_client, f"/api/customers/{survivor.pk}/merge", {"duplicateId": duplicate.pk}
    )
    assert assert_problem(response, 400)["errors"] == {
        "duplicateId": [
            "The lifetime spend would come to 120,000,000,000,000.00, "
            "past the limit of 99,999,999,999,999.99."
        ]
    }
    assert Sale.objects.filter(customer=duplicate).count() == 1
