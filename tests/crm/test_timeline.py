"""CRM activities, finished tasks and converted leads in the customer timeline."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from crm import services
from crm.models import Activity
from crm.timeline import (
    ACTIVITY_SOURCE,
    LEAD_SOURCE,
    TASK_DONE_SOURCE,
    activity_entries,
    lead_entries,
    task_done_entries,
)
from customers.timeline import TimelinePage, customer_timeline
from tests.crm.factories import ActivityFactory, LeadFactory, TaskFactory
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory
from tests.timeline_walk import walk_source, walk_timeline

pytestmark = pytest.mark.django_db

MOMENT = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
CRM_SOURCES = {ACTIVITY_SOURCE, TASK_DONE_SOURCE, LEAD_SOURCE}
SOURCES = {
    ACTIVITY_SOURCE: activity_entries,
    TASK_DONE_SOURCE: task_done_entries,
    LEAD_SOURCE: lead_entries,
}


@contextmanager
def at(moment):
    """Make every row written inside stamp ``moment`` (``auto_now_add`` reads ``now()``)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _crm(entries):
    return [entry for entry in entries if entry.source in CRM_SOURCES]


def _history(customer, cashier, manager):
    """A note on a lead, a call and a finished task on the customer, then the lead converted
    (linked to the customer by its email): one entry of every kind."""
    lead = LeadFactory(email=customer.email, company="Acme", source="phone")
    services.activity_create(author=cashier, kind="note", subject="Met at the fair", lead=lead)
    services.activity_create(
        author=cashier, kind="call", subject="Asked about coffee", customer=customer
    )
    task = services.activity_create(
        author=manager,
        kind="task",
        subject="Send the catalogue",
        customer=customer,
        due_on=date(2025, 4, 1),
    )
    services.activity_complete(activity=task)
    result = services.lead_convert(lead=lead, user=manager)
    assert result.customer == customer
    assert not result.created
    return lead


def test_every_kind_is_an_entry_with_summary_actor_and_link(cashier, manager):
    customer = CustomerFactory()
    lead = _history(customer, cashier, manager)
    lead_url = reverse("crm:lead_detail", kwargs={"pk": lead.pk})
    panel = f"{customer.get_absolute_url()}#crm-panel"

    timeline = customer_timeline(customer=customer, user=manager, limit=100)

    assert [(e.kind, e.summary, e.actor, e.link) for e in _crm(timeline.entries)] == [
        (
            "lead.converted",
            f"Lead {lead.name} (Acme) converted into this customer (lead source: phone)",
            None,
            lead_url,
        ),
        ("activity.completed", "Task done · Send the catalogue", None, panel),
        (
            "activity.logged",
            "Task · Send the catalogue · due Apr 1, 2025 · done",
            "manager",
            panel,
        ),
        ("activity.logged", "Call · Asked about coffee", "cashier", panel),
        ("activity.logged", "Note · Met at the fair", "cashier", lead_url),
    ]
    keys = [entry.key for entry in _crm(timeline.entries)]
    assert keys == sorted(keys, reverse=True)


def test_a_reopened_task_has_no_completed_entry(manager):
    customer = CustomerFactory()
    task = TaskFactory(customer=customer, author=manager)
    services.activity_complete(activity=task)
    assert [e.kind for e in task_done_entries(TimelinePage(customer=customer))] == [
        "activity.completed"
    ]
    services.activity_update(activity=task, data={"done": False})
    assert task_done_entries(TimelinePage(customer=customer)) == []


def test_an_activity_without_an_author_has_no_actor():
    customer = CustomerFactory()
    ActivityFactory(customer=customer, author=None, kind="email", subject="Newsletter")
    [entry] = activity_entries(TimelinePage(customer=customer))
    assert (entry.summary, entry.actor) == ("Email · Newsletter", None)


def test_other_customers_and_leads_stay_out(cashier, manager):
    customer, other = CustomerFactory(), CustomerFactory()
    _history(other, cashier, manager)
    LeadFactory()  # not converted
    for entries in SOURCES.values():
        assert entries(TimelinePage(customer=customer)) == []


