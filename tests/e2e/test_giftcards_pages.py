"""The gift cards pages in a real browser: a balance checked by code, the card's page, the
customer's Gift cards panel and the liability report, each checked at desktop and phone
width."""

import pytest

from giftcards.models import GiftCard
from tests.customers.factories import CustomerFactory
from tests.giftcards.helpers import CODE, pay_with_card, sell_card

pytestmark = pytest.mark.e2e


def test_a_balance_the_card_the_customer_panel_and_the_liability(make_page, staff):
    gina = CustomerFactory(name="Gina Giver", email="gina@example.com")
    sale = sell_card(cashier=staff["cashier"], amount="50.00", customer=gina)
    pay_with_card(cashier=staff["cashier"], price="12.00", card_amount="12.00")
    card = GiftCard.objects.get()
    browser = make_page()
    page = browser.page
    browser.login("maria")

    # A wrong code gets the one message beside the field; the right one, the card.
    browser.goto("/gift-cards/")
    page.fill("#lookup-code", "NOT-A-REAL-CARD")
    page.get_by_role("button", name="Check balance").click()
    page.locator(".invalid-feedback", has_text="No active gift card with this code.").wait_for()
    page.fill("#lookup-code", CODE.lower())
    page.get_by_role("button", name="Check balance").click()
    result = page.locator("#balance-result")
    result.wait_for()
    assert page.inner_text("#balance-result [data-figure=balance]") == "$38.00"
    assert "••••ABCD" in result.inner_text()
    assert "gift" not in page.url.split("/gift-cards/")[1]  # the code is in no URL
    browser.assert_fits_and_is_accessible("gift cards page", screenshot="giftcards-balance")

    # The card's page: the balance, the customer and the history, newest first.
    result.get_by_role("link", name="Open the card").click()
    page.wait_for_url(f"**/gift-cards/{card.pk}/")
    assert page.inner_text("#card-facts [data-figure=balance]") == "$38.00"
    rows = page.locator("#entries tbody tr")
    assert rows.count() == 2
    assert "Redeemed" in rows.first.inner_text()
    assert sale.number in rows.last.inner_text()
    browser.assert_fits_and_is_accessible("gift card page", screenshot="giftcards-card")

    # The customer's page: the panel and the figure at the top.
    page.locator("#card-facts").get_by_role("link", name="Gina Giver").click()
    page.wait_for_url(f"**/customers/{gina.pk}/")
    panel = page.locator("#gift-cards-panel")
    assert "••••ABCD" in panel.inner_text()
    assert "$38.00" in panel.inner_text()
    figure = page.locator("a[href='#gift-cards-panel']")
    assert "$38.00" in figure.inner_text()
    browser.assert_fits_and_is_accessible("customer page with gift cards")

    # The liability: what is owed on the card, by month and store.
    browser.goto("/gift-cards/")
    page.get_by_role("link", name="Liability report").click()
    page.wait_for_url("**/gift-cards/liability/")
    assert page.inner_text("[data-total=outstanding]") == "$38.00"
    assert sale.store.name in page.inner_text("#liability-rows")
    browser.assert_fits_and_is_accessible("liability report", screenshot="giftcards-liability")
