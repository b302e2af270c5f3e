"""Loyalty services: earning, reversing, redeeming, adjusting — balance always equals the ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from classicpos.immutable import ImmutableRowError
from loyalty import services
from loyalty.models import LoyaltyProgram, LoyaltyTransaction
from tests.customers.factories import CustomerFactory
from tests.loyalty.helpers import assert_balance_matches_ledger
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db


def test_sale_earns_one_point_per_whole_unit_rounded_down(cashier):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="25.99", cashier=cashier)
    customer.refresh_from_db()
    assert customer.loyalty_points == 25
    row = LoyaltyTransaction.objects.get(sale=sale)
    assert (row.kind, row.points, row.balance_after) == ("earn", 25, 25)
    assert_balance_matches_ledger(customer)


def test_walk_in_sale_earns_nothing(cashier):
    ring_up(customer=None, price="50.00", cashier=cashier)
    assert LoyaltyTransaction.objects.count() == 0


def test_sale_below_the_minimum_earns_nothing(cashier):
    program = LoyaltyProgram.current()
    program.minimum_sale_amount = Decimal("10.00")
    program.save()
    customer = CustomerFactory()
    ring_up(customer=customer, price="9.99", cashier=cashier)
    ring_up(customer=customer, price="10.00", cashier=cashier)
    customer.refresh_from_db()
    assert customer.loyalty_points == 10


def test_rule_change_applies_to_later_sales_only(cashier):
    customer = CustomerFactory()
    first = ring_up(customer=customer, price="10.00", cashier=cashier)
    program = LoyaltyProgram.current()
    program.earn_rate = Decimal("2.5")
    program.save()
    ring_up(customer=customer, price="10.00", cashier=cashier)
    assert LoyaltyTransaction.objects.get(sale=first).points == 10
    customer.refresh_from_db()
    assert customer.loyalty_points == 10 + 25


def test_award_is_exactly_once_per_sale_by_database_constraint(cashier):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="10.00", cashier=cashier)
    with pytest.raises(IntegrityError), transaction.atomic():
        services.points_award_for_sale(sale=sale)
    customer.refresh_from_db()
    assert customer.loyalty_points == 10


def test_full_refund_takes_back_exactly_what_was_earned(manager, cashier):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="37.50", cashier=cashier)
    refund(sale=sale, user=manager)
    customer.refresh_from_db()
    assert customer.loyalty_points == 0
    reversal = LoyaltyTransaction.objects.get(kind="reversal")
    assert reversal.points == -37
    assert_balance_matches_ledger(customer)


def test_partial_refunds_take_back_in_proportion_never_more_than_earned(manager, cashier):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="10.00", quantity=3, cashier=cashier)
    assert sale.total == Decimal("30.00")
    refund(sale=sale, user=manager, quantity=1)
    customer.refresh_from_db()
    assert customer.loyalty_points == 20
    refund(sale=sale, user=manager, quantity=1)
    refund(sale=sale, user=manager, quantity=1)
    customer.refresh_from_db()
    assert customer.loyalty_points == 0
    assert_balance_matches_ledger(customer)


def test_reversal_may_take_the_balance_below_zero(manager, cashier):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="100.00", cashier=cashier)
    services.points_adjust(customer=customer, points=-80, reason="Spent elsewhere", user=manager)
    refund(sale=sale, user=manager)
    customer.refresh_from_db()
    assert customer.loyalty_points == -80
    assert_balance_matches_ledger(customer)


def test_redeem_pays_with_points_in_steps(cashier, manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=250, reason="Welcome gift", user=manager)
    sale = ring_up(
        customer=customer,
        price="10.00",
        cashier=cashier,
        payments=[("points", "2.00"), ("cash", "8.00")],
    )
    customer.refresh_from_db()
    redeem = LoyaltyTransaction.objects.get(sale=sale, kind="redeem")
    earn = LoyaltyTransaction.objects.get(sale=sale, kind="earn")
    assert redeem.points == -200
    assert earn.points == 8  # only the 8.00 paid in money earns
    assert customer.loyalty_points == 250 - 200 + 8
    assert_balance_matches_ledger(customer)


def test_redeem_refuses_when_short_and_saves_nothing(cashier, manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=150, reason="Gift", user=manager)
    with pytest.raises(ValidationError) as excinfo:
        ring_up(
            customer=customer,
            price="10.00",
            cashier=cashier,
            payments=[("points", "2.00"), ("cash", "8.00")],
        )
    assert "has 150 points" in str(excinfo.value)
    customer.refresh_from_db()
    assert customer.loyalty_points == 150
    assert LoyaltyTransaction.objects.filter(kind__in=["earn", "redeem"]).count() == 0


def test_redeem_refuses_amounts_that_are_not_whole_steps(cashier, manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=500, reason="Gift", user=manager)
    with pytest.raises(ValidationError) as excinfo:
        ring_up(
            customer=customer,
            price="10.00",
            cashier=cashier,
            payments=[("points", "1.50"), ("cash", "8.50")],
        )
    assert "steps of 1.00" in str(excinfo.value)


def test_refund_gives_back_redeemed_points(cashier, manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=300, reason="Gift", user=manager)
    sale = ring_up(
        customer=customer,
        price="10.00",
        cashier=cashier,
        payments=[("points", "3.00"), ("cash", "7.00")],
    )
    refund(sale=sale, user=manager)
    customer.refresh_from_db()
    assert customer.loyalty_points == 300
    assert_balance_matches_ledger(customer)


def test_adjustment_needs_a_reason_and_nonzero_points(manager):
    customer = CustomerFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.points_adjust(customer=customer, points=0, reason=" ", user=manager)
    assert set(excinfo.value.message_dict) == {"points", "reason"}


def test_adjustment_cannot_overdraw(manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=10, reason="Gift", user=manager)
    with pytest.raises(ValidationError):
        services.points_adjust(customer=customer, points=-11, reason="Oops", user=manager)
    customer.refresh_from_db()
    assert customer.loyalty_points == 10


def test_ledger_rows_are_immutable(manager):
    customer = CustomerFactory()
    row = services.points_adjust(customer=customer, points=5, reason="Gift", user=manager)
    row.points = 500
    with pytest.raises(ImmutableRowError):
        row.save()
    with pytest.raises(ImmutableRowError):
        row.delete()
    with pytest.raises(ImmutableRowError):
        LoyaltyTransaction.objects.filter(pk=row.pk).update(points=1)
    with pytest.raises(ImmutableRowError):
        LoyaltyTransaction.objects.all().delete()


def test_demo_shop_has_customers_who_can_pay_with_points():
    from io import StringIO

    from django.core.management import call_command

    from customers.models import Customer
    from loyalty.selectors import balance_mismatches

    call_command("seed_demo", "--customers", "10", "--sales", "0", stdout=StringIO())
    step = LoyaltyProgram.current().redeem_step
    assert Customer.objects.filter(loyalty_points__gte=step).count() >= 3
    assert list(balance_mismatches()) == []
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "loyalty: data already exists" in out.getvalue()
