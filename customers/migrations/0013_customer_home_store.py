"""A customer's home store; the customers a shop already has belong to its first store.

Every existing customer was a customer of the one shop there was, so they all take
the first store ("Main", made by ``stores`` 0002): one UPDATE, however many customers.
A database without a store (none can be: 0002 makes one) leaves them without.
"""

import django.db.models.deletion
from django.db import migrations, models


def home_in_the_first_store(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    Store = apps.get_model("stores", "Store")
    first = Store.objects.order_by("pk").first()
    if first is not None:
        Customer.objects.filter(home_store__isnull=True).update(home_store=first)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0012_prior_history"),
        ("stores", "0002_first_store"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="home_store",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="home_customers",
                to="stores.store",
                verbose_name="home store",
            ),
        ),
        migrations.RunPython(home_in_the_first_store, migrations.RunPython.noop),
    ]
