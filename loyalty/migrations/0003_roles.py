"""Give the Cashier and Manager roles their loyalty permissions."""

from django.db import migrations

from classicpos.roles import grant, revoke

# Named here, not read from roles.py: that grows with permissions of models later
# migrations add (0007's tiers), which do not exist yet when this one runs.
ROLE_PERMISSIONS = {
    "Cashier": ["view_loyaltytransaction"],
    "Manager": [
        "view_loyaltytransaction",
        "adjust_points",
        "view_loyaltyprogram",
        "change_loyaltyprogram",
    ],
}


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
