"""The customer pages in a real browser, at desktop and phone width."""

import re

import pytest

from customers.models import Customer
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e

# A toast or button half-way through a fade has see-through colours for axe: wait
# until every toast is fully shown and no CSS transition is running.
SETTLED = """() => Array.from(document.querySelectorAll('#toasts .toast')).every(
        (toast) => !toast.classList.contains('show') || getComputedStyle(toast).opacity === '1')
    && document.getAnimations().every(
        (animation) => !(animation instanceof CSSTransition)
            || animation.playState !== 'running')"""


def assert_accessible(browser, name: str) -> None:
    browser.page.wait_for_function(SETTLED)
    browser.assert_accessible(name)


LONG_NAME = "Maximiliana Alexandrovna Featherstonehaugh-Wolfeschlegelsteinhausenbergerdorff"
LONG_EMAIL = "maximiliana.alexandrovna.featherstonehaugh@longdomainname-example.com"


def test_manager_manages_a_customer_end_to_end(make_page, staff):
    CustomerFactory(name="Grace Existing", email="grace@example.com", phone="+14155552671")
    browser = make_page()
    page = browser.page
    browser.login("maria")

    # Add, first with mistakes: the messages appear beside the fields.
    page.click("text=Add customer")
    page.wait_for_url("**/customers/new/")
    assert_accessible(browser, "form")
    page.fill("#id_name", "  ")
    page.fill("#id_email", "not-an-email")
    page.fill("#id_phone", "12")
    page.click("#customer-form button[type=submit]")
    page.locator("#id_name.is-invalid").wait_for()
    assert "Enter a name." in page.locator("#customer-form").inner_text()
    assert "Enter a valid email address." in page.locator("#customer-form").inner_text()
    assert "Enter a valid phone number" in page.locator("#customer-form").inner_text()

    # While typing, an existing customer with the same phone is pointed out.
    page.fill("#id_name", "Ada Lovelace")
    page.fill("#id_email", "ada@example.com")
    page.fill("#id_phone", "415 555 2671")
    page.locator("#duplicate-warnings >> text=Grace Existing").wait_for()
    assert "same phone" in page.locator("#duplicate-warnings").inner_text()
    page.fill("#id_phone", "(212) 555-0100")
    page.click("#customer-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/customers/\d+/$"))
    assert "Added Ada Lovelace." in browser.toast_text()
    assert_accessible(browser, "detail")
    ada = Customer.objects.get(name="Ada Lovelace")
    assert ada.phone == "+12125550100"

    # Edit.
    page.click("text=Edit")
    page.fill("#id_address", "12 Analytical Row")
    page.click("#customer-form button[type=submit]")
    page.wait_for_url(f"**/customers/{ada.pk}/")
    assert "12 Analytical Row" in page.inner_text("main")

    # Search as you type: the URL keeps the query.
    page.click("nav >> text=Customers")
    assert_accessible(browser, "list")
    page.fill("#id_search", "lovel")
    page.wait_for_url("**search=lovel**")
    page.locator("#customer-results tbody tr").first.wait_for()
    assert page.locator("#customer-results tbody tr").count() == 1
    page.reload()
    assert page.input_value("#id_search") == "lovel"
    assert page.locator("#customer-results tbody tr").count() == 1

    # Deactivate through the modal, see the toast; the active list no longer shows
    # her, and says an inactive customer matches, one click away.
    page.click("#customer-results >> text=Deactivate")
    modal = page.locator("#confirm-modal")
    modal.wait_for(state="visible")
    assert "Deactivate Ada Lovelace?" in modal.inner_text()
    page.click("#confirm-modal-submit")
    assert "Deactivated Ada Lovelace" in browser.toast_text()
    assert "1 inactive customer matches" in page.inner_text("#customer-results")
    page.click("#customer-results >> text=Show inactive customers")
    row = page.locator("#customer-results tbody tr", has_text="Ada Lovelace")
    assert "Inactive" in row.inner_text()
    assert "row-inactive" in row.get_attribute("class")
    assert_accessible(browser, "list with an inactive customer")

    # Filter inactive, then restore.
    page.fill("#id_search", "")
    page.click("label[for=status-all]")
    page.wait_for_url("**status=all**")
    page.click("label[for=status-inactive]")
    page.wait_for_url("**status=inactive**")
    page.locator("#customer-results tbody tr", has_text="Ada Lovelace").wait_for()
    assert page.locator("#customer-results tbody tr").count() == 1
    page.click("#customer-results >> text=Restore")
    assert "Restored Ada Lovelace." in browser.toast_text()
    ada.refresh_from_db()
    assert ada.status == "active"


