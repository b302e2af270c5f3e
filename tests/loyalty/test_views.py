"""The Loyalty panel and the Manager's adjustment modal, without a browser."""

import pytest

from loyalty import services
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_panel_shows_balance_and_ledger(client, manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=250, reason="Welcome gift", user=manager)
    client.force_login(manager)
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert 'id="loyalty-panel"' in html
    assert "250 points" in html
    assert "worth 2.00" in html
    assert "Welcome gift" in html
    assert "Adjust points" in html


def test_negative_balance_is_shown_in_red(client, manager):
    customer = CustomerFactory(loyalty_points=-20)
    client.force_login(manager)
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "points-negative" in html
    assert "points-negative" in client.get("/customers/").content.decode()


def test_adjust_view(client, manager):
    customer = CustomerFactory()
    client.force_login(manager)
    response = client.post(
        f"/customers/{customer.pk}/points/adjust/",
        {"points": "40", "reason": "Goodwill"},
        follow=True,
    )
    assert "balance 40" in response.content.decode()
    response = client.post(
        f"/customers/{customer.pk}/points/adjust/", {"points": "5", "reason": ""}, follow=True
    )
    assert "Say why the points are adjusted." in response.content.decode()
    customer.refresh_from_db()
    assert customer.loyalty_points == 40


def test_cashier_sees_no_adjust_button_and_cannot_post(client, cashier):
    customer = CustomerFactory()
    client.force_login(cashier)
    assert "Adjust points" not in client.get(f"/customers/{customer.pk}/").content.decode()
    response = client.post(
        f"/customers/{customer.pk}/points/adjust/", {"points": "40", "reason": "x"}
    )
    assert response.status_code == 403


def test_program_endpoint_for_the_till(cashier_client):
    body = cashier_client.get("/api/loyalty-program").json()
    assert body == {
        "earnRate": "1.0000",
        "redeemStep": 100,
        "redeemValue": "1.00",
        "minimumSaleAmount": "0.00",
    }
