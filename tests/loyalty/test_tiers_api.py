"""Tier API: the table (GET staff, POST Managers, dry run), a Manager's tier, the customer JSON."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loyalty.models import LoyaltyTier, TierChange
from sales.quotes import sale_quote
from sales.services import LineInput
from tests.customers.factories import CustomerFactory
from tests.sales.factories import ProductFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.django_db

TABLE = {
    "tiers": [
        {"name": "Silver", "qualifyingSpend": "100.00", "multiplier": "1.25"},
        {"name": "Gold", "qualifyingSpend": "500.00", "multiplier": "1.50"},
    ]
}


def post(client, url, payload, **headers):
    return client.post(url, data=json.dumps(payload), content_type="application/json", **headers)


def test_a_manager_replaces_the_table_and_anyone_on_staff_reads_it(manager_client, cashier_client):
    response = post(manager_client, "/api/loyalty/tiers", TABLE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["saved"] is True
    assert body["windowMonths"] == 12
    assert body["graceDays"] == 30
    assert body["results"] == [
        {"name": "Silver", "qualifyingSpend": "100.00", "multiplier": "1.25"},
        {"name": "Gold", "qualifyingSpend": "500.00", "multiplier": "1.50"},
    ]
    read = cashier_client.get("/api/loyalty/tiers")
    assert read.status_code == 200
    assert read.json()["results"] == body["results"]


def test_a_cashier_may_not_change_the_table(cashier_client):
    response = post(cashier_client, "/api/loyalty/tiers", TABLE)
    assert response.status_code == 403
    assert not LoyaltyTier.objects.exists()


def test_a_dry_run_says_how_many_customers_move_and_saves_nothing(manager_client, cashier):
    ring_up(customer=CustomerFactory(), price="120.00", cashier=cashier)
    response = post(manager_client, "/api/loyalty/tiers", {**TABLE, "dryRun": True})
    assert response.status_code == 200
    assert response.json()["moves"] == {"up": 1, "down": 0}
    assert response.json()["saved"] is False
    assert not LoyaltyTier.objects.exists()


@pytest.mark.parametrize(
    ("payload", "key"),
    [
        ({"tiers": [{"name": "", "qualifyingSpend": "1.00", "multiplier": "1"}]}, "tiers[0].name"),
        (
            {"tiers": [{"name": "A", "qualifyingSpend": "1.00", "multiplier": "11"}]},
            "tiers[0].multiplier",
        ),
        (
            {
                "tiers": [
                    {"name": "A", "qualifyingSpend": "1.00", "multiplier": "1"},
                    {"name": "B", "qualifyingSpend": "1", "multiplier": "2"},
                ]
            },
            "tiers[1].qualifyingSpend",
        ),
        ({"tiers": [], "windowMonths": 61}, "windowMonths"),
        ({"tiers": [], "colour": "gold"}, "colour"),
    ],
)
def test_a_bad_table_is_a_400_naming_the_field(manager_client, payload, key):
    response = post(manager_client, "/api/loyalty/tiers", payload)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert key in response.json()["errors"]


def test_a_manager_sets_a_customers_tier_and_the_customer_json_shows_it(
    manager_client, cashier_client
):
    post(manager_client, "/api/loyalty/tiers", TABLE)
    customer = CustomerFactory()
    assert cashier_client.get(f"/api/customers/{customer.pk}").json()["tier"] is None
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    url = f"/api/customers/{customer.pk}/tier"
    payload = {"tier": "Gold", "reason": "Opening offer", "until": until}
    response = post(manager_client, url, payload, HTTP_IDEMPOTENCY_KEY="tier-1")
    assert response.status_code == 200, response.content
    tier = response.json()
    assert (tier["name"], tier["multiplier"], tier["validUntil"], tier["manual"]) == (
        "Gold",
        "1.50",
        until,
        True,
    )
    assert cashier_client.get(f"/api/customers/{customer.pk}").json()["tier"] == tier
    again = post(manager_client, url, payload, HTTP_IDEMPOTENCY_KEY="tier-1")
    assert again.json() == tier
    assert TierChange.objects.filter(customer=customer).count() == 1


def test_only_managers_set_a_tier_and_bad_input_is_a_400(manager_client, cashier_client):
    post(manager_client, "/api/loyalty/tiers", TABLE)
    customer = CustomerFactory()
    url = f"/api/customers/{customer.pk}/tier"
    assert post(cashier_client, url, {"tier": "Gold", "reason": "x"}).status_code == 403
    response = post(manager_client, url, {"tier": "Platinum", "reason": "", "until": "2001-01-01"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"tier", "reason", "until"}
    assert (
        post(manager_client, url, {"tier": "Gold", "reason": "x", "until": "soon"}).status_code
        == 400
    )
    assert (
        post(
            manager_client, "/api/customers/999999/tier", {"tier": None, "reason": "x"}
        ).status_code
        == 404
    )


def test_the_customer_json_costs_one_query_for_the_tier(manager_client):
    post(manager_client, "/api/loyalty/tiers", TABLE)
    customer = CustomerFactory()
    manager_client.get(f"/api/customers/{customer.pk}")  # warm the permission cache
    with CaptureQueriesContext(connection) as queries:
        manager_client.get(f"/api/customers/{customer.pk}")
    tier_queries = [q for q in queries.captured_queries if "loyalty_customertier" in q["sql"]]
    assert len(tier_queries) == 1


def test_the_quote_names_the_tier_beside_the_points(manager_client, cashier):
    post(manager_client, "/api/loyalty/tiers", TABLE)
    customer = CustomerFactory()
    ring_up(customer=customer, price="100.00", cashier=cashier)
    product = ProductFactory()
    customer.refresh_from_db()
    quote = sale_quote(lines=[LineInput(product_id=product.pk, quantity=1)], customer=customer)
    points = next(offer for offer in quote.methods if offer.method.code == "points")
    assert points.detail == "Silver member, earns \u00d71.25 \u00b7 125 points, worth $1.00"


def test_the_receipt_names_the_tier_the_sale_earned_at(manager_client, cashier_page, cashier):
    post(manager_client, "/api/loyalty/tiers", TABLE)
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="100.00", cashier=cashier)
    page = cashier_page.get(f"/sales/{sale.pk}/")
    assert page.status_code == 200
    assert "Silver (\u00d71.25)" in page.content.decode()


def test_the_tiers_page_checks_what_a_table_moves_then_saves_it(manager_page, cashier):
    ring_up(customer=CustomerFactory(), price="120.00", cashier=cashier)
    form = {
        "window_months": "12",
        "name": ["Silver", "Gold", ""],
        "spend": ["100.00", "500.00", ""],
        "multiplier": ["1.25", "1.5", ""],
    }
    checked = manager_page.post("/loyalty/tiers/", {**form, "check": ""})
    assert checked.status_code == 200
    assert "would move <strong>1</strong> customer up" in checked.content.decode()
    assert not LoyaltyTier.objects.exists()
    saved = manager_page.post("/loyalty/tiers/", {**form, "save": ""}, follow=True)
    assert "Tiers saved. 1 customer(s) move up" in saved.content.decode()
    assert list(LoyaltyTier.objects.values_list("name", flat=True)) == ["Silver", "Gold"]


def test_the_tiers_page_shows_the_error_beside_the_field(manager_page):
    form = {"window_months": "12", "name": ["Silver"], "spend": ["0"], "multiplier": ["1"]}
    response = manager_page.post("/loyalty/tiers/", {**form, "save": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="tier-1-spend-error">Give an amount above 0.' in html
    assert not LoyaltyTier.objects.exists()


def test_cashiers_have_no_tiers_page(cashier_page):
    assert cashier_page.get("/loyalty/tiers/").status_code == 403
