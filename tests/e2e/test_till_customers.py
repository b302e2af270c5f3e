"""The till's customer box and quick-add (issue 27's till items), walked in Chromium."""

import pytest

from customers.models import Customer
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import DESKTOP, PHONE
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.e2e


def till(make_page):
    browser = make_page(viewport=DESKTOP)
    browser.login("carl")
    browser.goto("/checkout/")
    return browser, browser.page


def test_many_equal_matches_are_counted_and_none_is_picked_by_enter(make_page, staff):
    for number in range(12):
        CustomerFactory(name="Maria Garcia", email=f"maria{number}@example.com")
    CustomerFactory(name="Maria Lopez", email="lopez@example.com")
    browser, page = till(make_page)
    search = page.locator("#customer-search")
    search.press_sequentially("maria garcia")
    summary = page.locator("#customer-options .search-summary")
    summary.wait_for()
    assert summary.inner_text() == (
        "12 customers match, 8 shown: pick one, or type more of the name, phone or email."
    )
    assert page.locator("#customer-options .active").count() == 0
    search.press("Enter")
    page.wait_for_timeout(500)
    assert page.locator("#customer-chosen").is_hidden()  # Enter picked nobody
    assert page.locator("#customer-options button").count() == 8

    # Typing more narrows it to one, which Enter picks.
    page.set_viewport_size(PHONE)
    search.press_sequentially(" maria7@")
    page.locator("#customer-options button").first.wait_for()
    page.wait_for_function("document.querySelectorAll('#customer-options button').length === 1")
    search.press("Enter")
    page.locator("#customer-chosen-details", has_text="maria7@example.com").wait_for()
    browser.assert_no_horizontal_scroll()

    # Arrows choose among several; Enter then takes the chosen one.
    page.click("#customer-clear")
    search.press_sequentially("maria")
    summary.wait_for()
    search.press("ArrowUp")
    search.press("Enter")
    page.locator("#customer-chosen-name", has_text="Maria").wait_for()


def test_quick_add_asks_before_adding_someone_whose_phone_is_taken(make_page, staff):
    rita = CustomerFactory(name="Rita Regular", phone="+14155552671")
    browser, page = till(make_page)

    def open_quick_add(name, phone):
        page.click("text=New customer")
        page.locator("#quick-add-modal").wait_for(state="visible")
        page.fill("#quick-add-name", name)
        page.fill("#quick-add-phone", phone)
        page.click("#quick-add-form button[type=submit]")

    open_quick_add("Rita Regullar", "415-555-2671")
    question = page.locator("#quick-add-duplicates")
    question.wait_for()
    assert "Is this a different person?" in question.inner_text()
    assert (
        f"Rita Regular (customer #{rita.pk}) already has the phone number (415) 555-2671 "
        "and a similar name." in question.inner_text()
    )
    assert Customer.objects.count() == 1
    browser.settle()
    browser.screenshot("till-quick-add-duplicate-1280px")
    page.click("text=Select Rita Regular")
    page.locator("#customer-chosen-name", has_text="Rita Regular").wait_for()
    assert Customer.objects.count() == 1

    # On a phone, a family member sharing the number is added once the cashier says so.
    page.set_viewport_size(PHONE)
    page.click("#customer-clear")
    open_quick_add("Tom Regular", "415-555-2671")
    question.wait_for()
    assert "Rita Regular" in question.inner_text()
    assert "similar name" not in question.inner_text()
    browser.assert_no_horizontal_scroll()
    page.locator("#quick-add-form button[type=submit]", has_text="Add anyway").click()
    page.locator("#customer-chosen-name", has_text="Tom Regular").wait_for()
    assert Customer.objects.filter(phone="+14155552671").count() == 2


def test_a_receipt_number_opens_its_sale_from_the_till_and_the_sales_list(
    make_page, staff, cashier
):
    sale = ring_up(customer=None, price="4.00", cashier=cashier)
    browser, page = till(make_page)
    page.fill("#customer-search", sale.number.lower())
    page.press("#customer-search", "Enter")
    page.wait_for_url(f"**{sale.get_absolute_url()}")

    page.set_viewport_size(PHONE)
    browser.goto("/sales/")
    page.fill("#id_number", "S-999999")
    page.press("#id_number", "Enter")
    page.locator("#id_number-error", has_text="No sale has the number").wait_for()
    browser.assert_no_horizontal_scroll()
    page.fill("#id_number", sale.number)
    page.press("#id_number", "Enter")
    page.wait_for_url(f"**{sale.get_absolute_url()}")
