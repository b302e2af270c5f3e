"""Gift cards over the API: issue, look up (rate-limited, one message), read, void, and in
a sale as a line and as a payment."""

import json
import logging
from decimal import Decimal

import pytest

from giftcards import codes
from giftcards.lookups import MISSES_PER_MINUTE, NO_ACTIVE_CARD
from giftcards.models import GiftCard
from tests.giftcards.helpers import CODE, sell_card
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def post(client, url, payload, **headers):
    return client.post(url, data=json.dumps(payload), content_type="application/json", **headers)


def test_a_manager_issues_a_card_and_sees_its_code_once(manager_client, cashier_client):
    response = post(
        manager_client, "/api/gift-cards", {"amount": "25.00"}, HTTP_IDEMPOTENCY_KEY="g-1"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"id", "last4", "balance", "status", "expiresOn", "customerId", "code"}
    assert (body["balance"], body["status"], body["expiresOn"]) == ("25.00", "active", None)
    code = body["code"]
    assert len(code) == codes.GENERATED_LENGTH
    assert body["last4"] == code[-4:]
    assert response["Location"].endswith(f"/api/gift-cards/{body['id']}")
    again = post(manager_client, "/api/gift-cards", {"amount": "25.00"}, HTTP_IDEMPOTENCY_KEY="g-1")
    assert again.status_code == 201
    assert again.json()["id"] == body["id"]
    assert again.json()["code"] is None  # the replay does not keep the code
    assert GiftCard.objects.count() == 1
    read = manager_client.get(f"/api/gift-cards/{body['id']}").json()
    assert "code" not in read
    assert post(cashier_client, "/api/gift-cards", {"amount": "5.00"}).status_code == 403


