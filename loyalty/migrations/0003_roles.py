"""Give the Cashier and Manager roles their loyalty permissions."""

from django.db import migrations

from classicpos.roles import ROLE_PERMISSIONS, grant, revoke


def forwards(apps, schema_editor):
    grant(apps, app_label="loyalty", role_codenames=ROLE_PERMISSIONS["loyalty"])


def backwards(apps, schema_editor):
    revoke(apps, app_label="loyalty", role_codenames=ROLE_PERMISSIONS["loyalty"])


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0002_initial"),
        ("customers", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
