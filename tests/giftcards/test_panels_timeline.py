"""The customer's gift cards on their page (the panel and its summary figure) and in their
timeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.timeline import customer_timeline
from giftcards import services
from giftcards.models import GiftCard
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.giftcards.helpers import CODE, pay_with_card, sell_card
from tests.sales.helpers import refund
from tests.timeline_walk import walk_timeline

pytestmark = pytest.mark.django_db

OTHER_CODE = "SECOND-CARD-2345"


def page_of(client, customer) -> str:
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_lists_the_cards_and_the_summary_adds_up_those_that_can_pay(
    cashier_page, cashier, manager
):
    customer = CustomerFactory()
    sell_card(cashier=cashier, amount="30.00", customer=customer)
    sell_card(cashier=cashier, amount="15.00", code=OTHER_CODE, customer=customer)
    sell_card(cashier=cashier, amount="99.00", code="THIRD-CARD-3456", customer=customer)
    services.card_set_blocked(card=GiftCard.objects.get(last4="3456"), blocked=True, user=manager)
    html = page_of(cashier_page, customer)
    panel = html.split('id="gift-cards-panel"')[1].split("</section>")[0]
    for card in GiftCard.objects.all():
        assert f'href="/gift-cards/{card.pk}/"' in panel
        assert card.masked in panel
    assert "$30.00" in panel
    assert "$15.00" in panel
    assert "$99.00" in panel
    assert "Blocked" in panel
    # The blocked card cannot pay: the figure at the top counts the other two.
    summary = html.split('href="#gift-cards-panel"')[1].split("</a>")[0]
    assert "Gift cards" in summary
    assert "$45.00" in summary
    assert "2 cards" in summary


def test_no_cards_no_figure_and_a_quiet_panel(cashier_page):
    customer = CustomerFactory()
    html = page_of(cashier_page, customer)
    assert 'id="gift-cards-panel"' in html
    assert "No gift cards" in html
    assert 'href="#gift-cards-panel"' not in html


def test_the_panel_is_for_staff_who_may_see_gift_cards(client):
    from django.contrib.auth.models import Permission

    clerk = UserFactory(username="clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="view_customer"))
    client.force_login(clerk)
    html = page_of(client, CustomerFactory())
    assert 'id="gift-cards-panel"' not in html


def test_the_panel_costs_the_same_queries_whatever_the_cards(cashier_page, cashier):
    customer = CustomerFactory()
    sell_card(cashier=cashier, amount="10.00", customer=customer)
    page_of(cashier_page, customer)
    with CaptureQueriesContext(connection) as one:
        page_of(cashier_page, customer)
    for number in range(4):
        sell_card(
            cashier=cashier, amount="10.00", code=f"MORE-CARDS-000{number}", customer=customer
        )
    with CaptureQueriesContext(connection) as five:
        page_of(cashier_page, customer)
    assert len(five.captured_queries) == len(one.captured_queries)
    cards = [q for q in five.captured_queries if 'FROM "giftcards_giftcard"' in q["sql"]]
    assert len(cards) == 1


def test_every_kind_of_entry_is_in_the_timeline(cashier, manager):
    customer = CustomerFactory()
    sold = sell_card(cashier=cashier, amount="50.00", customer=customer)
    spent = pay_with_card(cashier=cashier, price="20.00", card_amount="20.00", customer=customer)
    refund(sale=spent, user=manager)
    card = GiftCard.objects.get()
    services.card_adjust(card=card, amount="-5.00", reason="Torn", user=manager)
    services.card_void(card=card, user=manager, reason="Stolen")
    link = reverse("giftcards:detail", kwargs={"pk": card.pk})

    timeline = customer_timeline(customer=customer, user=cashier, kind="gift_card")

    assert [(e.kind, e.summary, e.link) for e in timeline.entries] == [
        (
            "gift_card.voided",
            "Gift card ••••ABCD voided, \u2212$45.00 written off: Stolen (balance $0.00)",
            link,
        ),
        (
            "gift_card.adjusted",
            "\u2212$5.00 adjusted on gift card ••••ABCD: Torn (balance $45.00)",
            link,
        ),
        (
            "gift_card.refunded",
            f"+$20.00 back on gift card ••••ABCD: refund of sale {spent.number} (balance $50.00)",
            link,
        ),
        (
            "gift_card.redeemed",
            f"\u2212$20.00 from gift card ••••ABCD paid sale {spent.number} (balance $30.00)",
            link,
        ),
        (
            "gift_card.issued",
            f"+$50.00 on new gift card ••••ABCD, sold on sale {sold.number} (balance $50.00)",
            link,
        ),
    ]
    assert [e.actor for e in timeline.entries] == ["manager"] * 3 + ["cashier"] * 2
    redeemed = customer_timeline(customer=customer, user=cashier, kind="gift_card.redeemed")
    assert [e.kind for e in redeemed.entries] == ["gift_card.redeemed"]


def test_other_customers_cards_stay_out_and_a_walk_in_card_is_nobodys(cashier):
    customer, other = CustomerFactory(), CustomerFactory()
    sell_card(cashier=cashier, customer=other)
    sell_card(cashier=cashier, code=OTHER_CODE)
    assert customer_timeline(customer=customer, user=cashier, kind="gift_card").entries == []


def test_the_timeline_pages_one_query_a_page(cashier, manager, django_assert_num_queries):
    customer = CustomerFactory()
    sell_card(cashier=cashier, amount="50.00", customer=customer)
    card = GiftCard.objects.get()
    for number in range(8):
        services.card_adjust(card=card, amount="1.00", reason=f"Top-up {number}", user=manager)
    cashier.has_perm("anything")  # the user's permission cache, loaded once
    with django_assert_num_queries(3):  # one query per page of four
        entries, sizes = walk_timeline(customer, cashier, limit=4, kind="gift_card")
    assert sizes == [4, 4, 1]
    assert len({entry.id for entry in entries}) == 9


def test_a_user_without_the_permission_gets_no_gift_card_entries(cashier):
    customer = CustomerFactory()
    sell_card(cashier=cashier, customer=customer, code=CODE)
    clerk = UserFactory(username="clerk")
    assert customer_timeline(customer=customer, user=clerk, kind="gift_card").entries == []