def _shared_timestamps(customer, manager):
    """Nine tasks, seven logged at one instant and seven finished at another, finished in
    the reverse of the order they were logged (so logging and finishing orders differ)."""
    tasks = []
    for moment, count in (
        (MOMENT - timedelta(days=1), 1),
        (MOMENT, 7),
        (MOMENT + timedelta(seconds=1), 1),
    ):
        with at(moment):
            tasks += [TaskFactory(customer=customer, author=manager) for _ in range(count)]
    tasks.reverse()
    for moment, finished in (
        (MOMENT + timedelta(hours=1), tasks[:1]),
        (MOMENT + timedelta(hours=2), tasks[1:8]),
        (MOMENT + timedelta(hours=3), tasks[8:]),
    ):
        with at(moment):
            for task in finished:
                services.activity_complete(activity=task)


@pytest.mark.parametrize(
    ("source", "ordering"),
    [(ACTIVITY_SOURCE, "-created_at"), (TASK_DONE_SOURCE, "-completed_at")],
)
def test_paging_with_shared_timestamps_loses_and_repeats_nothing(
    manager, django_assert_num_queries, source, ordering
):
    customer = CustomerFactory()
    _shared_timestamps(customer, manager)
    expected = list(Activity.objects.order_by(ordering, "-id").values_list("id", flat=True))
    with django_assert_num_queries(4):  # one query per page: three of three, one empty
        entries, sizes = walk_source(SOURCES[source], customer, limit=3)
    assert [entry.id for entry in entries] == expected
    assert sizes == [3, 3, 3, 0]


def test_the_timeline_pages_through_activities_and_tasks_tied_at_one_instant(manager):
    customer = CustomerFactory()
    _shared_timestamps(customer, manager)
    with at(MOMENT + timedelta(hours=2)):  # logged as seven tasks are finished
        ActivityFactory.create_batch(3, customer=customer, author=manager)
    activities = Activity.objects.all()
    expected = sorted(
        [(row.created_at, ACTIVITY_SOURCE, row.pk) for row in activities]
        + [(row.completed_at, TASK_DONE_SOURCE, row.pk) for row in activities if row.done],
        reverse=True,
    )
    entries, sizes = walk_timeline(customer, manager, limit=4, kind="activity")
    assert [entry.key for entry in entries] == expected
    assert sizes == [4, 4, 4, 4, 4, 1]


def test_one_query_per_source_per_page(cashier, manager, django_assert_num_queries):
    customer = CustomerFactory()
    for _ in range(2):
        _history(customer, cashier, manager)
    for entries in SOURCES.values():
        with django_assert_num_queries(1):
            first = entries(TimelinePage(customer=customer, limit=1))
        with django_assert_num_queries(1):
            entries(TimelinePage(customer=customer, limit=1, cursor=first[-1].key))
    manager.has_perm("crm.view_activity")  # the user's permission cache, loaded once
    with django_assert_num_queries(2):  # activities and finished tasks
        timeline = customer_timeline(customer=customer, user=manager, kind="activity")
    assert {entry.kind for entry in timeline.entries} == {"activity.logged", "activity.completed"}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("activity", {"activity.logged", "activity.completed"}),
        ("activity.completed", {"activity.completed"}),
        ("lead", {"lead.converted"}),
        ("lead.converted", {"lead.converted"}),
        ("activity.log", set()),
        ("points", set()),
    ],
)
def test_the_kind_filter_is_a_prefix_by_dotted_part(cashier, manager, kind, expected):
    customer = CustomerFactory()
    _history(customer, cashier, manager)
    timeline = customer_timeline(customer=customer, user=manager, limit=100, kind=kind)
    assert {entry.kind for entry in _crm(timeline.entries)} == expected


def test_each_source_answers_to_its_page_permission(cashier, manager):
    customer = CustomerFactory()
    _history(customer, cashier, manager)
    nobody = UserFactory()  # staff, in no role
    assert not _crm(customer_timeline(customer=customer, user=nobody).entries)

    activities_only = UserFactory()
    activities_only.user_permissions.add(
        Permission.objects.get(codename="view_activity", content_type__app_label="crm")
    )
    timeline = customer_timeline(customer=customer, user=activities_only, limit=100)
    assert {entry.source for entry in _crm(timeline.entries)} == {
        ACTIVITY_SOURCE,
        TASK_DONE_SOURCE,
    }
    assert LEAD_SOURCE not in timeline.sources

    seen = customer_timeline(customer=customer, user=cashier, limit=100)
    assert {entry.source for entry in _crm(seen.entries)} == CRM_SOURCES
