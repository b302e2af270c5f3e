"""Points lots and expiry (issue 33 §2); balances already held become lots that never expire."""

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def open_lots_for_balances_held(apps, schema_editor):
    """Points held before lots existed become one lot each, which never expires: expiry
    applies only to points earned after it is turned on."""
    customer_model = apps.get_model("customers", "Customer")
    lot_model = apps.get_model("loyalty", "PointsLot")
    today = timezone.localdate()
    held = customer_model.objects.filter(loyalty_points__gt=0).values_list("pk", "loyalty_points")
    batch = []
    for customer_id, points in held.iterator(chunk_size=2000):
        batch.append(
            lot_model(customer_id=customer_id, points=points, remaining=points, earned_on=today)
        )
        if len(batch) >= 2000:
            lot_model.objects.bulk_create(batch)
            batch = []
    lot_model.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0015_self_service_and_note_alert"),
        ("loyalty", "0007_tiers"),
        ("sales", "0015_stored_value_lines"),
        ("stores", "0002_first_store"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PointsLot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("points", models.PositiveIntegerField()),
                ("remaining", models.PositiveIntegerField()),
                ("expired", models.PositiveIntegerField(default=0)),
                ("earned_on", models.DateField()),
                ("expires_on", models.DateField(blank=True, null=True)),
                ("inactivity_months", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("notified_for", models.DateField(blank=True, null=True)),
            ],
            options={
                "ordering": ["earned_on", "id"],
            },
        ),
        migrations.AddField(
            model_name="loyaltyprogram",
            name="expiry_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The N of the expiry rule.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(120),
                ],
            ),
        ),
        migrations.AddField(
            model_name="loyaltyprogram",
            name="expiry_notice_days",
            field=models.PositiveSmallIntegerField(
                default=14,
                help_text="Customers who agreed to email are told this many days before points expire (0: no notice).",
                validators=[django.core.validators.MaxValueValidator(365)],
            ),
        ),
        migrations.AddField(
            model_name="loyaltyprogram",
            name="expiry_rule",
            field=models.CharField(
                choices=[
                    ("never", "Points never expire"),
                    ("after_earning", "N months after they were earned"),
                    ("after_inactivity", "After N months without a purchase"),
                ],
                default="never",
                help_text="Applies to points earned from the moment it is saved, never to points already held (each lot keeps the terms it was earned under).",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="loyaltytransaction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("earn", "Earned"),
                    ("redeem", "Redeemed"),
                    ("reversal", "Reversal"),
                    ("adjustment", "Adjustment"),
                    ("expire", "Expired"),
                ],
                max_length=12,
            ),
        ),
        migrations.AddConstraint(
            model_name="loyaltyprogram",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("expiry_rule", "never"),
                    models.Q(("expiry_months__gte", 1), ("expiry_months__isnull", False)),
                    _connector="OR",
                ),
                name="loyalty_expiry_rule_has_months",
            ),
        ),
        migrations.AddConstraint(
            model_name="loyaltytransaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "expire"), _negated=True),
                    models.Q(
                        ("balance_after__gte", 0),
                        ("points__lt", 0),
                        models.Q(("reference", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="loyalty_expire_takes_held_points",
            ),
        ),
        migrations.AddField(
            model_name="pointslot",
            name="customer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="points_lots",
                to="customers.customer",
            ),
        ),
        migrations.AddField(
            model_name="pointslot",
            name="entry",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lots",
                to="loyalty.loyaltytransaction",
            ),
        ),
        migrations.AddField(
            model_name="pointslot",
            name="sale",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sales.sale",
            ),
        ),
        migrations.AddIndex(
            model_name="pointslot",
            index=models.Index(
                condition=models.Q(("remaining__gt", 0)),
                fields=["customer", "earned_on", "id"],
                name="loyalty_lot_open_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="pointslot",
            index=models.Index(
                condition=models.Q(("expires_on__isnull", False), ("remaining__gt", 0)),
                fields=["expires_on"],
                name="loyalty_lot_expires_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="pointslot",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "remaining__lte",
                        django.db.models.expressions.CombinedExpression(
                            models.F("points"), "-", models.F("expired")
                        ),
                    )
                ),
                name="loyalty_lot_never_spent_twice",
            ),
        ),
        migrations.AddConstraint(
            model_name="pointslot",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("expires_on__isnull", True),
                    ("inactivity_months__isnull", True),
                    _connector="OR",
                ),
                name="loyalty_lot_one_expiry_rule",
            ),
        ),
        migrations.RunPython(open_lots_for_balances_held, migrations.RunPython.noop),
    ]
