"""Invoice constraints compare sums rounded to cents (SQLite adds decimals as floats)."""

import django.db.models.expressions
import django.db.models.functions.math
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounting", "0002_roles")]

    operations = [
        migrations.RemoveConstraint(
            model_name="invoice",
            name="invoice_never_overpaid",
        ),
        migrations.RemoveConstraint(
            model_name="invoice",
            name="invoice_status_follows_amounts",
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "total__gte",
                        django.db.models.functions.math.Round(
                            django.db.models.expressions.CombinedExpression(
                                models.F("amount_paid"), "+", models.F("amount_credited")
                            ),
                            2,
                        ),
                    )
                ),
                name="invoice_never_overpaid",
            ),
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("amount_paid", 0),
                        ("status", "open"),
                        (
                            "total__gt",
                            django.db.models.functions.math.Round(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("amount_paid"), "+", models.F("amount_credited")
                                ),
                                2,
                            ),
                        ),
                    ),
                    models.Q(
                        ("amount_paid__gt", 0),
                        ("status", "partially_paid"),
                        (
                            "total__gt",
                            django.db.models.functions.math.Round(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("amount_paid"), "+", models.F("amount_credited")
                                ),
                                2,
                            ),
                        ),
                    ),
                    models.Q(
                        ("amount_paid__gt", 0),
                        ("status", "paid"),
                        (
                            "total",
                            django.db.models.functions.math.Round(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("amount_paid"), "+", models.F("amount_credited")
                                ),
                                2,
                            ),
                        ),
                    ),
                    models.Q(
                        ("amount_paid", 0),
                        ("status", "void"),
                        ("total", models.F("amount_credited")),
                    ),
                    _connector="OR",
                ),
                name="invoice_status_follows_amounts",
            ),
        ),
    ]
