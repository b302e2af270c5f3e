"""The schema tells the truth: what it calls valid the API takes, and what the API answers
it documents (issue 27). Each case here was a 400 for schema-valid input, or an answer
the schema did not list."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from classicpos.limits import MAX_ID
from customers import services
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db

DISCOUNTS = [
    "10%",
    "12.5 %",
    "100%",
    "2.50",
    ".5",
    "",
    " 5 ",
    "100.5%",
    "101%",
    ".8x",
    "1e3",
    "2461381.3preferredContact",
    "-1",
    "5%%",
]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _property(schema, component: str, name: str) -> dict:
    return schema["components"]["schemas"][component]["properties"][name]


def _valid(field_schema: dict, value: str) -> bool:
    """Whether a string passes the field's pattern (or one of its oneOf choices)."""
    choices = field_schema.get("oneOf", [field_schema])
    return any(
        re.search(choice.get("pattern", ""), value)
        and len(value) <= choice.get("maxLength", len(value))
        for choice in choices
    )


def test_a_line_discount_is_valid_in_the_schema_exactly_when_the_quote_takes_it(
    schema, manager_client
):
    field = _property(schema, "LineInputRequest", "discount")
    product = ProductFactory(price="1000.00")
    for discount in DISCOUNTS:
        body = {"lines": [{"productId": product.pk, "quantity": 1, "discount": discount}]}
        answer = manager_client.post(
            "/api/sales/quote", json.dumps(body), content_type="application/json"
        )
        assert _valid(field, discount) == (answer.status_code == 200), (discount, answer.content)


def test_the_barcode_s_pattern_is_in_the_schema(schema, manager_client):
    field = _property(schema, "ProductRequest", "barcode")
    for barcode in ["4006381333931", "ABC-123", "", "12 34", "é1", "12/34"]:
        body = {"sku": f"SKU-{barcode!r}", "name": "Mug", "price": "2.00", "barcode": barcode}
        answer = manager_client.post(
            "/api/products", json.dumps(body), content_type="application/json"
        )
        assert _valid(field, barcode) == (answer.status_code == 201), (barcode, answer.content)


def test_a_merged_customer_s_301_is_documented(schema, manager_client, manager):
    documented = schema["paths"]["/api/customers/{id}/"]["get"]["responses"]["301"]
    reference = documented["content"]["application/json"]["schema"]["$ref"]
    keys = set(schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]["properties"])
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    services.customer_merge(survivor=survivor, duplicate=duplicate, actor=manager, channel="api")
    answer = manager_client.get(f"/api/customers/{duplicate.pk}")
    assert answer.status_code == 301
    assert set(answer.json()) == keys == {"id", "mergedInto"}


def test_an_empty_patch_of_an_account_changes_nothing(schema, manager_client, manager):
    """Every field of a PATCH is optional in the schema: ``{}`` is a valid PATCH, a no-op."""
    operation = schema["paths"]["/api/customers/{customer_id}/account/"]["patch"]
    body_schema = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][body_schema.rsplit("/", 1)[-1]]
    assert not component.get("required")
    customer = CustomerFactory()
    url = f"/api/customers/{customer.pk}/account"
    manager_client.patch(url, {"creditLimit": "75.00"}, format="json")
    answer = manager_client.patch(url, {}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["creditLimit"] == "75.00"


def test_a_merge_names_a_customer_id_in_the_schema(schema, manager_client):
    field = _property(schema, "CustomerMergeRequest", "duplicateId")
    assert (field["minimum"], field["maximum"]) == (1, MAX_ID)
    survivor = CustomerFactory()
    for duplicate_id in (0, -1, MAX_ID + 1):
        answer = manager_client.post(
            f"/api/customers/{survivor.pk}/merge",
            json.dumps({"duplicateId": duplicate_id}),
            content_type="application/json",
        )
        assert answer.status_code == 400, (duplicate_id, answer.content)