def test_modal_closes_with_escape_and_keeps_the_customer(make_page, staff):
    CustomerFactory(name="Kept Customer")
    browser = make_page()
    browser.login("maria")
    browser.page.click("#customer-results >> text=Deactivate")
    browser.page.locator("#confirm-modal").wait_for(state="visible")
    # Focus moves into the modal once it is shown, and stays trapped there.
    browser.page.wait_for_function(
        "document.getElementById('confirm-modal').contains(document.activeElement)"
    )
    for _ in range(4):
        browser.page.keyboard.press("Tab")
        assert browser.page.evaluate(
            "document.getElementById('confirm-modal').contains(document.activeElement)"
        )
    browser.page.keyboard.press("Escape")
    browser.page.locator("#confirm-modal").wait_for(state="hidden")
    assert Customer.objects.get().status == "active"


def test_empty_states(make_page, staff):
    browser = make_page()
    browser.login("maria")
    assert "No customers yet" in browser.page.inner_text("#customer-results")
    CustomerFactory(name="Someone")
    browser.goto("/customers/?search=zzzz")
    assert "No customers match" in browser.page.inner_text("#customer-results")
    browser.page.click("text=Clear search")
    browser.page.locator("#customer-results >> text=Someone").wait_for()


def test_list_on_a_phone_is_a_compact_row_per_customer(make_page, staff):
    for index in range(8):
        CustomerFactory(
            name=f"Phone Person {index}", email=f"a.rather.long.address.{index}@example.com"
        )
    CustomerFactory(name=LONG_NAME, email=LONG_EMAIL)
    CustomerFactory(name="Ivy Inactive", status="inactive")
    browser = make_page(viewport=PHONE)
    browser.login("maria")
    browser.goto("/customers/?status=all")
    rows = browser.page.locator("#customer-results tbody tr")
    rows.first.wait_for()
    browser.screenshot("customer-list-375px")
    browser.assert_no_horizontal_scroll()
    assert_accessible(browser, "list at 375px, with an inactive customer")
    ordinary = rows.filter(has_text="Phone Person")
    heights = ordinary.evaluate_all("rows => rows.map(row => row.getBoundingClientRect().height)")
    # One compact row each (name, contact line, points): not a 240 px card.
    assert len(heights) == 8
    assert max(heights) <= 80, heights
    first = ordinary.first.inner_text()
    assert "Phone Person 0" in first
    assert "pts" in first
    assert "Inactive" in rows.filter(has_text="Ivy Inactive").inner_text()


def test_cashier_sees_no_deactivate_buttons(make_page, staff):
    customer = CustomerFactory(name="Cash Customer")
    browser = make_page()
    browser.login("carl")
    assert browser.page.locator("#customer-results >> text=Deactivate").count() == 0
    browser.goto(f"/customers/{customer.pk}/")
    assert browser.page.locator("text=Deactivate").count() == 0
    response = browser.goto(f"/customers/{customer.pk}/deactivate/")
    assert response.status == 403
    assert "You can't do that" in browser.page.inner_text("main")
    # Chromium logs the 403 document load as a console error; here it is expected.
    browser.errors[:] = [error for error in browser.errors if "status of 403" not in error]


def test_keyboard_only_add(make_page, staff):
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/new/")
    # The form puts the cursor in Name by itself; type once it is there, as a person would.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_name'")
    page.keyboard.type("Keyboard Kim")
    page.keyboard.press("Tab")
    page.keyboard.type("kim@example.com")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/customers/\d+/$"))
    saved = list(Customer.objects.values_list("name", "email"))
    assert saved == [("Keyboard Kim", "kim@example.com")]


