"""``manage.py seed_sales_demo``: products and a sales history for the demo shop."""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from customers.models import Customer
from sales import services
from sales.models import Product

DEMO_PRODUCTS = [
    ("COF-250", "Coffee beans 250 g", "8.90"),
    ("TEA-GRN", "Green tea, 20 bags", "4.20"),
    ("MUG-BLU", "Blue mug", "12.50"),
    ("CHO-DRK", "Dark chocolate bar", "2.75"),
    ("CRO-BTR", "Butter croissant", "1.95"),
    ("JAM-STR", "Strawberry jam", "5.40"),
    ("HON-350", "Wildflower honey 350 g", "9.80"),
    ("BIS-OAT", "Oat biscuits", "3.15"),
    ("NAP-100", "Paper napkins, 100", "2.10"),
    ("GFT-CRD", "Gift card holder", "1.00"),
]


class Command(BaseCommand):
    help = "Create demo products and a sales history through the checkout service."

    def add_arguments(self, parser):
        parser.add_argument("--sales", type=int, default=60, help="How many demo sales to ring up.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when products already exist."
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed for repeatable data.")

    def handle(self, *args, **options):
        if options["if_empty"] and Product.objects.exists():
            self.stdout.write("Products already exist; demo sales not loaded.")
            return
        cashier = get_user_model().objects.filter(is_staff=True).order_by("id").first()
        if cashier is None:
            raise CommandError("Create a staff user first (manage.py ensure_staff_users).")
        products = [
            Product.objects.filter(sku=sku).first()
            or services.product_create(sku=sku, name=name, price=Decimal(price))
            for sku, name, price in DEMO_PRODUCTS
        ]
        customers = list(Customer.objects.active().order_by("id")[:30])
        rng = random.Random(options["seed"])  # noqa: S311 - demo data, not security
        for _ in range(options["sales"]):
            chosen = rng.sample(products, rng.randint(1, 3))
            lines = [
                services.LineInput(product_id=p.pk, quantity=rng.randint(1, 3)) for p in chosen
            ]
            total = sum((p.price * line.quantity for p, line in zip(chosen, lines, strict=True)))
            customer = rng.choice(customers) if customers and rng.random() < 0.8 else None
            services.sale_checkout(
                cashier=cashier,
                customer_id=customer.pk if customer else None,
                lines=lines,
                payments=[
                    services.PaymentInput(
                        method=rng.choice(["cash", "card"]),
                        amount=Decimal(total).quantize(Decimal("0.01")),
                    )
                ],
            )
        self.stdout.write(
            self.style.SUCCESS(f"Created {len(products)} products and {options['sales']} sales.")
        )
