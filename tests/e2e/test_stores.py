"""Stores and tills (issue 30), walked in Chromium as a chain's staff would, on one device.

A Cashier opens the checkout of a new device in a chain of two stores: it is no till yet.
A Manager pairs it with the Airport's till, where the Cashier (Downtown's staff) may not
sell; she pairs it with Downtown's instead, and he rings up a scanned product over a slow
link at Downtown's tax rate, on Downtown's receipt and number series. The Manager then reads
the day by store and by till, and downloads it. Each page is checked once at 1280 px and at
375 px: no sideways scrolling, axe clean.
"""

import csv
import io
import re
from decimal import Decimal

import pytest

from sales.models import Sale
from stores.models import Store, Till
from tests.e2e.test_scanner import scan, slow_link
from tests.sales.factories import ProductFactory
from tests.stores.factories import StoreFactory, TillFactory

pytestmark = pytest.mark.e2e

LATENCY_MS = 300  # shop Wi-Fi on a bad day


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")


def switch_user(browser, username: str):
    """The one who was at the device logs out and ``username`` logs in on it: the device's
    till (a cookie of the browser, not of the session) stays."""
    log_out(browser.page)
    browser.login(username)


def pair_with(page, till: Till):
    page.get_by_label(till.name).check()
    page.get_by_role("button", name="Pair", exact=True).click()
    page.wait_for_url("**/checkout/")
    page.locator("#till-name", has_text=f"{till.name} · {till.store.name}").wait_for()
    # The till quotes its (empty) cart as it opens: logging out waits for the answer.
    page.locator("#totals[aria-busy=false]").wait_for()


@pytest.fixture
def chain(staff):
    # The migration's one-shop "Main" store is there when this is the first test of a fresh
    # database: the chain here is exactly two stores.
    Till.objects.all().delete()
    Store.objects.all().delete()
    downtown = StoreFactory(
        code="DT",
        name="Downtown",
        address="12 Market Street, Springfield IL 62701",
        phone="+1 217 555 0100",
        tax_id="US-37-1234567",
        tax_rate=Decimal("0.0875"),
    )
    airport = StoreFactory(code="AP", name="Airport", tax_rate=Decimal("0.05"))
    downtown.staff.add(staff["cashier"])
    return {
        "downtown": TillFactory(store=downtown, name="Front counter"),
        "airport": TillFactory(store=airport, name="Gate B kiosk"),
    }


def test_a_manager_pairs_a_device_and_a_cashier_sells_at_his_own_store(make_page, chain):
    coffee = ProductFactory(
        sku="COF-250", barcode="4006381333931", name="Coffee beans", price=Decimal("10.00")
    )
    browser = make_page()
    page = browser.page
    # The Cashier's refusal is a 403 page: Chromium logs the status of the document.
    browser.expect_console_errors("status of 403")

    # A new device in a chain of two tills: the Cashier is told to ask a Manager.
    browser.login("carl")
    browser.goto("/checkout/")
    page.get_by_role("heading", name="This device is not a till yet").wait_for()
    assert "Ask a Manager" in page.inner_text("main")
    browser.assert_fits_and_is_accessible("not a till yet", screenshot="stores-not-a-till")

    # The Manager opens Stores from the navbar and pairs the device with the Airport's till.
    switch_user(browser, "maria")
    page.get_by_role("link", name="Stores").click()
    page.get_by_role("heading", name="Stores", exact=True).wait_for()
    assert "This device is not paired with a till." in page.inner_text("#device-till")
    browser.assert_fits_and_is_accessible("stores", screenshot="stores-list")
    page.get_by_role("link", name="Pair this device").click()
    page.get_by_role("heading", name="Pair this device with a till").wait_for()
    browser.assert_fits_and_is_accessible("pair this device", screenshot="stores-pair")
    pair_with(page, chain["airport"])
    assert "This device is now Gate B kiosk at Airport." in browser.toast_text()

    # Carl is Downtown's staff only: the Airport's till refuses him.
    switch_user(browser, "carl")
    response = browser.goto("/checkout/")
    assert response.status == 403
    page.get_by_role("heading", name="You may not sell at this till").wait_for()
    assert "Gate B kiosk at Airport, and you sell only at Downtown." in page.inner_text("main")
    browser.assert_fits_and_is_accessible("not your till", screenshot="stores-not-yours")

    # The Manager moves the device to Downtown's till.
    switch_user(browser, "maria")
    browser.goto("/tills/pair/")
    assert page.get_by_label("Gate B kiosk").is_checked()
    pair_with(page, chain["downtown"])

    # Carl scans at scanner speed over a slow link; the quote is at Downtown's 8.75 %.
    switch_user(browser, "carl")
    browser.goto("/checkout/")
    page.locator("#till-name", has_text="Front counter · Downtown").wait_for()
    link = slow_link(page, LATENCY_MS)
    page.locator("#product-search:focus").wait_for()
    scan(page, coffee.barcode)
    page.locator("#cart-lines tr", has_text="Coffee beans").wait_for()
    page.locator("#total-tax", has_text="$0.88").wait_for()
    page.locator("#total-total", has_text="$10.88").wait_for()
    assert page.locator("#product-search").input_value() == ""
    browser.assert_fits_and_is_accessible("checkout at Downtown", screenshot="stores-checkout")
    page.click("#complete-sale")
    page.wait_for_url(re.compile(r".*/sales/\d+/$"))
    link.send("Network.emulateNetworkConditions", _no_latency())
    sale = Sale.objects.get()
    assert (sale.number, sale.store.code, sale.till.name) == ("DT-000001", "DT", "Front counter")
    assert (sale.tax, sale.total) == (Decimal("0.88"), Decimal("10.88"))
    browser.dismiss_toasts()
    header = page.inner_text(".receipt header")
    for detail in (
        "Downtown",
        "12 Market Street, Springfield IL 62701",
        "+1 217 555 0100",
        "US-37-1234567",
        "DT-000001",
        "Front counter",
    ):
        assert detail in header, detail
    browser.assert_fits_and_is_accessible("receipt", screenshot="stores-receipt")

    # The Manager's end of day: today by store, then by till, and the CSV.
    switch_user(browser, "maria")
    page.get_by_role("link", name="Stores").click()
    page.get_by_role("link", name="Sales by store").click()
    rows = page.locator("#report-rows tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1
    assert _cells(rows.first) == {
        "Store": "Downtown DT",
        "Sales": "1",
        "Gross": "$10.88",
        "Stored value sold": "$0.00",
        "Refunds": "$0.00",
        "Net": "$10.88",
        "Tax": "$0.88",
        "Cash": "$10.88",
        "Cash in drawer": "$10.88",
    }
    page.get_by_label("One row per till").check()
    page.get_by_role("button", name="Show").click()
    page.locator("#report-rows td[data-label=Till]", has_text="Front counter").wait_for()
    assert page.get_by_label("One row per till").is_checked()
    browser.assert_fits_and_is_accessible("sales by store", screenshot="stores-sales-by-store")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == "sales-by-store.csv"
    text = download.value.path().read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(row["Store"], row["Till"], row["Sales"], row["Net"], row["Tax"]) for row in table] == [
        ("DT", "Front counter", "1", "10.88", "0.88")
    ]


def _no_latency() -> dict:
    return {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def _cells(row) -> dict[str, str]:
    """A report row as {column: text}, from each cell's data-label, the date left out."""
    return {
        cell.get_attribute("data-label"): cell.inner_text().strip()
        for cell in row.locator("td").all()
        if cell.get_attribute("data-label") != "Date"
    }
