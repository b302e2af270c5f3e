"""Prepared statements: compiled once per key, run with each call's values, checked in tests."""

import datetime
import gc
import threading

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.test.utils import CaptureQueriesContext

from classicpos import prepared
from classicpos.prepared import PreparedMismatch, Slot, slots
from customers.models import Customer, CustomerEvent
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_kept_statements():
    prepared.forget_statements()
    yield
    prepared.forget_statements()


def points_at_least(slot):
    return Customer.objects.filter(
        GreaterThanOrEqual(F("loyalty_points"), slot("points"))
    ).order_by("id")


def test_a_queryset_built_with_slots_runs_with_their_values():
    CustomerFactory(name="Few", loyalty_points=5)
    many = CustomerFactory(name="Many", loyalty_points=50)
    assert list(points_at_least(slots({"points": 10}))) == [many]


def test_a_kept_statement_runs_with_each_calls_values(settings):
    settings.CLASSICPOS_VERIFY_PREPARED = False
    few = CustomerFactory(name="Few", loyalty_points=5)
    many = CustomerFactory(name="Many", loyalty_points=50)
    built = []

    def build(slot):
        built.append(slot)
        return points_at_least(slot).values_list("pk")

    rows = prepared.statement("points", build, {"points": 10}).rows({"points": 10})
    assert rows == [(many.pk,)]
    again = prepared.statement("points", build, {"points": 1})
    assert again.rows({"points": 1}) == [(few.pk,), (many.pk,)]
    assert len(built) == 1, "the second call binds new values to the SQL it kept"


def test_a_statement_is_one_query():
    CustomerFactory(loyalty_points=50)
    values = {"points": 10}
    kept = prepared.statement("points", lambda slot: points_at_least(slot), values)
    with CaptureQueriesContext(connection) as queries:
        kept.instances(values)
    assert len(queries) == 1


def test_instances_are_what_iterating_the_queryset_gives(settings):
    settings.CLASSICPOS_VERIFY_PREPARED = False
    CustomerFactory(name="Ann", loyalty_points=20, birthday=datetime.date(1990, 3, 14))
    CustomerFactory(name="Bob", loyalty_points=30)
    values = {"points": 10}

    def build(slot):
        return points_at_least(slot).with_tag_names()

    found = prepared.statement("with tags", build, values).instances(values)
    expected = list(build(slots(values)))
    assert [customer.pk for customer in found] == [customer.pk for customer in expected]
    for ours, theirs in zip(found, expected, strict=True):
        assert ours.name == theirs.name
        assert ours.birthday == theirs.birthday
        assert ours.created_at == theirs.created_at
        assert isinstance(ours.created_at, datetime.datetime)
        assert ours.tag_name_list() == theirs.tag_name_list() == []
        assert ours._state.adding is False


def test_instances_carry_the_rows_they_select_related(settings, manager):
    settings.CLASSICPOS_VERIFY_PREPARED = False
    event = CustomerEvent.objects.create(
        customer=CustomerFactory(name="Ann"), kind="customer.created", actor=manager, channel="api"
    )
    values = {"kind": "customer.created"}

    def build(slot):
        return CustomerEvent.objects.filter(kind=slot("kind")).select_related("customer", "actor")

    (found,) = prepared.statement("events", build, values).instances(values)
    with CaptureQueriesContext(connection) as queries:
        assert (found.pk, found.customer.name, found.actor.username) == (
            event.pk,
            "Ann",
            manager.username,
        )
    assert len(queries) == 0


@pytest.mark.django_db(transaction=True)
def test_a_statement_kept_does_not_keep_the_connection_that_compiled_it():
    def wrappers() -> int:
        gc.collect()
        # type(), not isinstance(): the heap holds weak proxies whose objects are gone.
        return sum(issubclass(type(item), BaseDatabaseWrapper) for item in gc.get_objects())

    CustomerFactory(loyalty_points=50)
    found = []

    def in_a_thread():
        # As the development server does: a thread, and its own connection, per request.
        values = {"points": 10}
        found.append(len(prepared.statement("points", points_at_least, values).instances(values)))
        connections.close_all()

    before = wrappers()
    for _ in range(3):
        thread = threading.Thread(target=in_a_thread)
        thread.start()
        thread.join()
    assert found == [1, 1, 1]
    assert wrappers() <= before


def test_a_key_that_misses_what_the_sql_depends_on_is_caught(settings):
    settings.CLASSICPOS_VERIFY_PREPARED = True

    def build(slot, limit):
        return points_at_least(slot)[:limit]

    prepared.statement("points", lambda slot: build(slot, 5), {"points": 1})
    # The same key for a statement whose LIMIT is another: the kept SQL is wrong for it.
    with pytest.raises(PreparedMismatch):
        prepared.statement("points", lambda slot: build(slot, 7), {"points": 1})


def test_a_value_not_given_by_a_slot_is_caught(settings):
    settings.CLASSICPOS_VERIFY_PREPARED = True

    def build(name):
        return lambda slot: Customer.objects.filter(Exact(F("name"), name))

    prepared.statement("by name", build("Ann"), {})
    with pytest.raises(PreparedMismatch):
        prepared.statement("by name", build("Bob"), {})


def test_statements_kept_are_bounded(monkeypatch, settings):
    settings.CLASSICPOS_VERIFY_PREPARED = False
    monkeypatch.setattr(prepared, "MAX_STATEMENTS", 2)
    built = []

    def build(slot):
        built.append(1)
        return points_at_least(slot)

    for key in ("a", "b", "c", "a"):
        prepared.statement(key, build, {"points": 1})
    # "a" was dropped for "c" (the least recently used), so it was built again.
    assert len(built) == 4


def test_outside_a_kept_statement_a_slot_is_its_value():
    slot = Slot("points", 10)
    queryset = Customer.objects.filter(GreaterThanOrEqual(F("loyalty_points"), slot))
    _sql, params = queryset.query.sql_with_params()
    assert params == (10,)
