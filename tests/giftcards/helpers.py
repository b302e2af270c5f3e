"""Sell, reload and spend gift cards through the real checkout: the copy the tests share."""

from decimal import Decimal

from sales.quotes import LineInput, PaymentInput
from sales.services import sale_checkout
from tests.sales.factories import ProductFactory

CODE = "GIFT-2345-6789-ABCD"


def card_line(amount: str, code: str | None = None) -> LineInput:
    data = {"amount": amount}
    if code is not None:
        data["code"] = code
    return LineInput(kind="giftCard", data=data)


def sell_card(*, cashier, amount: str = "50.00", code: str | None = CODE, customer=None):
    """Sell a card of ``amount`` (``code``: a printed card's; ``None``: generated), paid in cash."""
    return sale_checkout(
        cashier=cashier,
        customer_id=customer.pk if customer else None,
        lines=[card_line(amount, code)],
        payments=[PaymentInput(method="cash", amount=Decimal(amount))],
    )


def pay_with_card(
    *, cashier, price: str, card_amount: str, code: str = CODE, customer=None, rest="cash"
):
    """Buy a product of ``price`` (no tax): ``card_amount`` from the card, the rest in cash."""
    product = ProductFactory(price=Decimal(price))
    payments = [PaymentInput(method="gift_card", amount=Decimal(card_amount), reference=code)]
    left = Decimal(price) - Decimal(card_amount)
    if left > 0:
        payments.append(PaymentInput(method=rest, amount=left))
    return sale_checkout(
        cashier=cashier,
        customer_id=customer.pk if customer else None,
        lines=[LineInput(product_id=product.pk, quantity=1)],
        payments=payments,
    )
