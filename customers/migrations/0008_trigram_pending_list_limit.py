"""On PostgreSQL, the trigram indexes keep at most 64 kB of new entries aside.

GIN puts the entries of new and changed rows in a pending list, merged into the
index proper only when the list outgrows ``gin_pending_list_limit`` (4 MB by
default) or a vacuum runs; and every search reads the whole list. At a million
customers, 400 customers added after a load left 270 pending pages, and the rare
email search's statement took 2.2 ms (p50) instead of 0.6. The smallest limit
keeps the list to a few pages (0.6 ms with seven), while an insert still adds
to the list instead of to the index itself (0.64 ms per customer, against 0.79
with ``fastupdate`` off). Measured with ``bench``'s database on 2026-12-06.
SQLite has no GIN indexes: there the migration does nothing.
"""

from django.db import migrations

TRIGRAM_INDEXES = (
    "customers_name_trgm_idx",
    "customers_email_trgm_idx",
    "customers_phone_trgm_idx",
)
PENDING_LIST_LIMIT_KB = 64  # PostgreSQL's minimum


def limit_pending_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"ALTER INDEX IF EXISTS {name} SET (gin_pending_list_limit = {PENDING_LIST_LIMIT_KB})"
        )


def default_pending_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_customer_360")]

    operations = [migrations.RunPython(limit_pending_lists, default_pending_lists)]
