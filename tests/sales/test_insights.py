"""The Insights panel: spend and visits per month (``customer_monthly_sales``), its chart's
layout (``sales.insights``) and the panel on the customer page."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from sales.insights import SPEND_BOTTOM, SPEND_TOP, insights_chart
from sales.models import Sale
from sales.selectors import MonthlySales, customer_monthly_sales, customer_sales_summary
from sales.services import sale_refund
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


def sold(*, customer, cashier, price: str, at: datetime, quantity: int = 1) -> Sale:
    """Ring up a sale through the checkout service, then date it ``at`` (``created_at`` is
    set by the database on insert, so history is made by moving it afterwards)."""
    sale = ring_up(customer=customer, price=price, cashier=cashier, quantity=quantity)
    Sale.objects.filter(pk=sale.pk).update(created_at=at)
    sale.refresh_from_db()
    return sale


def by_month(figures: list[MonthlySales]) -> dict[str, tuple[Decimal, int]]:
    return {f"{row.month:%Y-%m}": (row.spend, row.visits) for row in figures if row.visits}


def test_months_are_net_of_refunds_oldest_first_and_empty_months_are_zero(cashier, manager):
    customer = CustomerFactory()
    sold(
        customer=customer,
        cashier=cashier,
        price="12.50",
        at=datetime(2025, 6, 1, 0, 30, tzinfo=UTC),
    )
    sold(
        customer=customer,
        cashier=cashier,
        price="7.25",
        at=datetime(2025, 5, 31, 23, 30, tzinfo=UTC),
    )
    partly = sold(
        customer=customer,
        cashier=cashier,
        price="10.00",
        quantity=3,
        at=datetime(2025, 3, 10, tzinfo=UTC),
    )
    refund(sale=partly, user=manager, quantity=1)  # 30.00 - 10.00, counted in March
    whole = sold(
        customer=customer, cashier=cashier, price="4.00", at=datetime(2025, 3, 20, tzinfo=UTC)
    )
    sale_refund(sale=whole, user=manager)  # a visit that is worth nothing now
    sold(customer=customer, cashier=cashier, price="1.00", at=datetime(2023, 7, 1, tzinfo=UTC))
    sold(
        customer=customer,
        cashier=cashier,
        price="99.00",
        at=datetime(2023, 6, 30, 23, 59, tzinfo=UTC),
    )
    sold(
        customer=CustomerFactory(),
        cashier=cashier,
        price="50.00",
        at=datetime(2025, 6, 2, tzinfo=UTC),
    )

    figures = customer_monthly_sales(customer=customer, now=NOW)

    assert len(figures) == 24
    assert (figures[0].month, figures[-1].month) == (date(2023, 7, 1), date(2025, 6, 1))
    assert [row.month for row in figures] == sorted(row.month for row in figures)
    assert by_month(figures) == {
        "2023-07": (Decimal("1.00"), 1),  # the first day of the window is in it
        "2025-03": (Decimal("20.00"), 2),
        "2025-05": (Decimal("7.25"), 1),
        "2025-06": (Decimal("12.50"), 1),
    }
    assert figures[1] == MonthlySales(month=date(2023, 8, 1), spend=Decimal("0.00"), visits=0)
    assert all(isinstance(row.spend, Decimal) for row in figures)
    # The months add up to lifetime spend, less what lies before the window.
    lifetime = customer_sales_summary(customer=customer).lifetime_spend
    assert sum(row.spend for row in figures) == lifetime - Decimal("99.00")


def test_months_are_the_shops_calendar_months(cashier, settings):
    settings.TIME_ZONE = "America/New_York"
    customer = CustomerFactory()
    # 02:00 UTC on June 1st is still the evening of May 31st in New York.
    sold(
        customer=customer, cashier=cashier, price="3.00", at=datetime(2025, 6, 1, 2, 0, tzinfo=UTC)
    )
    sold(
        customer=customer, cashier=cashier, price="5.00", at=datetime(2025, 6, 1, 5, 0, tzinfo=UTC)
    )
    figures = customer_monthly_sales(customer=customer, now=NOW)
    assert by_month(figures) == {
        "2025-05": (Decimal("3.00"), 1),
        "2025-06": (Decimal("5.00"), 1),
    }


def test_the_months_cost_one_query_however_long_the_history(cashier, django_assert_num_queries):
    customer = CustomerFactory()
    sold(customer=customer, cashier=cashier, price="2.00", at=datetime(2025, 1, 5, tzinfo=UTC))
    with django_assert_num_queries(1):
        customer_monthly_sales(customer=customer, now=NOW)
    for month in range(1, 13):
        for day in (3, 17):
            sold(
                customer=customer,
                cashier=cashier,
                price="1.00",
                at=datetime(2024, month, day, tzinfo=UTC),
            )
    with django_assert_num_queries(1):
        figures = customer_monthly_sales(customer=customer, now=NOW)
    assert sum(row.visits for row in figures) == 25


def months(*spends: str, visits: list[int] | None = None) -> list[MonthlySales]:
    visits = visits or [1 if Decimal(spend) else 0 for spend in spends]
    start = date(2024, 1, 1)
    return [
        MonthlySales(
            month=date(start.year + index // 12, index % 12 + 1, 1),
            spend=Decimal(spend),
            visits=count,
        )
        for index, (spend, count) in enumerate(zip(spends, visits, strict=True))
    ]


def test_chart_scales_bars_to_the_busiest_month():
    figures = months(
        *(["0.00"] * 20), "50.00", "200.00", "0.01", "0.00", visits=[0] * 20 + [1, 4, 1, 0]
    )
    chart = insights_chart(months=figures)
    heights = [bar.spend_height for bar in chart.bars]
    assert heights[:20] == [0] * 20  # an empty month draws no bar
    assert heights[20:] == [25, SPEND_BOTTOM - SPEND_TOP, 1, 0]  # a cent still shows
    assert [bar.visits_height for bar in chart.bars][20:] == [10, 40, 10, 0]
    assert all(bar.spend_y + bar.spend_height == SPEND_BOTTOM for bar in chart.bars)
    assert chart.busiest.month == date(2025, 10, 1)
    assert (chart.total_spend, chart.total_visits) == (Decimal("250.01"), 6)
    assert (chart.recent_spend, chart.earlier_spend) == (Decimal("250.01"), Decimal("0.00"))
    assert chart.summary == (
        "Spend and visits per month, Jan 2024 to Dec 2025: $250.01 over 6 visits,"
        " most in October 2025 ($200.00)."
    )


def test_chart_labels_months_sparsely_so_they_do_not_collide():
    chart = insights_chart(months=months(*(["1.00"] * 24)))
    labels = [(bar.label, bar.label_text) for bar in chart.bars if bar.label]
    assert labels == [
        ("major", "Jan 2024"),
        ("minor", "Apr"),
        ("major", "Jul"),
        ("minor", "Oct"),
        ("major", "Jan 2025"),
        ("minor", "Apr"),
        ("major", "Jul"),
        ("minor", "Oct"),
    ]
    # Bars stay inside the drawing, the first and last labels lean inwards.
    assert chart.bars[0].x >= 0
    assert chart.bars[-1].x + chart.bars[-1].width <= chart.width
    assert chart.bars[0].label_anchor == "start"


def panel(html: str) -> str:
    match = re.search(r'<section class="card"[^>]*id="insights-panel".*?</section>', html, re.S)
    assert match, "no Insights panel on the page"
    return match.group(0)


def test_the_customer_page_draws_the_chart_and_its_table(cashier_page, cashier, manager):
    from django.utils import timezone

    customer = CustomerFactory(name="Chart Charlie")
    first = ring_up(customer=customer, price="10.00", cashier=cashier, quantity=2)
    ring_up(customer=customer, price="5.50", cashier=cashier)
    refund(sale=first, user=manager, quantity=1)
    page = cashier_page.get(f"/customers/{customer.pk}/").content.decode()
    html = panel(page)

    this_month = timezone.localtime().strftime("%Y-%m")
    assert re.search(
        r'<svg class="insights-chart"[^>]* role="img" aria-labelledby="insights-chart-title"', html
    )
    assert re.search(r'<svg [^>]*viewBox="0 0 480 236"', html)
    title = re.search(r'<title id="insights-chart-title">([^<]+)</title>', html).group(1)
    assert "$15.50 over 2 visits" in title
    assert html.count('class="insights-spend"') == 1  # one month with sales
    assert "<summary>Show as table</summary>" in html
    row = re.search(rf'<tr data-month="{this_month}">(.*?)</tr>', html).group(1)
    assert "$15.50" in row
    assert ">2</td>" in row
    assert html.count("<tr data-month=") == 24
    assert 'data-figure="insights-total-spend">$15.50<' in html
    assert 'data-figure="recent-spend">$15.50<' in html
    assert "sales/insights.css" in page
    assert 'id="insights-empty"' not in html


def test_a_customer_without_sales_gets_a_line_not_an_empty_chart(cashier_page):
    customer = CustomerFactory()
    html = panel(cashier_page.get(f"/customers/{customer.pk}/").content.decode())
    assert "No purchases in the last 24 months." in html
    assert "<svg" not in html
    assert "<table" not in html


def test_staff_who_may_not_see_sales_do_not_see_the_panel(client, cashier):
    customer = CustomerFactory()
    ring_up(customer=customer, price="3.00", cashier=cashier)
    clerk = UserFactory(username="clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="view_customer"))
    client.force_login(clerk)
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="insights-panel"' not in html
    assert 'id="orders-panel"' not in html
