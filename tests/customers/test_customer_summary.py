"""The top of the customer page: the figures a cashier needs, and a profile without blanks."""

import dataclasses
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounting import services as accounting
from classicpos.registry import Registry
from customers import panels
from customers.panels import CustomerPanel, SummaryFigure, customer_page_panels, page_summary
from loyalty import services as loyalty
from tests.accounting.helpers import give_credit, on_day, sell_on_account
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def summary_html(html: str) -> str:
    return re.search(r'<section[^>]*id="customer-summary".*?</section>', html, re.S).group(0)


@pytest.fixture
def regular(manager, cashier):
    customer = CustomerFactory(name="Rita Regular", note="Pays by cheque only")
    loyalty.points_adjust(customer=customer, points=1250, reason="Welcome", user=manager)
    accounting.store_credit_adjust(
        customer=customer, amount="20.00", reason="Goodwill", user=manager
    )
    give_credit(customer, "100.00", manager)
    sell_on_account(customer, "45.00", cashier)
    customer.refresh_from_db()
    return customer


def test_the_summary_comes_first_with_points_credit_what_is_owed_and_the_note(
    cashier_page, regular
):
    html = cashier_page.get(regular.get_absolute_url()).content.decode()
    summary = summary_html(html)
    assert html.index('id="customer-summary"') < html.index(">Profile<")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary))
    assert "Points 1,250" in text
    assert "Store credit $20.00" in text
    assert "Owes $45.00" in text
    assert "1 open invoice" in text
    assert "Pays by cheque only" in text
    # Each figure leads to the panel that holds its whole story.
    assert 'href="#loyalty-panel"' in summary
    assert 'href="#account-panel"' in summary


def test_overdue_money_is_marked(cashier_page, manager, cashier):
    customer = CustomerFactory(name="Olive Late")
    give_credit(customer, "100.00", manager)
    with on_day(timezone.localdate() - timedelta(days=90)):
        sell_on_account(customer, "45.00", cashier)
    summary = summary_html(cashier_page.get(customer.get_absolute_url()).content.decode())
    assert "$45.00 overdue" in summary
    assert "summary-figure-warning" in summary


def test_a_new_customer_has_no_blank_profile_rows(manager_page):
    customer = CustomerFactory(
        name="Nadia New", email=None, phone=None, address=None, birthday=None
    )
    html = manager_page.get(customer.get_absolute_url()).content.decode()
    assert "Not given" not in html
    assert ">None<" not in html
    assert "No preference" not in html
    assert "Not on file: email, phone, address, birthday, tags." in html
    for label in ("Email", "Phone", "Address", "Birthday", "Tags", "Contact by"):
        assert f">{label}</dt>" not in html
    # What is always known stays, on one line.
    assert f"Customer #{customer.pk}" in html


def test_a_full_profile_shows_every_row(manager_page):
    customer = CustomerFactory(
        name="Dee Tail",
        email="dee@example.com",
        phone="+14155552671",
        address="1 Main St",
        preferred_contact="email",
    )
    html = manager_page.get(customer.get_absolute_url()).content.decode()
    for label in ("Email", "Phone", "Address", "Contact by"):
        assert f">{label}</dt>" in html
    assert "Not on file: birthday, tags." in html


def panel_registry(entries) -> Registry:
    """The page's panels replaced by ``entries``, in the registry's own shape."""
    registry = Registry("customer panels", key=lambda panel: panel.template_name)
    for entry in entries:
        registry.register(entry)
    return registry


def test_a_module_adds_a_figure_only_for_users_who_may_see_its_panel(manager, cashier, monkeypatch):
    calls = []

    def context(customer, request):
        calls.append(customer.pk)
        return {"visits": 7}

    secret = CustomerPanel(
        template_name="customers/_timeline_panel.html",
        context=context,
        order=5,
        permission="customers.merge_customer",
        summary=lambda customer, ctx: [SummaryFigure(label="Visits", value=str(ctx["visits"]))],
    )
    monkeypatch.setattr(panels, "_panels", panel_registry([secret]))
    customer = CustomerFactory()
    request = RequestFactory().get("/")

    request.user = manager
    shown = customer_page_panels(customer, request)
    assert page_summary(customer, shown) == [SummaryFigure(label="Visits", value="7")]
    # The panel and the figure read one context: the module's queries run once per page.
    assert calls == [customer.pk]

    request.user = cashier
    assert page_summary(customer, customer_page_panels(customer, request)) == []


def test_the_summary_costs_no_query_of_its_own(cashier_page, regular, monkeypatch):
    url = regular.get_absolute_url()
    cashier_page.get(url)
    with CaptureQueriesContext(connection) as with_summary:
        assert 'id="customer-summary"' in cashier_page.get(url).content.decode()
    # The same panels, none giving figures: the page costs exactly as much.
    without_figures = [dataclasses.replace(panel, summary=None) for panel in panels._panels]
    monkeypatch.setattr(panels, "_panels", panel_registry(without_figures))
    with CaptureQueriesContext(connection) as without:
        assert "summary-figure" not in cashier_page.get(url).content.decode()
    assert len(with_summary.captured_queries) == len(without.captured_queries)
