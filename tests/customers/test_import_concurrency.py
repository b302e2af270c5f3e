"""Imports at the same moment: one phone, one customer, however many imports race.

On PostgreSQL the contact-details lock (``customers.locks.contact_details_lock``)
makes the second import wait and then match what the first created; on SQLite
every write transaction is IMMEDIATE and already runs alone, so the same test
holds there too.
"""

import io

import pytest
from django.db import connection, transaction

from customers import locks
from customers.importing import customer_import
from customers.models import Customer
from tests.threads import run_together

IMPORTS = 4
ROWS = 50
# Phone only: no email for the unique index to catch a second copy.
PHONE_ONLY_FILE = "name,phone\n" + "".join(
    f"Person {n},+1415555{n:04d}\n" for n in range(100, 100 + ROWS)
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_imports_of_one_phone_only_file_make_each_customer_once():
    def import_file(_index):
        return customer_import(file=io.BytesIO(PHONE_ONLY_FILE.encode()), batch_size=20)

    reports, errors = run_together(import_file, threads=IMPORTS)

    assert errors == []
    assert Customer.objects.count() == ROWS
    assert sum(report.created for report in reports) == ROWS
    assert sum(report.unchanged for report in reports) == ROWS * (IMPORTS - 1)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_the_contact_details_lock_is_held_until_the_transaction_ends():
    phone = "+14155550199"
    slot = locks._contact_slot("phone", phone)
    try_lock = "SELECT pg_try_advisory_xact_lock(%s::integer, %s::integer)"

    def someone_else_may_take_it(_index):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(try_lock, [locks.CONTACT_LOCK_NAMESPACE, slot])
            return cursor.fetchone()[0]

    with transaction.atomic():
        locks.contact_details_lock(phones=[phone])
        held, errors = run_together(someone_else_may_take_it, threads=1)
    released, _ = run_together(someone_else_may_take_it, threads=1)

    assert errors == []
    assert (held, released) == ([False], [True])


def test_the_contact_details_lock_needs_a_transaction():
    if connection.vendor != "postgresql":
        locks.contact_details_lock(phones=["+14155550199"])  # SQLite: nothing to take
        return
    with pytest.raises(transaction.TransactionManagementError):
        locks.contact_details_lock(phones=["+14155550199"])
