"""The customers table matches the specification, read back from the database itself."""

import pytest
from django.db import IntegrityError, connection, transaction

from customers.models import Customer
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

SPEC_COLUMNS = [
    "id",
    "name",
    "email",
    "phone",
    "address",
    "loyaltyPoints",
    "status",
    "createdAt",
    "updatedAt",
]
# Issue 15 (Customer 360) adds the profile columns after the specification's own.
PROFILE_COLUMNS = [
    "birthday",
    "birthday_md",
    "preferred_contact",
    "email_consent",
    "sms_consent",
    "note",
    # Issue 32 §5: how loudly the till shows the note (warn, block or NULL).
    "note_alert",
    "home_store_id",
    # Generated from the name and email for search (customers/search_text.py).
    "search_document",
]


def _columns():
    with connection.cursor() as cursor:
        return {
            column.name: column
            for column in connection.introspection.get_table_description(cursor, "customers")
        }


def test_table_is_named_customers_with_the_spec_columns():
    assert "customers" in connection.introspection.table_names()
    columns = list(_columns())
    assert columns[: len(SPEC_COLUMNS)] == SPEC_COLUMNS
    assert sorted(columns[len(SPEC_COLUMNS) :]) == sorted(PROFILE_COLUMNS)


def test_text_columns_are_text_and_points_an_integer():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, type FROM pragma_table_info('customers')")
        else:
            cursor.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'customers'"
            )
        types = {name: kind.lower() for name, kind in cursor.fetchall()}
    for column in ("name", "email", "phone", "address", "status"):
        assert types[column] == "text"
    assert types["loyaltyPoints"] == "integer"
    assert types["id"] == "integer"


def test_primary_key_autoincrements_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("AUTOINCREMENT is SQLite's keyword; PostgreSQL uses an identity column.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'customers'")
        (sql,) = cursor.fetchone()
    assert '"id" integer NOT NULL PRIMARY KEY AUTOINCREMENT' in sql


def test_database_defaults_for_points_and_status():
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO customers (name, "createdAt", "updatedAt") '
            "VALUES (%s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            ["Raw Insert"],
        )
        cursor.execute(
            'SELECT "loyaltyPoints", status FROM customers WHERE name = %s', ["Raw Insert"]
        )
        assert cursor.fetchone() == (0, "active")


@pytest.mark.parametrize(
    ("column", "value"),
    [("status", "deleted"), ("name", "")],
)
def test_database_refuses_invalid_status_and_blank_name(column, value):
    customer = CustomerFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE customers SET "{column}" = %s WHERE id = %s',
            [value, customer.pk],
        )


def test_database_refuses_the_same_email_in_another_case():
    CustomerFactory(email="ann@example.com")
    other = CustomerFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE customers SET email = %s WHERE id = %s", ["ANN@example.com", other.pk]
        )


def test_many_customers_may_have_no_email():
    # The case-insensitive unique index skips missing emails, NULL and "" alike.
    for email in (None, None, "", ""):
        with transaction.atomic():
            CustomerFactory(email=email)
    assert Customer.objects.filter(email__isnull=True).count() == 2
    assert Customer.objects.filter(email="").count() == 2
