"""An index on a sale's store and customer: the customer list's "bought at" filter reads a
store's customers from it instead of every sale of the store."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sales", "0013_store_and_till_required")]

    operations = [
        migrations.AddIndex(
            model_name="sale",
            index=models.Index(fields=["store", "customer"], name="sale_store_customer_idx"),
        ),
    ]
