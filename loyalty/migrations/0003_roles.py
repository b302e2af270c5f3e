"""Give the Cashier and Manager roles their loyalty permissions."""

from django.db import migrations

from classicpos.roles import grant, revoke
from loyalty.roles import ROLE_PERMISSIONS


def forwards(apps, schema_editor):
    grant(apps, app_label="loyalty", role_codenames=ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, app_label="loyalty", role_codenames=ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0002_initial"),
        ("customers", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
