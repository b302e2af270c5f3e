"""Numbers beyond their documented range are a 400 naming the field, never a 500."""

import pytest

from sales.models import Sale
from tests.api_helpers import assert_problem, post_json
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db

HUGE = 10**30


def sale(product_id, quantity=1, customer_id=None, amount="10.00"):
    return {
        "customerId": customer_id,
        "lines": [{"productId": product_id, "quantity": quantity}],
        "payments": [{"method": "cash", "amount": amount}],
    }


@pytest.mark.parametrize("url", ["/api/sales", "/api/sales/quote"])
@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda product: sale(product.pk, quantity=HUGE), "lines[0].quantity"),
        (lambda product: sale(product.pk, quantity=10_001), "lines[0].quantity"),
        (lambda product: sale(2**63), "lines[0].productId"),
        (lambda product: sale(HUGE), "lines[0].productId"),
        (lambda product: sale(product.pk, customer_id=2**64), "customerId"),
    ],
)
def test_out_of_range_sale_numbers_are_refused_on_their_field(cashier_client, url, build, field):
    product = ProductFactory()
    body = assert_problem(post_json(cashier_client, url, build(product)), 400)
    assert field in body["errors"]
    assert Sale.objects.count() == 0


def test_points_adjustment_beyond_the_range_is_refused(manager_client):
    customer = CustomerFactory()
    for points in (2**31, -(2**31), HUGE):
        response = post_json(
            manager_client,
            f"/api/customers/{customer.pk}/loyalty-adjustments",
            {"points": points, "reason": "Overflow?"},
        )
        assert assert_problem(response, 400)["errors"]["points"] == [
            "Adjust by at most 1,000,000 points at a time."
        ]
    customer.refresh_from_db()
    assert customer.loyalty_points == 0


@pytest.mark.parametrize(
    "query",
    [
        "customer=" + "9" * 30,
        "customer=²",
        "createdAfter=9999-12-31T23:59:59-23:59",
        "createdBefore=0001-01-01T00:00:00%2B23:59",
    ],
)
@pytest.mark.parametrize("url", ["/api/sales", "/api/loyalty-transactions"])
def test_out_of_range_list_filters_are_refused(manager_client, url, query):
    body = assert_problem(manager_client.get(f"{url}?{query}"), 400)
    assert query.split("=")[0] in body["errors"]


@pytest.mark.parametrize("page", ["/sales/?customer=²", "/sales/?customer=" + "9" * 30])
def test_pages_ignore_numbers_they_cannot_use(manager_page, page):
    assert manager_page.get(page).status_code == 200


def test_a_sale_line_named_twice_in_one_refund_is_refused(manager_client, cashier):
    from tests.sales.helpers import ring_up

    sale = ring_up(customer=None, price="10.00", cashier=cashier, quantity=3)
    line = sale.lines.get()
    response = post_json(
        manager_client,
        f"/api/sales/{sale.pk}/refund",
        {"lines": [{"saleLineId": line.pk, "quantity": 2}, {"saleLineId": line.pk, "quantity": 2}]},
    )
    body = assert_problem(response, 400)
    assert body["errors"] == {"lines[1].saleLineId": ["Name each sale line once."]}
    sale.refresh_from_db()
    assert sale.refunded_total == 0


def test_a_body_over_the_size_limit_is_a_413_problem(cashier_client):
    response = cashier_client.post(
        "/api/customers",
        data=b'{"name": "' + b"x" * (10 * 2**20) + b'"}',
        content_type="application/json",
    )
    assert_problem(response, 413)


def test_deeply_nested_json_is_a_400_problem(cashier_client):
    response = cashier_client.post(
        "/api/customers", data="[" * 5000 + "]" * 5000, content_type="application/json"
    )
    assert_problem(response, 400)
