"""What a cashier trips on at the till, each walked in Chromium (issue 9's checkout items)."""

import re
from decimal import Decimal

import pytest

from customers import selectors as customer_selectors
from customers.models import Customer
from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import PHONE
from tests.e2e.test_checkout import add_product, complete_sale, pick_customer
from tests.sales.factories import ProductFactory
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.e2e

LONG_EMAIL = "bartholomew.featherstonehaugh-smythe@longexample.com"  # 51 characters
LONG_NAME = "Maximiliana Alexandrovna Featherstonehaugh-Smythe-Worthington de la Cruz"


def till(make_page, username="carl", viewport=None):
    browser = make_page(viewport=viewport)
    browser.login(username)
    browser.goto("/checkout/")
    return browser, browser.page


def test_a_missed_scan_is_replaced_by_the_next_one(make_page, staff):
    ProductFactory(sku="COF-250", name="Coffee beans", price=Decimal("8.90"))
    browser, page = till(make_page)
    search = page.locator("#product-search")
    search.fill("XYZ-999")
    search.press("Enter")
    assert "Nothing found" in browser.toast_text()
    # A barcode scanner types the next code and Enter into the focused field.
    page.keyboard.type("COF-250")
    page.keyboard.press("Enter")
    page.locator("#cart-lines tr").first.wait_for()
    assert "Coffee beans" in page.inner_text("#cart-lines")
    assert search.input_value() == ""


def test_enter_in_discount_or_a_payment_applies_it_and_completes_nothing(make_page, staff):
    ProductFactory(sku="MUG-1", name="Mug", price=Decimal("12.50"))
    _browser, page = till(make_page)
    add_product(page, "MUG-1")
    page.locator("#total-total", has_text="$12.50").wait_for()
    page.fill("#discount", "2.50")
    page.press("#discount", "Enter")
    page.locator("#total-total", has_text="$10.00").wait_for()
    page.click("#add-payment")
    page.locator(".payment-amount").wait_for()
    page.fill(".payment-amount", "20")
    page.press(".payment-amount", "Enter")
    page.locator("#total-due-label", has_text="Change").wait_for()
    page.wait_for_timeout(500)
    assert Sale.objects.count() == 0
    assert page.url.endswith("/checkout/")


def test_long_names_and_emails_wrap_at_the_till(make_page, staff):
    ProductFactory(sku="LNG-1", name=f"{LONG_NAME} gift box", price=Decimal("3.00"))
    CustomerFactory(name=LONG_NAME, email=LONG_EMAIL)
    browser, page = till(make_page)
    add_product(page, "LNG-1")
    pick_customer(page, "featherstonehaugh", "Maximiliana")
    for viewport in browser.at_each_width():
        browser.assert_no_horizontal_scroll()
        box = page.locator("#customer-clear").bounding_box()
        assert box["x"] + box["width"] <= viewport["width"]
        browser.screenshot(f"till-long-names-{viewport['width']}px")


def test_after_paying_part_with_points_the_till_offers_the_rest(make_page, staff, manager):
    from loyalty import services as loyalty_services

    ProductFactory(sku="COF-9", name="Coffee", price=Decimal("8.90"))
    regular = CustomerFactory(name="Penny Points")
    loyalty_services.points_adjust(customer=regular, points=100, reason="Seed", user=manager)
    _browser, page = till(make_page)
    add_product(page, "COF-9")
    pick_customer(page, "Penny", "Penny Points")
    page.locator("#points-helper:not(.d-none)").wait_for()
    page.click("#use-points")
    page.locator("#tender-due", has_text="$7.90").wait_for()
    buttons = page.locator("#tender-buttons button").all_inner_texts()
    assert buttons == ["Cash $7.90 (exact)", "Cash $10.00", "Cash $20.00", "Card $7.90"]
    page.click("text=Cash $10.00")
    page.locator("#total-due-label", has_text="Change").wait_for()
    assert page.inner_text("#total-due") == "$2.10"
    sale = complete_sale(page)
    assert (sale.total, sale.change) == (Decimal("8.90"), Decimal("2.10"))
    assert sorted(p.method for p in sale.payments.all()) == ["cash", "points"]


def test_a_payment_error_sits_below_its_row(make_page, staff):
    ProductFactory(sku="TEA-1", name="Tea", price=Decimal("4.20"))
    _browser, page = till(make_page)
    add_product(page, "TEA-1")
    page.click("#add-payment")
    page.fill(".payment-amount", "4.205")
    page.locator(".invalid-feedback").wait_for()
    row = page.locator("#payments .input-group").bounding_box()
    error = page.locator(".invalid-feedback").bounding_box()
    assert error["y"] >= row["y"] + row["height"] - 1  # below the whole row, not inside it
    assert page.locator("#payments .input-group .invalid-feedback").count() == 0


def test_phone_pay_bar_keeps_total_and_complete_in_reach(make_page, staff):
    ProductFactory(sku="BIS-2", name="Biscuits", price=Decimal("3.15"))
    browser, page = till(make_page, viewport=PHONE)
    add_product(page, "BIS-2")
    page.locator("#paybar-total", has_text="$3.15").wait_for()
    bar = page.locator(".checkout-paybar").bounding_box()
    assert bar["y"] + bar["height"] <= PHONE["height"] + 1  # on screen without scrolling
    page.fill("#product-search", "NO-SUCH-SKU")
    page.press("#product-search", "Enter")
    assert "Nothing found" in browser.toast_text()
    browser.settle()
    toast = page.locator("#toasts .toast.show").last.bounding_box()
    assert toast["y"] + toast["height"] <= bar["y"]  # the toast never covers the pay bar
    page.click("#paybar-complete")
    page.wait_for_url(re.compile(r".*/sales/\d+/$"))
    assert Sale.objects.count() == 1
    browser.assert_no_horizontal_scroll()


