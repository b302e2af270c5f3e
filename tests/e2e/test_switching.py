"""Switching from Shopify in a real browser: the export checked, recognised, imported, shown."""

from pathlib import Path

import pytest

from customers.models import Customer
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_data_tools import check_page

pytestmark = pytest.mark.e2e

SHOPIFY = Path(__file__).parents[1] / "customers" / "import_formats" / "shopify_export.csv"


def test_a_shopify_export_is_recognised_imported_and_its_history_shown(make_page, staff):
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/import/")

    page.set_input_files("#id_file", str(SHOPIFY))
    page.click("#import-check")
    page.locator("#import-report").wait_for()
    assert "Shopify customer export" in page.locator("#import-source").inner_text()
    zip_column = page.get_by_label("Default Address Zip")
    assert zip_column.locator("option:checked").inner_text() == "Address (postal code)"
    assert page.locator("[data-count=created]").inner_text() == "4"
    assert page.locator("[data-count=errors]").inner_text() == "0"
    check_page(browser, "shopify check 1280")
    browser.screenshot("switching-checked-1280")

    page.set_viewport_size(PHONE)
    check_page(browser, "shopify check 375")
    page.get_by_label("Note", exact=True).select_option(label="Leave it out")  # changed mapping
    page.click("#import-run")
    page.locator("#import-report").wait_for()
    assert page.locator("#import-result").inner_text() == "Imported shopify_export.csv"
    maria = Customer.objects.get(email="maria.lopez@example.com")
    assert maria.note is None  # the Note column was left out
    assert "(17)" in page.locator("#import-columns").inner_text()  # 18 less the Note

    browser.goto(f"/customers/{maria.pk}/")
    panel = page.locator("#prior-history-panel")
    assert "Shopify customer export" in panel.inner_text()
    assert page.locator("[data-figure=prior-spent]").inner_text() == "$1,234.50"
    assert page.locator("[data-figure=external-ref]").inner_text() == "7014325256406"
    check_page(browser, "customer with prior history 375")
    browser.screenshot("switching-customer-375")
