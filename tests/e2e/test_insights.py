"""The Insights panel in a real browser: the server-drawn chart and its table, then the page
at desktop and phone width without sideways scrolling and clean for axe."""

import itertools
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.e2e


def _history(customer, staff) -> None:
    """Sales spread over two years, some months empty, one sale partly refunded.

    The oldest is 96 weeks (672 days) back: at most 23 months before this one, so inside
    the panel's 24 months on any day of the month (101 weeks fell outside early in one).
    """
    now = timezone.now()
    for weeks_ago, price, quantity in [
        (0, "18.40", 1),
        (1, "6.25", 2),
        (9, "42.00", 1),
        (20, "12.99", 3),
        (33, "120.00", 1),
        (52, "3.50", 4),
        (70, "64.10", 1),
        (96, "27.30", 2),
    ]:
        sale = ring_up(customer=customer, price=price, cashier=staff["cashier"], quantity=quantity)
        Sale.objects.filter(pk=sale.pk).update(created_at=now - timedelta(weeks=weeks_ago))
        if weeks_ago == 20:
            refund(sale=sale, user=staff["manager"], quantity=1)


def test_insights_chart_and_table_at_desktop_and_phone_width(make_page, staff):
    customer = CustomerFactory(name="Ivy Insight")
    _history(customer, staff)
    browser = make_page()
    page = browser.page
    browser.login("carl")

    browser.goto(f"/customers/{customer.pk}/")
    # The browser names the image by its one-sentence summary.
    chart = page.get_by_role(
        "img", name=re.compile(r"^Spend and visits per month, .* over 8 visits")
    )
    chart.wait_for()
    assert page.locator("#insights-panel rect.insights-spend").count() >= 6

    # The same numbers as a table, one click away.
    table = page.locator("#insights-table table")
    assert not table.is_visible()
    page.click("#insights-table summary")
    table.wait_for()
    assert page.locator("#insights-table tbody tr").count() == 24
    assert page.inner_text("[data-figure=insights-total-visits]") == "8"

    for viewport in browser.at_each_width():
        width = viewport["width"]
        box = chart.bounding_box()
        panel = page.locator("#insights-panel").bounding_box()
        assert box["width"] > 0.5 * panel["width"] if width < 576 else box["width"] > 300
        assert box["x"] + box["width"] <= panel["x"] + panel["width"]
        # Phones show fewer month names so they keep apart.
        visible_labels = page.locator("#insights-panel text[class^=insights-label]:visible")
        assert visible_labels.count() == (4 if width < 576 else 8)
        boxes = [visible_labels.nth(i).bounding_box() for i in range(visible_labels.count())]
        for left, right in itertools.pairwise(boxes):
            assert left["x"] + left["width"] < right["x"], "month labels overlap"
        assert table.is_visible()
        browser.screenshot(f"insights-{width}px")
        browser.assert_no_horizontal_scroll()
        browser.assert_accessible(f"customer page with the Insights panel at {width}px")
