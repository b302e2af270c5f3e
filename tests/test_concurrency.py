"""Two tills writing at once: no "database is locked", no lost update.

On SQLite this is what WAL + busy timeout + IMMEDIATE transactions buy; on
PostgreSQL the row lock taken by ``select_for_update`` does the same.
"""

import threading

import pytest
from django.db import connection, transaction

from customers.models import Customer
from tests.customers.factories import CustomerFactory

THREADS = 6
INCREMENTS = 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_modify_write_loses_nothing():
    customer = CustomerFactory()
    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def till():
        try:
            start.wait()
            for _ in range(INCREMENTS):
                with transaction.atomic():
                    row = Customer.objects.select_for_update().get(pk=customer.pk)
                    Customer.objects.filter(pk=row.pk).update(loyalty_points=row.loyalty_points + 1)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=till) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    customer.refresh_from_db()
    assert customer.loyalty_points == THREADS * INCREMENTS
