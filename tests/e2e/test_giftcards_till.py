"""Gift cards at the till (issue 31 §2-§4), walked in Chromium: sold, reloaded, paid with
beside cash, refunded. One journey: at 1280 px, then at 375 px over a slow link, where a
scanner types the next code before the server has answered the last."""

import re
from decimal import Decimal

import pytest

from giftcards import codes
from giftcards.models import GiftCard
from sales.models import Sale
from tests.e2e.conftest import PHONE
from tests.e2e.test_scanner import scan, slow_link
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.e2e

PRINTED_CODE = "GIFT-2345-6789-ABCD"


@pytest.fixture(autouse=True)
def _prices_are_plain(settings):
    settings.CLASSICPOS_TAX_RATE = Decimal("0")


def card_with(code: str) -> GiftCard:
    return GiftCard.objects.get(code_hash=codes.code_hash(code))


def completed_sale(page) -> Sale:
    page.wait_for_url(re.compile(r".*/sales/\d+/$"))
    return Sale.objects.get(pk=int(re.search(r"/sales/(\d+)/", page.url).group(1)))


def sell_card(page, amount: str, code: str = ""):
    """Type the amount; a scanner types the code and Enter (no code: Enter on the amount)."""
    page.locator("#gift-card-sell-box").evaluate("details => { details.open = true; }")
    page.fill("#gift-card-sell-amount", amount)
    if code:
        page.click("#gift-card-sell-code")
        scan(page, code)
    else:
        page.press("#gift-card-sell-amount", "Enter")


def cart_names(page) -> list[str]:
    return page.locator("#cart-lines span.fw-semibold").all_inner_texts()


def test_a_card_sold_reloaded_paid_with_beside_cash_and_refunded_back(make_page, staff):
    scarf = ProductFactory(sku="SCARF-1", name="Wool scarf", price=Decimal("60.00"))
    browser = make_page()
    page = browser.page
    browser.expect_console_errors("status of 404")  # the wrong code at the end
    browser.login("carl")
    browser.goto("/checkout/")

    # Sale 1: a printed card scanned at the till, and a card whose code the till makes.
    sell_card(page, "20.00", PRINTED_CODE)
    page.locator("#product-search:focus").wait_for()
    sell_card(page, "15.00")
    page.locator("#total-total", has_text="$35.00").wait_for()
    assert cart_names(page) == ["Gift card \u2022\u2022\u2022\u2022ABCD", "Gift card"]
    assert page.locator("#cart-lines .cart-quantity, #cart-lines .cart-discount").count() == 0
    # Gift cards pay only through the widget, with a code: a payment row does not offer them.
    page.click("#add-payment")
    methods = page.locator("#payments select option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert methods == ["cash", "card"]
    page.click("[aria-label='Remove payment 1']")
    browser.assert_fits_and_is_accessible("till selling gift cards", "giftcards-till-sell")
    page.click("#complete-sale")
    first = completed_sale(page)
    assert first.total == Decimal("35.00")
    assert card_with(PRINTED_CODE).balance == Decimal("20.00")
    printed = page.locator("[data-gift-card-code]")
    assert printed.count() == 1
    generated = printed.inner_text()
    assert page.locator(".gift-card-barcode svg").count() == 1
    browser.assert_fits_and_is_accessible("receipt with a new card's code", "giftcards-receipt")

    # Sale 2: the code printed on that receipt, scanned, reloads its card.
    browser.goto("/checkout/")
    sell_card(page, "10.00", generated)
    reload_name = f"Gift card reload \u2022\u2022\u2022\u2022{generated[-4:]}"
    page.locator("#cart-lines span.fw-semibold", has_text=reload_name).wait_for()
    page.locator("#total-total", has_text="$10.00").wait_for()
    page.click("#complete-sale")
    completed_sale(page)
    assert card_with(generated).balance == Decimal("25.00")

    # Sale 3, on a phone over a 300 ms link: the scarf and both cards scanned back to back,
    # each code typed before the server answered the one before; cash takes the rest.
    browser.goto("/checkout/")
    page.set_viewport_size(PHONE)
    slow_link(page, 300)
    page.click("#product-search")
    scan(page, scarf.sku)
    page.click("#gift-card-pay-code")
    scan(page, PRINTED_CODE)
    scan(page, generated)
    assert page.locator("#gift-card-pay-code").input_value() == ""
    assert page.locator("#complete-sale").is_disabled()  # the cards are still being looked up
    page.locator("#tender-buttons button", has_text="Cash $15.00 (exact)").wait_for()
    assert page.locator("#tender-buttons [data-tender=gift_card]").count() == 0
    labels = page.locator("#payments .input-group-text").all_inner_texts()
    assert labels == [
        f"Gift card \u2022\u2022\u2022\u2022{generated[-4:]}",
        "Gift card \u2022\u2022\u2022\u2022ABCD",
    ]
    assert page.locator("#payments .payment-amount").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    ) == ["25.00", "20.00"]
    assert "holds $25.00: it pays $25.00" in page.inner_text("#gift-card-status")
    page.click("text=Cash $15.00 (exact)")
    page.locator("#total-due-label", has_text="Paid in full").wait_for()
    browser.assert_no_horizontal_scroll()
    # A full-page screenshot moves the page under the pointer until the next event: last.
    browser.screenshot("giftcards-till-pay-375px")
    page.click("#paybar-complete")
    third = completed_sale(page)
    assert sorted((p.method, p.amount) for p in third.payments.all()) == [
        ("cash", Decimal("15.00")),
        ("gift_card", Decimal("20.00")),
        ("gift_card", Decimal("25.00")),
    ]
    assert (card_with(PRINTED_CODE).balance, card_with(generated).balance) == (0, 0)
    receipt = page.inner_text(".receipt")
    assert "Gift card paid \u2022\u2022\u2022\u2022ABCD" in receipt
    assert PRINTED_CODE not in page.content()

    # A Manager refunds the scarf: each card gets its share back, cash pays back the rest.
    manager = make_page(viewport=PHONE)
    manager.login("maria")
    manager.goto(third.get_absolute_url())
    manager.page.click("text=Refund")
    manager.page.locator("#refund-modal").wait_for(state="visible")
    manager.page.fill(f"#id_line-{third.lines.get().pk}", "1")
    manager.page.click("text=Confirm refund")
    refunded = manager.page.locator(".receipt", has_text="Refund of $60.00")
    refunded.wait_for()
    assert "($15.00 paid back, the rest the way it was paid)" in refunded.inner_text()
    manager.assert_no_horizontal_scroll()

    # Back at the till, the card says what it holds again.
    browser.goto("/checkout/")
    page.click("#gift-card-pay-code")
    scan(page, PRINTED_CODE)
    status = page.locator("#gift-card-status", has_text="holds")
    status.wait_for()
    assert "Gift card \u2022\u2022\u2022\u2022ABCD holds $20.00" in status.inner_text()
    assert page.locator("#payments .input-group").count() == 0  # an empty cart takes no card
    assert card_with(generated).balance == Decimal("25.00")

    # A code that is no card: the server's one message, beside the field.
    scan(page, "NOT-A-CARD-0000")
    page.locator("#gift-card-status", has_text="No active gift card with this code.").wait_for()
    assert page.locator("#gift-card-pay-code").get_attribute("aria-invalid") == "true"
    browser.assert_fits_and_is_accessible("till after a wrong code", "giftcards-till-wrong-code")
