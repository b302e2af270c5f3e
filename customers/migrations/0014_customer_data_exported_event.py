"""A customer's history records each download of their data ("Download my data")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0013_customer_home_store"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customerevent",
            name="kind",
            field=models.TextField(
                choices=[
                    ("customer.created", "Created"),
                    ("customer.changed", "Changed"),
                    ("customer.deactivated", "Deactivated"),
                    ("customer.restored", "Restored"),
                    ("customer.merged", "Merged a duplicate in"),
                    ("customer.merged_away", "Merged into another customer"),
                    ("customer.anonymised", "Personal data erased"),
                    ("customer.not_duplicate", "Not the same person as another customer"),
                    ("customer.data_exported", "Personal data downloaded"),
                ]
            ),
        ),
    ]
