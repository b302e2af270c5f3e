"""Rows of given ids: one parameter however many ids, counted without a query."""

import pytest

from classicpos.counts import AtLeast
from classicpos.id_lists import RowsById, among, count_rows, known_count
from customers.models import Customer
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers():
    return [CustomerFactory(name=f"Among {number}") for number in range(5)]


def test_among_gives_exactly_the_rows_of_the_ids(customers):
    wanted = [customers[3].pk, customers[0].pk, customers[3].pk]
    rows = among(Customer.objects.order_by("id"), wanted)
    assert list(rows) == [customers[0], customers[3]]


def test_a_thousand_ids_are_one_parameter(customers):
    ids = [customer.pk for customer in customers] + list(range(10**9, 10**9 + 1000))
    rows = among(Customer.objects.all(), ids)
    _, params = rows.query.sql_with_params()
    assert len(params) == 1
    assert set(rows.values_list("pk", flat=True)) == {customer.pk for customer in customers}


def test_no_ids_is_no_rows(customers):
    assert list(among(Customer.objects.all(), [])) == []
    assert count_rows(among(Customer.objects.all(), [])) == 0


def rows_of(queryset, ids, *, limit=None) -> RowsById:
    """The rows of ``queryset`` among ``ids``, named by those ids (as a narrowed list is)."""
    kept = among(queryset, ids[:limit] if limit is not None else ids)
    return RowsById(ids, limit=limit, read=lambda start, stop: list(kept[start:stop]))


def test_rows_named_by_their_ids_count_without_a_query(customers, django_assert_num_queries):
    ids = [customer.pk for customer in customers[:3]]
    rows = rows_of(Customer.objects.order_by("-name").with_tag_names(), ids)
    with django_assert_num_queries(0):
        assert known_count(rows) == 3
        assert count_rows(rows) == 3
    assert [customer.name for customer in rows[0:3]] == ["Among 2", "Among 1", "Among 0"]


def test_ids_cut_at_a_limit_are_the_first_ones_and_count_at_least(customers):
    ids = [customer.pk for customer in customers]
    cut = rows_of(Customer.objects.order_by("id"), ids, limit=3)
    assert list(cut[0:5]) == customers[:3]
    assert known_count(cut) == 3
    assert isinstance(known_count(cut), AtLeast)
    assert str(count_rows(cut)) == "3+"
    # Within the limit the count is exact.
    whole = rows_of(Customer.objects.all(), ids, limit=5)
    assert known_count(whole) == 5
    assert not isinstance(known_count(whole), AtLeast)


def test_a_queryset_is_counted_by_the_database(customers):
    rows = among(Customer.objects.all(), [customer.pk for customer in customers])
    querysets = [
        rows,
        rows.filter(name="Among 1"),
        rows.exclude(name="Among 1"),
        rows[:2],
        rows.filter(tags__name="vip"),
        Customer.objects.filter(name__startswith="Among"),
    ]
    for queryset in querysets:
        assert known_count(queryset) is None, queryset.query
    assert count_rows(rows) == 5
    assert count_rows(rows.filter(name="Among 1")) == 1
    assert count_rows(rows.exclude(name="Among 1")) == 4


def test_rows_by_id_read_each_page_by_position_and_count_without_reading():
    reads = []

    def read(start: int, stop: int) -> list[str]:
        reads.append((start, stop))
        return [f"row {position}" for position in range(start, stop)]

    rows = RowsById([7, 3, 9, 4], read=read, limit=3)
    assert (len(rows), known_count(rows), count_rows(rows)) == (3, 3, 3)
    assert isinstance(known_count(rows), AtLeast)  # a fourth id was cut off: "3+"
    assert reads == []
    assert rows[1:5] == ["row 1", "row 2"]
    assert rows[-1] == "row 2"
    assert rows[3:3] == []
    assert reads == [(1, 3), (2, 3)]
    assert list(rows) == ["row 0", "row 1", "row 2"]
    assert reads[2:] == [(0, 3)], "iterating reads every row in one go"
    with pytest.raises(IndexError):
        rows[3]
    with pytest.raises(ValueError, match="no step"):
        rows[::2]
    exact = RowsById([1, 2], read=read)
    assert known_count(exact) == 2
    assert not isinstance(known_count(exact), AtLeast)
