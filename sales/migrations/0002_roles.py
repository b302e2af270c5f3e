"""Give the Cashier and Manager roles their sales permissions."""

from django.db import migrations

from classicpos.roles import CASHIER, MANAGER, grant, revoke

# Frozen as they were when this migration was written: later permissions do not exist
# yet here (each later migration grants its own; post_migrate grants roles.py).
ROLE_PERMISSIONS = {
    CASHIER: ["view_product", "view_sale", "add_sale"],
    MANAGER: [
        "view_product",
        "add_product",
        "change_product",
        "delete_product",
        "view_sale",
        "add_sale",
        "refund_sale",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, app_label="sales", role_codenames=ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, app_label="sales", role_codenames=ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial"),
        ("customers", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
