"""Demo gift cards: a few sold at the till through the real checkout, and part of one spent,
so the gift cards page, the customer panel and the liability report have something to show.
The demo codes are printed-card codes, so a balance can be checked on the page with them."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from customers.models import Customer
from giftcards.models import GiftCard
from sales.models import Product
from sales.quotes import LineInput, PaymentInput, sale_quote
from sales.services import sale_checkout

# (code, amount, which of the first customers holds it: None for a walk-in's card)
DEMO_CARDS = [
    ("DEMO-GIFT-0000-0001", "25.00", 0),
    ("DEMO-GIFT-0000-0002", "50.00", 1),
    ("DEMO-GIFT-0000-0003", "25.00", None),
]


def _demo_cashier():
    """Return the staff user the demo's sales are rung up by (the first one)."""
    user_model = get_user_model()
    return (
        user_model.objects.filter(is_staff=True).order_by("id").first()
        or (
            user_model.objects.get_or_create(username="demo-till", defaults={"is_active": False})[0]
        )
    )


def _checkout(**kwargs):
    try:
        return sale_checkout(**kwargs)
    except ValidationError as error:
        raise CommandError(f"A demo gift card sale was refused: {error}") from error


def seed_demo_gift_cards(*, options: dict, progress=None) -> str:
    """Sell the demo cards for cash, then pay for a product with part of the first one."""
    customers = list(Customer.objects.active().order_by("id")[:2])
    cashier = _demo_cashier()
    for code, amount, holder in DEMO_CARDS:
        customer = customers[holder] if holder is not None and holder < len(customers) else None
        _checkout(
            cashier=cashier,
            customer_id=customer.pk if customer else None,
            lines=[LineInput(kind="giftCard", data={"amount": amount, "code": code})],
            payments=[PaymentInput(method="cash", amount=Decimal(amount))],
        )
    product = Product.objects.order_by("id").first()
    spent = ""
    if product is not None:
        lines = [LineInput(product_id=product.pk, quantity=1)]
        total = sale_quote(lines=lines).total
        first_code, first_amount, holder = DEMO_CARDS[0]
        if total <= Decimal(first_amount):
            customer = customers[holder] if customers else None
            _checkout(
                cashier=cashier,
                customer_id=customer.pk if customer else None,
                lines=lines,
                payments=[PaymentInput(method="gift_card", amount=total, reference=first_code)],
            )
            spent = f" and spent {total} of the first on {product.name}"
    codes = ", ".join(code for code, _, _ in DEMO_CARDS)
    return f"Sold {len(DEMO_CARDS)} gift cards ({codes}){spent}."


def connect() -> None:
    from classicpos.demo import DemoSeeder, register_seeder

    register_seeder(
        DemoSeeder(
            name="giftcards",
            seed=seed_demo_gift_cards,
            is_loaded=GiftCard.objects.exists,
            order=45,
        )
    )
