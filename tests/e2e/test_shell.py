"""The app shell in a real browser: every page works offline and passes axe, toasts keep
clear of the page's buttons (each checked at desktop and phone width), and the admin is for
Managers only."""

from urllib.parse import urlparse

import pytest

from tests.customers.factories import CustomerFactory
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e

LONG_NAME = "Maximiliana Alexandrovna Featherstonehaugh-Wolfeschlegelsteinhausenbergerdorff"
LONG_EMAIL = "maximiliana.alexandrovna.featherstonehaugh@longdomainname-example.com"

# A toast fading in or out has a see-through background for axe: wait until none is.
TOASTS_SETTLED = """() => Array.from(document.querySelectorAll('#toasts .toast')).every(
    (toast) => !toast.classList.contains('show') || getComputedStyle(toast).opacity === '1')"""


def record_foreign_requests(browser) -> list[str]:
    """Collect every request the page makes to a host other than the live server."""
    own = urlparse(browser.base_url).netloc
    foreign: list[str] = []
    browser.page.on(
        "request",
        lambda request: (
            urlparse(request.url).netloc not in (own, "") and foreign.append(request.url)
        ),
    )
    return foreign


def overlaps(box, other) -> bool:
    return not (
        box["x"] + box["width"] <= other["x"]
        or other["x"] + other["width"] <= box["x"]
        or box["y"] + box["height"] <= other["y"]
        or other["y"] + other["height"] <= box["y"]
    )


# The API's documentation pages are third-party pages (Swagger UI, ReDoc) that lay out
# the same at any width: axe checks them once, at desktop width (ReDoc alone takes a minute).
API_DOCS = {"Swagger UI": "/api/docs/", "ReDoc": "/api/redoc/"}
DOCS_TIMEOUT_MS = 60_000


def test_every_page_works_offline_and_passes_axe(make_page, staff):
    customer = CustomerFactory(name=LONG_NAME, email=LONG_EMAIL, phone="+14155550199")
    CustomerFactory(name="Ivy Inactive", status="inactive")
    browser = make_page()
    foreign = record_foreign_requests(browser)
    page = browser.page
    browser.goto("/accounts/login/")
    for viewport in browser.at_each_width():
        browser.assert_accessible(f"login at {viewport['width']}px")
    browser.login("maria")
    pages = {
        "customer list": "/customers/?status=all",
        "customer detail": f"/customers/{customer.pk}/",
        "customer form": "/customers/new/",
        "customer edit": f"/customers/{customer.pk}/edit/",
        "admin": "/admin/",
        "admin customers": "/admin/customers/customer/?q=ivy",
        "admin customer": f"/admin/customers/customer/{customer.pk}/change/",
    }
    for name, path in pages.items():
        browser.goto(path)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(TOASTS_SETTLED)
        for viewport in browser.at_each_width():
            browser.assert_accessible(f"{name} at {viewport['width']}px")
            if path.startswith("/customers/"):
                browser.assert_no_horizontal_scroll()
    assert foreign == [], foreign


def test_the_api_docs_work_offline_and_pass_axe(make_page, staff):
    """The API's documentation pages, at one width: a walk of their own, so that under
    pytest-xdist they run beside the other pages' walk instead of after it (ReDoc's axe check
    alone takes most of a minute)."""
    browser = make_page()
    foreign = record_foreign_requests(browser)
    page = browser.page
    browser.login("maria")
    for name, path in API_DOCS.items():
        browser.goto(path)
        # ReDoc renders the whole API in the page: on a 2-core machine running the suite in
        # four workers it can take longer than the default 10 s to go quiet.
        page.wait_for_load_state("networkidle", timeout=DOCS_TIMEOUT_MS)
        page.wait_for_function(TOASTS_SETTLED)
        browser.assert_accessible(name)
    assert foreign == [], foreign


def test_toasts_cover_none_of_the_page_buttons(make_page, staff):
    customer = CustomerFactory(name="Toasty Tom")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    # After saving, the customer page shows its toast beside Edit and Deactivate.
    browser.goto(f"/customers/{customer.pk}/edit/")
    page.click("#customer-form button[type=submit]")
    page.wait_for_url(f"**/customers/{customer.pk}/")
    assert "Saved Toasty Tom." in browser.toast_text()
    for viewport in browser.at_each_width():
        page.wait_for_function(TOASTS_SETTLED)
        toast = page.locator("#toasts .toast.show").bounding_box()
        for label in ("Edit", "Deactivate"):
            button = page.locator("main .btn", has_text=label).first.bounding_box()
            assert not overlaps(toast, button), (label, viewport)
    # The list's Add customer button too, with a toast from the page's script.
    browser.goto("/customers/")
    page.evaluate("window.ClassicPOS.toast('Could not reach the printer.', 'error')")
    for viewport in browser.at_each_width():
        page.wait_for_function(TOASTS_SETTLED)
        toast = page.locator("#toasts .toast.show").bounding_box()
        add = page.locator("main .btn", has_text="Add customer").bounding_box()
        assert not overlaps(toast, add), viewport
        browser.assert_no_horizontal_scroll()


def test_warnings_hide_by_themselves_and_errors_stay(make_page, staff):
    browser = make_page()
    page = browser.page
    browser.login("maria")
    page.evaluate("window.ClassicPOS.toast('Low on receipt paper.', 'warning')")
    page.evaluate("window.ClassicPOS.toast('The sale was refused.', 'error')")
    warning = page.locator("#toasts .toast[data-level=warning]")
    warning.wait_for()
    warning.wait_for(state="detached", timeout=12_000)
    assert page.locator("#toasts .toast.show[data-level=error]").count() == 1


def test_a_cashier_sees_no_admin_and_cannot_get_in(make_page, staff):
    browser = make_page()
    page = browser.page
    browser.login("carl")
    assert page.locator("nav >> text=Customers").count() == 1
    assert page.locator("nav >> text=Admin").count() == 0
    response = browser.goto("/admin/customers/customer/add/")
    assert response.status == 403
    assert "You can't do that" in page.inner_text("main")
    # Logging in through the admin's own form does not let a Cashier in either.
    page.click("text=Log out")
    browser.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "carl")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "You can't do that" in page.inner_text("body")
    # Chromium logs each 403 document load as a console error; here they are the point.
    browser.errors[:] = [error for error in browser.errors if "status of 403" not in error]


def test_a_manager_sees_admin_and_uses_it(make_page, staff):
    browser = make_page()
    page = browser.page
    browser.login("maria")
    page.click("nav >> text=Admin")
    page.wait_for_url("**/admin/")
    assert "ClassicPOS administration" in page.inner_text("body")
