"""Create the Cashier and Manager roles with their customer permissions."""

from django.db import migrations

from classicpos.roles import grant, revoke

# The grants as they were when this migration was written: later permissions
# (0005's data tools) do not exist yet at this point of a fresh migrate.
CUSTOMER_PERMISSIONS = {
    "Cashier": ["view_customer", "add_customer", "change_customer"],
    "Manager": [
        "view_customer",
        "add_customer",
        "change_customer",
        "delete_customer",
        "deactivate_customer",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, app_label="customers", role_codenames=CUSTOMER_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, app_label="customers", role_codenames=CUSTOMER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
