"""The gift card liability: what the shop owes on cards, by month of issue and issuing store,
on a page, in the API and as CSV, all three the same figures."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from giftcards import services
from giftcards.demo import seed_demo_gift_cards
from giftcards.models import GiftCard
from tests.customers.factories import CustomerFactory
from tests.giftcards.helpers import pay_with_card, sell_card
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _cards(cashier, manager):
    """Two cards sold at the till (one part spent), one issued in the back office in an
    earlier month, one voided and one spent to nothing (neither is owed)."""
    first = sell_card(cashier=cashier, amount="50.00")
    pay_with_card(cashier=cashier, price="20.00", card_amount="20.00")
    sell_card(cashier=cashier, amount="25.00", code="SECOND-CARD-0002")
    sell_card(cashier=cashier, amount="10.00", code="VOIDED-CARD-0003")
    services.card_void(card=GiftCard.objects.get(last4="0003"), user=manager, reason="Stolen")
    sell_card(cashier=cashier, amount="5.00", code="SPENT-CARD-00004")
    pay_with_card(cashier=cashier, price="5.00", card_amount="5.00", code="SPENT-CARD-00004")
    card, _ = services.card_issue(amount="15.00", user=manager)
    earlier = timezone.make_aware(datetime(2024, 11, 20, 12, 0))
    GiftCard.objects.filter(pk=card.pk).update(created_at=earlier)
    return first.store


def test_the_api_gives_rows_by_month_and_store_and_a_total(manager_client, cashier, manager):
    store = _cards(cashier, manager)
    this_month = timezone.localdate().strftime("%Y-%m")
    for path in ("/api/reports/gift-card-liability", "/api/reports/gift-card-liability/"):
        response = manager_client.get(path)
        assert response.status_code == 200, response.content
        assert response.json() == {
            "rows": [
                {
                    "month": "2024-11",
                    "storeId": None,
                    "storeName": "Back office",
                    "cards": 1,
                    "outstanding": "15.00",
                },
                {
                    "month": this_month,
                    "storeId": store.pk,
                    "storeName": store.name,
                    "cards": 2,
                    "outstanding": "55.00",
                },
            ],
            "total": {"cards": 3, "outstanding": "70.00"},
        }


def test_the_page_and_the_csv_show_the_same_figures(manager_page, cashier, manager):
    store = _cards(cashier, manager)
    response = manager_page.get("/gift-cards/liability/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html
    assert "Gift card liability" in html
    assert "November 2024" in html
    assert "Back office" in html
    assert store.name in html
    assert 'data-total="outstanding">$70.00<' in html
    assert 'data-total="cards">3<' in html
    download = manager_page.get("/gift-cards/liability/?download=csv")
    assert download["Content-Type"].startswith("text/csv")
    assert "gift-card-liability.csv" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows == [
        ["Month issued", "Store", "Cards", "Outstanding"],
        ["2024-11", "Back office", "1", "15.00"],
        [timezone.localdate().strftime("%Y-%m"), store.name, "2", "55.00"],
        ["Total", "", "3", "70.00"],
    ]


def test_nothing_owed_is_said_plainly(manager_page, manager_client):
    html = manager_page.get("/gift-cards/liability/").content.decode()
    assert "Nothing owed: no gift card holds a balance." in html
    assert "download=csv" not in html
    body = manager_client.get("/api/reports/gift-card-liability").json()
    assert body == {"rows": [], "total": {"cards": 0, "outstanding": "0.00"}}


def test_a_store_name_never_runs_as_a_formula_in_the_csv(manager_page, cashier):
    store = sell_card(cashier=cashier).store
    type(store).objects.filter(pk=store.pk).update(name="=HYPERLINK(1)")
    rows = list(
        csv.reader(
            io.StringIO(manager_page.get("/gift-cards/liability/?download=csv").content.decode())
        )
    )
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_only_those_who_may_read_the_liability(cashier_page, cashier_client, manager):
    assert cashier_page.get("/gift-cards/liability/").status_code == 403
    assert cashier_page.get("/gift-cards/liability/?download=csv").status_code == 403
    assert cashier_client.get("/api/reports/gift-card-liability").status_code == 403
    # The gift cards page links it only for those who may follow the link.
    assert "/gift-cards/liability/" not in cashier_page.get("/gift-cards/").content.decode()
    cashier_page.force_login(manager)
    assert "/gift-cards/liability/" in cashier_page.get("/gift-cards/").content.decode()


def test_the_demo_sells_cards_at_the_till_and_spends_part_of_one(manager_client, manager):
    customers = [CustomerFactory(), CustomerFactory()]
    ProductFactory(price=Decimal("8.90"))
    summary = seed_demo_gift_cards(options={})
    assert summary.startswith("Sold 3 gift cards (DEMO-GIFT-0000-0001")
    first = GiftCard.objects.get(last4="0001")
    assert first.customer == customers[0]
    assert first.entries.filter(kind="redeem").exists()
    assert Decimal("0") < first.balance < Decimal("25.00")
    assert GiftCard.objects.get(last4="0002").customer == customers[1]
    assert GiftCard.objects.get(last4="0003").customer is None
    total = manager_client.get("/api/reports/gift-card-liability").json()["total"]
    assert total["cards"] == 3
    assert Decimal(total["outstanding"]) == Decimal("100.00") - (Decimal("25.00") - first.balance)
