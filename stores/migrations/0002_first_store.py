"""The store every shop already was: "Main" (code ``S``, so its sales keep their numbers)
with one till. Blank details and tax rate print and charge the shop's settings."""

from django.db import migrations

from classicpos.roles import CASHIER, MANAGER, grant, revoke

# Frozen as they were when this migration was written.
ROLE_PERMISSIONS = {
    CASHIER: ["view_store", "view_till"],
    MANAGER: ["view_store", "add_store", "change_store", "view_till", "add_till", "change_till"],
}


def make_first_store(apps, schema_editor):
    Store = apps.get_model("stores", "Store")
    Till = apps.get_model("stores", "Till")
    if Store.objects.exists():
        return
    store = Store.objects.create(code="S", name="Main")
    Till.objects.create(store=store, name="Till 1")


class Migration(migrations.Migration):
    dependencies = [
        ("stores", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(make_first_store, migrations.RunPython.noop),
        migrations.RunPython(
            lambda apps, schema_editor: grant(
                apps, app_label="stores", role_codenames=ROLE_PERMISSIONS
            ),
            lambda apps, schema_editor: revoke(
                apps, app_label="stores", role_codenames=ROLE_PERMISSIONS
            ),
        ),
    ]
