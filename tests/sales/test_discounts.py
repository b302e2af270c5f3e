"""Discounts as the cashier types them: an amount or a percentage, off the sale or a line."""

from decimal import Decimal

import pytest

from sales.models import Sale
from tests.api_helpers import assert_problem, post_json
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mug():
    return ProductFactory(sku="MUG", name="Mug", price=Decimal("12.50"))


@pytest.fixture
def tea():
    return ProductFactory(sku="TEA", name="Tea", price=Decimal("3.33"))


def quote(client, lines, discount=""):
    return post_json(client, "/api/sales/quote", {"lines": lines, "discount": discount})


@pytest.mark.parametrize(
    ("typed", "discount", "total"),
    [
        ("10%", "2.25", "20.24"),  # 22.49 x 10 % = 2.249 -> 2.25
        ("12.5 %", "2.81", "19.68"),  # 2.81125 -> 2.81
        ("100%", "22.49", "0.00"),
        ("0%", "0.00", "22.49"),
        ("2.50", "2.50", "19.99"),
        ("", "0.00", "22.49"),
    ],
)
def test_a_sale_discount_is_an_amount_or_a_percentage_of_the_subtotal(
    cashier_client, mug, tea, typed, discount, total
):
    lines = [{"productId": mug.pk, "quantity": 1}, {"productId": tea.pk, "quantity": 3}]
    body = quote(cashier_client, lines, typed).json()
    assert (body["subtotal"], body["discount"], body["total"]) == ("22.49", discount, total)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("150%", "A percentage discount is at most 100%."),
        ("10%%", "Enter an amount such as 2.50 or a percentage such as 10%."),
        ("%", "Enter an amount such as 2.50 or a percentage such as 10%."),
        ("ten", "Enter an amount such as 2.50 or a percentage such as 10%."),
        ("\u0661\u0660%", "Enter an amount such as 2.50 or a percentage such as 10%."),
        ("-1", "The discount cannot be negative."),
        ("99", "The discount cannot be more than the subtotal of 12.50."),
    ],
)
def test_a_discount_that_is_no_discount_is_a_400_naming_the_field(
    cashier_client, mug, typed, message
):
    response = quote(cashier_client, [{"productId": mug.pk, "quantity": 1}], typed)
    assert assert_problem(response, 400)["errors"] == {"discount": [message]}


def test_line_discounts_come_off_their_lines_before_the_sale_discount(
    cashier_client, cashier, mug, tea
):
    cart = {
        "lines": [
            {"productId": mug.pk, "quantity": 2, "discount": "50%"},
            {"productId": tea.pk, "quantity": 3, "discount": "0.99"},
        ],
        "discount": "10%",
        "payments": [{"method": "cash", "amount": "30.00"}],
    }
    body = post_json(cashier_client, "/api/sales/quote", cart).json()
    assert [(line["discount"], line["lineTotal"]) for line in body["lines"]] == [
        ("12.50", "12.50"),
        ("0.99", "9.00"),
    ]
    assert (body["subtotal"], body["discount"], body["total"]) == ("21.50", "2.15", "19.35")

    response = post_json(cashier_client, "/api/sales", cart)
    assert response.status_code == 201, response.content
    sale = Sale.objects.get()
    assert [(line.discount, line.line_total) for line in sale.lines.all()] == [
        (Decimal("12.50"), Decimal("12.50")),
        (Decimal("0.99"), Decimal("9.00")),
    ]
    assert response.json()["lines"][0]["discount"] == "12.50"
    assert (sale.discount, sale.total) == (Decimal("2.15"), Decimal("19.35"))


def test_a_line_discount_past_its_line_is_refused_and_nothing_is_saved(cashier_client, mug):
    cart = {
        "lines": [{"productId": mug.pk, "quantity": 1, "discount": "12.51"}],
        "payments": [{"method": "cash", "amount": "20.00"}],
    }
    for url in ("/api/sales/quote", "/api/sales"):
        body = assert_problem(post_json(cashier_client, url, cart), 400)
        assert body["errors"] == {
            "lines[0].discount": ["The discount cannot be more than the line's amount of 12.50."]
        }
    assert not Sale.objects.exists()


def test_the_receipt_shows_a_line_discount(client, cashier, mug):
    client.force_login(cashier)
    cart = {
        "lines": [{"productId": mug.pk, "quantity": 1, "discount": "20%"}],
        "payments": [{"method": "cash", "amount": "10.00"}],
    }
    post_json(client, "/api/sales", cart)
    html = client.get(Sale.objects.get().get_absolute_url()).content.decode()
    assert "Discount \u2212$2.50" in " ".join(html.split())
