"""The search document: name and email with accents and case folded, every word marked.

``customers.search_document`` is generated from the name and the email by
``customers_fold`` (``customers/search_text.py``), so "joao" finds João and "jo sm"
finds John Smith through the index, and no write can leave it stale. A word of one
or two characters starts a word of the document, which the trigram indexes serve
too.

PostgreSQL: ``customers_fold`` is a SQL function over ``unaccent`` (declared
immutable, so a generated column and an index may use it: ``unaccent`` is only
stable because its rules file could change, and this names the dictionary). A
trigram GIN index on the document serves every search. It replaces the trigram
indexes on ``UPPER(name)`` and ``UPPER(email)`` (0003), which nothing reads any
more (each would only slow every write); the phone's trigram index stays, and so
do the prefix indexes of 0005, which the duplicate checks' ``istartswith`` and
``iexact`` read.

SQLite: ``customers_fold`` is registered on each connection by the app (a
deterministic Python function). Adding the generated column rebuilds the table,
which drops 0005's triggers; the FTS5 trigram table is made again over the
document and the phone, filled from the table, with the same triggers.
"""

import importlib

from django.db import migrations, models

import customers.search_text

search_index = importlib.import_module("customers.migrations.0005_search_index")

POSTGRES_FUNCTION = r"""
CREATE OR REPLACE FUNCTION customers_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(btrim(regexp_replace(
    {schema}.unaccent('{schema}.unaccent'::regdictionary, $1), '\s+', ' ', 'g'))) $$
"""
POSTGRES_TRIGRAM_INDEX = "customers_search_doc_trgm_idx"
# The trigram indexes' pending lists stay small (see 0008).
PENDING_LIST_LIMIT_KB = 64
POSTGRES_REPLACED_INDEXES = {
    "customers_name_trgm_idx": 'USING gin (UPPER("name") gin_trgm_ops)',
    "customers_email_trgm_idx": 'USING gin (UPPER("email") gin_trgm_ops)',
}

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE customers_search USING fts5("
    "search_document, phone, content='customers', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN "
    "INSERT INTO customers_search(rowid, search_document, phone) "
    "VALUES (new.id, new.search_document, new.phone); END",
    "CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN "
    "INSERT INTO customers_search(customers_search, rowid, search_document, phone) "
    "VALUES ('delete', old.id, old.search_document, old.phone); END",
    "CREATE TRIGGER customers_search_update "
    "AFTER UPDATE OF name, email, phone ON customers BEGIN "
    "INSERT INTO customers_search(customers_search, rowid, search_document, phone) "
    "VALUES ('delete', old.id, old.search_document, old.phone); "
    "INSERT INTO customers_search(rowid, search_document, phone) "
    "VALUES (new.id, new.search_document, new.phone); END",
    # Index the rows that exist already (the triggers see only later changes).
    "INSERT INTO customers_search(customers_search) VALUES ('rebuild')",
]


def fold_function(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        search_index.drop_search_index(apps, schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT extnamespace::regnamespace::text FROM pg_extension "
                "WHERE extname = 'unaccent'"
            )
            (schema,) = cursor.fetchone()
        schema_editor.execute(POSTGRES_FUNCTION.format(schema=schema))


def drop_fold_function(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        search_index.create_search_index(apps, schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS customers_fold(text)")


def index_document(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {POSTGRES_TRIGRAM_INDEX} ON customers "
            f"USING gin (search_document gin_trgm_ops) "
            f"WITH (gin_pending_list_limit = {PENDING_LIST_LIMIT_KB})"
        )
        for name in POSTGRES_REPLACED_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def unindex_document(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        search_index.drop_search_index(apps, schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {POSTGRES_TRIGRAM_INDEX}")
        for name, definition in POSTGRES_REPLACED_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON customers {definition}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0008_trigram_pending_list_limit")]

    operations = [
        migrations.RunPython(fold_function, drop_fold_function),
        migrations.AddField(
            model_name="customer",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=customers.search_text.SearchDocument(
                    models.F("name"), models.F("email")
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(index_document, unindex_document),
    ]
