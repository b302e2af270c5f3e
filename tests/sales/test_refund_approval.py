"""Refunds at the till: a Cashier starts one and a Manager approves it on the same screen;
a card payment's share can go back to the card, never more than it paid."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from classicpos.roles import CASHIER
from sales.models import ApprovalPin, Refund
from tests.factories import TEST_PASSWORD, UserFactory
from tests.sales.helpers import ring_up

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
        ("", "", "A Manager&#x27;s user name and password or PIN approve this."),
        ("manager", "wrong", "That Manager&#x27;s user name, password or PIN is wrong."),
        ("nobody", TEST_PASSWORD, "That Manager&#x27;s user name, password or PIN is wrong."),
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
    second = client.post(f"/sales/{sale.pk}/refund/", {f"line-{line.pk}": "1", "refund_to": "card"})
    assert second.status_code == 200  # the form again, the message beside "Pay back as"
    assert second.context["form"].errors["refund_to"] == [
        "Only 5.00 of this sale can go back by card: pay the refund from the till instead."
    ]
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


def test_a_manager_sets_an_approval_pin_after_typing_their_password(client, manager, cashier):
    client.force_login(manager)
    page = client.get("/sales/approval-pin/")
    assert "You have no PIN yet." in page.content.decode()
    for data, field, message in (
        ({"password": "wrong", "pin": "4821", "pin_again": "4821"}, "password", "That is not"),
        ({"password": TEST_PASSWORD, "pin": "1111", "pin_again": "1111"}, "pin", "harder"),
        ({"password": TEST_PASSWORD, "pin": "48a1", "pin_again": "48a1"}, "pin", "4 to 8 digits"),
        ({"password": TEST_PASSWORD, "pin": "4821", "pin_again": "4822"}, "pin_again", "differ"),
    ):
        response = client.post("/sales/approval-pin/", data)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
    assert not ApprovalPin.objects.exists()
    response = client.post(
        "/sales/approval-pin/", {"password": TEST_PASSWORD, "pin": "4821", "pin_again": "4821"}
    )
    assert response.status_code == 302
    assert ApprovalPin.objects.get().pin_hash != "4821"  # hashed

    client.force_login(cashier)
    assert client.get("/sales/approval-pin/").status_code == 403
    sale = ring_up(customer=None, price="10.00", cashier=cashier)
    assert refund(client, sale, approver="manager", approver_password="4821").status_code == 302
    assert Refund.objects.get().approved_by == manager


def test_wrong_pins_count_towards_the_lockout_and_then_the_right_one_is_refused(
    client, manager, cashier, settings
):
    from sales.approvals import approval_pin_set

    approval_pin_set(user=manager, password=TEST_PASSWORD, pin="4821")
    client.force_login(cashier)
    sale = ring_up(customer=None, price="10.00", cashier=cashier)
    for guess in range(settings.AXES_FAILURE_LIMIT):
        refund(client, sale, approver="manager", approver_password=f"{1000 + guess}")
    assert not Refund.objects.exists()
    response = refund(client, sale, approver="manager", approver_password="4821")
    assert response.status_code == 200  # the form, saying why; the cashier stays logged in
    assert "Too many wrong passwords or PINs for manager" in response.content.decode()
    assert not Refund.objects.exists()