def test_failed_request_keeps_the_input_and_says_so(make_page, staff):
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/new/")
    page.fill("#id_name", "Offline Olga")
    page.route(
        "**/customers/new/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.click("#customer-form button[type=submit]")
    assert "No connection" in browser.toast_text()
    assert page.input_value("#id_name") == "Offline Olga"
    assert page.locator("#customer-form button[type=submit]").is_enabled()
    page.unroute("**/customers/new/")
    page.click("#customer-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/customers/\d+/$"))
    assert Customer.objects.filter(name="Offline Olga").count() == 1
    # The aborted request is reported by Chromium as a console error; it is the point of this test.
    browser.errors.clear()


def test_double_submit_creates_one_customer(make_page, staff):
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/new/")
    page.fill("#id_name", "Double Dora")
    held = []

    def hold_posts(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    # Hold the first request in flight: the button must be disabled, a second click sends nothing.
    page.route("**/customers/new/", hold_posts)
    page.click("#customer-form button[type=submit]")
    page.wait_for_function("document.querySelector('#customer-form button[type=submit]').disabled")
    assert page.locator("#customer-form .spinner-border:not(.d-none)").count() == 1
    page.click("#customer-form button[type=submit]", force=True)
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_url(re.compile(r".*/customers/\d+/$"))
    assert Customer.objects.filter(name="Double Dora").count() == 1


def test_back_after_a_search_shows_the_whole_page(make_page, staff):
    for index in range(30):
        CustomerFactory(name=f"Anna Back {index:02d}")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    page.fill("#id_search", "a")
    page.wait_for_url("**search=a**")
    page.click("#customer-results >> text=Next")
    page.wait_for_url("**page=2**")
    page.locator("#customer-results >> text=Page 2 of 2").wait_for()
    # At each width: open a customer from page 2 of the search, then go back.
    for _viewport in browser.at_each_width():
        page.locator("#customer-results a.customer-name").first.click()
        page.wait_for_url(re.compile(r".*/customers/\d+/$"))
        page.go_back()
        page.wait_for_url("**page=2**")
        page.wait_for_load_state()
        # The styled page with its navbar and search box, not the bare results fragment.
        assert page.locator("nav.navbar").count() == 1
        assert page.locator("#id_search").count() == 1
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
        assert page.evaluate("document.styleSheets.length") >= 3
        assert "Page 2 of 2" in page.inner_text("#customer-results")


def test_a_search_past_its_match_limit_says_at_least_and_pages_what_it_looked_at(
    make_page, staff, monkeypatch
):
    """A search looks at its first matches only (1,000; 12 here): it says "12+", not 13."""
    from customers import selectors

    monkeypatch.setattr(selectors, "MATCH_LIMIT", 12)
    for index in range(30):
        CustomerFactory(name=f"Anna Many {index:02d}")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/?page_size=10")
    page.fill("#id_search", "anna")
    page.wait_for_url("**search=anna**")
    results = page.locator("#customer-results")
    results.locator("text=12+ active customers match").wait_for()
    assert "Page 1 of 2" in results.inner_text()
    page.click("#customer-results >> text=Next")
    page.wait_for_url("**page=2**")
    results.locator("text=Page 2 of 2").wait_for()
    for viewport in browser.at_each_width():
        assert results.locator("a.customer-name").count() == 2
        assert results.locator("a.customer-name").first.is_visible()
        assert "12+ active customers match" in results.inner_text()
        browser.screenshot(f"customer-search-past-its-limit-{viewport['width']}px")


def test_search_matches_every_word_in_any_order(make_page, staff):
    CustomerFactory(name="Isla Davis", phone="+14155550008")
    CustomerFactory(name="Isla Brown", phone="+14155550222")
    CustomerFactory(name="Davis Okafor", phone="+14155550111")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    for term in ("davis isla", "isla 0008"):
        page.fill("#id_search", term)
        first, second = term.split()
        page.wait_for_url(re.compile(f"search={first}(%20|\\+){second}"))
        rows = page.locator("#customer-results tbody tr")
        rows.first.wait_for()
        assert rows.count() == 1, term
        assert "Isla Davis" in rows.first.inner_text()


def test_the_list_shows_active_customers_with_inactive_one_click_away(make_page, staff):
    CustomerFactory(name="Active Amy")
    CustomerFactory(name="Inactive Ian", status="inactive")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    results = page.locator("#customer-results")
    assert "Active Amy" in results.inner_text()
    assert "Inactive Ian" not in results.inner_text()
    page.click("label[for=status-inactive]")
    page.wait_for_url("**status=inactive**")
    page.locator("#customer-results >> text=Inactive Ian").wait_for()
    assert "Active Amy" not in results.inner_text()
    page.click("label[for=status-all]")
    page.wait_for_url("**status=all**")
    page.locator("#customer-results >> text=Active Amy").wait_for()
    assert "Inactive Ian" in results.inner_text()
    assert_accessible(browser, "list with inactive customers")


def test_the_search_box_keeps_no_gap_for_its_spinner(make_page, staff):
    browser = make_page()
    browser.login("maria")
    gap = browser.page.evaluate(
        """() => {
            const group = document.querySelector('#id_search').closest('.input-group');
            const input = document.querySelector('#id_search');
            return group.getBoundingClientRect().right - input.getBoundingClientRect().right;
        }"""
    )
    assert gap <= 1


def test_an_offline_search_says_the_rows_are_old(make_page, staff):
    CustomerFactory(name="Olive Old")
    CustomerFactory(name="Nina New")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    page.route(
        "**/customers/?*",
        lambda route: (
            route.abort() if route.request.headers.get("hx-request") else route.continue_()
        ),
    )
    page.fill("#id_search", "nina")
    note = page.locator("#customer-results .stale-note")
    note.wait_for()
    assert "from before" in note.inner_text()
    assert "No connection" in browser.toast_text()
    assert "is-stale" in page.locator("#customer-results").get_attribute("class")
    page.unroute("**/customers/?*")
    page.fill("#id_search", "nin")
    page.wait_for_url("**search=nin**")
    page.locator("#customer-results tbody tr").first.wait_for()
    assert page.locator("#customer-results .stale-note").count() == 0
    assert page.locator("#customer-results tbody tr").count() == 1
    # The aborted request is reported by Chromium as a console error; it is the point here.
    browser.errors.clear()


def test_duplicates_stay_after_a_failed_submit_and_a_shared_phone_asks_first(make_page, staff):
    grace = CustomerFactory(name="Grace Existing", email="grace@example.com", phone="+14155552671")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/new/")
    page.fill("#id_name", "Grace Newcomer")
    page.fill("#id_email", "grace@example.com")
    page.fill("#id_phone", "415 555 2671")
    page.locator("#duplicate-warnings >> text=Grace Existing").wait_for()
    page.click("#customer-form button[type=submit]")
    page.locator("#id_email.is-invalid").wait_for()
    # The panel is still there after the server's answer; the field error comes first.
    assert "Grace Existing" in page.inner_text("#duplicate-warnings")
    assert "same email, same phone" in page.inner_text("#duplicate-warnings")
    assert page.locator("#duplicate-confirmation").count() == 0
    # Changing only the email no longer saves a second customer with the same phone silently.
    page.fill("#id_email", "newcomer@example.com")
    page.click("#customer-form button[type=submit]")
    question = page.locator("#duplicate-confirmation")
    question.wait_for()
    assert "Is this a different person?" in question.inner_text()
    assert "Grace Existing" in question.inner_text()
    # Focus moves to the question once the swapped-in page has settled.
    page.wait_for_function("document.activeElement.id === 'duplicate-confirmation'")
    assert Customer.objects.count() == 1
    assert_accessible(browser, "form asking about a duplicate")
    page.click("#customer-form button[type=submit] >> text=Add anyway")
    page.wait_for_url(re.compile(r".*/customers/\d+/$"))
    assert "Added Grace Newcomer." in browser.toast_text()
    assert Customer.objects.filter(phone=grace.phone).count() == 2


def test_field_errors_clear_once_fixed_and_focus_goes_to_the_first(make_page, staff):
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/new/")
    page.fill("#id_name", "Fixing Fay")
    page.fill("#id_email", "fay@")
    page.fill("#id_phone", "12")
    page.click("#customer-form button[type=submit]")
    page.locator("#id_email.is-invalid").wait_for()
    # Name was fine: the first field in error has the focus.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_email'")
    assert page.locator("#id_email_error").is_visible()
    page.fill("#id_email", "fay@example.com")
    assert "is-invalid" not in page.get_attribute("#id_email", "class")
    assert not page.locator("#id_email_error").is_visible()
    assert "is-invalid" in page.get_attribute("#id_phone", "class")
    # Back to what the server refused: the message returns.
    page.fill("#id_email", "fay@")
    assert "is-invalid" in page.get_attribute("#id_email", "class")


def test_the_duplicates_panel_is_beside_the_fields_not_below_the_button(make_page, staff):
    CustomerFactory(name="Grace Existing", phone="+14155552671")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/new/")
    page.fill("#id_name", LONG_NAME)
    page.fill("#id_email", LONG_EMAIL)
    page.fill("#id_phone", "415 555 2671")
    panel = page.locator("#duplicate-warnings .alert")
    panel.wait_for()
    for viewport in browser.at_each_width():
        browser.screenshot(f"customer-form-duplicates-{viewport['width']}px")
        browser.assert_no_horizontal_scroll()
        panel_box = panel.bounding_box()
        submit = page.locator("#customer-form button[type=submit]").bounding_box()
        phone = page.locator("#id_phone").bounding_box()
        assert panel_box["y"] + panel_box["height"] <= submit["y"]
        if viewport == PHONE:
            # Right under the phone it reacted to, in sight while typing.
            assert panel_box["y"] >= phone["y"] + phone["height"]
            assert panel_box["y"] - (phone["y"] + phone["height"]) < 120
        else:
            name = page.locator("#id_name").bounding_box()
            assert panel_box["x"] >= name["x"] + name["width"]
            assert panel_box["y"] <= phone["y"]


def test_adjust_points_shows_errors_inline_and_focuses_points(make_page, staff):
    customer = CustomerFactory(name="Points Pat")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto(f"/customers/{customer.pk}/")
    page.click("text=Adjust points")
    modal = page.locator("#adjust-points-modal")
    modal.wait_for(state="visible")
    page.wait_for_function("document.activeElement.id === 'adjust-points'")
    # Blank reason: the server's message beside the field, not the browser's bubble.
    page.fill("#adjust-points", "-5")
    page.click("#adjust-points-modal button[type=submit]")
    reason_error = modal.locator("#adjust-reason-error")
    reason_error.wait_for()
    assert reason_error.inner_text() == "Say why the points are adjusted."
    assert modal.is_visible()
    page.wait_for_function("document.activeElement.id === 'adjust-reason'")
    assert page.input_value("#adjust-points") == "-5"
    assert_accessible(browser, "adjust points with an error")
    # Then the balance rule, on Points, which gets the focus.
    page.fill("#adjust-reason", "Welcome")
    assert "is-invalid" not in page.get_attribute("#adjust-reason", "class")
    page.click("#adjust-points-modal button[type=submit]")
    points_error = modal.locator("#adjust-points-error")
    points_error.wait_for()
    assert points_error.inner_text() == "Points Pat has only 0 points."
    page.wait_for_function("document.activeElement.id === 'adjust-points'")
    page.fill("#adjust-points", "10")
    assert "is-invalid" not in page.get_attribute("#adjust-points", "class")
    page.click("#adjust-points-modal button[type=submit]")
    assert "balance 10" in browser.toast_text()
    assert page.inner_text("#loyalty-panel-balance") == "10 points"
