"""Give the Cashier and Manager roles their accounting permissions."""

from django.db import migrations

from accounting.roles import ROLE_PERMISSIONS
from classicpos.roles import grant, revoke


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
