"""The points the shop owes: by tier, by month earned, expiring within 30/60/90 days."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty import services
from loyalty.expiry import points_expire_all
from loyalty.liability import points_liability
from loyalty.models import CustomerTier, ExpiryRule, LoyaltyProgram, LoyaltyTier, PointsLot
from loyalty.tier_rules import months_after
from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db


def rows(items):
    return [(item.label, item.points, item.worth) for item in items]


def test_the_liability_by_tier_month_and_expiry(cashier, manager, django_assert_num_queries):
    program = LoyaltyProgram.current()
    program.expiry_rule = ExpiryRule.AFTER_EARNING
    program.expiry_months = 1
    program.save()
    gold = LoyaltyTier.objects.create(
        name="Gold", qualifying_spend=Decimal("1000.00"), multiplier=Decimal("1.00")
    )
    golden = CustomerFactory()
    CustomerTier.objects.create(customer=golden, tier=gold, since=timezone.now())
    plain = CustomerFactory()
    services.points_adjust(customer=golden, points=250, reason="Welcome", user=manager)
    ring_up(customer=plain, price="150.00", cashier=cashier)
    PointsLot.objects.filter(customer=golden).update(
        earned_on=date(2026, 1, 15), expires_on=timezone.localdate() + timedelta(days=45)
    )
    # A negative balance owes nothing.
    owing = CustomerFactory()
    sale = ring_up(customer=owing, price="100.00", cashier=cashier)
    ring_up(customer=owing, price="1.00", cashier=cashier, payments=[("points", "1.00")])
    refund(sale=sale, user=manager)

    with django_assert_num_queries(5):
        report = points_liability()

    assert (report.points, report.worth) == (400, Decimal("4.00"))
    assert rows(report.by_tier) == [
        ("Gold", 250, Decimal("2.50")),
        ("No tier", 150, Decimal("1.50")),
    ]
    this_month = timezone.localdate().strftime("%Y-%m")
    assert rows(report.by_month_earned) == [
        ("2026-01", 250, Decimal("2.50")),
        (this_month, 150, Decimal("1.50")),
    ]
    # The 150 just earned expire a calendar month from today, the 250 in 45 days.
    in_a_month = months_after(timezone.localdate(), 1)
    soon = 150 if in_a_month <= timezone.localdate() + timedelta(days=30) else 0
    within = {item.label: item.points for item in report.expiring}
    assert within == {"within 30 days": soon, "within 60 days": 400, "within 90 days": 400}


def test_expired_points_and_inactivity_lots(cashier):
    program = LoyaltyProgram.current()
    program.expiry_rule = ExpiryRule.AFTER_INACTIVITY
    program.expiry_months = 2
    program.save()
    customer = CustomerFactory()
    ring_up(customer=customer, price="80.00", cashier=cashier)
    Sale.objects.filter(customer=customer).update(created_at=timezone.now() - timedelta(days=40))
    PointsLot.objects.filter(customer=customer).update(
        earned_on=timezone.localdate() - timedelta(days=40)
    )

    within = {item.label: item.points for item in points_liability().expiring}
    assert within == {"within 30 days": 80, "within 60 days": 80, "within 90 days": 80}

    points_expire_all(today=timezone.localdate() + timedelta(days=90))
    assert points_liability().points == 0


def _a_shop_owing_points(cashier, manager):
    """Gold holds 250 points earned in January; a customer without a tier holds 150."""
    gold = LoyaltyTier.objects.create(
        name="=Gold", qualifying_spend=Decimal("1000.00"), multiplier=Decimal("1.00")
    )
    golden = CustomerFactory()
    CustomerTier.objects.create(customer=golden, tier=gold, since=timezone.now())
    services.points_adjust(customer=golden, points=250, reason="Welcome", user=manager)
    PointsLot.objects.filter(customer=golden).update(earned_on=date(2026, 1, 15))
    ring_up(customer=CustomerFactory(), price="150.00", cashier=cashier)


def test_the_api_lays_out_the_figures(cashier, manager, manager_client):
    _a_shop_owing_points(cashier, manager)

    response = manager_client.get("/api/reports/points-liability")

    assert response.status_code == 200, response.content
    data = response.json()
    this_month = timezone.localdate().strftime("%Y-%m")
    assert data == {
        "asOf": timezone.localdate().isoformat(),
        "points": 400,
        "worth": "4.00",
        "byTier": [
            {"tier": "=Gold", "points": 250, "worth": "2.50"},
            {"tier": None, "points": 150, "worth": "1.50"},
        ],
        "byMonthEarned": [
            {"month": "2026-01", "points": 250, "worth": "2.50"},
            {"month": this_month, "points": 150, "worth": "1.50"},
        ],
        "expiring": [
            {"withinDays": 30, "points": 0, "worth": "0.00"},
            {"withinDays": 60, "points": 0, "worth": "0.00"},
            {"withinDays": 90, "points": 0, "worth": "0.00"},
        ],
    }


def test_the_api_costs_the_same_queries_however_many_customers(
    cashier, manager, manager_client, django_assert_max_num_queries
):
    _a_shop_owing_points(cashier, manager)
    for _ in range(5):
        ring_up(customer=CustomerFactory(), price="10.00", cashier=cashier)

    # Login and permissions, the program, and the report's five.
    with django_assert_max_num_queries(9):
        assert manager_client.get("/api/reports/points-liability").status_code == 200


def test_the_page_and_its_csv(cashier, manager, client):
    _a_shop_owing_points(cashier, manager)
    client.force_login(manager)

    page = client.get("/loyalty/liability/")
    csv = client.get("/loyalty/liability/?download=csv")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-total="points">400<' in html
    assert "$4.00" in html
    assert "=Gold" in html
    assert "within 90 days" in html
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="points-liability.csv"' in csv["Content-Disposition"]
    lines = csv.content.decode().splitlines()
    assert lines[0] == "Section,Row,Points,Worth"
    # A tier named like a formula never runs as one in a spreadsheet.
    assert "By tier,'=Gold,250,2.50" in lines
    assert "By tier,No tier,150,1.50" in lines
    assert "By month earned,2026-01,250,2.50" in lines
    assert "Expiring,within 30 days,0,0.00" in lines
    assert lines[-1] == f"Total,as of {timezone.localdate().isoformat()},400,4.00"


def test_an_empty_shop_owes_nothing(manager, client, manager_client):
    client.force_login(manager)
    page = client.get("/loyalty/liability/")

    assert 'id="liability-empty"' in page.content.decode()
    data = manager_client.get("/api/reports/points-liability").json()
    assert (data["points"], data["worth"], data["byTier"]) == (0, "0.00", [])


def test_cashiers_may_not_see_it(cashier, client, cashier_client):
    client.force_login(cashier)
    assert client.get("/loyalty/liability/").status_code == 403
    assert cashier_client.get("/api/reports/points-liability").status_code == 403
