"""On PostgreSQL, trigram indexes make substring search fast on large customer lists.

``icontains`` becomes ``UPPER(col) LIKE UPPER('%term%')``, which a B-tree cannot
serve; a GIN trigram index on the same expression can. SQLite has no such index
type, so there the migration does nothing.
"""

from django.db import migrations

INDEXES = {
    "customers_name_trgm_idx": 'UPPER("name")',
    "customers_email_trgm_idx": 'UPPER("email")',
    "customers_phone_trgm_idx": '"phone"',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON customers USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_roles")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
