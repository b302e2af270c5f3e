"""The Duplicates page's "Not the same person", desktop then phone, in one journey."""

import pytest

from customers.distinct import DistinctCustomers
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

HOME_PHONE = "+14155550150"


def test_a_household_sharing_a_phone_leaves_the_duplicates(make_page, staff):
    mum, dad, kid = (
        CustomerFactory(name=name, phone=HOME_PHONE) for name in ("Mia Ng", "Dan Ng", "Kit Ng")
    )
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    page.click("main >> text=Duplicates")
    page.wait_for_url("**/customers/likely-duplicates/")
    group = page.locator(".duplicate-group")
    assert group.count() == 1
    browser.screenshot("duplicates-household-1280px")
    browser.assert_accessible("duplicates with Not the same person")

    # Dan is not Mia: the group goes on with Mia and Kit.
    page.click(f"button[aria-label^='Dan Ng (#{dad.pk}) is not the same person']")
    assert "kept apart" in browser.toast_text()
    page.wait_for_url("**/customers/likely-duplicates/")
    assert group.locator("a.fw-semibold").all_inner_texts() == ["Mia Ng", "Kit Ng"]

    # On a phone: Kit is not Mia, then Kit is not Dan; nothing is left to decide.
    page.set_viewport_size(PHONE)
    page.click(f"button[aria-label^='Kit Ng (#{kid.pk}) is not the same person as Mia Ng']")
    page.locator(".duplicate-group >> text=Dan Ng").wait_for()
    assert group.locator("a.fw-semibold").all_inner_texts() == ["Dan Ng", "Kit Ng"]
    browser.screenshot("duplicates-household-375px")
    browser.assert_no_horizontal_scroll()
    page.click(f"button[aria-label^='Kit Ng (#{kid.pk}) is not the same person as Dan Ng']")
    page.locator("text=No likely duplicates").wait_for()
    assert DistinctCustomers.objects.count() == 3

    # Kit's timeline says who decided, about whom.
    browser.goto(kid.get_absolute_url())
    timeline = page.locator("#timeline-panel")
    assert f"Not the same person as customer #{mum.pk}" in timeline.inner_text()
    assert f"Not the same person as customer #{dad.pk}" in timeline.inner_text()
    assert "maria" in timeline.inner_text()