def test_a_search_that_only_finds_inactive_customers_says_so(make_page, staff):
    gone = CustomerFactory(name="Ingrid Inactive", status="inactive")
    _browser, page = till(make_page, username="maria")
    page.fill("#customer-search", "Ingrid")
    page.press("#customer-search", "Enter")
    page.locator("#customer-inactive:not(.d-none)").wait_for()
    assert "1 inactive customer matches: Ingrid Inactive." in page.inner_text("#customer-inactive")
    page.click("#customer-restore")
    page.locator("#customer-chosen-name", has_text="Ingrid Inactive").wait_for()
    gone.refresh_from_db()
    assert gone.status == "active"


def test_inactive_matches_past_the_search_limit_are_counted_from_below(
    make_page, staff, monkeypatch
):
    # The API's count of a search stops at the matches it looks at: 3 inactive
    # Ingrids with a limit of 2 are "2+", not "2".
    monkeypatch.setattr(customer_selectors, "MATCH_LIMIT", 2)
    for number in range(3):
        CustomerFactory(name=f"Ingrid Inactive {number}", status="inactive")
    _browser, page = till(make_page, username="maria")
    page.fill("#customer-search", "Ingrid")
    page.press("#customer-search", "Enter")
    page.locator("#customer-inactive:not(.d-none)").wait_for()
    assert "2+ inactive customers match, such as Ingrid" in page.inner_text("#customer-inactive")
    assert page.locator("#customer-restore").is_hidden()


def test_cashier_is_told_about_an_inactive_match_but_cannot_restore(make_page, staff):
    CustomerFactory(name="Ingrid Inactive", status="inactive")
    _browser, page = till(make_page)
    page.fill("#customer-search", "Ingrid")
    page.press("#customer-search", "Enter")
    page.locator("#customer-inactive:not(.d-none)").wait_for()
    assert page.locator("#customer-restore").is_hidden()


def test_shortcuts_follow_the_key_not_the_character(make_page, staff):
    _browser, page = till(make_page)
    # Option+C on a Mac types "ç"; the key's code is still KeyC.
    page.evaluate(
        "document.dispatchEvent(new KeyboardEvent('keydown', "
        "{key: 'ç', code: 'KeyC', altKey: true, bubbles: true}))"
    )
    assert page.evaluate("document.activeElement.id") == "customer-search"
    page.evaluate(
        "document.dispatchEvent(new KeyboardEvent('keydown', "
        "{key: 'π', code: 'KeyP', altKey: true, bubbles: true}))"
    )
    assert page.evaluate("document.activeElement.id") == "product-search"


def test_new_sale_for_this_customer_from_their_page(make_page, staff):
    ProductFactory(sku="JAM-2", name="Jam", price=Decimal("5.40"))
    regular = CustomerFactory(name="Rita Regular")
    browser = make_page()
    page = browser.page
    browser.login("carl")
    browser.goto(f"/customers/{regular.pk}/")
    page.click("#new-sale-for-customer")
    page.locator("#customer-chosen-name", has_text="Rita Regular").wait_for()
    assert "customer=" not in page.url  # a reload does not pick them again over a change
    add_product(page, "JAM-2")
    assert complete_sale(page).customer == regular


def test_refund_starts_at_zero_shows_the_amount_and_asks_where_it_goes(make_page, staff, cashier):
    customer = CustomerFactory(name="Rhoda Refund")
    sale = ring_up(customer=customer, price="10.00", cashier=cashier, quantity=3)
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto(f"/sales/{sale.pk}/")
    page.click("text=Refund")
    page.locator("#refund-modal").wait_for(state="visible")
    quantity = page.locator("#refund-modal input[type=number]")
    assert quantity.input_value() == "0"
    quantity.fill("2")
    page.locator("#refund-amount", has_text="Refund $20.00").wait_for()
    for viewport in browser.at_each_width():
        browser.assert_accessible(f"refund modal at {viewport['width']}px")
        browser.assert_no_horizontal_scroll()
    page.click("#refund-modal button[type=submit]")
    assert f"Refunded $20.00 on {sale.number}" in browser.toast_text()
    sale.refresh_from_db()
    assert sale.refunded_total == Decimal("20.00")


def test_orders_panel_and_sales_list_reconcile_after_a_partial_refund(make_page, staff, cashier):
    from sales.services import RefundLineInput, sale_refund

    customer = CustomerFactory(name="Nora Net")
    sale = ring_up(customer=customer, price="10.00", cashier=cashier, quantity=3)
    line = sale.lines.get()
    sale_refund(
        sale=sale,
        user=staff["manager"],
        lines=[RefundLineInput(sale_line_id=line.pk, quantity=1)],
    )
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto(f"/customers/{customer.pk}/")
    assert page.inner_text("[data-figure=lifetime-spend]") == "$20.00"
    assert page.inner_text("[data-figure=refunded]") == "$10.00"
    assert page.inner_text(f"[data-net='{sale.number}']") == "$20.00"
    page.click("text=All 1 sale")
    page.locator("#customer-filter", has_text="Nora Net").wait_for()
    page.click("#customer-filter [aria-label^='Remove the filter']")
    page.wait_for_url("**/sales/?*")
    assert page.locator("#customer-filter").count() == 0
    assert Customer.objects.count() == 1
