"""Products as the till finds them: an exact SKU or barcode first, said to be exact."""

import json

import pytest

from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db


def search(client, term):
    response = client.get("/api/products", {"active": "true", "search": term})
    assert response.status_code == 200, response.content
    return [(p["sku"], p["exactMatch"]) for p in response.json()["results"]]


def test_an_exact_sku_comes_first_and_says_so_before_names_that_sort_earlier(cashier_client):
    ProductFactory(sku="MUG-RED", name="Red mug")
    ProductFactory(sku="MUG-RED-XL", name="A big red mug")
    ProductFactory(sku="CUP-1", name="Aardvark mug-red edition")
    assert search(cashier_client, "mug-red") == [
        ("MUG-RED", True),
        ("MUG-RED-XL", False),
        ("CUP-1", False),
    ]


def test_a_scanned_barcode_finds_its_product_exactly(cashier_client):
    ProductFactory(sku="COF-250", name="Coffee beans", barcode="4006381333931")
    ProductFactory(sku="COF-500", name="Coffee beans, large", barcode="4006381333948")
    assert search(cashier_client, "4006381333931") == [("COF-250", True)]
    assert search(cashier_client, "40063813339") == [("COF-250", False), ("COF-500", False)]


def test_a_term_that_is_no_code_has_no_exact_match(cashier_client):
    ProductFactory(sku="MUG-1", name="Black mug")
    ProductFactory(sku="MUG-2", name="Blue mug")
    assert search(cashier_client, "mug") == [("MUG-1", False), ("MUG-2", False)]


def test_barcodes_are_unique_when_given_and_checked_like_every_field(manager_client):
    def create(**fields):
        body = {"name": "Tea", "price": "1.00", **fields}
        return manager_client.post(
            "/api/products", data=json.dumps(body), content_type="application/json"
        )

    assert create(sku="TEA-1", barcode="5012345678900").status_code == 201
    assert create(sku="TEA-2").status_code == 201
    assert create(sku="TEA-3").status_code == 201  # many products without a barcode
    taken = create(sku="TEA-4", barcode="5012345678900")
    assert taken.status_code == 400
    assert taken.json()["errors"] == {"barcode": ["Another product has this barcode."]}
    bad = create(sku="TEA-5", barcode="50 12<script>")
    assert bad.status_code == 400
    assert "barcode" in bad.json()["errors"]
    detail = manager_client.get(f"/api/products/{create(sku='TEA-6').json()['id']}").json()
    assert detail["barcode"] == ""
    assert detail["exactMatch"] is False
