"""Every sale and refund so far was rung up at the first store's first till; its sale
series goes on from the last number printed (``S-000044`` is followed by ``S-000045``)."""

import re

from django.db import migrations

from classicpos.roles import MANAGER, grant, revoke

ROLE_PERMISSIONS = {MANAGER: ["view_sales_report"]}


def into_first_store(apps, schema_editor):
    Store = apps.get_model("stores", "Store")
    Till = apps.get_model("stores", "Till")
    StoreCounter = apps.get_model("stores", "StoreCounter")
    Sale = apps.get_model("sales", "Sale")
    Refund = apps.get_model("sales", "Refund")
    if not Sale.objects.exists():
        return
    store = Store.objects.order_by("pk").first()
    till = Till.objects.filter(store=store).order_by("pk").first()
    Sale.objects.update(store=store, till=till)
    Refund.objects.update(store=store, till=till)
    last = 0
    for number in Sale.objects.exclude(number=None).values_list("number", flat=True).iterator():
        match = re.fullmatch(r"S-(\d+)", number)
        if match:
            last = max(last, int(match.group(1)))
    StoreCounter.objects.update_or_create(
        store=store, series="sale", defaults={"last_number": last}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0011_sale_store_and_till"),
        ("stores", "0002_first_store"),
    ]

    operations = [
        migrations.RunPython(into_first_store, migrations.RunPython.noop),
        migrations.RunPython(
            lambda apps, schema_editor: grant(
                apps, app_label="sales", role_codenames=ROLE_PERMISSIONS
            ),
            lambda apps, schema_editor: revoke(
                apps, app_label="sales", role_codenames=ROLE_PERMISSIONS
            ),
        ),
    ]
