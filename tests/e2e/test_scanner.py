"""The till with a barcode scanner on shop Wi-Fi (issue 27's till items), walked in Chromium.

A scanner types a code and Enter every few milliseconds, without waiting for the
page. Each journey runs at 1280 px, then resizes to 375 px and goes on, and the
slow link is Chrome's own network emulation (DevTools Protocol latency).
"""

from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session

from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.sales.factories import ProductFactory

pytestmark = pytest.mark.e2e

KEY_DELAY_MS = 10  # a scanner's keystrokes


def till(make_page):
    browser = make_page(viewport=DESKTOP)
    browser.login("carl")
    browser.goto("/checkout/")
    return browser, browser.page


def slow_link(page, latency_ms: int):
    """Delay every request and answer of this page by ``latency_ms`` (Chrome's emulation)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    return session


def scan(page, code: str, pause_ms: int = 0):
    page.keyboard.type(code, delay=KEY_DELAY_MS)
    page.keyboard.press("Enter")
    if pause_ms:
        page.wait_for_timeout(pause_ms)


def cart(page) -> list[tuple[str, str]]:
    """The cart's lines as (product name, quantity), once every scan is looked up."""
    page.locator("#scan-status").wait_for(state="hidden")
    rows = page.locator("#cart-lines tr")
    return [
        (row.locator("span.fw-semibold").inner_text(), row.locator(".cart-quantity").input_value())
        for row in rows.all()
    ]


def products(*names):
    return [
        ProductFactory(sku=f"P-{index}", barcode=f"40000000000{index}", name=name, price="1.00")
        for index, name in enumerate(names, start=1)
    ]


def test_a_burst_of_scans_adds_every_code_in_order_whatever_the_latency(make_page, staff):
    apple, bread, cheese, dates, eggs = products("Apple", "Bread", "Cheese", "Dates", "Eggs")
    browser, page = till(make_page)

    # Five codes back to back at scanner speed, Cheese twice.
    for product in (eggs, apple, cheese, bread, cheese):
        scan(page, product.barcode)
    assert cart(page) == [("Eggs", "1"), ("Apple", "1"), ("Cheese", "2"), ("Bread", "1")]
    assert page.locator("#product-search").input_value() == ""
    browser.assert_no_horizontal_scroll()

    # On a phone over a 400 ms link, 300 ms between scans: the answers come back
    # after the next codes are typed, and still every code lands, in order.
    page.click("#new-sale")
    page.set_viewport_size(PHONE)
    slow_link(page, 400)
    for product in (dates, bread, apple, eggs):
        scan(page, product.sku, pause_ms=300)
    scan(page, "NO-SUCH-CODE")
    scan(page, dates.barcode)
    assert cart(page) == [("Dates", "2"), ("Bread", "1"), ("Apple", "1"), ("Eggs", "1")]
    assert "Nothing found for \u201cNO-SUCH-CODE\u201d." in page.inner_text("#toasts")
    page.locator("#total-total", has_text="$5.00").wait_for()
    browser.assert_no_horizontal_scroll()
    browser.screenshot("till-scan-burst-375px")


def test_enter_adds_what_the_box_says_not_the_list_for_an_older_term(make_page, staff):
    ProductFactory(sku="MUG-BLK", name="Black mug")
    ProductFactory(sku="MUG-BLU", name="Blue mug")
    ProductFactory(sku="MUG-RED", name="Red mug")
    browser, page = till(make_page)
    search = page.locator("#product-search")
    search.press_sequentially("MUG-")
    page.locator("#product-options button").nth(2).wait_for()
    # Three mugs match MUG-: none is chosen for Enter, and the list says why.
    assert page.locator("#product-options .active").count() == 0
    assert "3 products match" in page.inner_text("#product-options")
    scan(page, "RED")
    assert cart(page) == [("Red mug", "1")]

    # A name that matches several products asks instead of adding the first.
    page.set_viewport_size(PHONE)
    scan(page, "mug")
    page.locator("#product-options button").nth(2).wait_for()
    assert search.input_value() == "mug"
    assert cart(page) == [("Red mug", "1")]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert cart(page) == [("Red mug", "1"), ("Blue mug", "1")]
    browser.assert_no_horizontal_scroll()


