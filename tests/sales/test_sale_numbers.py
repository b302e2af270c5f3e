"""A sale found from its receipt's number: the sales list, the API and the till's box."""

import pytest

from sales.numbers import parse_sale_number
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("S-000044", "S-000044"),
        ("s-44", "S-000044"),
        (" S000044 ", "S-000044"),
        ("S 44", "S-000044"),
        ("S-1234567", "S-1234567"),
        ("44", None),
        ("S-", None),
        ("S-4x4", None),
        ("S-\u0664\u0664", None),  # Arabic-Indic digits are no receipt's
        ("S-" + "9" * 13, None),
        ("Sam", None),
    ],
)
def test_a_typed_number_reads_as_the_receipt_prints_it(typed, number):
    assert parse_sale_number(typed) == number


@pytest.fixture
def sales(cashier):
    return [ring_up(customer=None, price="3.00", cashier=cashier) for _ in range(3)]


def test_the_api_lists_the_sale_with_that_number(cashier_client, sales):
    wanted = sales[1]
    typed = wanted.number.lower().replace("-0000", "-")
    found = cashier_client.get("/api/sales", {"number": typed}).json()["results"]
    assert [sale["id"] for sale in found] == [wanted.pk]
    assert cashier_client.get("/api/sales", {"number": "S-999999"}).json()["count"] == 0
    assert cashier_client.get("/api/sales", {"number": "Sam"}).json()["count"] == 0
    too_long = cashier_client.get("/api/sales", {"number": "S" * 41})
    assert too_long.status_code == 400
    assert "number" in too_long.json()["errors"]


def test_the_sales_list_opens_the_sale_or_says_none_has_the_number(client, cashier, sales):
    client.force_login(cashier)
    response = client.get("/sales/", {"number": sales[0].number.lower()})
    assert response.status_code == 302
    assert response["Location"] == sales[0].get_absolute_url()
    missing = client.get("/sales/", {"number": "S-999999"})
    assert missing.status_code == 200
    assert "No sale has the number \u201cS-999999\u201d." in missing.content.decode()
