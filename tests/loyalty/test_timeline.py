"""The points ledger in the customer timeline: kinds, summaries, paging, filters, permissions."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse

from customers.timeline import TimelinePage, customer_timeline
from loyalty import services
from loyalty.models import LoyaltyTransaction
from loyalty.permissions import VIEW_LEDGER
from loyalty.timeline import SOURCE, points_entries
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.sales.helpers import refund, ring_up
from tests.timeline_walk import walk_source, walk_timeline

pytestmark = pytest.mark.django_db

MOMENT = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


@contextmanager
def at(moment):
    """Make every row written inside stamp ``moment`` (``auto_now_add`` reads ``now()``)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _history(customer, cashier, manager):
    """Adjust, sell paying partly with points, refund: one row of every ledger kind."""
    services.points_adjust(customer=customer, points=300, reason="Welcome gift", user=manager)
    sale = ring_up(
        customer=customer,
        price="10.00",
        cashier=cashier,
        payments=[("points", "3.00"), ("cash", "7.00")],
    )
    refund(sale=sale, user=manager)
    return sale


def _adjustments(customer, manager, count, moment):
    with at(moment):
        for number in range(count):
            services.points_adjust(
                customer=customer, points=1, reason=f"Goodwill {number}", user=manager
            )


def test_every_ledger_kind_is_an_entry_with_summary_actor_and_link(cashier, manager):
    customer = CustomerFactory()
    sale = _history(customer, cashier, manager)
    sale_url = reverse("sales:sale_detail", kwargs={"pk": sale.pk})

    timeline = customer_timeline(customer=customer, user=manager, kind="points")

    assert [(e.kind, e.summary, e.actor, e.link) for e in timeline.entries] == [
        (
            "points.reversed",
            f"+300 points redeemed, given back: refund of sale {sale.number} (balance 300)",
            "manager",
            sale_url,
        ),
        (
            "points.reversed",
            f"\u22127 points earned, taken back: refund of sale {sale.number} (balance 0)",
            "manager",
            sale_url,
        ),
        ("points.earned", f"+7 points for sale {sale.number} (balance 7)", "cashier", sale_url),
        (
            "points.redeemed",
            f"\u2212300 points paid on sale {sale.number} (balance 0)",
            "cashier",
            sale_url,
        ),
        (
            "points.adjusted",
            "+300 points adjusted: Welcome gift (balance 300)",
            "manager",
            f"{customer.get_absolute_url()}#loyalty-panel",
        ),
    ]
    rows = LoyaltyTransaction.objects.filter(customer=customer).order_by("-created_at", "-id")
    assert [(e.source, e.id, e.at) for e in timeline.entries] == [
        (SOURCE, row.pk, row.created_at) for row in rows
    ]
    assert timeline.next_cursor is None


def test_a_row_without_a_user_has_no_actor():
    customer = CustomerFactory(loyalty_points=40)
    services.points_reconcile(customer_id=customer.pk)
    [entry] = points_entries(TimelinePage(customer=customer))
    assert entry.actor is None
    assert entry.summary == (
        "+40 points adjusted: Reconciliation: balance 40 did not match ledger 0 (balance 40)"
    )


def test_other_customers_rows_stay_out(manager):
    customer, other = CustomerFactory(), CustomerFactory()
    services.points_adjust(customer=other, points=5, reason="Not yours", user=manager)
    assert points_entries(TimelinePage(customer=customer)) == []


def _shared_timestamps(customer, manager):
    """Twelve rows; seven at one instant, so they straddle page boundaries."""
    _adjustments(customer, manager, 3, MOMENT - timedelta(days=1))
    _adjustments(customer, manager, 7, MOMENT)
    _adjustments(customer, manager, 2, MOMENT + timedelta(seconds=1))
    return list(
        LoyaltyTransaction.objects.filter(customer=customer)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )


