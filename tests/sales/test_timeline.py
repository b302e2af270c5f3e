"""Sales and refunds in the customer's timeline (``sales.timeline``), read the way the
customer page reads it: through ``customers.timeline.customer_timeline``."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission

from customers.timeline import TimelinePage, customer_timeline, decode_cursor, encode_cursor
from sales.models import Refund, Sale
from sales.services import sale_refund
from sales.timeline import REFUND_SOURCE, SALE_SOURCE, refund_entries, sale_entries
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.sales.helpers import refund, ring_up

pytestmark = pytest.mark.django_db

MOMENT = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def dated(row, moment: datetime):
    """Move ``row`` to ``moment`` (``created_at`` is stamped on insert)."""
    type(row).objects.filter(pk=row.pk).update(created_at=moment)
    row.refresh_from_db()
    return row


def walk(customer, user, *, limit: int, kind: str = "") -> tuple[list, list[int]]:
    """Page through the timeline by its ``next_cursor``; return the entries and page sizes."""
    found, sizes, cursor = [], [], None
    while True:
        page = customer_timeline(
            customer=customer, user=user, limit=limit, cursor=cursor, kind=kind
        )
        found += page.entries
        sizes.append(len(page.entries))
        if page.next_cursor is None:
            return found, sizes
        cursor = page.next_cursor


def test_sales_and_refunds_are_entries_newest_first(cashier, manager):
    customer = CustomerFactory()
    first = dated(ring_up(customer=customer, price="12.50", cashier=cashier), MOMENT)
    second = dated(
        ring_up(customer=customer, price="2.00", cashier=cashier, quantity=3),
        MOMENT + timedelta(days=1),
    )
    given = dated(
        sale_refund(sale=first, user=manager, reason="Chipped"), MOMENT + timedelta(days=2)
    )
    ring_up(customer=CustomerFactory(), price="99.00", cashier=cashier)  # someone else's

    timeline = customer_timeline(customer=customer, user=manager, kind="sale")

    assert [
        (entry.kind, entry.summary, entry.actor, entry.link, entry.at) for entry in timeline.entries
    ] == [
        (
            "sale.refunded",
            f"Refund of $12.50 on sale {first.number} · Chipped",
            "manager",
            f"/sales/{first.pk}/",
            given.created_at,
        ),
        (
            "sale.completed",
            f"Sale {second.number} · $6.00 · 3 items",
            "cashier",
            f"/sales/{second.pk}/",
            second.created_at,
        ),
        (
            "sale.completed",
            f"Sale {first.number} · $12.50 · 1 item",
            "cashier",
            f"/sales/{first.pk}/",
            first.created_at,
        ),
    ]
    assert [entry.source for entry in timeline.entries] == [
        REFUND_SOURCE,
        SALE_SOURCE,
        SALE_SOURCE,
    ]
    assert timeline.next_cursor is None
    assert set(timeline.sources) == {SALE_SOURCE, REFUND_SOURCE}


def _same_moment_history(customer, cashier, manager, *, sales: int, refunds: int):
    """Ring up ``sales`` sales, refund one item of the first ``refunds`` of them, and stamp
    every sale and refund with the same moment: only the ids can order them."""
    rung = [
        ring_up(customer=customer, price="3.00", cashier=cashier, quantity=2) for _ in range(sales)
    ]
    for sale in rung[:refunds]:
        refund(sale=sale, user=manager, quantity=1)
    Sale.objects.filter(customer=customer).update(created_at=MOMENT)
    Refund.objects.filter(sale__customer=customer).update(created_at=MOMENT)
    return rung


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 12, 100])
def test_paging_through_identical_timestamps_loses_and_repeats_nothing(cashier, manager, limit):
    customer = CustomerFactory()
    _same_moment_history(customer, cashier, manager, sales=7, refunds=5)

    found, sizes = walk(customer, manager, limit=limit, kind="sale")

    keys = [entry.key for entry in found]
    assert len(keys) == len(set(keys)) == 12
    assert keys == sorted(keys, reverse=True)  # (at, source, id) descending across pages
    assert {key[1] for key in keys} == {SALE_SOURCE, REFUND_SOURCE}
    assert sum(sizes) == 12
    assert all(size == limit for size in sizes[:-1])


@pytest.mark.parametrize(("kind", "count"), [("sale.completed", 7), ("sale.refunded", 5)])
def test_paging_one_kind_goes_on_to_the_end(cashier, manager, kind, count):
    """One source then holds everything left: the page still learns that another follows."""
    customer = CustomerFactory()
    _same_moment_history(customer, cashier, manager, sales=7, refunds=5)
    found, sizes = walk(customer, manager, limit=2, kind=kind)
    assert len({entry.key for entry in found}) == len(found) == count
    assert {entry.kind for entry in found} == {kind}
    assert sizes == [2] * (count // 2) + [count % 2]


@pytest.mark.parametrize(
    ("entries", "source", "count"),
    [
        (sale_entries, SALE_SOURCE, 7),
        (refund_entries, REFUND_SOURCE, 5),
    ],
)
def test_each_source_pages_on_its_own_by_id_within_a_timestamp(
    cashier, manager, entries, source, count
):
    customer = CustomerFactory()
    _same_moment_history(customer, cashier, manager, sales=7, refunds=5)
    found, cursor = [], None
    while True:
        page = entries(TimelinePage(customer=customer, limit=2, cursor=cursor))
        found += page
        if len(page) < 2:
            break
        # Through the encoded form, as between two requests.
        cursor = decode_cursor(encode_cursor(page[-1].key))
    ids = [entry.id for entry in found]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == count
    assert {entry.source for entry in found} == {source}


def test_the_refunded_kind_shows_only_refunds_and_asks_only_their_source(
    cashier, manager, django_assert_num_queries
):
    customer = CustomerFactory()
    sale = ring_up(customer=customer, price="10.00", cashier=cashier, quantity=2)
    refund(sale=sale, user=manager, quantity=1)
    manager.has_perm("sales.view_sale")  # permissions are cached on the user after this

    with django_assert_num_queries(1):
        timeline = customer_timeline(customer=customer, user=manager, kind="sale.refunded")

    assert [entry.kind for entry in timeline.entries] == ["sale.refunded"]
    assert timeline.sources == [REFUND_SOURCE]
    assert [
        entry.kind
        for entry in customer_timeline(
            customer=customer, user=manager, kind="sale.completed"
        ).entries
    ] == ["sale.completed"]


def test_a_page_costs_one_query_per_source_however_long_the_history(
    cashier, manager, django_assert_num_queries
):
    customer = CustomerFactory()
    _same_moment_history(customer, cashier, manager, sales=3, refunds=2)
    manager.has_perm("sales.view_sale")
    with django_assert_num_queries(2):
        first = customer_timeline(customer=customer, user=manager, limit=2, kind="sale")
    with django_assert_num_queries(2):
        customer_timeline(
            customer=customer, user=manager, limit=2, cursor=first.next_cursor, kind="sale"
        )
    _same_moment_history(customer, cashier, manager, sales=10, refunds=10)
    with django_assert_num_queries(2):
        page = customer_timeline(customer=customer, user=manager, limit=20, kind="sale")
    # Item counts and cashiers came with the rows, not from a query each.
    assert {
        entry.summary.rsplit(" · ", 1)[-1]
        for entry in page.entries
        if entry.kind == "sale.completed"
    } == {"2 items"}
    assert {entry.actor for entry in page.entries} == {"cashier", "manager"}


@pytest.mark.parametrize("cursor", ["not a cursor", "e30", "WyJ4IiwgMSwgMl0"])
def test_a_cursor_the_timeline_did_not_give_is_refused(manager, cursor):
    customer = CustomerFactory()
    with pytest.raises(ValueError, match="cursor"):
        customer_timeline(customer=customer, user=manager, cursor=cursor, kind="sale")


def test_staff_who_may_not_see_sales_get_no_sale_entries(cashier, client):
    customer = CustomerFactory()
    ring_up(customer=customer, price="4.00", cashier=cashier)
    clerk = UserFactory(username="clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="view_customer"))
    timeline = customer_timeline(customer=customer, user=clerk, kind="sale")
    assert timeline.entries == []
    assert timeline.sources == []
    assert customer_timeline(customer=customer, user=cashier, kind="sale").entries
