"""The customer pages and the browser's history: Back, Reload and the address bar.

Each test is one journey that starts at desktop width and finishes on a phone.
"""

import re

import pytest

from customers.models import Customer
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

DETAIL = re.compile(r".*/customers/\d+/$")


def history_length(page) -> int:
    return page.evaluate("history.length")


def wait_for_search_box(page, value: str) -> None:
    """Wait until Back has brought the list back (htmx fetches it after the address changes)."""
    page.wait_for_function(
        "value => document.getElementById('id_search')?.value === value", arg=value
    )


def test_the_duplicate_check_never_changes_the_address(make_page, staff):
    CustomerFactory(name="Grace Existing", phone="+14155552671")
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/new/")
    before = history_length(page)

    # Typing asks for possible duplicates; the address and the history stay the form's.
    page.fill("#id_name", "Ada Lovelace")
    page.fill("#id_phone", "415 555 2671")
    page.locator("#duplicate-warnings >> text=Grace Existing").wait_for()
    assert page.url.endswith("/customers/new/")
    assert history_length(page) == before
    browser.screenshot("customer-form-check-1280px")

    # On a phone, a save slower than the check: the check answers after the new
    # customer's page is shown, and must neither change its address nor its history.
    page.set_viewport_size(PHONE)
    page.reload()
    page.fill("#id_name", "Slow Sam")
    held = []
    page.route("**/customers/duplicates/**", lambda route: held.append(route))
    page.fill("#id_phone", "(212) 555-0100")
    for _ in range(20):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    page.click("#customer-form button[type=submit]")
    page.wait_for_url(DETAIL)
    detail = page.url
    with page.expect_response("**/customers/duplicates/**"):
        held[0].continue_()
    page.wait_for_timeout(200)
    assert page.url == detail
    page.reload()
    assert page.locator("h1", has_text="Slow Sam").count() == 1
    assert page.locator("nav.navbar").count() == 1
    browser.screenshot("customer-form-slow-save-375px")
    page.go_back()
    page.wait_for_url("**/customers/new/")
    page.locator("#customer-form #id_name").wait_for()
    assert Customer.objects.filter(name="Slow Sam").count() == 1


def test_the_list_keeps_its_sort_and_a_search_is_one_back_step(make_page, staff):
    CustomerFactory(name="Lena Adams", loyalty_points=5)
    CustomerFactory(name="Lena Brown", loyalty_points=50)
    CustomerFactory(name="Lena Carter", loyalty_points=20)
    CustomerFactory(name="Zoe Most", loyalty_points=90)
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    rows = page.locator("#customer-results a.customer-name")
    start = history_length(page)

    page.click("#customer-results th >> text=Points")
    page.wait_for_url("**ordering=-loyaltyPoints**")
    assert history_length(page) == start + 1
    sorted_list = page.url

    # Typing with pauses longer than the debounce: one Back step, and the sort stays.
    page.locator("#id_search").press_sequentially("lena", delay=350)
    page.wait_for_url(re.compile(r".*search=lena.*"))
    page.locator("#customer-results >> text=3 active customers match").wait_for()
    assert "ordering=-loyaltyPoints" in page.url
    assert rows.all_inner_texts() == ["Lena Brown", "Lena Carter", "Lena Adams"]
    assert history_length(page) == start + 2
    search_page = page.url

    # A page size is a filter like any other: it keeps the sort and the search.
    page.select_option("#id_page_size", "50")
    page.wait_for_url("**page_size=50**")
    assert "ordering=-loyaltyPoints" in page.url
    assert "search=lena" in page.url
    assert rows.all_inner_texts() == ["Lena Brown", "Lena Carter", "Lena Adams"]
    assert history_length(page) == start + 3
    browser.screenshot("customer-list-sorted-search-1280px")

    # Opening a customer, then Back, Back: the settled search, then the sorted list.
    rows.first.click()
    page.wait_for_url(DETAIL)
    page.go_back()
    page.wait_for_url("**page_size=50**")
    page.go_back()
    page.wait_for_url(search_page)
    wait_for_search_box(page, "lena")
    page.go_back()
    page.wait_for_url(sorted_list)
    wait_for_search_box(page, "")
    assert rows.all_inner_texts() == ["Zoe Most", "Lena Brown", "Lena Carter", "Lena Adams"]

    # On a phone, from the sorted list Back led to: a second search after the first has
    # settled (Enter) is its own Back step; each keeps the sort.
    page.set_viewport_size(PHONE)
    page.locator("#id_search").press_sequentially("lena", delay=350)
    page.wait_for_url(re.compile(r".*search=lena&.*"))
    page.locator("#customer-results >> text=3 active customers match").wait_for()
    first_search = history_length(page)
    page.keyboard.press("Enter")
    page.locator("#id_search").press("End")
    page.locator("#id_search").press_sequentially(" car", delay=350)
    page.wait_for_url(re.compile(r".*search=lena(\+|%20)car.*"))
    page.locator("#customer-results >> text=1 active customer matches").wait_for()
    assert "ordering=-loyaltyPoints" in page.url
    assert history_length(page) == first_search + 1
    browser.screenshot("customer-list-search-375px")
    browser.assert_no_horizontal_scroll()
    page.go_back()
    page.wait_for_url(re.compile(r".*search=lena&.*"))
    wait_for_search_box(page, "lena")
    assert rows.all_inner_texts() == ["Lena Brown", "Lena Carter", "Lena Adams"]
    page.go_back()
    page.wait_for_url(sorted_list)
    wait_for_search_box(page, "")
