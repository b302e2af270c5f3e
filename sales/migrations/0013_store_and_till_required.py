import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sales", "0012_sales_in_the_first_store")]

    operations = [
        migrations.AlterField(
            model_name=model,
            name=name,
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name=related,
                to=target,
            ),
        )
        for model, related in (("sale", "sales"), ("refund", "refunds"))
        for name, target in (("store", "stores.store"), ("till", "stores.till"))
    ]
