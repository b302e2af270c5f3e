"""Points that expire: lots, the expire row, not retroactive, the daily job, the notice."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.services import customer_merge
from loyalty import services
from loyalty.expiry import points_expire_all
from loyalty.integration import points_limit
from loyalty.models import ExpiryRule, LoyaltyProgram, LoyaltyTransaction, PointsLot
from loyalty.selectors import balance_mismatches, lot_mismatches, points_expiring
from loyalty.tier_rules import months_after
from messaging.models import Message, MessageKind
from sales.models import Sale
from tests.customers.factories import CustomerFactory
from tests.loyalty.helpers import assert_balance_matches_ledger
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def expire_after(months: int, rule: str = ExpiryRule.AFTER_EARNING, notice_days: int = 14):
    program = LoyaltyProgram.current()
    program.expiry_rule = rule
    program.expiry_months = months
    program.expiry_notice_days = notice_days
    program.save()


def expire_rows(customer):
    return list(LoyaltyTransaction.objects.filter(customer=customer, kind="expire"))


def assert_ledger_and_lots_agree():
    assert list(balance_mismatches()) == []
    assert list(lot_mismatches()) == []


def test_points_expire_n_months_after_they_were_earned(cashier):
    expire_after(12)
    customer = CustomerFactory()
    ring_up(customer=customer, price="120.00", cashier=cashier)
    day = months_after(TODAY(), 12)

    assert points_expire_all(today=day - timedelta(days=1)).points == 0
    run = points_expire_all(today=day)

    assert (run.customers, run.points) == (1, 120)
    [row] = expire_rows(customer)
    assert (row.points, row.balance_after, row.reference) == (
        -120,
        0,
        f"expire-{customer.pk}-{day}",
    )
    lot = PointsLot.objects.get(customer=customer)
    assert (lot.remaining, lot.expired) == (0, 120)
    assert_balance_matches_ledger(customer)
    assert_ledger_and_lots_agree()


def test_the_job_run_twice_expires_once(cashier):
    expire_after(1)
    customer = CustomerFactory()
    ring_up(customer=customer, price="50.00", cashier=cashier)
    day = months_after(TODAY(), 1)
    out = StringIO()
    call_command("loyalty_expire", stdout=out)  # today: nothing is due yet
    assert "0 point(s) expired" in out.getvalue()

    first = points_expire_all(today=day)
    second = points_expire_all(today=day)
    later = points_expire_all(today=day + timedelta(days=3))

    assert (first.points, second.points, later.points) == (50, 0, 0)
    assert len(expire_rows(customer)) == 1
    assert_ledger_and_lots_agree()


def test_turning_expiry_on_is_not_retroactive(cashier):
    customer = CustomerFactory()
    ring_up(customer=customer, price="30.00", cashier=cashier)  # earned while points never expire
    expire_after(1)
    ring_up(customer=customer, price="20.00", cashier=cashier)

    run = points_expire_all(today=months_after(TODAY(), 60))

    assert run.points == 20
    customer.refresh_from_db()
    assert customer.loyalty_points == 30
    assert points_expiring(customer=customer) == []
    assert_ledger_and_lots_agree()


def test_shortening_expiry_applies_to_points_earned_afterwards(cashier):
    expire_after(24)
    customer = CustomerFactory()
    ring_up(customer=customer, price="30.00", cashier=cashier)
    expire_after(1)
    ring_up(customer=customer, price="20.00", cashier=cashier)

    assert points_expiring(customer=customer) == [
        (months_after(TODAY(), 1), 20),
        (months_after(TODAY(), 24), 30),
    ]
    assert points_expire_all(today=months_after(TODAY(), 1)).points == 20
    customer.refresh_from_db()
    assert customer.loyalty_points == 30


def test_redemptions_spend_the_oldest_points_first(cashier, manager):
    expire_after(1)
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=150, reason="Welcome", user=manager)
    old = PointsLot.objects.get(customer=customer)
    PointsLot.objects.filter(pk=old.pk).update(
        earned_on=TODAY() - timedelta(days=40), expires_on=TODAY() + timedelta(days=5)
    )
    ring_up(customer=customer, price="50.00", cashier=cashier)  # a newer lot of 50
    ring_up(customer=customer, price="1.00", cashier=cashier, payments=[("points", "1.00")])

    old.refresh_from_db()
    newer = PointsLot.objects.filter(customer=customer).exclude(pk=old.pk).get()
    assert (old.remaining, newer.remaining) == (50, 50)  # 100 spent, all from the old lot
    run = points_expire_all(today=TODAY() + timedelta(days=5))
    assert run.points == 50  # only what the old lot still held, never a point spent
    customer.refresh_from_db()
    assert customer.loyalty_points == 50
    assert_ledger_and_lots_agree()


def test_a_refund_never_takes_back_points_that_already_expired(cashier, manager):
    expire_after(1)
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="80.00", cashier=cashier)
    points_expire_all(today=months_after(TODAY(), 1))

    refund(sale=sale, user=manager)

    customer.refresh_from_db()
    assert customer.loyalty_points == 0  # not -80: the 80 left once, by expiring
    assert not LoyaltyTransaction.objects.filter(customer=customer, kind="reversal").exists()
    assert_ledger_and_lots_agree()


def test_a_refund_takes_back_its_own_sales_points_before_older_ones(cashier, manager):
    expire_after(1)
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=40, reason="Welcome", user=manager)
    sale = ring_up(customer=customer, price="60.00", cashier=cashier)

    refund(sale=sale, user=manager)

    lots = {lot.sale_id: lot.remaining for lot in PointsLot.objects.filter(customer=customer)}
    assert lots == {None: 40, sale.pk: 0}
    assert_ledger_and_lots_agree()


def test_points_expire_after_months_without_a_purchase(cashier):
    expire_after(6, rule=ExpiryRule.AFTER_INACTIVITY)
    customer = CustomerFactory()
    ring_up(customer=customer, price="70.00", cashier=cashier)
    day = months_after(TODAY(), 6)
    assert points_expiring(customer=customer) == [(day, 70)]

    # A later purchase restarts the clock for every point held.
    Sale.objects.filter(customer=customer).update(created_at=timezone.now() + timedelta(days=30))
    assert points_expire_all(today=day).points == 0
    assert points_expiring(customer=customer) == [(months_after(TODAY() + timedelta(30), 6), 70)]
    assert points_expire_all(today=months_after(TODAY() + timedelta(30), 6)).points == 70
    assert "no purchase since" in expire_rows(customer)[0].reason
    assert_ledger_and_lots_agree()


def test_a_negative_balance_is_paid_off_before_a_lot_holds_points(cashier, manager):
    expire_after(1)
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="150.00", cashier=cashier)
    ring_up(customer=customer, price="1.00", cashier=cashier, payments=[("points", "1.00")])
    refund(sale=sale, user=manager)  # takes back all 150, of which 100 were spent
    customer.refresh_from_db()
    assert customer.loyalty_points == -100
    assert list(lot_mismatches()) == []

    ring_up(customer=customer, price="120.00", cashier=cashier)

    held = sum(lot.remaining for lot in PointsLot.objects.filter(customer=customer))
    assert held == 20
    assert points_expire_all(today=months_after(TODAY(), 1)).points == 20
    customer.refresh_from_db()
    assert customer.loyalty_points == 0


def test_a_merge_carries_the_points_with_their_expiry(cashier, manager):
    expire_after(3)
    duplicate = CustomerFactory()
    survivor = CustomerFactory()
    ring_up(customer=duplicate, price="40.00", cashier=cashier)

    customer_merge(survivor=survivor, duplicate=duplicate, actor=manager, channel="api")

    assert points_expiring(customer=survivor) == [(months_after(TODAY(), 3), 40)]
    assert_ledger_and_lots_agree()


def test_the_notice_goes_once_to_customers_who_agreed_to_email(cashier):
    expire_after(1, notice_days=10)
    agreed = CustomerFactory(email="ann@example.com", email_consent=True)
    declined = CustomerFactory(email="bob@example.com", email_consent=False)
    for customer in (agreed, declined):
        ring_up(customer=customer, price="120.00", cashier=cashier)
    day = months_after(TODAY(), 1)

    assert points_expire_all(today=day - timedelta(days=11)).notices == 0
    first = points_expire_all(today=day - timedelta(days=10))
    second = points_expire_all(today=day - timedelta(days=9))

    assert (first.notices, second.notices) == (2, 0)
    [message] = Message.objects.filter(kind=MessageKind.POINTS_EXPIRY)
    assert message.to == "ann@example.com"
    assert message.customer_id == agreed.pk
    assert f"120 of your points expire on {day:%-d %b %Y}" == message.subject
    assert "120" in message.text_body


def test_the_till_and_the_customer_json_say_what_expires_when(cashier, manager_client):
    expire_after(2)
    customer = CustomerFactory()
    ring_up(customer=customer, price="120.00", cashier=cashier)
    day = months_after(TODAY(), 2)

    detail = points_limit(customer=customer, amount=0).detail
    assert f"120 points expire on {day.day} {day:%b}" in detail

    response = manager_client.get(f"/api/customers/{customer.pk}")
    assert response.json()["pointsExpiring"] == [{"points": 120, "on": day.isoformat()}]


def test_no_points_expiring_is_an_empty_list(manager_client):
    customer = CustomerFactory()
    assert manager_client.get(f"/api/customers/{customer.pk}").json()["pointsExpiring"] == []


def test_the_customer_json_costs_one_query_for_expiring_points(
    cashier, manager_client, django_assert_num_queries
):
    expire_after(2)
    few = CustomerFactory()
    many = CustomerFactory()
    ring_up(customer=few, price="10.00", cashier=cashier)
    for _ in range(5):
        ring_up(customer=many, price="10.00", cashier=cashier)
    manager_client.get(f"/api/customers/{few.pk}")  # the user's permissions, cached
    with CaptureQueriesContext(connection) as one:
        manager_client.get(f"/api/customers/{few.pk}")
    lot_reads = [q for q in one.captured_queries if "loyalty_pointslot" in q["sql"]]
    assert len(lot_reads) == 1
    with django_assert_num_queries(len(one.captured_queries)):
        manager_client.get(f"/api/customers/{many.pk}")


def test_reconcile_finds_and_fixes_lots_that_drifted(manager):
    customer = CustomerFactory()
    services.points_adjust(customer=customer, points=30, reason="Welcome", user=manager)
    PointsLot.objects.filter(customer=customer).update(remaining=10)
    with pytest.raises(CommandError, match="points lots differ"):
        call_command("loyalty_reconcile", stdout=StringIO())
    out = StringIO()
    call_command("loyalty_reconcile", "--fix", stdout=out)
    assert "Brought 1 customer(s)' lots in line" in out.getvalue()
    assert_ledger_and_lots_agree()


def test_reconcile_fix_of_a_balance_opens_a_lot(manager):
    customer = CustomerFactory()
    customer.__class__.objects.filter(pk=customer.pk).update(loyalty_points=42)
    call_command("loyalty_reconcile", "--fix", stdout=StringIO())
    assert PointsLot.objects.get(customer=customer).remaining == 42
    assert_ledger_and_lots_agree()


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01"])
def test_the_command_refuses_a_bad_date(bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("loyalty_expire", "--date", bad, stdout=StringIO())


def test_the_command_refuses_a_day_after_today():
    later = (TODAY() + timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="after today"):
        call_command("loyalty_expire", "--date", later, stdout=StringIO())


def test_a_program_with_a_rule_needs_its_months():
    program = LoyaltyProgram.current()
    program.expiry_rule = ExpiryRule.AFTER_EARNING
    program.expiry_months = None
    with pytest.raises(IntegrityError), transaction.atomic():
        program.save()


def test_an_expire_row_cannot_overdraw():
    customer = CustomerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LoyaltyTransaction.objects.create(
            customer=customer, kind="expire", points=-5, balance_after=-5, reference="expire-x"
        )


def test_the_admin_refuses_a_rule_without_its_months(admin_client):
    program = LoyaltyProgram.current()
    response = admin_client.post(
        f"/admin/loyalty/loyaltyprogram/{program.pk}/change/",
        {
            "earn_rate": "1",
            "redeem_step": "100",
            "redeem_value": "1.00",
            "minimum_sale_amount": "0.00",
            "expiry_rule": ExpiryRule.AFTER_EARNING,
            "expiry_notice_days": "14",
        },
    )
    assert response.status_code == 200
    assert "Say after how many months points expire." in response.content.decode()
