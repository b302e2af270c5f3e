"""Merge and erasure records, and the data tools' Manager-only permissions."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from classicpos.roles import grant, revoke

DATA_TOOL_PERMISSIONS = {
    "Manager": ["import_customer", "export_customer", "merge_customer", "anonymise_customer"],
}


def grant_data_tools(apps, schema_editor):
    grant(apps, app_label="customers", role_codenames=DATA_TOOL_PERMISSIONS)


def revoke_data_tools(apps, schema_editor):
    revoke(apps, app_label="customers", role_codenames=DATA_TOOL_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="customer",
            options={
                "ordering": ["name", "id"],
                "permissions": [
                    ("deactivate_customer", "Can deactivate and restore customers"),
                    ("import_customer", "Can import customers from a CSV file"),
                    ("export_customer", "Can export customers to a CSV file"),
                    ("merge_customer", "Can merge duplicate customers"),
                    ("anonymise_customer", "Can erase a customer's personal data"),
                ],
            },
        ),
        migrations.CreateModel(
            name="CustomerErasure",
            fields=[
                (
                    "customer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="erasure",
                        serialize=False,
                        to="customers.customer",
                    ),
                ),
                ("erased_at", models.DateTimeField(auto_now_add=True)),
                (
                    "erased_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "customer_erasures",
            },
        ),
        migrations.CreateModel(
            name="CustomerMerge",
            fields=[
                (
                    "duplicate",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="merge_record",
                        serialize=False,
                        to="customers.customer",
                    ),
                ),
                ("merged_at", models.DateTimeField(auto_now_add=True)),
                (
                    "merged_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "survivor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged_customers",
                        to="customers.customer",
                    ),
                ),
            ],
            options={
                "db_table": "customer_merges",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("survivor", models.F("duplicate")), _negated=True),
                        name="customer_merge_not_into_itself",
                    )
                ],
            },
        ),
        migrations.RunPython(grant_data_tools, revoke_data_tools),
    ]
