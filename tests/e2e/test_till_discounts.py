"""Discounts at the till: a percentage or an amount, off the sale or a line (issue 27, item 8)."""

from decimal import Decimal

import pytest

from sales.models import Sale
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_checkout import complete_sale
from tests.e2e.test_scanner import cart, scan
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.e2e


def test_percent_and_line_discounts_and_a_typo_keeps_the_last_good_totals(
    make_page, staff, settings
):
    settings.CLASSICPOS_TAX_RATE = Decimal("0")
    ProductFactory(sku="MUG-1", name="Mug", price=Decimal("12.50"))
    ProductFactory(sku="TEA-1", name="Tea", price=Decimal("4.00"))
    browser = make_page(viewport=DESKTOP)
    browser.login("carl")
    browser.goto("/checkout/")
    page = browser.page
    scan(page, "MUG-1")
    scan(page, "TEA-1")
    assert cart(page) == [("Mug", "1"), ("Tea", "1")]
    page.locator("#total-total", has_text="$16.50").wait_for()

    page.fill("#discount", "10%")
    page.locator("#total-total", has_text="$14.85").wait_for()
    assert page.inner_text("#total-subtotal") == "$16.50"

    # A typo: the message sits beside the field and the last good totals stay readable.
    page.fill("#discount", "10%%")
    page.locator("#discount.is-invalid").wait_for()
    assert "or a percentage such as 10%" in page.inner_text("#checkout-form")
    assert page.inner_text("#total-total") == "$14.85"
    assert "correct the marked field" in page.inner_text("#totals-stale")
    browser.assert_no_horizontal_scroll()

    page.set_viewport_size(PHONE)
    page.fill("#discount", "")
    page.locator("#total-total", has_text="$16.50").wait_for()
    page.locator(".cart-discount").first.fill("50%")
    page.locator(".cart-discount").first.press("Enter")
    page.locator("#product-search:focus").wait_for()
    page.locator("#cart-lines [data-line-total]").first.wait_for()
    page.locator("#total-total", has_text="$10.25").wait_for()
    assert page.locator("#cart-lines [data-line-total]").first.inner_text() == "$6.25"
    page.locator("#paybar-total", has_text="$10.25").wait_for()
    browser.assert_no_horizontal_scroll()
    browser.screenshot("till-line-discount-375px")

    page.set_viewport_size(DESKTOP)
    sale = complete_sale(page)
    assert (sale.subtotal, sale.total) == (Decimal("10.25"), Decimal("10.25"))
    assert "Discount \u2212$6.25" in page.inner_text(".receipt")
    assert Sale.objects.count() == 1
