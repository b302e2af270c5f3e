"""Refunds at the till: a Cashier starts one and a Manager approves it on the same screen;
a card payment's share can go back to the card, never more than it paid."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from classicpos.roles import CASHIER
from sales.models import Refund
from tests.factories import TEST_PASSWORD, UserFactory
from tests.loyalty.helpers import ring_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def till(client, cashier):
    client.force_login(cashier)
    return client


def refund(client, sale, **fields):
    line = sale.lines.get()
    data = {f"line-{line.pk}": "1", "reason": "Damaged", **fields}
    return client.post(f"/sales/{sale.pk}/refund/", data)


def test_a_cashier_sees_the_refund_with_a_manager_approval_and_a_manager_without(
    till, client, cashier, manager
):
    sale = ring_up(customer=None, price="10.00", cashier=cashier)
    html = till.get(sale.get_absolute_url()).content.decode()
    assert "Manager approval" in html
    client.force_login(manager)
    html = client.get(sale.get_absolute_url()).content.decode()
    assert 'id="refund-modal"' in html
    assert "Manager approval" not in html


@pytest.mark.parametrize(
    ("approver", "password", "message"),
    [
        ("", "", "A Manager&#x27;s user name and password approve this."),
        ("manager", "wrong", "That Manager&#x27;s user name or password is wrong."),
        ("nobody", TEST_PASSWORD, "That Manager&#x27;s user name or password is wrong."),
        ("other-cashier", TEST_PASSWORD, "other-cashier may not approve refunds: a Manager must."),
    ],
)
def test_without_a_managers_approval_a_cashier_refunds_nothing(
    till, cashier, manager, approver, password, message
):
    UserFactory(username="other-cashier").groups.add(Group.objects.get(name=CASHIER))
    sale = ring_up(customer=None, price="10.00", cashier=cashier)
    response = refund(till, sale, approver=approver, approver_password=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Refund.objects.exists()


def test_a_managers_password_approves_a_cashiers_refund_without_swapping_logins(
    till, cashier, manager
):
    sale = ring_up(customer=None, price="10.00", cashier=cashier)
    response = refund(till, sale, approver="manager", approver_password=TEST_PASSWORD)
    assert response.status_code == 302
    done = Refund.objects.get()
    assert (done.created_by, done.approved_by) == (cashier, manager)
    html = " ".join(till.get(sale.get_absolute_url()).content.decode().split())
    assert "by cashier, approved by manager" in html
    # Still the cashier's session: approving did not log the Manager in.
    assert int(till.session["_auth_user_id"]) == cashier.pk


def test_a_card_payment_goes_back_to_the_card_up_to_what_it_paid(client, manager, cashier):
    client.force_login(manager)
    sale = ring_up(
        customer=None,
        price="10.00",
        cashier=cashier,
        quantity=2,
        payments=[("card", Decimal("15.00")), ("cash", Decimal("5.00"))],
    )
    line = sale.lines.get()
    html = client.get(sale.get_absolute_url()).content.decode()
    assert "Back to card" in html

    first = client.post(f"/sales/{sale.pk}/refund/", {f"line-{line.pk}": "1", "refund_to": "card"})
    assert first.status_code == 302
    assert Refund.objects.get().paid_back_to == "card"
    # 10.00 went back to the card; only 5.00 of the card's 15.00 is left for the other 10.00.
    second = client.post(
        f"/sales/{sale.pk}/refund/", {f"line-{line.pk}": "1", "refund_to": "card"}, follow=True
    )
    assert "Only 5.00 of this sale can go back by card" in second.content.decode()
    assert Refund.objects.count() == 1
    html = " ".join(client.get(sale.get_absolute_url()).content.decode().split())
    assert "$10.00 back to the card" in html


def test_a_cash_sale_offers_no_card_refund(client, manager, cashier):
    client.force_login(manager)
    sale = ring_up(customer=None, price="10.00", cashier=cashier)
    assert "Back to card" not in client.get(sale.get_absolute_url()).content.decode()
    line = sale.lines.get()
    response = client.post(
        f"/sales/{sale.pk}/refund/", {f"line-{line.pk}": "1", "refund_to": "card"}
    )
    assert response.status_code == 200  # the form says card is no choice here
    assert not Refund.objects.exists()