def test_paging_with_shared_timestamps_loses_and_repeats_nothing(
    manager, django_assert_num_queries
):
    customer = CustomerFactory()
    expected = _shared_timestamps(customer, manager)
    with django_assert_num_queries(5):  # one query per page: four of three, one empty
        entries, sizes = walk_source(points_entries, customer, limit=3)
    assert [entry.id for entry in entries] == expected
    assert len(set(expected)) == 12
    assert sizes == [3, 3, 3, 3, 0]


def test_the_timeline_pages_through_the_whole_ledger(manager, django_assert_num_queries):
    customer = CustomerFactory()
    expected = _shared_timestamps(customer, manager)
    manager.has_perm(VIEW_LEDGER)  # the user's permission cache, loaded once
    with django_assert_num_queries(4):  # one query per page of three
        entries, sizes = walk_timeline(customer, manager, limit=3, kind="points")
    assert [entry.id for entry in entries] == expected
    assert sizes == [3, 3, 3, 3]


def test_a_page_is_one_query_whatever_the_history(cashier, manager, django_assert_num_queries):
    customer = CustomerFactory()
    for _ in range(3):
        _history(customer, cashier, manager)
    with django_assert_num_queries(1):
        first = points_entries(TimelinePage(customer=customer, limit=4))
    cursor = first[-1].key
    with django_assert_num_queries(1):
        second = points_entries(TimelinePage(customer=customer, limit=4, cursor=cursor))
    with django_assert_num_queries(1):
        earned = points_entries(TimelinePage(customer=customer, kind="points.earned"))
    assert len(first) == len(second) == 4
    assert not {e.id for e in first} & {e.id for e in second}
    assert len(earned) == 3


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("", {"points.earned", "points.redeemed", "points.reversed", "points.adjusted"}),
        ("points", {"points.earned", "points.redeemed", "points.reversed", "points.adjusted"}),
        ("points.earned", {"points.earned"}),
        ("points.reversed", {"points.reversed"}),
        ("points.earn", set()),
        ("sale", set()),
    ],
)
def test_the_kind_filter_is_a_prefix_by_dotted_part(cashier, manager, kind, expected):
    customer = CustomerFactory()
    _history(customer, cashier, manager)
    entries = points_entries(TimelinePage(customer=customer, kind=kind))
    assert {entry.kind for entry in entries} == expected


def test_a_narrowed_page_is_still_full(cashier, manager):
    """The kind narrows the query, not the page after it: three earns come back, not none."""
    customer = CustomerFactory()
    for _ in range(3):
        ring_up(customer=customer, price="5.00", cashier=cashier)
    # Newer rows of other kinds would fill an unfiltered page of three.
    for _ in range(3):
        services.points_adjust(customer=customer, points=1, reason="Sorry", user=manager)
    entries = points_entries(TimelinePage(customer=customer, limit=3, kind="points.earned"))
    assert [entry.kind for entry in entries] == ["points.earned"] * 3


def test_the_cursor_of_another_source_at_the_same_instant(manager):
    """Rows at the cursor's instant are owed when this source sorts before the cursor's."""
    customer = CustomerFactory()
    _adjustments(customer, manager, 2, MOMENT)
    before_us = TimelinePage(customer=customer, cursor=(MOMENT, "accounting.zzz", 1))
    after_us = TimelinePage(customer=customer, cursor=(MOMENT, "sales.sale", 1))
    assert points_entries(before_us) == []
    assert len(points_entries(after_us)) == 2


def test_a_user_without_the_ledger_permission_gets_no_points(cashier, manager):
    customer = CustomerFactory()
    _history(customer, cashier, manager)
    nobody = UserFactory()  # staff, in no role
    timeline = customer_timeline(customer=customer, user=nobody)
    assert SOURCE not in timeline.sources
    assert not any(entry.kind.startswith("points.") for entry in timeline.entries)
    seen = customer_timeline(customer=customer, user=cashier)
    assert SOURCE in seen.sources
    assert len([e for e in seen.entries if e.source == SOURCE]) == 5
