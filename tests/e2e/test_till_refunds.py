"""A Cashier refunds at the till with a Manager's approval, back to the card (issue 27, item 10)."""

from decimal import Decimal

import pytest

from sales.models import Refund
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import TEST_PASSWORD
from tests.sales.helpers import ring_up

pytestmark = pytest.mark.e2e


def test_a_cashier_refunds_to_the_card_once_a_manager_approves(make_page, staff):
    carl, maria = staff["cashier"], staff["manager"]
    sale = ring_up(
        customer=None, price="10.00", cashier=carl, quantity=2, payments=[("card", "20.00")]
    )
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("carl")
    browser.goto("/checkout/")
    page.fill("#customer-search", sale.number)
    page.press("#customer-search", "Enter")
    page.wait_for_url(f"**{sale.get_absolute_url()}")

    page.click("text=Refund")
    modal = page.locator("#refund-modal")
    modal.wait_for(state="visible")
    line = sale.lines.get()
    page.fill(f"#id_line-{line.pk}", "1")
    page.select_option("#refund-to", "card")
    page.fill("#refund-approver", "maria")
    page.fill("#refund-approver-password", "not her password")
    browser.settle()
    browser.screenshot("till-refund-approval-1280px")
    page.click("text=Confirm refund")
    page.locator("#refund-approver-error", has_text="password or PIN is wrong").wait_for()
    assert not Refund.objects.exists()

    page.set_viewport_size(PHONE)
    browser.assert_no_horizontal_scroll()
    page.fill(f"#id_line-{line.pk}", "1")
    page.select_option("#refund-to", "card")
    page.fill("#refund-approver", "maria")
    page.fill("#refund-approver-password", TEST_PASSWORD)
    page.click("text=Confirm refund")
    page.wait_for_url(f"**{sale.get_absolute_url()}")
    receipt = page.inner_text(".receipt")
    assert "by carl, approved by maria, $10.00 back to the card" in receipt
    refund = Refund.objects.get()
    assert (refund.created_by, refund.approved_by, refund.paid_back_to) == (carl, maria, "card")
    assert refund.paid_back == Decimal("10.00")
    browser.assert_no_horizontal_scroll()
