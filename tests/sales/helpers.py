"""Ring up and refund sales through the real services: the one copy every app's tests use."""

from decimal import Decimal

from sales.quotes import sale_quote
from sales.services import LineInput, PaymentInput, RefundLineInput, sale_checkout, sale_refund
from tests.sales.factories import ProductFactory

# The tax rates the money tests try, in ten-thousandths: 7.25 % is 725 / 10 000.
TAX_RATES = {"0.0725": 725, "0.0875": 875}


def as_money(cents: int) -> str:
    """Write whole cents as the API writes an amount (``1234`` is ``"12.34"``)."""
    return f"{cents // 100}.{cents % 100:02d}"


def ring_up(
    *,
    customer,
    cashier,
    price: str | None = None,
    quantity: int = 1,
    payments=None,
    till=None,
):
    """Sell ``quantity`` of a new product at ``price`` to ``customer`` (``None``: walk-in).

    ``payments`` is ``[(method, amount), ...]``; without it the sale is paid in cash for the
    quoted total (tax included, as the till would ask). Without ``price`` the product costs
    the payments' sum over ``quantity``, which suits a shop that charges no tax. ``till``:
    the chain's only till when omitted.
    """
    if price is None:
        price = str(sum((Decimal(amount) for _, amount in payments), Decimal(0)) / quantity)
    product = ProductFactory(price=Decimal(price))
    lines = [LineInput(product_id=product.pk, quantity=quantity)]
    store = till.store if till else None
    payments = payments or [("cash", sale_quote(lines=lines, store=store).total)]
    return sale_checkout(
        cashier=cashier,
        customer_id=customer.pk if customer else None,
        lines=lines,
        payments=[
            PaymentInput(method=method, amount=Decimal(amount)) for method, amount in payments
        ],
        till_id=till.pk if till else None,
    )


def refund(*, sale, user, quantity: int | None = None, refund_to: str = ""):
    """Refund ``quantity`` of the sale's first line, or all that is left of the sale."""
    lines = None
    if quantity is not None:
        lines = [RefundLineInput(sale_line_id=sale.lines.first().pk, quantity=quantity)]
    return sale_refund(sale=sale, user=user, lines=lines, refund_to=refund_to)
