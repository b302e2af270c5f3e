"""The top of the customer page in a browser: desktop, then a phone's first screen."""

import pytest

from accounting import services as accounting
from loyalty import services as loyalty
from tests.accounting.helpers import give_credit, sell_on_account
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def test_what_a_cashier_needs_is_on_the_first_screen(make_page, staff):
    manager, cashier = staff["manager"], staff["cashier"]
    rita = CustomerFactory(
        name="Rita Regular", email=None, address=None, birthday=None, note="Pays by cheque only"
    )
    loyalty.points_adjust(customer=rita, points=1250, reason="Welcome", user=manager)
    accounting.store_credit_adjust(customer=rita, amount="20.00", reason="Goodwill", user=manager)
    give_credit(rita, "100.00", manager)
    sell_on_account(rita, "45.00", cashier)
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("carl")
    browser.goto(rita.get_absolute_url())

    figures = page.locator("#customer-summary .summary-figure")
    assert [text.split("\n")[0] for text in figures.all_inner_texts()] == [
        "Points",
        "Store credit",
        "Owes",
        "On account",
    ]
    assert "1,250" in figures.nth(0).inner_text()
    assert "$45.00" in figures.nth(2).inner_text()
    # One row of figures on a desktop, right under the name and the pinned note.
    tops = {round(box["y"]) for box in (figures.nth(i).bounding_box() for i in range(4))}
    assert len(tops) == 1
    assert "Not given" not in page.inner_text("main")
    browser.screenshot("customer-summary-1280px")

    # On a phone: the note and every figure before the first screen ends.
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    summary = page.locator("#customer-summary").bounding_box()
    assert summary["y"] + summary["height"] <= PHONE["height"]
    assert "Pays by cheque only" in page.inner_text("#customer-summary")
    browser.assert_no_horizontal_scroll()
    browser.assert_accessible("customer summary at 375px")
    browser.screenshot("customer-summary-375px")

    # A figure leads to its panel.
    figures.nth(2).click()
    page.wait_for_url("**#account-panel")
    assert page.locator("#account-panel").is_visible()
