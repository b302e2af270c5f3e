"""Give the Cashier and Manager roles their accounting permissions."""

from django.db import migrations

from classicpos.roles import CASHIER, MANAGER, grant, revoke

# Frozen as they were when this migration was written: later models' permissions do not
# exist yet here (each later migration grants its own; post_migrate grants roles.py).
ROLE_PERMISSIONS = {
    CASHIER: [
        "view_customeraccount",
        "view_invoice",
        "view_invoicepayment",
        "add_invoicepayment",
        "view_storecreditentry",
    ],
    MANAGER: [
        "view_customeraccount",
        "change_customeraccount",
        "adjust_store_credit",
        "view_invoice",
        "change_invoice",
        "view_invoicepayment",
        "add_invoicepayment",
        "view_invoicecredit",
        "view_storecreditentry",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, app_label="accounting", role_codenames=ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, app_label="accounting", role_codenames=ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0001_initial"),
        ("customers", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
