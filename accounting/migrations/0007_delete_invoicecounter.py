"""Invoice numbers now come from each store's own series (``stores.StoreCounter``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounting", "0006_invoices_in_the_first_store")]

    operations = [migrations.DeleteModel(name="InvoiceCounter")]
