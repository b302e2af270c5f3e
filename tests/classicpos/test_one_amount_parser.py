"""Every amount is read by one parser: the same input gets the same message everywhere."""

import pytest
from django.core.exceptions import ValidationError

from accounting.services import store_credit_adjust
from classicpos.limits import NOT_AN_AMOUNT
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db

NOT_AMOUNTS = ["Infinity", "1e400", "NaN", "1_000", "١٢"]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_the_till_the_books_and_the_lists_say_the_same(text, manager, manager_client):
    product = ProductFactory()
    quote = manager_client.post(
        "/api/sales/quote",
        {
            "lines": [{"productId": product.pk, "quantity": 1}],
            "payments": [{"method": "cash", "amount": text}],
        },
        format="json",
    )
    assert quote.status_code == 400
    assert list(quote.json()["errors"].values()) == [[NOT_AN_AMOUNT]]

    with pytest.raises(ValidationError) as refused:
        store_credit_adjust(customer=CustomerFactory(), amount=text, reason="Probe", user=manager)
    assert refused.value.message_dict["amount"] == [NOT_AN_AMOUNT]

    listed = manager_client.get("/api/customers", {"minSpend": text})
    assert listed.status_code == 400
    assert listed.json()["errors"] == {"minSpend": [NOT_AN_AMOUNT]}
