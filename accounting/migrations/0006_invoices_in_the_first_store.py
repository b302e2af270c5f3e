"""Invoices, payments and store credit so far were the first store's: each takes its
sale's (or refund's) store and till, the rest the first till; the first store's invoice
series goes on from the shop's one counter."""

from django.db import migrations


def into_first_store(apps, schema_editor):
    Store = apps.get_model("stores", "Store")
    Till = apps.get_model("stores", "Till")
    StoreCounter = apps.get_model("stores", "StoreCounter")
    InvoiceCounter = apps.get_model("accounting", "InvoiceCounter")
    Invoice = apps.get_model("accounting", "Invoice")
    InvoicePayment = apps.get_model("accounting", "InvoicePayment")
    StoreCreditEntry = apps.get_model("accounting", "StoreCreditEntry")
    store = Store.objects.order_by("pk").first()
    if store is None:
        return
    till = Till.objects.filter(store=store).order_by("pk").first()
    for model in (Invoice, InvoicePayment, StoreCreditEntry):
        model.objects.update(store=store, till=till)
    counter = InvoiceCounter.objects.filter(pk="invoice").first()
    if counter is not None and counter.last_number:
        StoreCounter.objects.update_or_create(
            store=store, series="invoice", defaults={"last_number": counter.last_number}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0005_recorded_at_till"),
        ("stores", "0002_first_store"),
    ]

    operations = [migrations.RunPython(into_first_store, migrations.RunPython.noop)]
