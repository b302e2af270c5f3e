"""Points entries so far were the first store's, at its first till."""

from django.db import migrations


def into_first_store(apps, schema_editor):
    Store = apps.get_model("stores", "Store")
    Till = apps.get_model("stores", "Till")
    LoyaltyTransaction = apps.get_model("loyalty", "LoyaltyTransaction")
    store = Store.objects.order_by("pk").first()
    if store is None:
        return
    till = Till.objects.filter(store=store).order_by("pk").first()
    LoyaltyTransaction.objects.update(store=store, till=till)


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0005_recorded_at_till"),
        ("stores", "0002_first_store"),
    ]

    operations = [migrations.RunPython(into_first_store, migrations.RunPython.noop)]
