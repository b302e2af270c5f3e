"""The customer data tools in a real browser: import upload, export, merge flow, anonymise."""

from pathlib import Path

import pytest

from customers.models import Customer, CustomerErasure, CustomerMerge
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

TOASTS_SETTLED = """() => [...document.querySelectorAll('#toasts .toast')].every(
    (toast) => getComputedStyle(toast).display === 'none' || getComputedStyle(toast).opacity === '1'
)"""

CSV = (
    "Full Name,E-mail,Phone,Points\n"
    "Ada Lovelace,ada@example.com,(415) 555-0101,\n"
    "Grace Hopper,grace@example.com,,120\n"
    "Bad Mail,not-an-email,,\n"
)


def check_page(browser, name: str) -> None:
    browser.assert_no_horizontal_scroll()
    browser.page.wait_for_function(TOASTS_SETTLED)
    browser.assert_accessible(name)


def check_both_widths(browser, name: str) -> None:
    """The page as it is now, at 1280 and at 375 px: one journey checks both layouts."""
    for viewport in browser.at_each_width():
        check_page(browser, f"{name} {viewport['width']}")


def test_check_a_file_then_import_it_without_picking_it_again(make_page, staff, tmp_path):
    """At 1280 px check the file, then at 375 px import it: the page kept the checked file."""
    ada = CustomerFactory(name="Ada L", email="ada@example.com", phone=None, address=None)
    path = tmp_path / "shop.csv"
    path.write_text(CSV)
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    page.click("main >> text=Import")
    page.wait_for_url("**/customers/import/")
    check_page(browser, "import form 1280")

    page.set_input_files("#id_file", str(path))
    page.click("#import-check")
    page.locator("#import-report").wait_for()
    assert "nothing was saved" in page.locator("#import-result").inner_text()
    assert page.locator("[data-count=created]").inner_text() == "1"
    assert page.locator("[data-count=updated]").inner_text() == "1"
    updates = page.locator("#import-updates").inner_text()
    assert "Ada L" in updates
    assert "Name: Ada L → Ada Lovelace" in updates
    assert "Enter a valid email address." in page.locator("#import-errors").inner_text()
    assert "shop.csv" in page.locator("#import-kept-file").inner_text()
    assert Customer.objects.count() == 1
    check_page(browser, "import check 1280")

    page.set_viewport_size(PHONE)
    check_page(browser, "import check 375")
    browser.screenshot("import-checked-375")
    page.click("#import-run")  # no file picked again
    page.locator("#import-report").wait_for()
    assert page.locator("#import-result").inner_text() == "Imported shop.csv"
    ada.refresh_from_db()
    assert (ada.name, ada.phone, ada.loyalty_points) == ("Ada Lovelace", "+14155550101", 0)
    assert Customer.objects.count() == 2
    assert Customer.objects.get(email="grace@example.com").loyalty_points == 120
    assert page.locator("#import-kept-file").count() == 0
    assert page.locator("a[download$='-errors.csv']").is_visible()
    check_page(browser, "import done 375")
    browser.screenshot("import-done-375")


def test_the_export_link_follows_the_search(make_page, staff):
    CustomerFactory(name="Ada Lovelace")
    CustomerFactory(name="Grace Hopper")
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    page.fill("#id_search", "grace")
    page.wait_for_url("**search=grace**")
    for _viewport in browser.at_each_width():
        with page.expect_download() as download:
            page.click("#export-customers")
        content = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert "Grace Hopper" in content
        assert "Ada Lovelace" not in content


def test_find_duplicates_choose_the_survivor_and_values_review_and_merge(make_page, staff):
    first = CustomerFactory(name="Grace Hopper", phone="+14155550150", address=None)
    second = CustomerFactory(
        name="Grace Hoper", phone="+14155550150", email=None, address="5 Navy Rd"
    )
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    page.click("main >> text=Duplicates")
    page.wait_for_url("**/customers/likely-duplicates/")
    check_both_widths(browser, "duplicates")

    page.click(".duplicate-group >> text=Merge…")
    page.wait_for_url(f"**/customers/{first.pk}/merge/?duplicate={second.pk}")
    check_both_widths(browser, "merge choose")
    page.check("#id_survivor_0")
    page.check("#id_name_0")  # keep "Grace Hopper"
    page.check("#id_address_1")  # take "5 Navy Rd"
    page.click("#merge-form >> text=Review the merge")
    page.locator("#merge-review").wait_for()
    assert "cannot be undone" in page.locator("#merge-review").inner_text()
    assert not CustomerMerge.objects.exists()
    check_both_widths(browser, "merge review")
    page.set_viewport_size(PHONE)  # confirmed on a phone

    page.click("#merge-confirm")
    page.wait_for_url(f"**/customers/{first.pk}/")
    assert "Merged customer" in browser.toast_text()
    first.refresh_from_db()
    assert (first.name, first.address) == ("Grace Hopper", "5 Navy Rd")
    # The duplicate's old address leads to the survivor.
    browser.goto(f"/customers/{second.pk}/")
    page.wait_for_url(f"**/customers/{first.pk}/")
    check_both_widths(browser, "merged detail")


def test_anonymise_after_typing_the_name(make_page, staff):
    customer = CustomerFactory(name="Ada Lovelace", email="ada@example.com")
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    browser.goto(customer.get_absolute_url())
    page.click("main >> text=Anonymise…")
    page.wait_for_url(f"**/customers/{customer.pk}/anonymise/")
    check_both_widths(browser, "anonymise")

    page.fill("#id_confirm", "Ada")
    page.click("#anonymise-form >> text=Erase personal data")
    page.locator("#id_confirm.is-invalid").wait_for()
    assert not CustomerErasure.objects.exists()
    check_both_widths(browser, "anonymise refused")
    page.set_viewport_size(PHONE)  # confirmed on a phone

    page.fill("#id_confirm", "Ada Lovelace")
    page.click("#anonymise-form >> text=Erase personal data")
    page.wait_for_url(f"**/customers/{customer.pk}/")
    assert f"Anonymised customer #{customer.pk}" in page.locator("h1").inner_text()
    assert "Personal data erased" in page.locator("main").inner_text()
    check_both_widths(browser, "anonymised detail")
