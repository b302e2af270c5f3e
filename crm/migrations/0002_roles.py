"""Give the Cashier and Manager roles their CRM permissions."""

from django.db import migrations

from classicpos.roles import grant, revoke
from crm.roles import ROLE_PERMISSIONS


def forwards(apps, schema_editor):
    grant(apps, app_label="crm", role_codenames=ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, app_label="crm", role_codenames=ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0001_initial"),
        ("customers", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
