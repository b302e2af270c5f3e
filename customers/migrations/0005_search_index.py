"""Indexes every customer search uses, on each database its own way.

SQLite: an FTS5 table with the ``trigram`` tokenizer over name, email and phone
(phones are stored as E.164, so the phone column is the number's digits), kept in
step with ``customers`` by triggers and filled from the rows already there. It is
an external-content table: it stores only the index, reading text from
``customers`` by rowid. ``icontains`` emits ``LIKE … ESCAPE``, which no FTS
index serves, so the search queries it with ``MATCH``.

PostgreSQL: the trigram GIN indexes of 0003 serve substrings of three characters
or more; searches of one or two characters are prefix searches, which these
B-tree indexes serve (``text_pattern_ops``: ``LIKE 'AB%'`` under any collation).

Both: an index on status and lower-cased name, for the staff list of active
customers in name order.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

import customers.models

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS customers_search USING fts5("
    "name, email, phone, content='customers', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS customers_search_insert AFTER INSERT ON customers BEGIN "
    "INSERT INTO customers_search(rowid, name, email, phone) "
    "VALUES (new.id, new.name, new.email, new.phone); END",
    "CREATE TRIGGER IF NOT EXISTS customers_search_delete AFTER DELETE ON customers BEGIN "
    "INSERT INTO customers_search(customers_search, rowid, name, email, phone) "
    "VALUES ('delete', old.id, old.name, old.email, old.phone); END",
    "CREATE TRIGGER IF NOT EXISTS customers_search_update "
    "AFTER UPDATE OF name, email, phone ON customers BEGIN "
    "INSERT INTO customers_search(customers_search, rowid, name, email, phone) "
    "VALUES ('delete', old.id, old.name, old.email, old.phone); "
    "INSERT INTO customers_search(rowid, name, email, phone) "
    "VALUES (new.id, new.name, new.email, new.phone); END",
    # Index the rows that exist already (the triggers see only later changes).
    "INSERT INTO customers_search(customers_search) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS customers_search_insert",
    "DROP TRIGGER IF EXISTS customers_search_delete",
    "DROP TRIGGER IF EXISTS customers_search_update",
    "DROP TABLE IF EXISTS customers_search",
]
POSTGRES_PREFIX_INDEXES = {
    "customers_name_prefix_idx": 'UPPER("name") text_pattern_ops',
    "customers_email_prefix_idx": 'UPPER("email") text_pattern_ops',
}


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        for name, expression in POSTGRES_PREFIX_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON customers ({expression})")


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        for name in POSTGRES_PREFIX_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0004_list_filter_indexes")]

    operations = [
        # The FTS5 table, as the ORM sees it to join it (SQLite only; created below).
        migrations.CreateModel(
            name="CustomerSearchEntry",
            fields=[
                (
                    "customer",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="customers.customer",
                    ),
                ),
                ("document", customers.models.FullTextField(db_column="customers_search")),
            ],
            options={"db_table": "customers_search", "managed": False},
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                models.F("status"),
                django.db.models.functions.text.Lower("name"),
                models.F("id"),
                name="customers_status_lname_idx",
            ),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
