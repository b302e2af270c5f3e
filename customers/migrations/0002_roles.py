"""Create the Cashier and Manager roles with their customer permissions."""

from django.db import migrations

from classicpos.roles import grant, revoke
from customers.roles import ROLE_PERMISSIONS

CUSTOMER_PERMISSIONS = ROLE_PERMISSIONS


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
