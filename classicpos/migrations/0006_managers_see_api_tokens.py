"""Managers see and revoke API tokens in the admin (the README said so; without knox's
permissions a Manager who is not a superuser got 403 there)."""

from django.db import migrations

from classicpos.roles import MANAGER, grant, revoke

ROLE_PERMISSIONS = {MANAGER: ["view_authtoken", "delete_authtoken"]}


def grant_roles(apps, schema_editor):
    grant(apps, app_label="knox", role_codenames=ROLE_PERMISSIONS)


def revoke_roles(apps, schema_editor):
    revoke(apps, app_label="knox", role_codenames=ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("classicpos", "0005_known_devices_and_throttle_hits"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(grant_roles, revoke_roles)]
