"""Customer 360 in a real browser: the profile fields, the timeline with its filter and
"Show older", and the segment filters of the list; each journey is walked at desktop width
and checked for layout and axe at desktop and phone width."""

import pytest

from customers import services
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.e2e


def _long_story(manager):
    customer = CustomerFactory(name="Theodora Timeline-Featherstonehaugh", email=None)
    services.customer_update(
        customer=customer,
        data={
            "tags": ["VIP", "Wholesale"],
            "email_consent": True,
            "birthday": "1984-06-01",
            "note": "Prefers paper receipts and calls before noon.",
        },
        actor=manager,
        channel="page",
    )
    for number in range(12):
        services.customer_update(
            customer=customer,
            data={"address": f"{number} Long Street"},
            actor=manager,
            channel="api",
        )
    services.customer_deactivate(customer=customer, actor=manager, channel="page")
    services.customer_restore(customer=customer, actor=manager, channel="page")
    return customer


def test_the_timeline_pages_and_filters_at_desktop_and_phone_width(make_page, staff):
    customer = _long_story(staff["manager"])
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto(f"/customers/{customer.pk}/")

    # The profile shows what shops know about the customer, the note pinned on top.
    assert "Prefers paper receipts" in page.inner_text("[aria-label='Pinned note']")
    assert page.get_by_role("link", name="VIP").is_visible()
    entries = page.locator("#timeline-panel .timeline-entry")
    assert entries.count() == 10
    assert entries.first.inner_text().startswith("Restored · Staff page")
    assert "maria" in entries.first.inner_text()

    page.get_by_role("link", name="Show older").click()
    page.wait_for_function(
        "document.querySelectorAll('#timeline-panel .timeline-entry').length > 10"
    )
    assert entries.count() == 15
    assert "Show older" not in page.inner_text("#timeline-panel")

    # Only the deactivation and the restore are not changes of fields.
    page.select_option("#timeline-kind", "customer")
    page.wait_for_function(
        "document.querySelectorAll('#timeline-panel .timeline-entry').length === 10"
    )
    assert page.locator("#timeline-kind").input_value() == "customer"
    assert "Show older" in page.inner_text("#timeline-panel")

    for viewport in browser.at_each_width():
        width = viewport["width"]
        assert page.get_by_role("link", name="VIP").is_visible()
        browser.screenshot(f"timeline-{width}px")
        browser.assert_no_horizontal_scroll()
        browser.assert_accessible(f"customer page with the timeline at {width}px")


def test_the_list_filters_by_tag_and_consent(make_page, staff):
    _long_story(staff["manager"])
    CustomerFactory(name="Una Untagged")
    browser = make_page()
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/")
    page.click("details.segment-filters summary")
    page.select_option("#id_tag", ["VIP"])
    page.wait_for_url("**tag=VIP**")
    page.wait_for_function("!document.body.innerText.includes('Una Untagged')")
    assert "Theodora" in page.inner_text("#customer-results")
    page.select_option("#id_consent", "sms")
    page.wait_for_url("**consent=sms**")
    page.wait_for_function("!document.body.innerText.includes('Theodora')")
    for viewport in browser.at_each_width():
        browser.screenshot(f"segments-{viewport['width']}px")
        browser.assert_no_horizontal_scroll()
        browser.assert_accessible(f"customer list with segments at {viewport['width']}px")


def test_the_till_picker_shows_tags_narrows_by_tag_and_shows_the_note(make_page, staff):
    _long_story(staff["manager"])
    CustomerFactory(name="Theo Untagged")
    browser = make_page()
    page = browser.page
    browser.login("carl")
    browser.goto("/checkout/")
    page.fill("#customer-search", "theo")
    options = page.locator("#customer-options [role=option]")
    page.wait_for_function(
        "document.querySelectorAll('#customer-options [role=option]').length === 2"
    )
    assert "VIP" in options.filter(has_text="Featherstonehaugh").inner_text()

    page.fill("#customer-search", "")
    page.select_option("#customer-tag", "VIP")
    page.fill("#customer-search", "theo")
    page.wait_for_function(
        "document.querySelectorAll('#customer-options [role=option]').length === 1"
    )
    options.first.click()
    note = page.get_by_role("note", name="Pinned note")
    assert "Prefers paper receipts" in note.inner_text()
    assert "Wholesale" in page.inner_text("#customer-chosen")
    for viewport in browser.at_each_width():
        assert note.is_visible()
        browser.screenshot(f"till-tags-{viewport['width']}px")
        browser.assert_no_horizontal_scroll()
        browser.assert_accessible(f"till with a tagged customer at {viewport['width']}px")
