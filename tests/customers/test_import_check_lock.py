"""Checking a file (a dry run) holds no long write transaction, and still reads as the import will.

On SQLite every write transaction takes the database's one write lock at its start
(IMMEDIATE): a check that ran as one transaction kept every till's sale waiting
for its whole run (issue 27, item 25). Each batch is now rolled back at once.
"""

import io
import sqlite3

import pytest
from django.db import connection

from customers.importing import customer_import
from customers.models import Customer
from tests.customers.factories import CustomerFactory

HEADER = "name,email,phone,address,loyaltyPoints,status"


def check(text: str, **options):
    return customer_import(file=io.BytesIO(text.encode()), dry_run=True, **options)


@pytest.mark.django_db(transaction=True)
def test_between_a_checks_batches_a_till_can_write():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    rows = "\n".join(f"Person {n},p{n}@example.com,,,," for n in range(6))
    path = connection.settings_dict["NAME"]
    writes = []

    def a_till_writes(done, total):
        till = sqlite3.connect(path, timeout=0.2)
        try:
            till.execute("BEGIN IMMEDIATE")
            till.execute("ROLLBACK")
            writes.append(done)
        except sqlite3.OperationalError as error:
            writes.append(str(error))
        finally:
            till.close()

    report = check(f"{HEADER}\n{rows}\n", progress=a_till_writes, batch_size=2)
    assert report.created == 6
    assert writes == [2, 4, 6]  # never "database is locked"
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_a_later_batch_of_a_check_sees_the_new_customers_of_earlier_ones():
    CustomerFactory(name="Old Friend", email="old@example.com")
    text = (
        f"{HEADER}\n"
        "Nina New,nina@example.com,,1 Road,,\n"
        "Old Friend,old@example.com,,2 Street,,\n"
        "Nina New,nina@example.com,,3 Lane,,\n"
        "Sam Phone,,+14155550199,,,\n"
        "Sam Phone,,(415) 555-0199,9 Way,,\n"
    )
    report = check(text, batch_size=1)
    real = customer_import(file=io.BytesIO(text.encode()), batch_size=1)
    assert (report.created, report.updated) == (real.created, real.updated) == (2, 3)
    # Only the customer who existed before is listed as changed.
    assert [(update.row, update.name) for update in report.updates] == [(3, "Old Friend")]
