"""Customer 360: the history of every change (events), tags, consent, birthday, note.

On SQLite adding columns with defaults rebuilds the ``customers`` table, which
drops the search index's triggers (0005): they are created again at the end,
and the index rebuilt from the rows.
"""

import importlib

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

search_index = importlib.import_module("customers.migrations.0005_search_index")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0006_data_tools"),
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
                    ("tag_customer", "Can tag customers"),
                ],
            },
        ),
        migrations.AddField(
            model_name="customer",
            name="birthday",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="customer",
            name="birthday_md",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="customer",
            name="email_consent",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="email marketing consent"
            ),
        ),
        migrations.AddField(
            model_name="customer",
            name="note",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="customer",
            name="preferred_contact",
            field=models.TextField(
                blank=True,
                choices=[
                    ("email", "Email"),
                    ("phone", "Phone"),
                    ("sms", "Text message"),
                    ("none", "No preference"),
                ],
                db_default="none",
                default="none",
                verbose_name="preferred contact",
            ),
        ),
        migrations.AddField(
            model_name="customer",
            name="sms_consent",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="text message marketing consent"
            ),
        ),
        migrations.CreateModel(
            name="CustomerEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "kind",
                    models.TextField(
                        choices=[
                            ("customer.created", "Created"),
                            ("customer.changed", "Changed"),
                            ("customer.deactivated", "Deactivated"),
                            ("customer.restored", "Restored"),
                            ("customer.merged", "Merged a duplicate in"),
                            ("customer.merged_away", "Merged into another customer"),
                            ("customer.anonymised", "Personal data erased"),
                        ]
                    ),
                ),
                (
                    "channel",
                    models.TextField(
                        choices=[
                            ("page", "Staff page"),
                            ("api", "API"),
                            ("admin", "Admin"),
                            ("import", "Import"),
                            ("command", "Command"),
                        ]
                    ),
                ),
                ("changes", models.JSONField(blank=True, default=dict)),
                ("other_customer_id", models.IntegerField(blank=True, null=True)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="customers.customer",
                    ),
                ),
            ],
            options={
                "db_table": "customer_events",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.AutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.TextField()),
            ],
            options={
                "db_table": "customer_tag_names",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        django.db.models.functions.text.Lower("name"),
                        name="customer_tag_name_unique_ci",
                        violation_error_message="A tag with this name already exists.",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="customer",
            name="tags",
            field=models.ManyToManyField(blank=True, related_name="customers", to="customers.tag"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["birthday_md"], name="customers_birthday_md_idx"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("email_consent", True)),
                fields=["email_consent"],
                name="customers_email_consent_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("sms_consent", True)),
                fields=["sms_consent"],
                name="customers_sms_consent_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="customerevent",
            index=models.Index(
                fields=["customer", "-at", "-id"], name="customer_events_timeline_idx"
            ),
        ),
        migrations.RunPython(search_index.create_search_index, migrations.RunPython.noop),
    ]
