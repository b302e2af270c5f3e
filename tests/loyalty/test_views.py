"""The Loyalty panel and the Manager's adjustment modal, without a browser."""

import re

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
    assert "worth $2.00" in html
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
        "expiryRule": "never",
        "expiryMonths": None,
        "expiryNoticeDays": 14,
        "birthdayPoints": 0,
        "birthdayVoucher": "0.00",
        "birthdayVoucherDays": 30,
        "birthdayGreeting": False,
    }


def test_adjust_from_the_modal_shows_every_error_beside_its_field(client, manager):
    customer = CustomerFactory(name="Modal Mo")
    client.force_login(manager)
    response = client.post(
        f"/customers/{customer.pk}/points/adjust/",
        {"points": "", "reason": "  "},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="adjust-points-form"' in html
    points = re.search(r'<input[^>]*id="adjust-points"[^>]*>', html).group(0)
    reason = re.search(r'<input[^>]*id="adjust-reason"[^>]*>', html).group(0)
    assert "is-invalid" in points
    assert "autofocus" in points
    assert "is-invalid" in reason
    assert "autofocus" not in reason
    assert "Enter a whole number of points other than zero." in html
    assert "Say why the points are adjusted." in html
    customer.refresh_from_db()
    assert customer.loyalty_points == 0


def test_adjust_from_the_modal_keeps_what_was_typed_and_says_why_it_was_refused(client, manager):
    customer = CustomerFactory(name="Modal Mo")
    client.force_login(manager)
    response = client.post(
        f"/customers/{customer.pk}/points/adjust/",
        {"points": "-5", "reason": "Too many"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Modal Mo has only 0 points." in html
    assert 'value="-5"' in html
    assert 'value="Too many"' in html


def test_adjust_from_the_modal_reloads_the_customer_page_when_saved(client, manager):
    customer = CustomerFactory(name="Modal Mo")
    client.force_login(manager)
    response = client.post(
        f"/customers/{customer.pk}/points/adjust/",
        {"points": "15", "reason": "Birthday"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == f"/customers/{customer.pk}/"
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "balance 15" in html
