"""On PostgreSQL, tills converting the same lead at once make one customer, never two."""

import threading

import pytest
from django.db import connection

from crm import services
from customers.models import Customer
from tests.crm.factories import LeadActivityFactory, LeadFactory
from tests.customers.factories import CustomerFactory
from tests.threads import run_together

THREADS = 6

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks under real concurrency need PostgreSQL; "
        "SQLite serialises every write transaction instead.",
    ),
]


def run_in_threads(work) -> tuple[list, list[Exception]]:
    """Start ``work()`` in THREADS threads at once; return results and exceptions."""
    return run_together(lambda _index: work(), threads=THREADS)


def test_concurrent_conversions_of_one_lead_create_one_customer(cashier):
    lead = LeadFactory(email="race@example.com")
    LeadActivityFactory(lead=lead)
    results, errors = run_in_threads(lambda: services.lead_convert(lead=lead, user=cashier))
    assert errors == []
    assert Customer.objects.count() == 1
    assert {result.customer.pk for result in results} == {Customer.objects.get().pk}
    assert sorted(result.created for result in results) == [False] * (THREADS - 1) + [True]


def test_concurrent_conversions_onto_one_customer_link_them_all(cashier):
    customer = CustomerFactory(email="shared@example.com")
    leads = [LeadFactory(email="shared@example.com") for _ in range(THREADS)]
    remaining = list(leads)
    lock = threading.Lock()

    def convert():
        with lock:
            lead = remaining.pop()
        return services.lead_convert(lead=lead, user=cashier)

    results, errors = run_in_threads(convert)
    assert errors == []
    assert {result.customer.pk for result in results} == {customer.pk}
    assert Customer.objects.count() == 1


@pytest.mark.postgres_only
def test_concurrent_conversions_of_leads_sharing_a_phone_make_one_customer(cashier):
    """Ten tills converting ten leads with one phone (and no email) at once: one customer."""
    leads = [LeadFactory(email=None, phone="+14155550177") for _ in range(10)]
    remaining = list(leads)
    lock = threading.Lock()

    def convert(_index):
        with lock:
            lead = remaining.pop()
        return services.lead_convert(lead=lead, user=cashier)

    results, errors = run_together(convert, threads=len(leads))
    assert errors == []
    assert Customer.objects.count() == 1
    assert {result.customer.pk for result in results} == {Customer.objects.get().pk}
    assert sorted(result.created for result in results) == [False] * 9 + [True]
