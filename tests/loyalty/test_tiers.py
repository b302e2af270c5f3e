"""Tiers: the recompute rules, the boundary cases ERPNext got wrong, a Manager's tier."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from loyalty.models import CustomerTier, LoyaltyTransaction, TierChange
from loyalty.tier_table import TierInput, tiers_replace
from loyalty.tiers import tier_set, tiers_recompute_all
from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.loyalty.helpers import assert_balance_matches_ledger
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def silver_and_gold():
    """Silver from 100.00 (x1.25), Gold from 500.00 (x1.5), over 12 months."""
    tiers_replace(
        tiers=[
            TierInput("Silver", "100.00", "1.25"),
            TierInput("Gold", "500.00", "1.5"),
        ]
    )


def tier_name(customer) -> str | None:
    state = CustomerTier.objects.select_related("tier").filter(customer=customer).first()
    return state.tier.name if state and state.tier else None


def earned(sale) -> int:
    return LoyaltyTransaction.objects.get(sale=sale, kind="earn").points


def test_below_the_first_tier_there_is_no_tier(silver_and_gold, cashier):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="99.99", cashier=cashier)
    assert tier_name(customer) is None
    assert earned(sale) == 99


def test_the_first_sale_reaching_exactly_the_first_tier_earns_at_it(silver_and_gold, cashier):
    """ERPNext #22167/#24672: the first invoice got the second tier, or none."""
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="100.00", cashier=cashier)
    assert tier_name(customer) == "Silver"
    assert earned(sale) == 125
    row = LoyaltyTransaction.objects.get(sale=sale)
    assert (row.tier_name, row.multiplier) == ("Silver", Decimal("1.25"))


def test_the_second_tier_needs_its_own_threshold_over_the_window(silver_and_gold, cashier):
    """ERPNext #14930/#45450: the upper tier applied from the second invoice regardless."""
    customer = CustomerFactory()
    ring_up(customer=customer, price="450.00", cashier=cashier)
    second = ring_up(customer=customer, price="49.99", cashier=cashier)
    assert tier_name(customer) == "Silver"
    assert earned(second) == 62  # 49.99 x 1.25, rounded down
    third = ring_up(customer=customer, price="0.01", cashier=cashier)  # exactly 500.00
    assert tier_name(customer) == "Gold"
    assert not LoyaltyTransaction.objects.filter(sale=third).exists()  # 0.015 rounds down
    assert TierChange.objects.filter(customer=customer).count() == 2


def test_sales_outside_the_window_do_not_count(silver_and_gold, cashier):
    customer = CustomerFactory()
    old = ring_up(customer=customer, price="80.00", cashier=cashier)
    Sale.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    ring_up(customer=customer, price="30.00", cashier=cashier)
    assert tier_name(customer) is None


def test_a_refund_below_the_threshold_waits_for_the_grace_period(silver_and_gold, cashier, manager):
    """ERPNext: a return dropped or kept the tier wrongly; here it starts the grace period."""
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="60.00", quantity=2, cashier=cashier)
    assert tier_name(customer) == "Silver"
    refund(sale=sale, user=manager, quantity=1)
    state = CustomerTier.objects.get(customer=customer)
    assert state.tier.name == "Silver"
    today = timezone.localdate()
    assert state.downgrade_on == today + 30 * DAY
    # Another sale never downgrades in its middle, even after the grace period ran out.
    CustomerTier.objects.filter(pk=state.pk).update(downgrade_on=today - DAY)
    later = ring_up(customer=customer, price="10.00", cashier=cashier)
    assert tier_name(customer) == "Silver"
    assert earned(later) == 12
    assert tiers_recompute_all() == 1
    assert tier_name(customer) is None
    change = TierChange.objects.filter(customer=customer).latest("pk")
    assert (change.from_tier, change.to_tier, change.cause) == ("Silver", "", "daily")
    assert "Grace period ended" in change.reason
    assert tiers_recompute_all() == 0
    assert_balance_matches_ledger(customer)


def test_spend_back_above_the_threshold_cancels_the_downgrade(silver_and_gold, cashier, manager):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="60.00", quantity=2, cashier=cashier)
    refund(sale=sale, user=manager, quantity=1)
    ring_up(customer=customer, price="40.00", cashier=cashier)
    state = CustomerTier.objects.get(customer=customer)
    assert (state.tier.name, state.downgrade_on) == ("Silver", None)


def test_the_daily_job_upgrades_after_a_table_change_and_only_then(silver_and_gold, cashier):
    customer = CustomerFactory()
    ring_up(customer=customer, price="300.00", cashier=cashier)
    table = tiers_replace(
        tiers=[TierInput("Silver", "100.00", "1.25"), TierInput("Gold", "250.00", "1.5")],
        dry_run=True,
    )
    assert (table.moves.up, table.moves.down, table.saved) == (1, 0, False)
    assert tier_name(customer) == "Silver"
    table = tiers_replace(
        tiers=[TierInput("Silver", "100.00", "1.25"), TierInput("Gold", "250.00", "1.5")]
    )
    assert table.saved
    assert tier_name(customer) == "Silver"  # saving moved nobody
    assert tiers_recompute_all() == 1
    assert tier_name(customer) == "Gold"


