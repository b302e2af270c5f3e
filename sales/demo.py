"""Demo products and a sales history, rung up through the real checkout service."""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from customers.models import Customer
from sales import services
from sales.models import Product
from sales.quotes import sale_quote

# SKU, name, price, and an EAN-13 barcode from the in-store range (200...): scan or type either.
DEMO_PRODUCTS = [
    ("COF-250", "Coffee beans 250 g", "8.90", "2000000000015"),
    ("TEA-GRN", "Green tea, 20 bags", "4.20", "2000000000022"),
    ("MUG-BLU", "Blue mug", "12.50", "2000000000039"),
    ("CHO-DRK", "Dark chocolate bar", "2.75", "2000000000046"),
    ("CRO-BTR", "Butter croissant", "1.95", "2000000000053"),
    ("JAM-STR", "Strawberry jam", "5.40", "2000000000060"),
    ("HON-350", "Wildflower honey 350 g", "9.80", "2000000000077"),
    ("BIS-OAT", "Oat biscuits", "3.15", "2000000000084"),
    ("NAP-100", "Paper napkins, 100", "2.10", "2000000000091"),
    ("CRD-SLV", "Card sleeve", "1.00", "2000000000107"),
]


def _demo_cashier():
    user_model = get_user_model()
    cashier = user_model.objects.filter(is_staff=True).order_by("id").first()
    if cashier is None:
        # The demo sales need someone at the till; a login-less system user does.
        cashier, _ = user_model.objects.get_or_create(
            username="demo-till", defaults={"is_active": False}
        )
    return cashier


def seed_demo_sales(*, options: dict, progress=None) -> str:
    """Create the demo products (once) and ring up ``options["sales"]`` sales."""
    products = [
        Product.objects.filter(sku=sku).first()
        or services.product_create(sku=sku, name=name, price=Decimal(price), barcode=barcode)
        for sku, name, price, barcode in DEMO_PRODUCTS
    ]
    customers = list(Customer.objects.active().order_by("id")[:30])
    cashier = _demo_cashier()
    rng = random.Random(options["seed"])  # noqa: S311 - demo data, not security
    for _ in range(options["sales"]):
        chosen = rng.sample(products, rng.randint(1, 3))
        lines = [services.LineInput(product_id=p.pk, quantity=rng.randint(1, 3)) for p in chosen]
        total = sale_quote(lines=lines).total
        customer = rng.choice(customers) if customers and rng.random() < 0.8 else None
        try:
            services.sale_checkout(
                cashier=cashier,
                customer_id=customer.pk if customer else None,
                lines=lines,
                payments=[services.PaymentInput(method=rng.choice(["cash", "card"]), amount=total)],
            )
        except ValidationError as error:
            raise CommandError(f"A demo sale was refused: {error}") from error
    return f"Created {len(products)} products and {options['sales']} sales."


def connect() -> None:
    from classicpos.demo import DemoSeeder, register_seeder

    register_seeder(
        DemoSeeder(name="sales", seed=seed_demo_sales, is_loaded=Product.objects.exists, order=20)
    )
