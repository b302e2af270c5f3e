"""The CRM in a real browser: a lead's call follows it onto the customer it becomes."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import Activity, Lead
from customers.models import Customer
from tests.crm.factories import LeadFactory
from tests.customers.factories import CustomerFactory
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


# A toast still fading in is half transparent, which axe measures as low contrast.
TOASTS_SETTLED = """() => [...document.querySelectorAll('#toasts .toast')].every(
    (toast) => getComputedStyle(toast).display === 'none' || getComputedStyle(toast).opacity === '1'
)"""


def check_page(browser, name: str) -> None:
    browser.assert_no_horizontal_scroll()
    browser.page.wait_for_function(TOASTS_SETTLED)
    browser.assert_accessible(name)


def check_page_at_each_width(browser, name: str, screenshot: str = "") -> None:
    for viewport in browser.at_each_width():
        check_page(browser, f"{name} at {viewport['width']}px")
        if screenshot:
            browser.screenshot(f"{screenshot}-{viewport['width']}px")


def mark_document(page) -> None:
    """Tag the loaded document: the tag survives htmx swaps and is lost on a reload."""
    page.evaluate("window.__notReloaded = true")


def was_not_reloaded(page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def test_create_a_lead_log_a_call_convert_it_and_see_the_call_on_the_customer(make_page, staff):
    CustomerFactory(name="Someone Else", email="someone@example.com")
    browser = make_page()
    page = browser.page
    browser.login("carl")

    browser.goto("/crm/")
    page.wait_for_url("**/crm/leads/")
    check_page_at_each_width(browser, "lead list")
    page.click("main >> text=Add lead")
    page.wait_for_url("**/crm/leads/new/")
    check_page_at_each_width(browser, "lead form")

    # A mistake first: the message appears beside the field.
    page.fill("#id_name", "Nadia Newcomer")
    page.fill("#id_phone", "12")
    page.click("#lead-form button[type=submit]")
    page.locator("#id_phone.is-invalid").wait_for()
    assert "Enter a valid phone number" in page.inner_text("#lead-form")
    page.fill("#id_phone", "(503) 555-0142")
    page.fill("#id_email", "Nadia@Example.com")
    page.fill("#id_company", "Newcomer Flowers")
    page.click("#lead-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/crm/leads/\d+/$"))
    assert "Added lead Nadia Newcomer." in browser.toast_text()
    lead = Lead.objects.get(name="Nadia Newcomer")
    assert (lead.email, lead.phone) == ("nadia@example.com", "+15035550142")
    check_page_at_each_width(browser, "lead detail")

    # Log a call inline: htmx swaps the activities in, the page does not reload.
    mark_document(page)
    page.click("label[for=lead-activities-kind-call]")
    page.fill("#lead-activities-subject", "Asked for a quote on mugs")
    page.fill("#lead-activities-body", "Wants 40 mugs with a logo by June.")
    page.click("#lead-activities button[type=submit]")
    page.locator("#lead-activities .activity-item", has_text="Asked for a quote on mugs").wait_for()
    assert "Saved call." in browser.toast_text()
    assert was_not_reloaded(page)
    assert page.input_value("#lead-activities-subject") == ""
    browser.screenshot("crm-lead-detail-1280px")

    # The Convert button says what will happen before anyone confirms.
    plan = page.inner_text("#conversion-plan")
    assert "a new customer Nadia Newcomer will be created" in plan
    page.click("#convert-button")
    modal = page.locator("#convert-modal")
    modal.wait_for(state="visible")
    assert "a new customer Nadia Newcomer will be created" in modal.inner_text()
    page.click("#convert-confirm")
    page.wait_for_url(re.compile(r".*/customers/\d+/$"))
    assert "Converted Nadia Newcomer: added customer Nadia Newcomer." in browser.toast_text()

    # The call moved with the lead: it is in the customer's CRM panel.
    customer = Customer.objects.get(name="Nadia Newcomer")
    assert page.url.endswith(f"/customers/{customer.pk}/")
    panel = page.locator("#crm-panel")
    panel.scroll_into_view_if_needed()
    assert "Asked for a quote on mugs" in panel.inner_text()
    check_page_at_each_width(
        browser, "customer page with the CRM panel", screenshot="crm-customer-panel"
    )
    assert Customer.objects.count() == 2
    assert Activity.objects.get().customer == customer


def test_convert_links_the_existing_customer_named_before_confirming(make_page, staff):
    grace = CustomerFactory(name="Grace Existing", email=None, phone="+14155552671")
    lead = LeadFactory(name="Grace at the Fair", email=None, phone="+14155552671")
    browser = make_page()
    page = browser.page
    browser.login("carl")
    browser.goto(f"/crm/leads/{lead.pk}/")
    plan = page.inner_text("#conversion-plan")
    assert f"Grace Existing (customer #{grace.pk}) has the same phone" in plan
    page.click("#convert-button")
    page.locator("#convert-modal").wait_for(state="visible")
    assert page.inner_text("#convert-confirm").strip() == "Link to Grace Existing"
    page.click("#convert-confirm")
    page.wait_for_url(f"**/customers/{grace.pk}/")
    assert "linked to existing customer Grace Existing" in browser.toast_text()
    assert Customer.objects.count() == 1


def test_panel_creates_a_task_inline_and_my_tasks_marks_it_done(make_page, staff):
    customer = CustomerFactory(name="Tess Tasker")
    browser = make_page(viewport=PHONE)
    page = browser.page
    browser.login("carl")
    browser.goto(f"/customers/{customer.pk}/")
    mark_document(page)

    # The due date appears once "Task" is chosen; keyboard only from the subject on.
    assert not page.is_visible("#crm-panel-due_on")
    page.click("label[for=crm-panel-kind-task]")
    page.locator("#crm-panel-due_on").wait_for(state="visible")
    page.fill("#crm-panel-subject", "Call back about the cake order")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.fill("#crm-panel-due_on", yesterday.isoformat())
    page.focus("#crm-panel-subject")
    page.keyboard.press("Enter")
    item = page.locator("#crm-panel .activity-item", has_text="Call back about the cake order")
    item.wait_for()
    assert "Overdue" in item.inner_text()
    assert was_not_reloaded(page)
    check_page(browser, "customer panel after adding a task")

    browser.goto("/crm/tasks/")
    row = page.locator(".task-list .activity-item", has_text="Call back about the cake order")
    assert "activity-overdue" in row.get_attribute("class")
    check_page(browser, "my tasks")
    browser.screenshot("crm-my-tasks-375px")
    mark_document(page)
    row.locator("button", has_text="Done").click()
    page.locator(".task-list .activity-done").wait_for()
    assert "Done: Call back about the cake order." in browser.toast_text()
    assert was_not_reloaded(page)
    assert Activity.objects.get().done is True


def test_board_and_contacts_fit_and_pass_axe(make_page, staff):
    for index in range(4):
        LeadFactory(
            name=f"Prospect Number {index}",
            company="A Company With A Rather Long Name Ltd",
            status=["new", "contacted", "qualified", "lost"][index],
        )
    CustomerFactory(name="Customer Person", email="a.rather.long.address@example.com")
    browser = make_page()
    browser.login("maria")
    for path in ("/crm/leads/board/", "/crm/contacts/"):
        browser.goto(path)
        browser.page.locator("main h1").wait_for()
        check_page_at_each_width(
            browser, path, screenshot=f"crm{path.replace('/', '-').rstrip('-')}"
        )
