"""Ring up and refund sales through the real services, for loyalty tests."""

from decimal import Decimal

from django.db.models import Sum

from loyalty.models import LoyaltyTransaction
from sales.quotes import sale_quote
from sales.services import LineInput, PaymentInput, sale_checkout, sale_refund
from tests.sales.factories import ProductFactory


def ring_up(*, customer, price: str, cashier, quantity: int = 1, payments=None):
    """Sell ``quantity`` of a product at ``price``; pay cash for the quoted total unless told
    otherwise (the quote's total includes the shop's tax, as the till's would)."""
    product = ProductFactory(price=Decimal(price))
    lines = [LineInput(product_id=product.pk, quantity=quantity)]
    payments = payments or [("cash", sale_quote(lines=lines).total)]
    return sale_checkout(
        cashier=cashier,
        customer_id=customer.pk if customer else None,
        lines=lines,
        payments=[PaymentInput(method=m, amount=Decimal(a)) for m, a in payments],
    )


def refund(*, sale, user, quantity: int | None = None):
    """Refund ``quantity`` of the sale's first line, or the whole sale."""
    from sales.services import RefundLineInput

    if quantity is None:
        return sale_refund(sale=sale, user=user)
    line = sale.lines.first()
    return sale_refund(
        sale=sale, user=user, lines=[RefundLineInput(sale_line_id=line.pk, quantity=quantity)]
    )


def assert_balance_matches_ledger(customer) -> None:
    customer.refresh_from_db()
    ledger = LoyaltyTransaction.objects.filter(customer=customer).aggregate(s=Sum("points"))["s"]
    assert customer.loyalty_points == (ledger or 0)