def test_after_a_quantity_the_next_scan_goes_to_the_scan_box(make_page, staff):
    apple, bread = products("Apple", "Bread")
    _browser, page = till(make_page)
    scan(page, apple.barcode)
    page.locator(".cart-quantity").fill("3")
    page.locator(".cart-quantity").press("Enter")
    page.locator("#product-search:focus").wait_for()
    scan(page, bread.barcode)
    assert cart(page) == [("Apple", "3"), ("Bread", "1")]

    page.set_viewport_size(PHONE)
    page.locator(".cart-quantity").nth(1).fill("2")
    page.locator(".cart-quantity").nth(1).press("Enter")
    scan(page, bread.barcode)
    assert cart(page) == [("Apple", "3"), ("Bread", "3")]
    page.locator("#total-total", has_text="$6.00").wait_for()


def overlaps(first, second) -> bool:
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


def test_a_dropped_connection_says_so_once_keeps_the_totals_and_requotes_when_back(
    make_page, staff
):
    (apple,) = products("Apple")
    browser, page = till(make_page)
    browser.expect_console_errors("net::ERR_INTERNET_DISCONNECTED")
    scan(page, apple.barcode)
    page.locator("#total-total", has_text="$1.00").wait_for()

    for viewport, button in ((DESKTOP, "#complete-sale"), (PHONE, "#paybar-complete")):
        page.set_viewport_size(viewport)
        page.context.set_offline(True)
        for quantity in ("2", "3", "4"):
            page.locator(".cart-quantity").fill(quantity)
            page.locator(".cart-quantity").press("Enter")
            page.locator("#totals-stale:not(.d-none)").wait_for()
            page.wait_for_timeout(300)
        errors = page.locator("#toasts .toast.show", has_text="No connection")
        assert errors.count() == 1
        assert "no connection" in page.inner_text("#totals-stale")
        assert page.inner_text("#total-total") == "$1.00"  # the last good total stays in view
        browser.settle()
        assert not overlaps(errors.bounding_box(), page.locator(button).bounding_box())
        page.screenshot(path=str(ARTIFACTS / f"till-offline-{viewport['width']}px.png"))

        page.context.set_offline(False)
        page.locator("#total-total", has_text="$4.00").wait_for()
        assert "connection is back" in browser.toast_text()
        assert page.locator("#toasts .toast.show", has_text="No connection").count() == 0
        assert page.locator("#totals-stale").is_hidden()
        page.locator(".cart-quantity").fill("1")
        page.locator(".cart-quantity").press("Enter")
        page.locator("#total-total", has_text="$1.00").wait_for()


def test_an_expired_session_says_log_in_again_and_keeps_the_cart(make_page, staff):
    apple, bread = products("Apple", "Bread")
    browser, page = till(make_page)
    browser.expect_console_errors("status of 401", "Error Code 401")
    scan(page, apple.barcode)
    page.locator("#total-total", has_text="$1.00").wait_for()
    Session.objects.all().delete()

    scan(page, bread.barcode)
    toast = page.locator("#toasts .toast.show[data-key=logged-out]")
    toast.wait_for()
    assert "You were logged out \u2014 log in again; the cart is kept." in toast.inner_text()
    assert "Authentication credentials" not in page.inner_text("#toasts")
    assert f"\u201c{bread.barcode}\u201d was not added: log in again" in page.inner_text("#toasts")
    login = toast.get_by_role("link", name="Log in")
    assert login.get_attribute("href") == "/accounts/login/?next=%2Fcheckout%2F"

    # An htmx page (the customer list's search) says the same, not a login form as results.
    page.set_viewport_size(PHONE)
    browser.login("carl")
    page.goto(browser.base_url + "/customers/")
    Session.objects.all().delete()
    page.fill("#id_search", "anyone")
    page.locator("#toasts .toast.show", has_text="You were logged out").wait_for()
    assert page.locator("#id_password").count() == 0  # no login form swapped in as results
    browser.assert_no_horizontal_scroll()

    # Back at the till after logging in again, the cart is as it was.
    browser.login("carl")
    browser.goto("/checkout/")
    assert cart(page) == [("Apple", "1")]


@pytest.fixture(autouse=True)
def _prices_are_plain(settings):
    settings.CLASSICPOS_TAX_RATE = Decimal("0")