def test_raising_a_threshold_moves_holders_down_only_after_the_grace(silver_and_gold, cashier):
    customer = CustomerFactory()
    ring_up(customer=customer, price="150.00", cashier=cashier)
    table = tiers_replace(tiers=[TierInput("Silver", "200.00", "1.25")])
    assert (table.moves.up, table.moves.down) == (0, 1)
    assert tiers_recompute_all() == 0
    state = CustomerTier.objects.get(customer=customer)
    assert (state.tier.name, state.downgrade_on) == ("Silver", timezone.localdate() + 30 * DAY)
    later = timezone.now() + 31 * DAY
    assert tiers_recompute_all(now=later) == 1
    assert tier_name(customer) is None


def test_a_tier_taken_off_the_table_is_kept_until_the_rules_move_its_holders(
    silver_and_gold, cashier
):
    customer = CustomerFactory()
    ring_up(customer=customer, price="600.00", cashier=cashier)
    tiers_replace(tiers=[TierInput("Silver", "100.00", "1.25")])
    assert tier_name(customer) == "Gold"
    assert tiers_recompute_all() == 0  # down to Silver: the grace period first
    assert tiers_recompute_all(now=timezone.now() + 31 * DAY) == 1
    assert tier_name(customer) == "Silver"


def test_a_manager_sets_a_tier_until_a_day_and_it_then_follows_the_rules(
    silver_and_gold, cashier, manager
):
    customer = CustomerFactory()
    until = timezone.localdate() + 10 * DAY
    tier_set(customer=customer, tier="gold", reason="Opening offer", until=until, user=manager)
    state = CustomerTier.objects.get(customer=customer)
    assert (state.tier.name, state.manual, state.manual_until) == ("Gold", True, until)
    sale = ring_up(customer=customer, price="10.00", cashier=cashier)
    assert earned(sale) == 15
    assert tiers_recompute_all() == 0
    assert tiers_recompute_all(now=timezone.now() + 11 * DAY) == 1
    assert tier_name(customer) is None
    reasons = list(
        TierChange.objects.filter(customer=customer).order_by("pk").values_list("reason", flat=True)
    )
    assert reasons[0] == f"Set by hand until {until.isoformat()}: Opening offer"
    assert reasons[1].startswith(f"The tier set by hand ended on {until.isoformat()}")


def test_a_manager_may_set_a_tier_down_and_clear_it(silver_and_gold, cashier, manager):
    customer = CustomerFactory()
    ring_up(customer=customer, price="600.00", cashier=cashier)
    tier_set(customer=customer, tier="Silver", reason="Abuse of returns", user=manager)
    assert tier_name(customer) == "Silver"
    ring_up(customer=customer, price="10.00", cashier=cashier)
    assert tier_name(customer) == "Silver"  # a manual tier holds, up or down
    tier_set(customer=customer, tier=None, reason="Sorted out", user=manager)
    assert tier_name(customer) == "Gold"
    assert not CustomerTier.objects.get(customer=customer).manual


@pytest.mark.parametrize(
    ("tier", "reason", "until", "field"),
    [
        ("Platinum", "why", None, "tier"),
        ("Gold", "  ", None, "reason"),
        ("Gold", "why", "today", "until"),
        (None, "why", "tomorrow", "until"),
    ],
)
def test_a_manual_tier_is_refused_on_the_field_at_fault(
    silver_and_gold, manager, tier, reason, until, field
):
    days = {"today": timezone.localdate(), "tomorrow": timezone.localdate() + DAY, None: None}
    with pytest.raises(ValidationError) as refused:
        tier_set(
            customer=CustomerFactory(), tier=tier, reason=reason, until=days[until], user=manager
        )
    assert list(refused.value.message_dict) == [field]


@pytest.mark.parametrize(
    ("tiers", "window", "field"),
    [
        ([TierInput("", "10", "1")], 12, "tiers[0].name"),
        ([TierInput("A", "10", "1"), TierInput("a", "20", "1")], 12, "tiers[1].name"),
        ([TierInput("A", "0", "1")], 12, "tiers[0].qualifying_spend"),
        ([TierInput("A", "1e3", "1")], 12, "tiers[0].qualifying_spend"),
        (
            [TierInput("A", "10", "1"), TierInput("B", "10.00", "2")],
            12,
            "tiers[1].qualifying_spend",
        ),
        ([TierInput("A", "10", "0.5")], 12, "tiers[0].multiplier"),
        ([TierInput("A", "10", "1.255")], 12, "tiers[0].multiplier"),
        ([TierInput("A", "10", "1")], 0, "window_months"),
    ],
)
def test_a_bad_tier_table_is_refused_on_the_field_at_fault(tiers, window, field):
    with pytest.raises(ValidationError) as refused:
        tiers_replace(tiers=tiers, window_months=window)
    assert list(refused.value.message_dict) == [field]


def test_no_tiers_costs_a_sale_two_queries(cashier, django_assert_max_num_queries):
    """A shop without tiers pays for the check only: the tier table and the state."""
    from loyalty.tiers import tier_recompute

    customer = CustomerFactory()
    with django_assert_max_num_queries(2):
        assert tier_recompute(customer=customer, cause="sale") is None


def test_the_daily_command_runs_twice_with_one_effect(silver_and_gold, cashier, manager):
    from io import StringIO

    from django.core.management import call_command

    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="150.00", cashier=cashier)
    refund(sale=sale, user=manager)
    CustomerTier.objects.filter(customer=customer).update(downgrade_on=timezone.localdate())
    outputs = []
    for _ in range(2):
        out = StringIO()
        call_command("loyalty_tiers", stdout=out)
        outputs.append(out.getvalue().strip())
    assert outputs == ["1 tier change(s).", "0 tier change(s)."]
    assert tier_name(customer) is None
