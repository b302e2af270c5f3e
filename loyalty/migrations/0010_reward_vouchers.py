"""Reward vouchers (issue 33 §3: a birthday may give a one-time voucher usable at the till)."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0015_self_service_and_note_alert"),
        ("loyalty", "0009_birthday_rewards_and_points_liability"),
        ("sales", "0015_stored_value_lines"),
    ]

    operations = [
        migrations.AddField(
            model_name="loyaltyprogram",
            name="birthday_voucher",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                help_text="A one-time voucher of this amount, paid with at the till, given with the birthday reward (0: none).",
                max_digits=10,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100000")),
                ],
            ),
        ),
        migrations.AddField(
            model_name="loyaltyprogram",
            name="birthday_voucher_days",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="How many days a birthday voucher can be used.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(365),
                ],
            ),
        ),
        migrations.CreateModel(
            name="RewardVoucher",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=10)),
                ("reason", models.CharField(max_length=80)),
                ("reference", models.CharField(max_length=40, unique=True)),
                ("valid_until", models.DateField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "used_amount",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True),
                ),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reward_vouchers",
                        to="customers.customer",
                    ),
                ),
                (
                    "sale",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reward_vouchers",
                        to="sales.sale",
                    ),
                ),
            ],
            options={
                "ordering": ["valid_until", "id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("sale__isnull", True)),
                        fields=["customer", "valid_until"],
                        name="loyalty_voucher_usable_idx",
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)),
                        name="loyalty_voucher_amount_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("sale__isnull", True), ("used_amount__isnull", True)),
                            models.Q(
                                ("sale__isnull", False),
                                ("used_amount__gt", 0),
                                ("used_amount__lte", models.F("amount")),
                                ("used_at__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="loyalty_voucher_used_once_within_amount",
                    ),
                ],
            },
        ),
    ]