def test_issue_refuses_bad_input_with_a_problem(manager_client):
    response = post(
        manager_client, "/api/gift-cards", {"amount": "0", "code": "x", "customerId": 999999}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    errors = response.json()["errors"]
    assert set(errors) == {"amount", "code", "customerId"}
    post(manager_client, "/api/gift-cards", {"amount": "5.00", "code": CODE})
    taken = post(manager_client, "/api/gift-cards", {"amount": "5.00", "code": CODE.lower()})
    assert taken.json()["errors"]["code"] == [
        "This code is already a gift card: reload it instead."
    ]


def test_lookup_is_one_message_and_a_429_past_ten_misses(cashier_client, manager):
    sell_card(cashier=manager, amount="30.00")
    found = post(cashier_client, "/api/gift-cards/lookup", {"code": CODE.lower().replace("-", " ")})
    assert found.status_code == 200
    assert found.json()["balance"] == "30.00"
    assert "code" not in found.json()
    for index in range(MISSES_PER_MINUTE):
        missed = post(cashier_client, "/api/gift-cards/lookup", {"code": f"WRONG-CODE-{index:04d}"})
        assert missed.status_code == 404
        assert missed.json()["detail"] == NO_ACTIVE_CARD
    limited = post(cashier_client, "/api/gift-cards/lookup", {"code": CODE})
    assert limited.status_code == 429
    assert limited["Content-Type"].startswith(PROBLEM)
    # A quote with a code counts against the same limit.
    product = ProductFactory(price=Decimal("5.00"))
    quote = post(
        cashier_client,
        "/api/sales/quote",
        {
            "lines": [{"productId": product.pk, "quantity": 1}],
            "payments": [{"method": "gift_card", "amount": "5.00", "giftCardCode": CODE}],
        },
    )
    assert quote.status_code == 400
    assert "Too many wrong" in quote.json()["errors"]["payments[0].giftCardCode"][0]


def test_a_voided_card_reads_the_same_message_with_the_reason(manager_client, manager):
    sell_card(cashier=manager, amount="30.00")
    card = GiftCard.objects.get()
    voided = post(manager_client, f"/api/gift-cards/{card.pk}/void", {"reason": "Lost"})
    assert voided.status_code == 200
    assert voided.json()["status"] == "voided"
    answer = post(manager_client, "/api/gift-cards/lookup", {"code": CODE})
    assert answer.status_code == 404
    assert answer.json()["detail"].startswith(NO_ACTIVE_CARD)
    entries = manager_client.get(f"/api/gift-cards/{card.pk}/entries").json()["results"]
    assert [entry["kind"] for entry in entries] == ["void", "issue"]
    assert entries[0]["balanceAfter"] == "0.00"


def test_sell_and_redeem_in_sales_over_the_api(cashier_client, caplog):
    caplog.set_level(logging.DEBUG)
    product = ProductFactory(price=Decimal("12.00"))
    sold = post(
        cashier_client,
        "/api/sales",
        {
            "lines": [{"giftCard": {"amount": "50.00", "code": CODE}}],
            "payments": [{"method": "cash", "amount": "50.00"}],
        },
    )
    assert sold.status_code == 201, sold.content
    body = sold.json()
    assert body["lines"][0]["kind"] == "giftCard"
    assert body["lines"][0]["productId"] is None
    assert body["giftCards"][0]["last4"] == "ABCD"
    cart = {
        "lines": [{"productId": product.pk, "quantity": 1}],
        "payments": [{"method": "gift_card", "amount": "12.00", "giftCardCode": CODE}],
    }
    quote = post(cashier_client, "/api/sales/quote", cart)
    assert quote.status_code == 200, quote.content
    assert quote.json()["amountDue"] == "0.00"
    paid = post(cashier_client, "/api/sales", cart)
    assert paid.status_code == 201, paid.content
    assert paid.json()["giftCards"][0]["balanceAfter"] == "38.00"
    too_much = dict(
        cart, payments=[{"method": "gift_card", "amount": "40.00", "giftCardCode": CODE}]
    )
    refused = post(cashier_client, "/api/sales", too_much)
    assert refused.status_code == 400
    assert refused.json()["errors"]["payments[0].amount"] == ["Gift card ••••ABCD holds 38.00."]
    missing = dict(cart, payments=[{"method": "gift_card", "amount": "1.00"}])
    assert (
        "payments[0].giftCardCode" in post(cashier_client, "/api/sales", missing).json()["errors"]
    )
    stray = dict(cart, payments=[{"method": "cash", "amount": "12.00", "giftCardCode": CODE}])
    assert "payments[0].giftCardCode" in post(cashier_client, "/api/sales", stray).json()["errors"]
    for record in caplog.records:
        assert "2345" not in record.getMessage()


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ({"giftCard": {"amount": "-5"}}, "lines[0].giftCard.amount"),
        ({"giftCard": {"amount": "5", "code": "!!"}}, "lines[0].giftCard.code"),
        ({"giftCard": {"amount": "5", "pin": "1"}}, "lines[0].giftCard.pin"),
        ({"giftCard": {"amount": "5"}, "quantity": 2}, "lines[0].quantity"),
        ({"giftCard": "5"}, "lines[0].giftCard"),
        ({}, "lines[0].productId"),
    ],
)
def test_a_bad_card_line_is_a_problem_naming_it(cashier_client, line, key):
    response = post(
        cashier_client,
        "/api/sales/quote",
        {"lines": [line], "payments": []},
    )
    assert response.status_code == 400, response.content
    assert key in response.json()["errors"], response.json()


def test_a_card_sold_is_stored_value_not_gross_in_the_day_report(manager_client, cashier):
    sell_card(cashier=cashier, amount="50.00")
    rows = manager_client.get("/api/reports/sales-by-store").json()
    assert len(rows) == 1
    assert (rows[0]["gross"], rows[0]["storedValue"], rows[0]["tax"]) == ("0.00", "50.00", "0.00")
    assert rows[0]["byMethod"]["cash"] == "50.00"
    assert rows[0]["drawerCash"] == "50.00"
